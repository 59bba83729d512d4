import * as fs from 'node:fs';
import * as path from 'node:path';
import { inMaintenanceWindow } from '../agent/context';
import { readDecision } from '../agent/decisionLog';
import { stateDir, type Config } from '../config';
import { getVersion, productionVersion } from '../model/registry';
import { Methods, type AgentResult, type Decision } from '../protocol';
import { acquireLock, lockOwner } from '../util/lock';
import { CancelledError, DriftCatcherError, errorMessage } from '../util/errors';
import { FolderWatcher } from './folderWatcher';
import { startSchedule } from './schedule';
import { WatchState, type BatchStatus } from './watchState';

/**
 * Watch mode, one implementation for the editor's server and the headless daemon (`driftcatcher watch`): each new
 * CSV batch in the watched folders goes to the agent (drift check → decision → plan, within the configured
 * autonomy; the agent itself defers a retrain outside `agent.maintenanceWindow` or sooner than
 * `agent.minHoursBetweenRetrains` after the last one).
 *
 * Schedule: without a cron schedule, a batch is processed when it has settled, at most one per interval (later
 * ones wait their turn, in arrival order); with one (`watch.schedule`, `--schedule`), batches collect and are
 * processed together at each tick. A deferred batch is handed to the agent again once the window is open and the
 * gap has passed. What happened to each batch is saved in `.driftcatcher/watch-state.json` (see WatchState); one
 * process at a time watches a workspace (`.driftcatcher/watch.lock`).
 */
export interface WatchHost {
  readonly workspace: string;
  config(): Config;
  /** absolute path confined to the workspace, or an error naming `field` */
  resolve(p: string, field: string): string;
  run(method: typeof Methods.runAgent, params: { current: string }, opts: { signal: AbortSignal }): Promise<AgentResult>;
  log(message: string, level?: 'info' | 'warn' | 'error'): void;
}

export interface WatchOptions {
  /** workspace-relative or absolute folders (confined to the workspace) */
  folders: string[];
  intervalSeconds: number;
  /** cron expression; when set, batches are processed at its ticks */
  schedule?: string;
  /** how long a new file's size must stay unchanged before it is processed */
  settleMs?: number;
  onBatch?(status: BatchStatus | 'cancelled'): void;
}

export interface WatchStatus {
  folders: string[];
  interval_seconds: number;
  schedule: string | null;
  next_tick: string | null;
  queued: string[];
  current: string | null;
  batches: Partial<Record<BatchStatus, number>>;
}

const SETTLE_MS = 500;

export class WatchPipeline {
  private readonly queue: string[] = [];
  private lastRun?: number;
  private current?: { file: string; aborter: AbortController; done: Promise<void> };
  private timer?: NodeJS.Timeout;
  private readonly maintenance: NodeJS.Timeout;
  private stopping = false;
  private tickPending = false;
  private watcher?: FolderWatcher;
  private cron?: { stop(): void; next(): Date | null };

  private constructor(
    private readonly host: WatchHost,
    private readonly opts: WatchOptions,
    private readonly folders: string[],
    private readonly state: WatchState,
    private readonly releaseLock: () => void,
  ) {
    this.maintenance = setInterval(() => this.retryDeferred(), Math.max(1, opts.intervalSeconds) * 1000);
    this.maintenance.unref();
  }

  /** Start watching; fails with LOCKED when another process watches this workspace. */
  static async start(host: WatchHost, opts: WatchOptions): Promise<WatchPipeline> {
    if (!opts.folders.length) throw new DriftCatcherError('watch needs at least one folder', 'BAD_INPUT');
    const folders = opts.folders.map((f, i) => host.resolve(f, `folders[${i}]`));
    for (const f of folders) {
      if (fs.existsSync(f) && !fs.statSync(f).isDirectory()) throw new DriftCatcherError(`${f} is not a folder`, 'BAD_INPUT');
    }
    let release: () => void;
    try {
      release = await acquireLock(path.join(stateDir(host.workspace), 'watch.lock'), 0);
    } catch (e) {
      if (e instanceof DriftCatcherError && e.code === 'LOCKED') {
        throw new DriftCatcherError(`another process already watches ${host.workspace} (${ownerOf(host.workspace)}); stop it first`, 'LOCKED');
      }
      throw e;
    }
    try {
      const state = new WatchState(host.workspace);
      const p = new WatchPipeline(host, opts, folders, state, release);
      p.begin();
      return p;
    } catch (e) {
      release();
      throw e;
    }
  }

