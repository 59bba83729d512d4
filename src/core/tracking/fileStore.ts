import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { MetricPoint, TrackedRun } from '../protocol';
import { copyFileAtomic, writeFileAtomic } from '../util/atomicWrite';
import { DriftCatcherError } from '../util/errors';
import { withLock } from '../util/lock';
import { formatIdentity, parseIdentity, processGone } from '../util/processIdentity';
import { dumpFlatYaml, parseFlatYaml, type FlatYaml } from './yaml';
import { FileModelRegistry } from './fileModelRegistry';
import {
  RUN_STATUS_CODE,
  RUN_STATUS_NAME,
  logRunWith,
  type LoggedRun,
  type LogRunSpec,
  type ParamValue,
  type RunEndStatus,
  type RunHandle,
  type StartRunOptions,
  type Tracker,
} from './tracker';

/**
 * MLflow's file store (mlflow/store/tracking/file_store.py), written natively so that
 * `mlflow ui --backend-store-uri ./mlruns` shows our runs:
 *
 *   mlruns/.trash/
 *   mlruns/<exp_id>/meta.yaml                    artifact_location, creation_time, experiment_id, last_update_time, lifecycle_stage, name
 *   mlruns/<exp_id>/<run_id>/meta.yaml           RunInfo fields, status as MLflow's integer enum, source_type 4 (LOCAL)
 *   mlruns/<exp_id>/<run_id>/metrics/<key>       lines `<timestamp_ms> <value> <step>`
 *   mlruns/<exp_id>/<run_id>/params/<key>        the raw value
 *   mlruns/<exp_id>/<run_id>/tags/<key>          the raw value (mlflow.runName, mlflow.user, mlflow.source.*)
 *   mlruns/<exp_id>/<run_id>/artifacts/
 *
 * Experiment "Default" (id 0) is created with the store, as MLflow does. Every file is written atomically.
 */
export const DEFAULT_EXPERIMENT = { id: '0', name: 'Default' } as const;
/** run tag naming the process that created the run (pid, start time, host): a RUNNING run whose process is gone crashed */
export const PROCESS_TAG = 'driftcatcher.process';
const TRASH = '.trash';
const META = 'meta.yaml';
// folders MLflow keeps beside experiments (model registry, experiment tags…), never experiments themselves
const NOT_EXPERIMENTS = new Set([TRASH, 'models', '.trash']);

export class FileStore {
  /** where experiment creation is serialised across processes (outside mlruns: MLflow would read a folder there as an experiment) */
  private readonly lockDir: string;
  /** MLflow's file-based model registry in `<root>/models` */
  readonly registry: FileModelRegistry;

  constructor(readonly root: string) {
    this.lockDir = path.join(path.dirname(root), '.driftcatcher', `tracking-${path.basename(root)}.lock`);
    this.registry = new FileModelRegistry(root, path.join(path.dirname(root), '.driftcatcher', `registry-${path.basename(root)}.lock`));
  }

  /** Creates the store like MLflow does on first use: root, experiment 0 "Default", `.trash`. */
  init(): void {
    if (!fs.existsSync(path.join(this.root, DEFAULT_EXPERIMENT.id))) {
      this.writeExperiment(DEFAULT_EXPERIMENT.id, DEFAULT_EXPERIMENT.name);
    }
    fs.mkdirSync(path.join(this.root, TRASH), { recursive: true });
  }

  /** Active experiments: id -> meta. Malformed folders are skipped (MLflow warns and skips them too). */
  experiments(): { id: string; name: string; meta: FlatYaml }[] {
    if (!fs.existsSync(this.root)) return [];
    const out: { id: string; name: string; meta: FlatYaml }[] = [];
    for (const ent of fs.readdirSync(this.root, { withFileTypes: true })) {
      if (!ent.isDirectory() || NOT_EXPERIMENTS.has(ent.name)) continue;
      const meta = readMeta(path.join(this.root, ent.name, META));
      if (!meta || meta.lifecycle_stage === 'deleted') continue;
      out.push({ id: String(meta.experiment_id ?? ent.name), name: String(meta.name ?? ''), meta });
    }
    return out;
  }

  experimentId(name: string): string | undefined {
    return this.experiments().find((e) => e.name === name)?.id;
  }

  async getOrCreateExperiment(name: string): Promise<string> {
    this.init();
    const existing = this.experimentId(name);
    if (existing) return existing;
    return withLock(this.lockDir, () => {
      const again = this.experimentId(name); // another process may have created it meanwhile
      if (again) return again;
      let id: string;
      do id = uniqueIntegerId();
      while (fs.existsSync(path.join(this.root, id)));
      this.writeExperiment(id, name);
      return id;
    });
  }

