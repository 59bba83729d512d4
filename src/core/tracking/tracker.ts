import type { TrackedRun } from '../protocol';

/** A run's end state, as MLflow names it. */
export type RunEndStatus = 'FINISHED' | 'FAILED' | 'KILLED';
export type ParamValue = string | number | boolean;

/** MLflow's RunStatus enum values, stored as integers in the file store's meta.yaml. */
export const RUN_STATUS_CODE = { RUNNING: 1, SCHEDULED: 2, FINISHED: 3, FAILED: 4, KILLED: 5 } as const;
export const RUN_STATUS_NAME: Record<number, TrackedRun['status']> = {
  1: 'RUNNING',
  2: 'SCHEDULED',
  3: 'FINISHED',
  4: 'FAILED',
  5: 'KILLED',
};

/** One open run. Every call writes through immediately, so a crash mid-run leaves a RUNNING run with what was logged. */
export interface RunHandle {
  readonly runId: string;
  readonly experiment: string;
  logParams(params: Record<string, ParamValue>): Promise<void>;
  /** each metric gets one `timestamp value step` point; step defaults to 0 */
  logMetrics(metrics: Record<string, number>, step?: number): Promise<void>;
  setTags(tags: Record<string, string>): Promise<void>;
  /** copies a file (or folder) into the run's artifacts, under `artifactPath` when given */
  logArtifact(file: string, artifactPath?: string): Promise<void>;
  /**
   * Registers the run's artifact `artifactPath` as a new version of registered model `name`.
   * Returns the registry's version number, or undefined when the store has no model registry (file store).
   */
  registerModel(name: string, artifactPath: string): Promise<string | undefined>;
  end(status?: RunEndStatus): Promise<LoggedRun>;
  /** problems that did not stop the run (e.g. the remote server is down); also sent to ctx.log */
  readonly warnings: string[];
}

export interface StartRunOptions {
  name?: string;
  tags?: Record<string, string>;
}

/** A finished run as returned to callers: the protocol's TrackedRun plus what went wrong on the way. */
export type LoggedRun = TrackedRun & { warnings: string[]; registry_version?: string };

export interface LogRunSpec {
  experiment: string;
  name?: string;
  params?: Record<string, ParamValue>;
  metrics?: Record<string, number>;
  tags?: Record<string, string>;
  /** files (or folders) to copy into the run; key = artifact sub-path ('' for the root) */
  artifacts?: { file: string; path?: string }[];
  status?: RunEndStatus;
}

export interface Tracker {
  readonly kind: 'file' | 'rest';
  /** where runs go, for messages: a folder or a URL */
  readonly location: string;
  startRun(experiment: string, options?: StartRunOptions): Promise<RunHandle>;
  /** the whole run in one call: start, params, metrics, tags, artifacts, end */
  logRun(spec: LogRunSpec): Promise<LoggedRun>;
  /** points alias `alias` of registered model `name` at `version` (no-op without a registry) */
  setModelAlias(name: string, alias: string, version: string): Promise<string[]>;
}

/** Shared `logRun` for every store: one code path on top of startRun. */
export async function logRunWith(tracker: Tracker, spec: LogRunSpec): Promise<LoggedRun> {
  const run = await tracker.startRun(spec.experiment, { name: spec.name, tags: spec.tags });
  try {
    if (spec.params && Object.keys(spec.params).length) await run.logParams(spec.params);
    if (spec.metrics && Object.keys(spec.metrics).length) await run.logMetrics(spec.metrics);
    for (const a of spec.artifacts ?? []) await run.logArtifact(a.file, a.path);
  } catch (e) {
    await run.end('FAILED');
    throw e;
  }
  return run.end(spec.status ?? 'FINISHED');
}
