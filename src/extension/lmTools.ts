import * as vscode from 'vscode';
import { Methods, type DriftExplanation, type DriftReport, type ModelVersion, type RequestTypes, type SimulationResult } from '../core/protocol';

/**
 * DriftCatcher's read-only tools for VS Code's language models (Copilot's agent mode and any chat participant):
 * check drift, explain drift, simulate, list models. Each calls the engine through the extension's one server
 * connection — nothing runs in the extension host. Their names, descriptions and input schemas are contributed in
 * package.json (`contributes.languageModelTools`, generated from the engine's schemas by
 * `npm run generate:lm-tools`); the answers are compact text a model can read.
 */

type Method = keyof RequestTypes;
export interface EngineRequester {
  request<M extends Method>(method: M, params: RequestTypes[M][0], opts?: { token?: vscode.CancellationToken }): Promise<RequestTypes[M][1]>;
}

interface PathInput {
  current?: string;
  baseline?: string;
  label?: string;
  /** SQL predicate selecting the current rows of a Parquet or table source */
  where?: string;
  top?: number;
}

interface ToolSpec {
  /** the name contributed in package.json */
  name: string;
  /** the MCP tool of the same operation (the schemas are the same) */
  agentTool: string;
  run(engine: EngineRequester, input: PathInput, token: vscode.CancellationToken): Promise<string>;
  /** shown before a run that writes to the workspace; undefined: the tool changes nothing */
  confirm?(input: PathInput): { title: string; message: string } | undefined;
  progress(input: PathInput): string;
}

/** file URIs and absolute paths from a model become what the engine expects (it confines them to the workspace) */
export function toEnginePath(p: string | undefined): string | undefined {
  if (!p) return p;
  return /^file:/i.test(p) ? vscode.Uri.parse(p).fsPath : p;
}

const MAX_FEATURES = 15;

const num = (x: number | null): string => (x === null ? '–' : Math.abs(x) > 0 && Math.abs(x) < 1e-3 ? x.toExponential(2) : String(Number(x.toPrecision(4))));

export function describeReport(r: DriftReport): string {
  const o = r.overall;
  const lines = [
    `Drift of ${r.current.source} (${r.current.rows} rows) against ${r.baseline.source} (${r.baseline.rows} rows):`,
    `severity ${o.severity}; ${o.n_drifted} of ${o.total_features} features drifted; PSI max ${num(o.psi_max)}, mean ${num(o.psi_mean)} (moderate ≥ ${r.thresholds.moderate}, severe > ${r.thresholds.severe}).`,
    '',
    'feature | kind | PSI | severity | test statistic | p-value | JS distance',
    ...r.features.slice(0, MAX_FEATURES).map((f) => `${f.name} | ${f.kind} | ${num(f.psi)} | ${f.severity} | ${f.test} ${num(f.statistic)} | ${num(f.p_value)} | ${num(f.js_distance)}`),
  ];
  if (r.features.length > MAX_FEATURES) lines.push(`… ${r.features.length - MAX_FEATURES} more features, less drifted.`);
  if (r.quality.length) lines.push('', 'Data quality:', ...r.quality.slice(0, 20).map((q) => `- ${q.message}`));
  return lines.join('\n');
}

export function describeExplanation(e: DriftExplanation): string {
  const lines = [e.overall, ''];
  for (const f of e.features) lines.push(f.summary, ...f.details.map((d) => `  - ${d}`));
  if (e.more_features) lines.push('', `${e.more_features} more features are less drifted.`);
  if (e.quality.length) lines.push('', 'Data quality:', ...e.quality.slice(0, 20).map((q) => `- ${q}`));
  return lines.join('\n');
}

export function describeSimulation(s: SimulationResult): string {
  return [
    `Digital twin on ${s.report.current.source}: decision ${s.decision.action} (${s.decision.source}, confidence ${num(s.decision.confidence)}): ${s.decision.rationale}`,
    ...s.steps.map((st) => `- ${st.name}: ${st.status}${st.detail ? ` — ${st.detail}` : ''}`),
    ...s.would_change.map((w) => `Would change: ${w}`),
    `Production untouched: ${s.production_unchanged ? 'yes' : 'NO'}.`,
  ].join('\n');
}

export function describeModels(models: ModelVersion[]): string {
  if (!models.length) return 'No model versions yet.';
  return models
    .map((m) => {
      const metrics = `accuracy ${num(m.metrics.accuracy)}, balanced accuracy ${num(m.metrics.balanced_accuracy)}, macro-F1 ${num(m.metrics.macro_f1)}`;
      const gate = m.validation ? `; validation ${m.validation.passed ? 'passed' : 'failed'}` : '';
      return `${m.version} (${m.status}), trained ${m.created_at} on ${m.train_rows} rows: ${metrics}${gate}`;
    })
    .join('\n');
}

const TOOLS: ToolSpec[] = [
  {
    name: 'driftcatcher_checkDrift',
    agentTool: 'check_drift',
    progress: (i) => `Checking drift of ${i.current ?? 'the file'}`,
    confirm: (i) => ({
      title: 'Check drift',
      message: `Check ${i.current} for drift against ${i.baseline ?? "the production model's baseline"}? The check is logged as a tracked run and becomes the workspace's latest report.`,
    }),
    run: async (engine, i, token) =>
      describeReport(await engine.request(Methods.checkDrift, { current: toEnginePath(i.current)!, baseline: toEnginePath(i.baseline), label: i.label, where: i.where }, { token })),
  },
  {
    name: 'driftcatcher_explainDrift',
    agentTool: 'explain_drift',
    progress: (i) => (i.current ? `Explaining drift of ${i.current}` : 'Explaining the latest drift report'),
    confirm: (i) =>
      i.current
        ? { title: 'Explain drift', message: `Check ${i.current} for drift and explain it? The check is logged as a tracked run and becomes the workspace's latest report.` }
        : undefined,
    run: async (engine, i, token) =>
      describeExplanation(await engine.request(Methods.explainDrift, { current: toEnginePath(i.current), baseline: toEnginePath(i.baseline), label: i.label, top: i.top }, { token })),
  },
  {
    name: 'driftcatcher_simulate',
    agentTool: 'simulate',
    progress: (i) => `Running the digital twin on ${i.current ?? 'the file'}`,
    run: async (engine, i, token) => describeSimulation(await engine.request(Methods.simulate, { current: toEnginePath(i.current)!, where: i.where }, { token })),
  },
  {
    name: 'driftcatcher_listModels',
    agentTool: 'list_models',
    progress: () => 'Listing model versions',
    run: async (engine, _i, token) => describeModels(await engine.request(Methods.listModels, {}, { token })),
  },
];

export function registerLmTools(engine: EngineRequester): vscode.Disposable[] {
  // VS Code < 1.95 or a host without language models: nothing to register
  if (typeof vscode.lm?.registerTool !== 'function') return [];
  return TOOLS.map((spec) =>
    vscode.lm.registerTool<PathInput>(spec.name, {
      prepareInvocation: (options) => {
        const confirmation = spec.confirm?.(options.input);
        return { invocationMessage: spec.progress(options.input), ...(confirmation ? { confirmationMessages: confirmation } : {}) };
      },
      invoke: async (options, token) => {
        try {
          return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(await spec.run(engine, options.input, token))]);
        } catch (e) {
          // the model reads the failure and can correct its call (a wrong path, no report yet)
          throw new Error(`DriftCatcher ${spec.agentTool}: ${e instanceof Error ? e.message : String(e)}`);
        }
      },
    }),
  );
}
