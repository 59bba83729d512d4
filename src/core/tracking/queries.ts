import * as path from 'node:path';
import type { EngineContext } from '../engine';
import type { ListRunsParams, MetricHistoryParams, MetricPoint, TrackedRun } from '../protocol';
import { DriftCatcherError } from '../util/errors';
import { FileStore } from './fileStore';
import { MLRUNS_DIR, trackingRoot } from './store';

/**
 * The UI's view of tracking, always read from the local file store (runs sent to a server are kept there too).
 */
export function listRuns(workspace: string, experiment?: string, root = path.join(workspace, MLRUNS_DIR)): TrackedRun[] {
  return new FileStore(root).listRuns(experiment);
}

/** One metric over time across an experiment's runs, oldest first (e.g. drift_monitoring / overall_psi). */
export function metricHistory(workspace: string, experiment: string, metric: string, root = path.join(workspace, MLRUNS_DIR)): MetricPoint[] {
  return new FileStore(root).metricHistory(experiment, metric);
}

export async function listRunsOp(ctx: EngineContext, params: ListRunsParams): Promise<TrackedRun[]> {
  return listRuns(ctx.workspace, params.experiment || undefined, trackingRoot(ctx));
}

export async function metricHistoryOp(ctx: EngineContext, params: MetricHistoryParams): Promise<MetricPoint[]> {
  if (!params.experiment || !params.metric) throw new DriftCatcherError('metricHistory needs an experiment and a metric name', 'BAD_INPUT');
  return metricHistory(ctx.workspace, params.experiment, params.metric, trackingRoot(ctx));
}
