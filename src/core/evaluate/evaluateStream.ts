import * as os from 'node:os';
import * as path from 'node:path';
import type { EngineContext } from '../engine';
import { datasetOf } from '../data/datasetConfig';
import { DriftCatcherError } from '../util/errors';
import { POLICIES, POLICY_NAMES, type PolicyName } from './policies';
import { replayPolicy, type ReplayRun } from './replay';
import { replaySettings, trainOnSeen, type ReplaySettings } from './replayModel';
import { loadStream } from './stream';
import { DEFAULT_COST_PER_RETRAIN, summarise, type PolicySummary } from './summary';

/**
 * `evaluate`: replays a labelled batch stream under each retraining policy, in memory, and reports decision
 * quality. Nothing is written to the workspace's registry or tracking store.
 */
export interface EvaluateParams {
  stream: string;
  label?: string;
  policies?: PolicyName[];
  costPerRetrain?: number;
  /** overrides of the replay settings (trees for a quick run, …) */
  settings?: Partial<ReplaySettings>;
}

export interface EvaluationReport {
  stream: { dir: string; batches: { file: string; rows: number }[]; features: number; classes: string[]; label: string };
  settings: {
    cost_per_retrain: number;
    trees: number;
    holdout_fraction: number;
    max_baseline_rows: number;
    max_rows_per_new_file: number;
    llm: boolean;
  };
  initial_model: { rows: number; holdout_accuracy: number; train_seconds: number };
  summary: PolicySummary[];
  runs: ReplayRun[];
  environment: { node: string; cpus: number; platform: string };
}

export function parsePolicies(list: string | undefined): PolicyName[] {
  if (list === undefined) return [...POLICY_NAMES];
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = names.filter((n) => !(POLICY_NAMES as readonly string[]).includes(n));
  if (bad.length || names.length === 0) {
    throw new DriftCatcherError(`--policies takes a comma-separated list of ${POLICY_NAMES.join(', ')} (got '${list}')`, 'BAD_INPUT');
  }
  return [...new Set(names)] as PolicyName[];
}

export async function evaluateStream(ctx: EngineContext, p: EvaluateParams): Promise<EvaluationReport> {
  const dir = path.resolve(ctx.workspace, p.stream);
  const cost = p.costPerRetrain ?? DEFAULT_COST_PER_RETRAIN;
  if (!(cost >= 0)) throw new DriftCatcherError(`the cost per retrain must be ≥ 0 (got ${cost})`, 'BAD_INPUT');
  const s = replaySettings(ctx.config, { signal: ctx.signal, ...p.settings });
  ctx.progress?.(undefined, `reading the stream in ${dir}`);
  const stream = await loadStream(dir, { label: p.label ?? ctx.config.label, dataset: datasetOf(ctx.config), signal: ctx.signal });

  // every policy starts from the same model, trained on batch 0
  ctx.progress?.(undefined, 'training the initial model on batch 0');
  const initial = await trainOnSeen(stream, stream.openVault(), 0, s);
  const runs: ReplayRun[] = [];
  for (const name of p.policies ?? POLICY_NAMES) {
    // the agent prices a retrain as the evaluation does
    const priced = { ...ctx, config: { ...ctx.config, agent: { ...ctx.config.agent, retrainCostPoints: cost * 100 } } };
    const run = await replayPolicy(priced, stream, POLICIES[name], initial, s);
    ctx.log?.(`${name}: mean accuracy ${summarise(run, cost).mean_accuracy.toFixed(4)}, ${run.steps.filter((x) => x.retrain).length} retrain(s)`);
    runs.push(run);
  }
  return {
    stream: {
      // relative to the workspace, so a committed report does not carry the machine's paths
      dir: path.relative(ctx.workspace, dir) || '.',
      batches: stream.batches.map((b) => ({ file: path.basename(b.file), rows: b.data.rows })),
      features: stream.features.length,
      classes: stream.classes,
      label: stream.labelColumn,
    },
    settings: {
      cost_per_retrain: cost,
      trees: s.trees,
      holdout_fraction: s.holdoutFraction,
      max_baseline_rows: s.maxBaselineRows,
      max_rows_per_new_file: s.maxRowsPerNewFile,
      llm: Boolean(ctx.config.llm.apiKey),
    },
    initial_model: { rows: initial.inputRows, holdout_accuracy: initial.metrics.accuracy, train_seconds: initial.trainSeconds },
    summary: runs.map((r) => summarise(r, cost)),
    runs,
    environment: { node: process.version, cpus: os.availableParallelism(), platform: `${process.platform}-${process.arch}` },
  };
}
