import * as fs from 'node:fs';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { listPlanFiles, plansDir } from '../agent/planStore';
import { getVersion, productionVersion } from '../model/registry';
import type { DriftReport, Severity } from '../protocol';
import { lastReport } from '../server/lastReport';
import type { ServiceEvent } from './events';

/**
 * The service's Prometheus metrics (prom-client, text format at GET /metrics). State gauges — the latest drift
 * report, the production model, plans waiting for approval — are read from the workspace when scraped, so they are
 * right after a restart and include what the CLI changed; counters count the events this process saw.
 *
 * Cardinality is bounded: per-feature PSI only for the `topFeatures` most drifted features of the latest report
 * (older series are dropped), label values from closed sets (severity, action, alert kind, route templates), and
 * one production-info series.
 */
export interface MetricsSources {
  workspace: string;
  topFeatures: () => number;
  jobs?: () => { running: number; queued: number };
}

const SEVERITY_LEVEL: Record<Severity, number> = { none: 0, moderate: 1, severe: 2 };
/** a label value is an untrusted column name: bound its length (prom-client escapes it) */
const MAX_LABEL_CHARS = 120;

export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly checks: Counter<'severity'>;
  private readonly decisions: Counter<'action'>;
  private readonly retrains: Counter;
  private readonly gateFailures: Counter;
  private readonly deploys: Counter;
  private readonly rollbacks: Counter;
  private readonly alerts: Counter<'kind' | 'outcome'>;
  private readonly httpRequests: Counter<'route' | 'method' | 'code'>;
  private readonly httpDuration: Histogram<'route'>;
  private readonly batches: Counter<'outcome'>;

  constructor(private readonly src: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.checks = new Counter({ name: 'driftcatcher_drift_checks_total', help: 'Drift checks run, by overall severity', labelNames: ['severity'], registers });
    this.decisions = new Counter({ name: 'driftcatcher_decisions_total', help: 'Agent decisions, by action', labelNames: ['action'], registers });
    this.retrains = new Counter({ name: 'driftcatcher_retrains_total', help: 'Models trained (new registry versions)', registers });
    this.gateFailures = new Counter({ name: 'driftcatcher_validation_gate_failures_total', help: 'Candidate models refused by the validation gate', registers });
    this.deploys = new Counter({ name: 'driftcatcher_deploys_total', help: 'Deploys to production', registers });
    this.rollbacks = new Counter({ name: 'driftcatcher_rollbacks_total', help: 'Rollbacks of production', registers });
    this.alerts = new Counter({ name: 'driftcatcher_alerts_total', help: 'Webhook alerts, by event kind and outcome (sent|failed)', labelNames: ['kind', 'outcome'], registers });
    this.batches = new Counter({ name: 'driftcatcher_watch_batches_total', help: 'Batches processed by the watch daemon, by outcome', labelNames: ['outcome'], registers });
    this.httpRequests = new Counter({ name: 'driftcatcher_http_requests_total', help: 'HTTP requests, by route template, method and status code', labelNames: ['route', 'method', 'code'], registers });
    this.httpDuration = new Histogram({
      name: 'driftcatcher_http_request_duration_seconds',
      help: 'HTTP request duration, by route template',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.reportGauges(registers);
    this.stateGauges(registers);
  }

  /** feed from the EventTap */
  observe(e: ServiceEvent): void {
    switch (e.kind) {
      case 'drift_checked':
        return this.checks.inc({ severity: e.report.overall.severity });
      case 'decided':
        return this.decisions.inc({ action: e.decision.action });
      case 'retrained':
        return this.retrains.inc();
      case 'validation_failed':
        return this.gateFailures.inc();
      case 'deployed':
        return this.deploys.inc();
      case 'rolled_back':
        return this.rollbacks.inc();
      case 'awaiting_approval':
        return; // a gauge read from the plan files
    }
  }

  alertDelivered(kind: string, ok: boolean): void {
    this.alerts.inc({ kind, outcome: ok ? 'sent' : 'failed' });
  }

  batchProcessed(outcome: string): void {
    this.batches.inc({ outcome });
  }

  httpRequest(route: string, method: string, code: number, seconds: number): void {
    this.httpRequests.inc({ route, method, code: String(code) });
    this.httpDuration.observe({ route }, seconds);
  }

  /** Prometheus text exposition format */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** gauges of the latest drift report (.driftcatcher/last-report.json) */
  private reportGauges(registers: Registry[]): void {
    const latest = (): DriftReport | undefined => lastReport(this.src.workspace);
    const gauge = (name: string, help: string, value: (r: DriftReport) => number): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const r = latest();
          if (r) this.set(value(r));
          else this.reset();
        },
      });
    };
    gauge('driftcatcher_drift_psi_mean', 'Mean PSI over the features of the latest drift check', (r) => r.overall.psi_mean);
    gauge('driftcatcher_drift_psi_max', 'Largest feature PSI of the latest drift check', (r) => r.overall.psi_max);
    gauge('driftcatcher_drift_share_drifted', 'Share of features drifted (PSI at least moderate) in the latest drift check, 0..1', (r) => r.overall.share_drifted);
    gauge('driftcatcher_drift_features_drifted', 'Features drifted in the latest drift check', (r) => r.overall.n_drifted);
    gauge('driftcatcher_drift_severity', 'Overall severity of the latest drift check: 0 none, 1 moderate, 2 severe', (r) => SEVERITY_LEVEL[r.overall.severity]);
    gauge('driftcatcher_drift_current_rows', 'Rows in the batch of the latest drift check', (r) => r.current.rows);
    gauge('driftcatcher_last_drift_check_timestamp_seconds', 'When the latest drift check finished (Unix seconds)', (r) => Date.parse(r.created_at) / 1000);
    gauge('driftcatcher_last_drift_check_duration_seconds', 'How long the latest drift check took', (r) => r.seconds);
    const top = this.src.topFeatures;
    new Gauge({
      name: 'driftcatcher_feature_psi',
      help: 'PSI of the most drifted features of the latest drift check (top N, service.metricsTopFeatures)',
      labelNames: ['feature'],
      registers,
      collect() {
        this.reset();
        const r = latest();
        if (!r) return;
        for (const f of [...r.features].sort((a, b) => b.psi - a.psi).slice(0, top())) this.set({ feature: f.name.slice(0, MAX_LABEL_CHARS) }, f.psi);
      },
    });
  }

  /** production model and pending approvals, read from the registry and the plan files */
  private stateGauges(registers: Registry[]): void {
    const ws = this.src.workspace;
    new Gauge({
      name: 'driftcatcher_production_model_info',
      help: 'The model version in production (value 1; none when nothing is deployed)',
      labelNames: ['version'],
      registers,
      collect() {
        this.reset();
        const v = safe(() => productionVersion(ws));
        if (v) this.set({ version: v }, 1);
      },
    });
    new Gauge({
      name: 'driftcatcher_production_model_accuracy',
      help: 'Accuracy of the production model on its own test split',
      registers,
      collect() {
        const v = safe(() => productionVersion(ws));
        const m = v ? safe(() => getVersion(ws, v)) : undefined;
        if (m) this.set(m.metrics.accuracy);
        else this.reset();
      },
    });
    const awaiting = cachedByMtime(() => plansDir(ws), () => listPlanFiles(ws).filter((p) => p.status === 'awaiting_approval').length);
    new Gauge({
      name: 'driftcatcher_plans_awaiting_approval',
      help: 'Agent plans waiting for a person to approve their deploy',
      registers,
      collect() {
        this.set(awaiting());
      },
    });
    const jobs = this.src.jobs;
    if (jobs) {
      new Gauge({
        name: 'driftcatcher_jobs',
        help: 'Heavy operations in this process, by state (running|queued)',
        labelNames: ['state'],
        registers,
        collect() {
          const j = jobs();
          this.set({ state: 'running' }, j.running);
          this.set({ state: 'queued' }, j.queued);
        },
      });
    }
  }
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined; // a half-written or hand-edited state file must not break the scrape
  }
}

/** re-compute only when the folder changed (plans are written by rename, which updates the folder's mtime) */
function cachedByMtime(dir: () => string, compute: () => number): () => number {
  let key = '';
  let value = 0;
  return () => {
    let k: string;
    try {
      k = String(fs.statSync(dir()).mtimeMs);
    } catch {
      return 0;
    }
    if (k !== key) {
      value = safe(compute) ?? 0;
      key = k;
    }
    return value;
  };
}
