import * as path from 'node:path';
import type { EngineContext } from '../engine';
import type { ListRunsParams, MetricHistoryParams, MetricPoint, TrackedRun } from '../protocol';
import { FileStore } from './fileStore';
import { MLRUNS_DIR, trackingRoot } from './store';

/**
 * The UI's view of tracking, always read from the local file store (runs sent to a server are kept there too).
 */
export function localRuns(workspace: string, experiment?: string, root = path.join(workspace, MLRUNS_DIR)): TrackedRun[] {
  return new FileStore(root).listRuns(experiment);
}

/** One metric over time across an experiment's runs, oldest first (e.g. drift_monitoring / overall_psi). */
export function localMetricHistory(workspace: string, experiment: string, metric: string, root = path.join(workspace, MLRUNS_DIR)): MetricPoint[] {
  return new FileStore(root).metricHistory(experiment, metric);
}

/** The listRuns operation: the workspace's tracked runs, newest first. */
export async function listRuns(ctx: EngineContext, params: ListRunsParams): Promise<TrackedRun[]> {
  return localRuns(ctx.workspace, params.experiment || undefined, trackingRoot(ctx));
}

/** The metricHistory operation. */
export async function metricHistory(ctx: EngineContext, params: MetricHistoryParams): Promise<MetricPoint[]> {
  return localMetricHistory(ctx.workspace, params.experiment, params.metric, trackingRoot(ctx));
}
