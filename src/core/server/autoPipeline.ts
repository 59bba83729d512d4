import { Methods } from '../protocol';
import { errorMessage } from '../util/errors';
import type { DriftCatcherServer } from './server';
import { FolderWatcher } from './watch';

/** how long a new file's size must stay unchanged before it is checked */
const SETTLE_MS = 500;

/**
 * Watch mode: each new CSV batch in `watch.folders` is checked for drift, then handed to the agent. Schedule
 * rules: at most one automatic check per `watch.checkIntervalSeconds` (later batches wait their turn, in
 * arrival order); the agent itself defers a retrain that comes sooner than `agent.minHoursBetweenRetrains`
 * after the last one or outside `agent.maintenanceWindow` (its constraints C2/C3). Clients hear about it
 * through driftReport / planChanged / modelsChanged / log notifications.
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
    const interval = this.server.config().watch.checkIntervalSeconds * 1000;
    const wait = this.lastCheck === undefined ? 0 : this.lastCheck + interval - Date.now();
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
    this.server.log(`drift in ${file}: ${report.overall.severity} (${report.overall.n_drifted}/${report.overall.total_features} features); asking the agent`);
    await this.server.run(Methods.runAgent, { current: file }, { signal });
  }
}
