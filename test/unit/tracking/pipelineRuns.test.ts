import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Decision, DriftReport, Plan } from '../../../src/core/protocol';
import { confusionCounts, EXPERIMENTS, logDriftRun, logPlanningRun, logReasoningRun } from '../../../src/core/tracking/pipelineRuns';
import { localMetricHistory, localRuns } from '../../../src/core/tracking/queries';
import { makeCtx, tempDir } from './helpers';
import { MetricsSchema } from '../../../src/core/model/schemas';

function report(psi: number, created: string): DriftReport {
  return {
    overall: { psi_mean: psi, psi_max: psi * 2, n_drifted: 5, share_drifted: 5 / 78, severity: 'severe', total_features: 78 },
    features: [],
    quality: [],
    baseline: { source: 'data/baseline.csv', rows: 100 },
    current: { source: 'data/current.csv', rows: 50 },
    thresholds: { moderate: 0.1, severe: 0.2, p_value: 0.01 },
    created_at: created,
    seconds: 0.1,
  };
}

describe('tracking/pipeline runs (the seed\'s experiment and metric names)', () => {
  let ws: string;
  beforeEach(() => (ws = tempDir()));
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('drift_monitoring: overall_psi, n_drifted_features, total_features; threshold, method; data_source, timestamp', async () => {
    const ctx = makeCtx(ws);
    const seen: string[] = [];
    ctx.notify = (m) => void seen.push(m);
    await logDriftRun(ctx, report(0.25, '2024-01-01T00:00:00.000Z'));
    await new Promise((r) => setTimeout(r, 3));
    await logDriftRun(ctx, report(0.05, '2024-01-02T00:00:00.000Z'));
    const [run] = localRuns(ws, 'drift_monitoring');
    assert.deepEqual(Object.keys(run.metrics).sort(), ['n_drifted_features', 'overall_psi', 'total_features']);
    assert.deepEqual(run.params, { method: 'psi', threshold: '0.1' });
    assert.equal(run.tags.data_source, 'data/current.csv');
    assert.equal(run.tags.timestamp, '2024-01-02T00:00:00.000Z');
    assert.deepEqual(localMetricHistory(ws, EXPERIMENTS.drift, 'overall_psi').map((p) => p.value), [0.25, 0.05]);
    assert.deepEqual(seen, ['driftcatcher/runLogged', 'driftcatcher/runLogged']);
  });

  it('agentic_reasoning and agentic_planning runs', async () => {
    const ctx = makeCtx(ws);
    const decision: Decision = { id: 'd1', action: 'RETRAIN', confidence: 0.8, rationale: 'r', considerations: [], risks: [], source: 'policy', fallback_reason: 'LLM timeout', created_at: 'now' };
    await logReasoningRun(ctx, decision, { drift_psi: 0.3, model: 'liquid/lfm' });
    const [r] = localRuns(ws, 'agentic_reasoning');
    assert.deepEqual(r.metrics, { confidence_score: 0.8 });
    assert.deepEqual(r.params, { action: 'RETRAIN', drift_psi: '0.3', model: 'liquid/lfm' });
    assert.equal(r.tags.reasoning_type, 'rule_based');

    const step = (status: 'completed' | 'failed' | 'pending') => ({ id: status, tool: 'notify' as const, args: {}, depends_on: [], status, attempts: 1 });
    const plan: Plan = { id: 'p1', decision_id: 'd1', goal: 'retrain', urgency: 'high', autonomy: 'approve', status: 'failed', steps: [step('completed'), step('failed'), step('pending')], created_at: '', updated_at: '' };
    await logPlanningRun(ctx, plan);
    const [p] = localRuns(ws, 'agentic_planning');
    assert.deepEqual(p.metrics, { total_steps: 3, completed_steps: 1, failed_steps: 1 });
    assert.deepEqual(p.params, { goal: 'retrain', urgency: 'high' });
    assert.equal(p.tags.plan_id, 'p1');
    assert.equal(p.tags.execution_status, 'failed');
  });

  it('never throws when tracking itself fails: the failure is logged', async () => {
    const logs: string[] = [];
    const ctx = makeCtx(ws, {}, logs);
    fs.writeFileSync(path.join(ws, 'mlruns'), 'a file where the store folder should be');
    assert.equal(await logDriftRun(ctx, report(0.1, 'x')), undefined);
    assert.equal(logs.length, 1);
    assert.match(logs[0], /could not track the drift_monitoring run/);
  });

  it('confusion counts: binary as is, multi-class as first class (BENIGN) vs the rest', () => {
    const base = { accuracy: 1, precision: 1, recall: 1, f1: 1, roc_auc: null, rows: 1 };
    assert.deepEqual(confusionCounts(MetricsSchema.parse({ ...base, confusion: { tn: 1, fp: 2, fn: 3, tp: 4, labels: [] } })), { true_negatives: 1, false_positives: 2, false_negatives: 3, true_positives: 4 });
    const matrix = [
      [10, 1, 2],
      [3, 20, 1],
      [4, 0, 30],
    ];
    assert.deepEqual(confusionCounts(MetricsSchema.parse({ ...base, confusion: { matrix, labels: ['BENIGN', 'DDoS', 'PortScan'] } })), { true_negatives: 10, false_positives: 3, false_negatives: 7, true_positives: 51 });
  });
});
