import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { loadConfig, stateDir, type ConfigInput } from '../../../src/core/config';
import type { EngineContext } from '../../../src/core/engine';
import type {
  ClassificationMetrics,
  DriftReport,
  FeatureDrift,
  ModelVersion,
  NotificationTypes,
  TrainParams,
  TrainResult,
  ValidationResult,
} from '../../../src/core/protocol';
import type { AgentTools } from '../../../src/core/agent/tools';
import type { DecisionContext } from '../../../src/core/agent/context';
import { DriftCatcherError } from '../../../src/core/util/errors';
import { severityOf } from '../../../src/core/drift/driftReport';
import { MetricsSchema } from '../../../src/core/model/schemas';

export function tempWorkspace(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dc-agent-'));
}

export interface Captured {
  notes: { method: string; params: unknown }[];
  logs: string[];
}

export function makeCtx(ws: string, overrides: ConfigInput = {}): EngineContext & Captured {
  const notes: Captured['notes'] = [];
  const logs: string[] = [];
  const config = loadConfig(ws, { agent: { backoffMs: 1, retries: 2 }, ...overrides }, {});
  return {
    workspace: ws,
    config,
    notes,
    logs,
    log: (m) => void logs.push(m),
    notify: <M extends keyof NotificationTypes>(method: M, params: NotificationTypes[M]) => void notes.push({ method, params }),
  };
}

export function metrics(accuracy: number): ClassificationMetrics {
  return MetricsSchema.parse({ accuracy, precision: accuracy, recall: accuracy, f1: accuracy, roc_auc: null, confusion: { labels: ['BENIGN', 'ATTACK'] }, rows: 100 });
}

/** the engine's thresholds; severities come from its own rule (severityOf: moderate ≥ 0.1, severe > 0.2) */
const THRESHOLDS = { moderate: 0.1, severe: 0.2 };

export function feature(name: string, psi: number): FeatureDrift {
  const severity = severityOf(psi, THRESHOLDS);
  return {
    name,
    kind: 'numeric',
    psi,
    test: 'ks',
    statistic: psi / 2,
    p_value: psi > 0.1 ? 0.001 : 0.5,
    js_distance: psi / 3,
    wasserstein: psi,
    severity,
    drifted: severity !== 'none',
    missing_rate_baseline: 0,
    missing_rate_current: 0,
  };
}

/** A drift report with `drifted` of `total` features at `psi`, the rest at 0.01. */
export function report(opts: { total?: number; drifted?: number; psi?: number; severity?: 'none' | 'moderate' | 'severe'; names?: string[] } = {}): DriftReport {
  const total = opts.total ?? 10;
  const drifted = opts.drifted ?? 0;
  const psi = opts.psi ?? 0.3;
  const names = opts.names ?? [];
  const features = Array.from({ length: total }, (_, i) => feature(names[i] ?? ` Feature ${i}`, i < drifted ? psi : 0.01));
  const psiMean = features.reduce((s, f) => s + f.psi, 0) / total;
  const psiMax = Math.max(...features.map((f) => f.psi));
  return {
    overall: {
      psi_mean: psiMean,
      psi_max: psiMax,
      n_drifted: features.filter((f) => f.drifted).length,
      share_drifted: features.filter((f) => f.drifted).length / total,
      // the overall severity is the most drifted feature's (psi_max), as in the engine
      severity: opts.severity ?? severityOf(psiMax, THRESHOLDS),
      total_features: total,
    },
    features,
    quality: [],
    baseline: { source: 'profile.json', rows: 1000, profile_hash: 'abc' },
    current: { source: 'current.csv', rows: 200, sha256: 'f'.repeat(64) },
    thresholds: { ...THRESHOLDS, p_value: 0.01 },
    created_at: new Date().toISOString(),
    seconds: 0.01,
  };
}

