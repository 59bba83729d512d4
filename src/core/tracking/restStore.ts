import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorMessage } from '../util/errors';
import { FileTracker, type FileRunHandle } from './fileStore';
import { MlflowRestClient, restMetricValue, type RestClientOptions } from './restClient';
import { logRunWith, type LoggedRun, type LogRunSpec, type ParamValue, type RunEndStatus, type RunHandle, type StartRunOptions, type Tracker } from './tracker';

/** local tags linking the kept copy to its remote twin */
export const REMOTE_RUN_TAG = 'driftcatcher.remote_run_id';
export const REMOTE_URI_TAG = 'driftcatcher.remote_uri';

/**
 * Runs go to an MLflow tracking server over REST and are always also kept in the local file store, so a server
 * that is down (or goes down mid-run) never breaks a pipeline run: the local copy is complete, and the failure
 * is returned as a warning and sent to the log.
 */
export class RestTracker implements Tracker {
  readonly kind = 'rest' as const;
  readonly client: MlflowRestClient;
  readonly local: FileTracker;
  private readonly experimentIds = new Map<string, string>();

  constructor(
    readonly uri: string,
    localRoot: string,
    private readonly log: (m: string) => void = () => {},
    options: RestClientOptions = {},
  ) {
    this.client = new MlflowRestClient(uri, options);
    this.local = new FileTracker(localRoot, log);
  }

  get location(): string {
    return this.client.base;
  }

  async startRun(experiment: string, options: StartRunOptions = {}): Promise<RunHandle> {
    const local = await this.local.startRun(experiment, options);
    const handle = new RestRunHandle(this, local);
    await handle.mirror(async () => {
      let expId = this.experimentIds.get(experiment);
      if (!expId) {
        expId = await this.client.getOrCreateExperiment(experiment);
        this.experimentIds.set(experiment, expId);
      }
      const localRun = local.store.readRun(local.dir, experiment);
      const tags = Object.entries(localRun?.tags ?? {}).map(([key, value]) => ({ key, value }));
      const remote = await this.client.createRun({
        experiment_id: expId,
        run_name: localRun?.name,
        start_time: localRun?.start_time ?? Date.now(),
        tags,
        user_id: localRun?.tags['mlflow.user'],
      });
      handle.remoteRunId = remote.run_id;
      handle.artifactUri = remote.artifact_uri;
      await local.setTags({ [REMOTE_RUN_TAG]: remote.run_id, [REMOTE_URI_TAG]: this.client.base });
    });
    return handle;
  }

  logRun(spec: LogRunSpec): Promise<LoggedRun> {
    return logRunWith(this, spec);
  }

  async setModelAlias(name: string, alias: string, version: string): Promise<string[]> {
    try {
      await this.client.setAlias(name, alias, version);
      return [];
    } catch (e) {
      const w = `could not set alias '${alias}' of model '${name}' to version ${version} on ${this.client.base}: ${errorMessage(e)}`;
      this.log(w);
      return [w];
    }
  }

  warn(message: string): void {
    this.log(message);
  }
}

class RestRunHandle implements RunHandle {
  readonly warnings: string[] = [];
  remoteRunId?: string;
  artifactUri?: string;
  /** after the first failure the remote is left alone for the rest of the run; the local copy carries on */
  private remoteDown = false;

  constructor(
    private readonly tracker: RestTracker,
    private readonly local: FileRunHandle,
  ) {}

  get runId(): string {
    return this.local.runId;
  }
  get experiment(): string {
    return this.local.experiment;
  }

  /** runs a remote call unless the remote already failed; a failure becomes a warning, never an exception */
  async mirror<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (this.remoteDown) return undefined;
    try {
      return await fn();
    } catch (e) {
      this.remoteDown = true;
      const w = `MLflow tracking at ${this.tracker.client.base} failed (${errorMessage(e)}); run ${this.runId} is kept locally in ${this.tracker.local.location}`;
      this.warnings.push(w);
      this.tracker.warn(w);
      return undefined;
    }
  }

  private get remote(): string | undefined {
    return this.remoteDown ? undefined : this.remoteRunId;
  }

  async logParams(params: Record<string, ParamValue>): Promise<void> {
    await this.local.logParams(params);
    const id = this.remote;
    if (id) await this.mirror(() => this.tracker.client.logBatch(id, { params: Object.entries(params).map(([key, v]) => ({ key, value: String(v) })) }));
  }

  async logMetrics(metrics: Record<string, number>, step = 0): Promise<void> {
    await this.local.logMetrics(metrics, step);
    const id = this.remote;
    const timestamp = Date.now();
    if (id)
      await this.mirror(() =>
        this.tracker.client.logBatch(id, { metrics: Object.entries(metrics).map(([key, v]) => ({ key, value: restMetricValue(v), timestamp, step: Math.trunc(step) })) }),
      );
  }

  async setTags(tags: Record<string, string>): Promise<void> {
    await this.local.setTags(tags);
    const id = this.remote;
    if (id) await this.mirror(() => this.tracker.client.logBatch(id, { tags: Object.entries(tags).map(([key, value]) => ({ key, value })) }));
  }

  async logArtifact(file: string, artifactPath = ''): Promise<void> {
    await this.local.logArtifact(file, artifactPath);
    if (!this.remote) return;
    const files = listFiles(file).map((f) => ({ f, rel: path.posix.join(artifactPath, path.basename(file), path.relative(file, f).split(path.sep).join('/')) }));
    for (const { f, rel } of files) {
      const uploaded = await this.mirror(() => this.tracker.client.uploadArtifact(this.artifactUri, rel, f));
      if (uploaded === false) {
        const w = `the server keeps run artifacts at ${this.artifactUri ?? '(unknown)'}, which DriftCatcher cannot write; artifact ${rel} is kept locally in ${this.tracker.local.location}`;
        this.warnings.push(w);
        this.tracker.warn(w);
        return;
      }
    }
  }

  async registerModel(name: string, artifactPath: string): Promise<string | undefined> {
    const id = this.remote;
    if (!id) return undefined;
    return this.mirror(async () => {
      await this.tracker.client.ensureRegisteredModel(name);
      const source = this.artifactUri ? `${this.artifactUri.replace(/\/+$/, '')}/${artifactPath}` : `runs:/${id}/${artifactPath}`;
      return this.tracker.client.createModelVersion(name, source, id);
    });
  }

  async end(status: RunEndStatus = 'FINISHED'): Promise<LoggedRun> {
    const id = this.remote;
    if (id) await this.mirror(() => this.tracker.client.updateRun(id, status, Date.now()));
    const run = await this.local.end(status);
    return { ...run, warnings: [...this.warnings] };
  }
}

function listFiles(p: string): string[] {
  if (!fs.statSync(p).isDirectory()) return [p];
  return fs.readdirSync(p).flatMap((e) => listFiles(path.join(p, e)));
}