  private writeExperiment(id: string, name: string): void {
    const now = Date.now();
    const dir = path.join(this.root, id);
    fs.mkdirSync(dir, { recursive: true });
    writeFileAtomic(
      path.join(dir, META),
      dumpFlatYaml({
        artifact_location: pathToFileURL(dir).href,
        creation_time: now,
        experiment_id: id,
        last_update_time: now,
        lifecycle_stage: 'active',
        name,
      }),
    );
  }

  runDir(experimentId: string, runId: string): string {
    return path.join(this.root, experimentId, runId);
  }

  /** create_run: meta.yaml with status RUNNING, metrics/ params/ artifacts/ folders, the standard mlflow.* tags */
  createRun(experimentId: string, options: StartRunOptions & { startTime?: number } = {}): { runId: string; dir: string; name: string } {
    const runId = randomUUID().replace(/-/g, '');
    const dir = this.runDir(experimentId, runId);
    const name = options.name || options.tags?.['mlflow.runName'] || `run-${runId.slice(0, 8)}`;
    const user = currentUser();
    for (const sub of ['metrics', 'params', 'artifacts', 'tags']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
    // tags (the owning process among them) before meta.yaml: a run is listed once meta.yaml exists, and a run
    // listed RUNNING always says which process to ask whether it is still alive
    this.setTags(dir, {
      'mlflow.runName': name,
      'mlflow.user': user,
      'mlflow.source.name': 'driftcatcher',
      'mlflow.source.type': 'LOCAL',
      [PROCESS_TAG]: formatIdentity(),
      ...options.tags,
    });
    this.writeRunMeta(dir, {
      artifact_uri: pathToFileURL(path.join(dir, 'artifacts')).href,
      deleted_time: null,
      end_time: null,
      entry_point_name: '',
      experiment_id: experimentId,
      lifecycle_stage: 'active',
      run_id: runId,
      run_name: name,
      run_uuid: runId,
      source_name: '',
      source_type: 4,
      source_version: '',
      start_time: options.startTime ?? Date.now(),
      status: RUN_STATUS_CODE.RUNNING,
      tags: [],
      user_id: user,
    });
    return { runId, dir, name };
  }

  private writeRunMeta(dir: string, meta: FlatYaml): void {
    writeFileAtomic(path.join(dir, META), dumpFlatYaml(meta));
  }

  /** MLflow params are immutable: logging a different value for an existing key is an error. */
  logParams(dir: string, params: Record<string, ParamValue>): void {
    for (const [key, value] of Object.entries(params)) {
      const file = keyPath(dir, 'params', key);
      const v = String(value);
      if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') !== v) {
        throw new DriftCatcherError(`param '${key}' was already logged with a different value (MLflow params cannot change)`, 'BAD_INPUT', { file });
      }
      writeFileAtomic(file, v);
    }
  }

  logMetrics(dir: string, metrics: Record<string, number>, step = 0, timestamp = Date.now()): void {
    for (const [key, value] of Object.entries(metrics)) {
      const file = keyPath(dir, 'metrics', key);
      const prev = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      writeFileAtomic(file, `${prev}${timestamp} ${formatMetricValue(value)} ${Math.trunc(step)}\n`);
    }
  }

  setTags(dir: string, tags: Record<string, string>): void {
    for (const [key, value] of Object.entries(tags)) writeFileAtomic(keyPath(dir, 'tags', key), String(value));
  }

  logArtifact(dir: string, file: string, artifactPath = ''): void {
    if (!fs.existsSync(file)) throw new DriftCatcherError(`artifact ${file} does not exist`, 'NOT_FOUND', { file });
    const destDir = artifactPath ? keyPath(dir, 'artifacts', artifactPath) : path.join(dir, 'artifacts');
    copyTree(file, path.join(destDir, path.basename(file)));
  }

  endRun(dir: string, status: RunEndStatus, endTime = Date.now()): void {
    const meta = readMeta(path.join(dir, META));
    if (!meta) throw new DriftCatcherError(`run metadata is missing or malformed`, 'INTERNAL', { file: path.join(dir, META) });
    this.writeRunMeta(dir, { ...meta, status: RUN_STATUS_CODE[status], end_time: endTime });
  }

