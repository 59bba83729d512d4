import { listVersions } from '../model/registry';
import { Methods } from '../protocol';
import { errorMessage } from '../util/errors';
import { inMaintenanceWindow, nextCheckAt, retrainAllowed } from './schedule';
import type { DriftCatcherServer } from './server';
import { FolderWatcher } from './watch';

/** how long a new file's size must stay unchanged before it is checked */
const SETTLE_MS = 500;

/**
 * Watch mode: new CSV batches in `watch.folders` are checked for drift and, when they drift, handed to the
 * agent, within the schedule rules: at most one automatic check per `watch.checkIntervalSeconds`; a retrain
 * only when `agent.minHoursBetweenRetrains` have passed since the newest model and the clock is inside
 * `agent.maintenanceWindow` — otherwise the agent runs with autonomy `suggest` (it decides and plans, but
 * acts on nothing). Clients hear about it through driftReport / planChanged / log notifications.
 */
export class AutoPipeline {
  private readonly queue: string[] = [];
  private lastCheck?: number;
  private busy = false;
  private timer?: NodeJS.Timeout;
  private readonly aborter = new AbortController();

  private constructor(
    private readonly server: DriftCatcherServer,
    private readonly watcher: { close(): void },
  ) {}

  /** undefined when no folders are configured */
  static start(server: DriftCatcherServer): AutoPipeline | undefined {
    const config = server.config();
    if (!config.watch.folders.length) return undefined;
    const folders = config.watch.folders.map((f, i) => server.workspacePaths.resolve(f, `watch.folders[${i}]`));
    let pipeline: AutoPipeline | undefined;
    const watcher = new FolderWatcher({
      folders,
      scanIntervalMs: config.watch.checkIntervalSeconds * 1000,
      settleMs: SETTLE_MS,
      onNewFile: (file) => pipeline?.enqueue(file),
      onError: (message) => server.log(message, 'warn'),
    });
    pipeline = new AutoPipeline(server, watcher);
    server.log(`watching ${folders.join(', ')} for new CSV batches`);
    return pipeline;
  }

  close(): void {
    this.watcher.close();
    clearTimeout(this.timer);
    this.aborter.abort();
  }

  enqueue(file: string): void {
    if (!this.queue.includes(file)) this.queue.push(file);
    this.pump();
  }

  private pump(): void {
    if (this.busy || this.timer || !this.queue.length || this.aborter.signal.aborted) return;
    const wait = nextCheckAt(this.lastCheck, this.server.config().watch.checkIntervalSeconds) - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      return;
    }
    const file = this.queue.shift() as string;
    this.busy = true;
    this.lastCheck = Date.now();
    this.process(file)
      .catch((e: unknown) => {
        if (!this.aborter.signal.aborted) this.server.log(`automatic check of ${file} failed: ${errorMessage(e)}`, 'error');
      })
      .finally(() => {
        this.busy = false;
        this.pump();
      });
  }

  private async process(file: string): Promise<void> {
    const signal = this.aborter.signal;
    this.server.log(`new batch ${file}: checking drift`);
    const report = await this.server.run(Methods.checkDrift, { current: file }, { signal });
    if (report.overall.severity === 'none') {
      this.server.log(`no drift in ${file}`);
      return;
    }
    const config = this.server.config();
    const now = new Date();
    const newest = listVersions(this.server.workspace).at(-1);
    const reasons: string[] = [];
    if (!retrainAllowed(newest ? new Date(newest.created_at) : undefined, config.agent.minHoursBetweenRetrains, now)) {
      reasons.push(`the last model was trained less than ${config.agent.minHoursBetweenRetrains} h ago`);
    }
    if (!inMaintenanceWindow(config.agent.maintenanceWindow, now)) {
      reasons.push(`outside the maintenance window ${config.agent.maintenanceWindow}`);
    }
    if (reasons.length) this.server.log(`drift in ${file}; the agent only suggests: ${reasons.join('; ')}`);
    await this.server.run(Methods.runAgent, { current: file, ...(reasons.length ? { autonomy: 'suggest' } : {}) }, { signal });
  }
}
