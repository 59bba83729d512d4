import { publicJson } from '../cli/commands/drift';
import { Methods, type AgentResult, type DriftReport, type ModelVersion, type Plan } from '../protocol';
import type { Method } from '../operations';

/**
 * The REST API: each route is one engine method of the operation registry, with its params taken from the JSON
 * body (POST), the query string (GET) and the path, validated by the host against the registry's own schema.
 * Answers are what the CLI prints with `--format json` for the same command.
 */
export interface RestRoute {
  method: 'GET' | 'POST';
  /** fastify syntax: `/plans/:planId/approve` */
  url: string;
  op: Method;
  summary: string;
  tag: 'drift' | 'agent' | 'model' | 'runs' | 'plans';
  /** params fields taken from the path */
  pathFields?: readonly string[];
  /** params the route fixes (approve vs reject) */
  fixed?: Record<string, unknown>;
  /**
   * the batch may be uploaded instead of named: a `text/csv` body is streamed into `.driftcatcher/uploads/` and
   * passed as `current`; the other params come from the query string. `keep`: the file stays (a plan may retrain on it)
   */
  upload?: 'delete-after' | 'keep';
  /** the CLI's --format json shape of the result (default: the result itself) */
  answer?: (result: never) => unknown;
}

const plan = (p: Plan): unknown => ({ plan: p });

export const restRoutes: readonly RestRoute[] = [
  {
    method: 'POST',
    url: '/drift/check',
    op: Methods.checkDrift,
    tag: 'drift',
    summary: 'Check a batch for drift against the baseline (driftcatcher drift --format json)',
    upload: 'delete-after',
    answer: (r: DriftReport) => publicJson(r),
  },
  {
    method: 'POST',
    url: '/agent/decide',
    op: Methods.runAgent,
    tag: 'agent',
    summary: 'Drift check, decision and plan, executed within the autonomy level (driftcatcher agent --format json)',
    upload: 'keep',
    answer: (r: AgentResult) => ({ decision: r.decision, plan: r.plan }),
  },
  {
    method: 'POST',
    url: '/agent/digital-twin',
    op: Methods.simulate,
    tag: 'agent',
    summary: 'The whole loop in a sandbox: what the agent would do and what a deploy would change (driftcatcher simulate --format json)',
    upload: 'delete-after',
  },
  { method: 'GET', url: '/models', op: Methods.listModels, tag: 'model', summary: 'Every model version with status and metrics (driftcatcher models --format json)' },
  {
    method: 'GET',
    url: '/model/info',
    op: Methods.listModels,
    tag: 'model',
    summary: 'The model version in production (404 when nothing is deployed)',
    answer: (models: ModelVersion[]) => models.find((m) => m.status === 'production') ?? NO_PRODUCTION,
  },
  { method: 'POST', url: '/model/train', op: Methods.train, tag: 'model', summary: 'Train a candidate model version (driftcatcher train --format json)' },
  { method: 'POST', url: '/model/validate', op: Methods.validate, tag: 'model', summary: 'Run the validation gate on a version (driftcatcher validate --format json)' },
  { method: 'POST', url: '/model/deploy', op: Methods.deploy, tag: 'model', summary: 'Deploy a version (default: the newest candidate) to production (driftcatcher deploy --format json)' },
  { method: 'POST', url: '/model/rollback', op: Methods.rollback, tag: 'model', summary: 'Move production back to the previous version (driftcatcher rollback --format json)' },
  { method: 'GET', url: '/runs', op: Methods.listRuns, tag: 'runs', summary: 'Tracked runs, newest first (driftcatcher runs --format json)' },
  { method: 'GET', url: '/plans', op: Methods.listPlans, tag: 'plans', summary: "The agent's decisions and plans (driftcatcher agent list --format json)" },
  {
    method: 'POST',
    url: '/plans/:planId/approve',
    op: Methods.approvePlan,
    tag: 'plans',
    summary: 'Approve a plan waiting for approval: it deploys (driftcatcher agent approve)',
    pathFields: ['planId'],
    fixed: { approve: true },
    answer: plan,
  },
  {
    method: 'POST',
    url: '/plans/:planId/reject',
    op: Methods.approvePlan,
    tag: 'plans',
    summary: 'Reject a plan waiting for approval: nothing is deployed (driftcatcher agent reject)',
    pathFields: ['planId'],
    fixed: { approve: false },
    answer: plan,
  },
  {
    method: 'POST',
    url: '/plans/:planId/resume',
    op: Methods.resumePlan,
    tag: 'plans',
    summary: 'Resume an interrupted plan from its first unfinished step (driftcatcher agent resume)',
    pathFields: ['planId'],
    answer: plan,
  },
  {
    method: 'POST',
    url: '/plans/:planId/abandon',
    op: Methods.abandonPlan,
    tag: 'plans',
    summary: 'Abandon a plan that is planned, running or waiting (driftcatcher agent abandon)',
    pathFields: ['planId'],
    answer: plan,
  },
];

/** marker: the route answers 404 (no production model) */
export const NO_PRODUCTION = Symbol('no production model');