  /** All active runs of the store (or of one experiment), newest first. */
  listRuns(experiment?: string): TrackedRun[] {
    const runs: TrackedRun[] = [];
    for (const exp of this.experiments()) {
      if (experiment !== undefined && exp.name !== experiment) continue;
      for (const { dir } of this.runDirs(exp.id)) {
        const run = this.readRun(dir, exp.name);
        if (run) runs.push(this.reconcileOrphan(dir, run));
      }
    }
    return runs.sort((a, b) => b.start_time - a.start_time);
  }

  readRun(dir: string, experimentName: string): TrackedRun | undefined {
    const meta = readMeta(path.join(dir, META));
    if (!meta || meta.lifecycle_stage === 'deleted' || typeof meta.run_id !== 'string') return undefined;
    const tags = readKeyFiles(path.join(dir, 'tags'));
    const metrics: Record<string, number> = {};
    for (const [key, text] of Object.entries(readKeyFiles(path.join(dir, 'metrics')))) {
      const latest = parseMetricLines(text, meta.run_id).reduce<MetricPoint | undefined>(
        (best, p) => (!best || p.step > best.step || (p.step === best.step && (p.timestamp > best.timestamp || (p.timestamp === best.timestamp && p.value > best.value))) ? p : best),
        undefined,
      );
      if (latest) metrics[key] = latest.value;
    }
    const status = RUN_STATUS_NAME[Number(meta.status)] ?? 'RUNNING';
    return {
      run_id: meta.run_id,
      experiment: experimentName,
      name: String(meta.run_name || tags['mlflow.runName'] || ''),
      status,
      start_time: Number(meta.start_time) || 0,
      ...(typeof meta.end_time === 'number' ? { end_time: meta.end_time } : {}),
      metrics,
      params: readKeyFiles(path.join(dir, 'params')),
      tags,
    };
  }

  /**
   * A run left RUNNING by a DriftCatcher process that is gone (kill -9 mid-run) is marked FAILED, with an end
   * time, as MLflow does for a crashed run. Runs of live processes, other hosts or other tools are left alone.
   */
  private reconcileOrphan(dir: string, run: TrackedRun): TrackedRun {
    if (run.status !== 'RUNNING') return run;
    const owner = parseIdentity(run.tags[PROCESS_TAG] ?? '');
    if (!owner || !processGone(owner)) return run;
    try {
      const endTime = Date.now();
      this.endRun(dir, 'FAILED', endTime);
      return { ...run, status: 'FAILED', end_time: endTime };
    } catch {
      return run; // read-only store or a run being removed: show it as it is
    }
  }

  /** One metric across every run of an experiment, oldest first: drift over time. */
  metricHistory(experiment: string, metric: string): MetricPoint[] {
    const id = this.experimentId(experiment);
    if (id === undefined) return [];
    const points: MetricPoint[] = [];
    for (const { runId, dir } of this.runDirs(id)) {
      const meta = readMeta(path.join(dir, META));
      if (!meta || meta.lifecycle_stage === 'deleted') continue;
      let file: string;
      try {
        file = keyPath(dir, 'metrics', metric);
      } catch {
        return [];
      }
      if (fs.existsSync(file)) points.push(...parseMetricLines(fs.readFileSync(file, 'utf8'), runId));
    }
    return points.sort((a, b) => a.timestamp - b.timestamp || a.step - b.step);
  }

  private runDirs(experimentId: string): { runId: string; dir: string }[] {
    const expDir = path.join(this.root, experimentId);
    if (!fs.existsSync(expDir)) return [];
    return fs
      .readdirSync(expDir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(expDir, e.name, META)))
      .map((e) => ({ runId: e.name, dir: path.join(expDir, e.name) }));
  }

  /** the folder of a run, searched across experiments (used to update a run after the fact) */
  findRun(runId: string): { experimentId: string; dir: string } | undefined {
    for (const exp of this.experiments()) {
      const dir = this.runDir(exp.id, runId);
      if (fs.existsSync(path.join(dir, META))) return { experimentId: exp.id, dir };
    }
    return undefined;
  }
}

/** The embedded tracker: runs go to the file store only. */
export class FileTracker implements Tracker {
  readonly kind = 'file' as const;
  readonly store: FileStore;

  constructor(root: string, private readonly log?: (m: string) => void) {
    this.store = new FileStore(root);
  }

  get location(): string {
    return this.store.root;
  }

  async startRun(experiment: string, options: StartRunOptions = {}): Promise<FileRunHandle> {
    const experimentId = await this.store.getOrCreateExperiment(experiment);
    const { runId, dir } = this.store.createRun(experimentId, options);
    return new FileRunHandle(this.store, experiment, runId, dir);
  }

