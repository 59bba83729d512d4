import { loadConfig, UNTRUSTED, type Config, type TrustState } from '../config';
import { OperationHost } from '../server/operationHost';
import { WorkspacePaths } from '../server/workspacePaths';
import { WatchPipeline, type WatchOptions } from '../watch/watchPipeline';
import { EventTap } from './events';
import { ServiceMetrics } from './metrics';
import { WebhookAlerts } from './webhookAlerts';

/**
 * Everything a headless DriftCatcher process runs — `serve --http` and `watch` alike: the operation host (the
 * engine, worker threads), the event tap feeding Prometheus metrics and webhook alerts, and watch mode when it has
 * folders. Log lines go to stderr (journald, docker logs), one per event, never with a secret in them.
 */
export type LogLevel = 'info' | 'warn' | 'error';

export interface ServiceOptions {
  workspace: string;
  log?: (message: string, level: LogLevel) => void;
  /** what the command line trusts (--trust-workspace-llm, --trust-workspace-sources, --trust-source-host) */
  trust?: TrustState;
  /** extra HTTP-side job counts for /metrics */
  jobs?: () => { running: number; queued: number };
}

/** how long pending alerts may delay the exit on SIGTERM */
const ALERT_FLUSH_MS = 5000;

export class ServiceProcess {
  readonly host: OperationHost;
  readonly tap = new EventTap();
  readonly metrics: ServiceMetrics;
  readonly alerts: WebhookAlerts;
  watch?: WatchPipeline;
  private jobCounts?: () => { running: number; queued: number };

  constructor(readonly opts: ServiceOptions) {
    const paths = new WorkspacePaths([opts.workspace]);
    this.config(); // a broken driftcatcher.config.json stops the start with its one-line error
    this.host = new OperationHost(paths, () => this.config(), {
      notify: (m, p) => this.tap.notification(m, p),
      log: (m, level) => this.log(m, level),
      result: (m, r) => this.tap.result(m, r),
    });
    this.metrics = new ServiceMetrics({
      workspace: this.host.workspace,
      topFeatures: () => this.safeConfig()?.service.metricsTopFeatures ?? 20,
      jobs: () => this.jobCounts?.() ?? { running: 0, queued: 0 },
    });
    this.alerts = new WebhookAlerts(() => this.config().alerts, {
      log: (m, level) => this.log(m, level),
      delivered: (kind, ok) => this.metrics.alertDelivered(kind, ok),
    });
    this.tap.on((e) => this.metrics.observe(e));
    this.tap.on((e) => this.alerts.observe(e));
  }

  get workspace(): string {
    return this.host.workspace;
  }

  config(): Config {
    return loadConfig(this.opts.workspace, {}, process.env, this.opts.trust ?? UNTRUSTED);
  }

  log(message: string, level: LogLevel = 'info'): void {
    this.opts.log?.(message, level);
  }

  /** counts of the HTTP job store, for the driftcatcher_jobs gauge */
  countJobsWith(counts: () => { running: number; queued: number }): void {
    this.jobCounts = counts;
  }

  async startWatch(opts: Omit<WatchOptions, 'onBatch'>): Promise<WatchPipeline> {
    this.watch = await WatchPipeline.start(
      {
        workspace: this.workspace,
        config: () => this.config(),
        resolve: (p, field) => this.host.paths.resolve(p, field),
        run: (m, p, o) => this.host.run(m, p, o),
        log: (m, level) => this.log(m, level),
      },
      { ...opts, onBatch: (outcome) => this.metrics.batchProcessed(outcome) },
    );
    return this.watch;
  }

  /** graceful stop: the running batch may finish within `graceMs`, then is cancelled; pending alerts get a few seconds */
  async stop(graceMs: number): Promise<void> {
    await this.watch?.stop(graceMs);
    await this.alerts.close(ALERT_FLUSH_MS);
  }

  private safeConfig(): Config | undefined {
    try {
      return this.config();
    } catch {
      return undefined;
    }
  }
}