/** A decision context for policy tests: no drift, labels, a production model, no time limits. */
export function context(patch: { drift?: Partial<DecisionContext['drift']>; [k: string]: unknown } = {}): DecisionContext {
  const base: DecisionContext = {
    drift: {
      psi_mean: 0.02,
      psi_max: 0.05,
      n_drifted: 0,
      share_drifted: 0,
      severity: 'none',
      total_features: 10,
      thresholds: { moderate: 0.1, severe: 0.2 },
      top_features: [],
      quality: [],
    },
    production: { version: 'v1', accuracy: 0.97, precision: 0.97, recall: 0.97, f1: 0.97, roc_auc: 0.99, created_at: '2025-01-01T00:00:00.000Z' },
    estimate: { method: 'cbpe-binary', expected_accuracy: 0.965, reference_accuracy: 0.97, drop_points: 0.5, reference_rows: 100, current_rows: 100 },
    cost: { rows: 1000, seconds_per_row: 0.001, estimated_seconds: 1 },
    risk: { validation_margin: 0.1, recent_failed_plans: 0 },
    time: {
      now: '2025-01-10T12:00:00.000Z',
      maintenance_window: '',
      in_maintenance_window: true,
      last_retrain_at: '2025-01-01T00:00:00.000Z',
      hours_since_last_retrain: 228,
      min_hours_between_retrains: 0,
    },
    labels: { available: true, column: 'Label' },
    inputs: { current: 'c.csv', current_sha256: 'x', current_rows: 100, baseline: 'b', profile_hash: null, profile_version: 'v1' },
  };
  const { drift, ...rest } = patch;
  return { ...base, ...(rest as Partial<DecisionContext>), drift: { ...base.drift, ...drift } };
}