  logRun(spec: LogRunSpec): Promise<LoggedRun> {
    return logRunWith(this, spec);
  }

  async setModelAlias(name: string, alias: string, version: string): Promise<string[]> {
    this.store.registry.setAlias(name, alias, version);
    return [];
  }
}

export class FileRunHandle implements RunHandle {
  readonly warnings: string[] = [];
  constructor(
    readonly store: FileStore,
    readonly experiment: string,
    readonly runId: string,
    readonly dir: string,
  ) {}

  async logParams(params: Record<string, ParamValue>): Promise<void> {
    this.store.logParams(this.dir, params);
  }
  async logMetrics(metrics: Record<string, number>, step?: number): Promise<void> {
    this.store.logMetrics(this.dir, metrics, step);
  }
  async setTags(tags: Record<string, string>): Promise<void> {
    this.store.setTags(this.dir, tags);
  }
  async logArtifact(file: string, artifactPath?: string): Promise<void> {
    this.store.logArtifact(this.dir, file, artifactPath);
  }
  /** a new version of registered model `name` whose source is this run's `artifacts/<artifactPath>` */
  async registerModel(name: string, artifactPath: string): Promise<string | undefined> {
    const source = pathToFileURL(path.join(this.dir, 'artifacts', artifactPath)).href;
    return this.store.registry.createVersion(name, source, this.runId);
  }
  async end(status: RunEndStatus = 'FINISHED'): Promise<LoggedRun> {
    this.store.endRun(this.dir, status);
    const run = this.store.readRun(this.dir, this.experiment);
    if (!run) throw new DriftCatcherError(`run ${this.runId} could not be read back`, 'INTERNAL', { file: this.dir });
    return { ...run, warnings: [...this.warnings] };
  }
}

/** MLflow's metric/param/tag name rule (alphanumerics, _ - . space : /), and no path escapes. */
export function keyPath(dir: string, kind: 'metrics' | 'params' | 'tags' | 'artifacts', key: string): string {
  const segments = key.split('/');
  if (!key || !/^[\w.\- :/]+$/.test(key) || key.startsWith('/') || segments.some((s) => s === '..' || s === '.' || s === '')) {
    throw new DriftCatcherError(`invalid ${kind.replace(/s$/, '')} name '${key}': use letters, digits, _ - . space : / and no '..'`, 'BAD_INPUT');
  }
  return path.join(dir, kind, ...segments);
}

/** Python's float repr, as MLflow writes metric values (3.0, nan, inf). */
export function formatMetricValue(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.0`;
  return String(v);
}

export function parseMetricLines(text: string, runId: string): MetricPoint[] {
  const out: MetricPoint[] = [];
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 2) continue;
    const timestamp = Number(parts[0]);
    const value = parseMetricValue(parts[1]);
    const step = parts.length >= 3 ? Number(parts[2]) : 0;
    if (Number.isFinite(timestamp) && Number.isFinite(step)) out.push({ timestamp, value, step, run_id: runId });
  }
  return out;
}

function parseMetricValue(s: string): number {
  const l = s.toLowerCase();
  if (l === 'nan') return NaN;
  if (l === 'inf' || l === '+inf' || l === 'infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  return Number(s);
}

function readMeta(file: string): FlatYaml | undefined {
  try {
    return parseFlatYaml(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** key files under a folder (keys may contain '/', i.e. sub-folders); our own temp files are skipped */
function readKeyFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  const walk = (sub: string): void => {
    for (const ent of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${ent.name}` : ent.name;
      if (ent.isDirectory()) walk(rel);
      else if (!(ent.name.startsWith('.') && ent.name.endsWith('.tmp'))) out[rel] = fs.readFileSync(path.join(dir, rel), 'utf8');
    }
  };
  walk('');
  return out;
}

function copyTree(src: string, dest: string): void {
  if (fs.statSync(src).isDirectory()) {
    for (const ent of fs.readdirSync(src)) copyTree(path.join(src, ent), path.join(dest, ent));
  } else {
    copyFileAtomic(src, dest);
  }
}

/** like MLflow's _generate_unique_integer_id: a random positive 63-bit integer */
function uniqueIntegerId(): string {
  const n = randomBytes(8).readBigUInt64BE() & ((1n << 63n) - 1n);
  return n < 10n ** 15n ? uniqueIntegerId() : n.toString();
}

function currentUser(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return process.env.USER || 'unknown';
  }
}
