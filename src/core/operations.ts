import { z } from 'zod';
import type { EngineContext } from './engine';
import { Methods, type RequestTypes } from './protocol';
import type { AgentTools } from './agent/tools';
import { ModelVersionSchema, ValidationResultSchema } from './model/schemas';
import { PlanSchema } from './agent/planStore';
import { describeIssue, paramSchemas } from './params';
import { DriftCatcherError } from './util/errors';
import { lazy } from './util/lazy';
import { confineSource } from './sources/uri';

/* eslint-disable @typescript-eslint/no-require-imports */
// The modules that run the operations are required when an operation first runs: a front end that runs one (a CLI
// command) does not initialise all the others' (the agent and its LLM client, git, training, the dashboard …).
const driftOps = lazy(() => require('./pipeline/drift') as typeof import('./pipeline/drift'));
const training = lazy(() => require('./pipeline/training') as typeof import('./pipeline/training'));
const registry = lazy(() => require('./model/registry') as typeof import('./model/registry'));
const deploying = lazy(() => require('./model/deploy') as typeof import('./model/deploy'));
const validation = lazy(() => require('./model/validate') as typeof import('./model/validate'));
const holdout = lazy(() => require('./model/holdout') as typeof import('./model/holdout'));
const agent = lazy(() => require('./agent/runAgent') as typeof import('./agent/runAgent'));
const executor = lazy(() => require('./agent/executor') as typeof import('./agent/executor'));
const twin = lazy(() => require('./agent/twin') as typeof import('./agent/twin'));
const escalation = lazy(() => require('./agent/escalation') as typeof import('./agent/escalation'));
const tracking = lazy(() => require('./tracking/queries') as typeof import('./tracking/queries'));
const versioning = lazy(() => require('./versioning/baseline') as typeof import('./versioning/baseline'));
const demoData = lazy(() => require('./data/demoData') as typeof import('./data/demoData'));
const datasets = lazy(() => require('./data/datasetConfig') as typeof import('./data/datasetConfig'));
const dashboard = lazy(() => require('./server/dashboard') as typeof import('./server/dashboard'));
const explain = lazy(() => require('./pipeline/explain') as typeof import('./pipeline/explain'));
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The one operation registry: every engine operation, keyed by its protocol method. The CLI, the JSON-RPC
 * server (main thread and job worker) and any other front end look operations up here, so an operation is
 * declared once with everything a front end needs:
 *
 * - summary / description: one line and a paragraph, for help texts, API docs and tool descriptions;
 * - params / result: zod schemas (params are plain data, so `z.toJSONSchema()` can publish them; result schemas may
 *   normalise older registry files, so publish them with `{ io: 'input' }`); params are validated before `run`,
 *   unknown keys stripped;
 * - run(ctx, params, tools?): the operation itself; `tools` (agent operations only) defaults to the real engines;
 * - heavy: reads big files, trains or simulates — the server runs it in a worker thread with progress and
 *   cancellation; otherwise it is answered on the main thread at once, even while heavy jobs run;
 * - exclusive: operations of the same class run one at a time, in arrival order (one retrain at a time);
 * - paths: params fields holding file paths (the server confines them to the workspace folders, the CLI
 *   resolves them against the current directory); sources: fields holding data sources (src/core/sources), whose
 *   files are confined the same way;
 * - effects: what the server does with a result besides answering: 'report' remembers it as the workspace's
 *   latest drift report; 'production' and 'baseline' re-check the open CSVs when the baseline they compare against
 *   moved (the chosen one, else production's);
 * - readOnly: changes nothing in the workspace (no file, registry entry or tracked run is written);
 * - destructive: may change production, the model registry or the versioned baseline.
 */
export type Method = keyof RequestTypes;
export type ParamsOf<M extends Method> = RequestTypes[M][0];
export type ResultOf<M extends Method> = RequestTypes[M][1];
export type Effect = 'report' | 'production' | 'baseline';

export interface Operation<M extends Method> {
  summary: string;
  description: string;
  params: z.ZodType<ParamsOf<M>, unknown>;
  result?: z.ZodType<ResultOf<M>, unknown>;
  run(ctx: EngineContext, params: ParamsOf<M>, tools?: AgentTools): Promise<ResultOf<M>>;
  heavy: boolean;
  exclusive?: 'retrain';
  paths?: readonly (keyof ParamsOf<M> & string)[];
  /** params fields holding data sources (CSV/Parquet path, glob, folder or table URI): files are confined like paths */
  sources?: readonly (keyof ParamsOf<M> & string)[];
  effects?: readonly Effect[];
  readOnly: boolean;
  destructive: boolean;
}
export type AnyOperation = Operation<Method>;

const PlanResult = PlanSchema as unknown as z.ZodType<ResultOf<'driftcatcher/approvePlan'>, unknown>;

/** every method of the protocol must have an entry (a missing one is a compile error) */
export const operations: { [M in Method]: Operation<M> } = {
  [Methods.checkDrift]: {
    summary: 'Compare current data with a baseline, feature by feature',
    description:
      "Drift of a current CSV against a baseline (a CSV profiled on the fly, a profile JSON, or by default the production model's " +
      'baseline profile): PSI per feature (severity), KS or χ², Jensen–Shannon, Wasserstein, and data-quality findings. ' +
      'The report is announced (driftReport), kept as the latest report and tracked as an MLflow run in drift_monitoring.',
    params: paramSchemas.checkDrift,
    run: (ctx, p) => driftOps().checkDrift(ctx, p),
    heavy: true,
    sources: ['current', 'baseline'],
    effects: ['report'],
    readOnly: false,
    destructive: false,
  },
  [Methods.measureDrift]: {
    summary: 'Measure drift without recording it',
    description:
      'The same comparison as checkDrift, with no side effects: the report is returned only — not announced, not kept as the latest ' +
      'report, not tracked. Editor diagnostics of opened CSVs use it.',
    params: paramSchemas.checkDrift,
    run: (ctx, p) => driftOps().measureDrift(ctx, p),
    heavy: true,
    sources: ['current', 'baseline'],
    readOnly: true,
    destructive: false,
  },
  [Methods.profileBaseline]: {
    summary: 'Profile a baseline CSV and save it as JSON',
    description:
      'Reads a baseline CSV once and saves everything drift checks need (statistics, PSI bins, quantile sketch, category counts) ' +
      'as a versioned profile JSON, so the CSV is not needed again.',
    params: paramSchemas.profileBaseline,
    result: z.object({ output: z.string(), features: z.number(), rows: z.number() }),
    run: (ctx, p) => driftOps().profileBaseline(ctx, p),
    heavy: true,
    paths: ['output'],
    sources: ['baseline'],
    readOnly: false,
    destructive: false,
  },
  [Methods.train]: {
    summary: 'Train a candidate model version (random forest)',
    description:
      'Trains a random forest on the base data plus newer labelled batches (capped, stratified, 80/20 split), measures it on the 20 %, ' +
      'and registers it as a new candidate version with its profile and combined baseline; with a holdout it is validated at once.',
    params: paramSchemas.train,
    run: (ctx, p) => training().trainModel(ctx, p),
    heavy: true,
    exclusive: 'retrain',
    sources: ['baseData', 'newData', 'holdout'],
    readOnly: false,
    destructive: true,
  },
  [Methods.validate]: {
    summary: 'Run the validation gate on a model version',
    description:
      'Scores a version (default: the newest candidate) on a holdout CSV against the configured thresholds and, when a model is in ' +
      'production, against it; stores the result and marks a failing version rejected.',
    params: paramSchemas.validate,
    result: ValidationResultSchema,
    run: (ctx, p) => validation().validate(ctx, p),
    heavy: true,
    sources: ['holdout'],
    readOnly: false,
    destructive: true,
  },
  [Methods.createHoldout]: {
    summary: 'Build a stratified holdout CSV from a folder of labelled CSVs',
    description: 'Samples a fraction of every CSV in a folder, stratified by label within each file, cleaned and shuffled; the same folder gives the same file.',
    params: paramSchemas.createHoldout,
    result: z.object({ output: z.string(), rows: z.number(), labels: z.record(z.string(), z.number()) }),
    run: (ctx, p) => holdout().createHoldout(ctx, p),
    heavy: true,
    paths: ['output'],
    sources: ['dataDir'],
    readOnly: false,
    destructive: false,
  },
  [Methods.runAgent]: {
    summary: 'Decide what to do about drift and act within the autonomy level',
    description:
      'Checks drift, builds the decision context (label-free accuracy estimate, history, schedule), decides with the LLM or the rule ' +
      'policy, logs the decision, plans and executes the plan as far as the autonomy allows (suggest: nothing; approve: up to the deploy; ' +
      'autonomous: everything, within guard rails).',
    params: paramSchemas.runAgent,
    run: (ctx, p, tools) => agent().runAgent(ctx, p, tools),
    heavy: true,
    exclusive: 'retrain',
    sources: ['current'],
    effects: ['report', 'production'],
    readOnly: false,
    destructive: true,
  },
  [Methods.approvePlan]: {
    summary: 'Approve or reject a plan waiting for approval',
    description: 'Approving runs the waiting plan from its deploy step on; rejecting closes it and deploys nothing.',
    params: paramSchemas.approvePlan,
    result: PlanResult,
    run: (ctx, p, tools) => executor().approvePlan(ctx, p, tools),
    heavy: true,
    exclusive: 'retrain',
    effects: ['production'],
    readOnly: false,
    destructive: true,
  },
  [Methods.resumePlan]: {
    summary: 'Resume an interrupted plan from its first unfinished step',
    description: 'Continues a plan that was interrupted mid-run (the engine stopped); a deploy step still waits for approval unless approved is set.',
    params: paramSchemas.resumePlan,
    result: PlanResult,
    run: (ctx, p, tools) => executor().resumePlan(ctx, p, tools),
    heavy: true,
    exclusive: 'retrain',
    effects: ['production'],
    readOnly: false,
    destructive: true,
  },
  [Methods.abandonPlan]: {
    summary: 'Abandon an interrupted or waiting plan',
    description: 'Marks a plan abandoned; its unfinished steps never run. Production is not touched.',
    params: paramSchemas.abandonPlan,
    result: PlanResult,
    run: (ctx, p) => executor().abandonPlan(ctx, p),
    heavy: false,
    readOnly: false,
    destructive: false,
  },
  [Methods.simulate]: {
    summary: 'Digital twin: the whole loop in a sandbox, production untouched',
    description:
      'Runs drift → reason → plan → retrain → validate → deploy → version baseline in autonomous mode inside a throw-away copy of the ' +
      'registry and baseline data, and reports what a deploy would change; production files are hashed before and after.',
    params: paramSchemas.simulate,
    run: (ctx, p, tools) => twin().simulate(ctx, p, tools),
    heavy: true,
    exclusive: 'retrain',
    sources: ['current'],
    readOnly: true,
    destructive: false,
  },
  [Methods.deploy]: {
    summary: 'Put a validated model version into production',
    description: 'Deploys a version whose validation passed (default: the newest candidate); the previous production version becomes archived.',
    params: paramSchemas.deploy,
    result: ModelVersionSchema,
    run: (ctx, p) => deploying().deploy(ctx, p),
    heavy: false,
    effects: ['production'],
    readOnly: false,
    destructive: true,
  },
  [Methods.rollback]: {
    summary: 'Return production to the previously deployed version',
    description: 'Walks back the deploy stack: the version that was in production before becomes production again.',
    params: paramSchemas.none,
    result: ModelVersionSchema,
    run: (ctx) => registry().rollback(ctx),
    heavy: false,
    effects: ['production'],
    readOnly: false,
    destructive: true,
  },
  [Methods.listModels]: {
    summary: 'List the model versions with status and metrics',
    description: 'Every registered version (candidate, production, archived, rejected) with metrics, validation and lineage, oldest first.',
    params: paramSchemas.none,
    result: z.array(ModelVersionSchema),
    run: (ctx) => registry().listModels(ctx),
    heavy: false,
    readOnly: true,
    destructive: false,
  },
  [Methods.listRuns]: {
    summary: 'List the tracked MLflow runs, newest first',
    description: 'Runs of the local MLflow file store (drift checks, trainings, decisions, plans), optionally of one experiment.',
    params: paramSchemas.listRuns,
    run: (ctx, p) => tracking().listRuns(ctx, p),
    heavy: false,
    readOnly: true,
    destructive: false,
  },
  [Methods.metricHistory]: {
    summary: 'One tracked metric over time',
    description: "A metric across an experiment's runs, oldest first (e.g. drift_monitoring / overall_psi).",
    params: paramSchemas.metricHistory,
    result: z.array(z.object({ run_id: z.string(), timestamp: z.number(), value: z.number(), step: z.number() })),
    run: (ctx, p) => tracking().metricHistory(ctx, p),
    heavy: false,
    readOnly: true,
    destructive: false,
  },
  [Methods.listPlans]: {
    summary: "The agent's decision log and plans",
    description: 'Every logged decision and every stored plan with its steps and status.',
    params: paramSchemas.none,
    run: (ctx) => agent().listPlans(ctx),
    heavy: false,
    readOnly: true,
    destructive: false,
  },
  [Methods.baselineHistory]: {
    summary: 'List the versions of the baseline (DVC + git)',
    description: 'The committed versions of data/baseline.csv: commit, date, model version, rows, size and md5.',
    params: paramSchemas.none,
    run: (ctx) => versioning().baselineHistory(ctx),
    heavy: false,
    readOnly: true,
    destructive: false,
  },
  [Methods.restoreBaseline]: {
    summary: 'Restore a past baseline version byte-identically',
    description: 'Brings back data/baseline.csv (and its .dvc file) as of a git revision from the baseline history, and commits it.',
    params: paramSchemas.restoreBaseline,
    run: (ctx, p) => versioning().restoreBaseline(ctx, p),
    heavy: false,
    readOnly: false,
    destructive: true,
  },
  [Methods.setBaseline]: {
    summary: 'Choose the drift baseline every check uses',
    description:
      "Makes a CSV (profiled now) or a profile JSON the workspace's drift baseline, kept in .driftcatcher/: every check without an " +
      "explicit baseline uses it (editor views and header diagnostics, watch mode, the agent, the CLI). Without a baseline: back " +
      "to the production model's training profile. Announced as baselineChanged.",
    params: paramSchemas.setBaseline,
    run: (ctx, p) => driftOps().setBaseline(ctx, p),
    heavy: true,
    sources: ['baseline'],
    effects: ['baseline'],
    readOnly: false,
    destructive: false,
  },
  [Methods.getBaseline]: {
    summary: 'Which drift baseline the workspace uses',
    description: "The chosen baseline file (source, rows, features), or the production model's training profile (its version).",
    params: paramSchemas.none,
    run: (ctx) => driftOps().getBaseline(ctx),
    heavy: false,
    readOnly: true,
    destructive: false,
  },
  [Methods.explainDrift]: {
    summary: 'Explain drift in words: the features that moved, what each statistic means',
    description:
      'The latest drift report (or a new check of `current`, tracked like checkDrift) explained feature by feature: PSI, KS or χ², ' +
      "Jensen–Shannon and Wasserstein in plain words, the bins or categories whose share moved most, and the production model's " +
      'importance of each feature, drifted features the model leans on first.',
    params: paramSchemas.explainDrift,
    run: (ctx, p) => explain().explainDrift(ctx, p),
    heavy: true,
    paths: ['current', 'baseline'],
    readOnly: false,
    destructive: false,
  },
  [Methods.writeDemo]: {
    summary: 'Write the CICIDS-like demo data into a folder',
    description: 'A deterministic, generated baseline and three batches (no, moderate and severe drift) plus a batch stream, for trying DriftCatcher out.',
    params: paramSchemas.writeDemo,
    result: z.object({ files: z.array(z.string()) }),
    run: async (_ctx, p) => ({ files: (await demoData().writeDemoData(p.dir)).files }),
    heavy: true,
    paths: ['dir'],
    readOnly: false,
    destructive: false,
  },
  [Methods.resetEscalation]: {
    summary: 'End the escalation: the agent may act alone again',
    description:
      'After agent.escalateAfterFailedValidations consecutive failed validations every retrain plan waits for a person. A person who ' +
      'has looked into it resets the escalation: the failures so far no longer count (kept in .driftcatcher/escalation.json). ' +
      'Approving a plan that waits for review does the same. Clients hear the new state with modelsChanged.',
    params: paramSchemas.resetEscalation,
    run: async (ctx, p) => {
      const state = escalation().resetEscalation(ctx, p.reason ?? 'reset by a person');
      registry().notifyModels(ctx);
      return state;
    },
    heavy: false,
    readOnly: false,
    destructive: false,
  },
  [Methods.dashboardData]: {
    summary: 'Everything the dashboard shows, in one answer',
    description: 'The latest drift report, model versions, the production version, drift history, decisions and plans.',
    params: paramSchemas.none,
    run: (ctx) => dashboard().dashboardData(ctx),
    heavy: false,
    readOnly: true,
    destructive: false,
  },
  [Methods.listDatasets]: {
    summary: 'The dataset configurations this workspace can use',
    description:
      "The workspace's own `datasets` from driftcatcher.config.json, then the built-in CICIDS2017 and Generic, each with its label, task " +
      'and positive class, and the one in use: what `dataset` / `--dataset NAME` accept (an unknown name is an error that lists them).',
    params: paramSchemas.none,
    result: z.object({
      current: z.string(),
      datasets: z.array(z.object({ name: z.string(), builtin: z.boolean(), label: z.string().optional(), task: z.enum(['binary', 'multiclass']), positiveClass: z.string().optional() })),
    }),
    run: async (ctx) => datasets().listDatasets(ctx.config),
    heavy: false,
    readOnly: true,
    destructive: false,
  },
  [Methods.ping]: {
    summary: 'Check that the engine answers',
    description: 'Answers at once, also while heavy jobs run.',
    params: paramSchemas.none,
    result: z.object({ pong: z.literal(true), time: z.number() }),
    run: async () => ({ pong: true, time: Date.now() }),
    heavy: false,
    readOnly: true,
    destructive: false,
  },
};

export function operationFor(method: string): AnyOperation | undefined {
  return Object.hasOwn(operations, method) ? (operations as Record<string, AnyOperation>)[method] : undefined;
}

/** Validate raw params against the operation's schema (unknown keys stripped); a bad one is one BAD_INPUT line. */
export function parseParams<M extends Method>(method: M, raw: unknown): ParamsOf<M> {
  const parsed = operations[method].params.safeParse(raw ?? {});
  if (!parsed.success) throw new DriftCatcherError(describeIssue(parsed.error), 'BAD_INPUT');
  return parsed.data as ParamsOf<M>;
}

/** Run an operation in-process with validated params: what the CLI and tests call. */
export async function callOperation<M extends Method>(ctx: EngineContext, method: M, params: ParamsOf<M>, tools?: AgentTools): Promise<ResultOf<M>> {
  const op = operations[method] as unknown as Operation<M>;
  return op.run(ctx, parseParams(method, params), tools);
}

/**
 * Params with every file they name confined: `paths` fields through `resolve` (which throws for a path outside the
 * workspace), `sources` fields through confineSource (each file a source reads; table URIs pass). For any front end
 * that may only touch its workspace (the JSON-RPC server, the MCP server, the HTTP service).
 */
export function confineParams(op: AnyOperation, params: Record<string, unknown>, resolve: (p: string, field: string) => string): Record<string, unknown> {
  const out = { ...params };
  for (const field of op.paths ?? []) {
    const v = out[field];
    if (typeof v === 'string') out[field] = resolve(v, field);
    else if (Array.isArray(v)) out[field] = v.map((p, i) => resolve(String(p), `${field}[${i}]`));
  }
  for (const field of op.sources ?? []) {
    const v = out[field];
    if (typeof v === 'string') out[field] = confineSource(v, (p) => resolve(p, field));
    else if (Array.isArray(v)) out[field] = v.map((s, i) => confineSource(String(s), (p) => resolve(p, `${field}[${i}]`)));
  }
  return out;
}