export function writeCsv(file: string, header: string[], rows: number): string {
  const lines = [header.map((h) => (/[",]/.test(h) ? `"${h.replace(/"/g, '""')}"` : h)).join(',')];
  for (let i = 0; i < rows; i++) lines.push(header.map((h, j) => (h.trim() === 'Label' ? (i % 2 ? 'BENIGN' : 'DDoS') : String(i * (j + 1)))).join(','));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

type ToolKey = 'checkDrift' | 'train' | 'validate' | 'deploy' | 'rollback' | 'versionBaseline';

/**
 * Tools over a toy registry kept in the context's workspace (production.json, models/vN/meta.json), so tests can
 * hash real files. Failures are injected per tool: a number fails that many first calls, 'always' fails every call.
 */
export class FakeTools implements AgentTools {
  calls: string[] = [];
  fail: Partial<Record<ToolKey, number | 'always'>> = {};
  failCode: DriftCatcherError['code'] = 'EXTERNAL';
  driftReport: DriftReport = report();
  gatePasses = true;
  /** deploy switches production.json and then throws (a half-done deploy) */
  deployHalfDone = false;

  private maybeFail(tool: ToolKey): void {
    this.calls.push(tool);
    const f = this.fail[tool];
    if (f === 'always') throw new DriftCatcherError(`${tool} failed (injected)`, this.failCode);
    if (typeof f === 'number' && f > 0) {
      this.fail[tool] = f - 1;
      throw new DriftCatcherError(`${tool} failed (injected, transient)`, this.failCode);
    }
  }

  static seed(ws: string, version = 'v1'): void {
    writeMeta(ws, version, 'production');
    fs.writeFileSync(path.join(stateDir(ws), 'production.json'), JSON.stringify({ version }) + '\n');
    fs.writeFileSync(path.join(ws, 'baseline.csv'), 'a,b,Label\n1,2,BENIGN\n');
  }

  async checkDrift(): Promise<DriftReport> {
    this.maybeFail('checkDrift');
    return this.driftReport;
  }
  async train(ctx: EngineContext, p: TrainParams): Promise<TrainResult> {
    this.maybeFail('train');
    const n = fs.readdirSync(path.join(stateDir(ctx.workspace), 'models')).length + 1;
    const version = `v${n}`;
    writeMeta(ctx.workspace, version, 'candidate', p);
    return { version, metrics: metrics(0.98), rows: 1200, dropped_rows: 0, train_seconds: 0.5 };
  }
  async validate(_ctx: EngineContext, p: { version?: string; holdout: string }): Promise<ValidationResult> {
    this.maybeFail('validate');
    return {
      version: p.version ?? '?',
      passed: this.gatePasses,
      checks: [{ name: 'accuracy', value: this.gatePasses ? 0.98 : 0.5, threshold: 0.9, comparison: '>=', passed: this.gatePasses }],
      holdout: { path: p.holdout, rows: 50 },
      candidate_metrics: metrics(this.gatePasses ? 0.98 : 0.5),
      production_metrics: { ...metrics(0.95), version: 'v1' },
      validated_at: new Date().toISOString(),
    };
  }
  async deploy(ctx: EngineContext, p: { version?: string }): Promise<ModelVersion> {
    const file = path.join(stateDir(ctx.workspace), 'production.json');
    if (this.deployHalfDone) {
      this.calls.push('deploy');
      const prev = fs.readFileSync(file, 'utf8');
      if ((JSON.parse(prev) as { version: string }).version !== p.version) fs.writeFileSync(path.join(stateDir(ctx.workspace), 'previous.json'), prev);
      fs.writeFileSync(file, JSON.stringify({ version: p.version }) + '\n');
      throw new DriftCatcherError('deploy crashed after switching the pointer (injected)', 'EXTERNAL');
    }
    this.maybeFail('deploy');
    fs.writeFileSync(path.join(stateDir(ctx.workspace), 'previous.json'), fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ version: p.version }) + '\n');
    return readMeta(ctx.workspace, p.version ?? 'v1');
  }
  async rollback(ctx: EngineContext): Promise<ModelVersion> {
    this.maybeFail('rollback');
    const prev = fs.readFileSync(path.join(stateDir(ctx.workspace), 'previous.json'), 'utf8');
    fs.writeFileSync(path.join(stateDir(ctx.workspace), 'production.json'), prev);
    return readMeta(ctx.workspace, (JSON.parse(prev) as { version: string }).version);
  }
  async versionBaseline(_ctx: EngineContext, p: { modelVersion: string }): Promise<{ skipped: string }> {
    this.maybeFail('versionBaseline');
    return { skipped: `fake: ${p.modelVersion}` };
  }
  async production(ctx: EngineContext): Promise<ModelVersion | undefined> {
    const file = path.join(stateDir(ctx.workspace), 'production.json');
    if (!fs.existsSync(file)) return undefined;
    return readMeta(ctx.workspace, (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version);
  }
}

function writeMeta(ws: string, version: string, status: ModelVersion['status'], p?: TrainParams): void {
  const dir = path.join(stateDir(ws), 'models', version);
  fs.mkdirSync(dir, { recursive: true });
  const meta: ModelVersion = {
    version,
    status,
    created_at: '2025-01-01T00:00:00.000Z',
    metrics: metrics(0.95),
    lineage: [{ path: p?.baseData ?? 'baseline.csv', rows: 1000, sha256: 'x' }],
    train_rows: 1000,
    train_seconds: 2,
    features: ['a', 'b'],
    label: 'Label',
    classes: ['BENIGN', 'ATTACK'],
    trees: 10,
    validation: {
      version,
      passed: true,
      checks: [{ name: 'accuracy', value: 0.95, threshold: 0.9, comparison: '>=', passed: true }],
      holdout: { path: 'holdout.csv', rows: 50 },
      candidate_metrics: metrics(0.95),
      validated_at: '2025-01-01T00:00:00.000Z',
    },
  };
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(meta));
}

function readMeta(ws: string, version: string): ModelVersion {
  return JSON.parse(fs.readFileSync(path.join(stateDir(ws), 'models', version, 'meta.json'), 'utf8')) as ModelVersion;
}

/** sha256 of every file under `dir` (path → hash). */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

export function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