  private begin(): void {
    const firstStart = !this.state.existed;
    for (const f of this.state.unfinished()) {
      if (fs.existsSync(f)) this.enqueue(f, 'was not finished when watch mode last stopped');
    }
    this.watcher = new FolderWatcher({
      folders: this.folders,
      scanIntervalMs: this.opts.intervalSeconds * 1000,
      settleMs: this.opts.settleMs ?? SETTLE_MS,
      knownAtStart: (f) => {
        const st = statOf(f);
        if (!st) return true;
        if (firstStart) {
          // the first start on a workspace: what is already there is history, not news
          this.state.add(f, st, 'skipped');
          return true;
        }
        return this.state.knows(f, st);
      },
      onNewFile: (f) => this.arrived(f),
      onError: (m) => this.host.log(m, 'warn'),
    });
    this.state.save();
    if (this.opts.schedule) {
      this.cron = startSchedule(this.opts.schedule, () => {
        this.tickPending = true;
        this.retryDeferred();
        this.pump();
      });
    }
    const when = this.opts.schedule ? `on the schedule '${this.opts.schedule}' (next ${this.cron?.next()?.toISOString() ?? 'never'})` : `at most one batch every ${this.opts.intervalSeconds} s`;
    this.host.log(`watching ${this.folders.join(', ')} for new CSV batches, processed ${when}`);
    this.pump();
  }

  status(): WatchStatus {
    return {
      folders: this.folders,
      interval_seconds: this.opts.intervalSeconds,
      schedule: this.opts.schedule ?? null,
      next_tick: this.cron?.next()?.toISOString() ?? null,
      queued: [...this.queue],
      current: this.current?.file ?? null,
      batches: this.state.counts(),
    };
  }

  /**
   * Stop: no new batch starts; the running one may finish within `graceMs`, then it is cancelled (it goes back to
   * queued and is processed again on the next start). Resolves when nothing runs any more.
   */
  async stop(graceMs = 0): Promise<void> {
    if (this.stopping) {
      this.current?.aborter.abort();
    }
    this.stopping = true;
    this.watcher?.close();
    this.cron?.stop();
    clearTimeout(this.timer);
    clearInterval(this.maintenance);
    const cur = this.current;
    if (cur) {
      const finished = await Promise.race([cur.done.then(() => true), delay(graceMs).then(() => false)]);
      if (!finished) {
        this.host.log(`stopping: cancelling the job on ${cur.file}; it will be processed again on the next start`, 'warn');
        cur.aborter.abort();
        await cur.done;
      }
    }
    this.state.save();
    this.releaseLock();
  }

  private arrived(file: string): void {
    const st = statOf(file);
    if (!st || this.stopping) return;
    this.state.add(file, st, 'queued');
    this.state.save();
    this.enqueue(file, 'new batch');
  }

  private enqueue(file: string, why: string): void {
    if (this.queue.includes(file) || this.current?.file === file) return;
    this.state.update(file, { status: 'queued' });
    this.queue.push(file);
    if (this.opts.schedule) this.host.log(`${why}: ${this.state.key(file)} (processed at ${this.cron?.next()?.toISOString() ?? 'the next tick'})`);
    this.pump();
  }

  private pump(): void {
    if (this.stopping || this.current || this.timer) return;
    if (!this.queue.length) {
      this.tickPending = false;
      return;
    }
    if (this.opts.schedule) {
      if (!this.tickPending) return; // wait for the schedule's next tick
    } else {
      const wait = this.lastRun === undefined ? 0 : this.lastRun + this.opts.intervalSeconds * 1000 - Date.now();
      if (wait > 0) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        return;
      }
    }
    const file = this.queue.shift() as string;
    this.lastRun = Date.now();
    const aborter = new AbortController();
    const done = this.process(file, aborter.signal).finally(() => {
      this.current = undefined;
      this.pump();
    });
    this.current = { file, aborter, done };
  }

  private async process(file: string, signal: AbortSignal): Promise<void> {
    const name = this.state.key(file);
    this.state.update(file, { status: 'running', started_at: new Date().toISOString(), error: undefined });
    this.state.save();
    this.host.log(`batch ${name}: checking drift and asking the agent`);
    let outcome: BatchStatus | 'cancelled';
    try {
      const r = await this.host.run(Methods.runAgent, { current: file }, { signal });
      outcome = deferredByConstraints(this.host.workspace, r.decision) ? 'deferred' : 'done';
      this.state.update(file, {
        status: outcome,
        finished_at: new Date().toISOString(),
        severity: r.report?.overall.severity,
        action: r.decision.action,
        decision_id: r.decision.id,
        plan_id: r.plan.id,
        plan_status: r.plan.status,
      });
      if (outcome === 'deferred') for (const older of this.state.deferred().slice(1)) this.state.update(older, { status: 'superseded' });
      const o = r.report?.overall;
      this.host.log(
        `batch ${name}: drift ${o ? `${o.severity} (${o.n_drifted}/${o.total_features} features)` : 'checked'}; ${r.decision.action} (${r.decision.source})` +
          `${outcome === 'deferred' ? ', deferred' : ''}; plan ${r.plan.id} ${r.plan.status}`,
      );
    } catch (e) {
      const cancelled = signal.aborted || (e instanceof CancelledError);
      outcome = cancelled ? 'cancelled' : 'failed';
      this.state.update(file, cancelled ? { status: 'queued' } : { status: 'failed', finished_at: new Date().toISOString(), error: errorMessage(e) });
      if (!cancelled) this.host.log(`batch ${name} failed: ${errorMessage(e)}`, 'error');
    }
    this.state.save();
    this.opts.onBatch?.(outcome);
  }

  /** hand the newest deferred batch to the agent again once the maintenance window is open and the gap has passed */
  private retryDeferred(): void {
    if (this.stopping) return;
    const [newest] = this.state.deferred();
    if (!newest || this.queue.includes(newest) || this.current?.file === newest || !fs.existsSync(newest)) return;
    let cfg: Config;
    try {
      cfg = this.host.config();
    } catch {
      return; // a broken config is reported by the next request; retry later
    }
    const now = new Date();
    if (!inMaintenanceWindow(cfg.agent.maintenanceWindow, now)) return;
    const since = hoursSinceRetrain(this.host.workspace, now);
    if (since !== undefined && since < cfg.agent.minHoursBetweenRetrains) return;
    this.enqueue(newest, 'the deferred batch can be retried now');
  }
}

/** the agent answered MONITOR only because of the maintenance window (C3) or the minimum gap (C2) */
function deferredByConstraints(workspace: string, d: Decision): boolean {
  if (d.action !== 'MONITOR') return false;
  try {
    const r = readDecision(workspace, d.id).reasoning;
    return [...r.policy.rules, ...(r.overridden_by ?? [])].some((rule) => rule === 'C2' || rule === 'C3');
  } catch {
    return false;
  }
}

function hoursSinceRetrain(workspace: string, now: Date): number | undefined {
  try {
    const v = productionVersion(workspace);
    return v ? (now.getTime() - Date.parse(getVersion(workspace, v).created_at)) / 3_600_000 : undefined;
  } catch {
    return undefined;
  }
}

function statOf(file: string): { size: number; mtimeMs: number } | undefined {
  try {
    const st = fs.statSync(file);
    return { size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

function ownerOf(workspace: string): string {
  const owner = lockOwner(path.join(stateDir(workspace), 'watch.lock'));
  return owner ? `pid ${owner.pid}` : 'pid unknown';
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
