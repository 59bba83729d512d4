import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ledgerDir } from '../../../src/core/model/ledger';
import { stateDir } from '../../../src/core/config';
import { buildContext, DecisionContextSchema, findLabelColumn, inMaintenanceWindow } from '../../../src/core/agent/context';
import { evaluatePolicy } from '../../../src/core/agent/policy';
import { carriedOutcomes, estimateOutcomes, readDecision } from '../../../src/core/agent/decisionLog';
import { runAgent } from '../../../src/core/agent/runAgent';
import { carriedTrend, learnBias } from '../../../src/core/agent/estimateCorrection';
import { decisionWithEvidence } from '../../../src/core/agent/evidence';
import type { EngineContext } from '../../../src/core/engine';
import { FakeTools, makeCtx, report, tempWorkspace, writeCsv } from './fakes';

/** Fake production probabilities: calibrated on the holdout, and a current batch the model is unsure about. */
class ProbaTools extends FakeTools {
  async predictProba(_ctx: EngineContext, p: { file: string }) {
    const n = 400;
    const proba = new Float64Array(n * 2);
    const holdout = p.file.endsWith('holdout.csv');
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const q = holdout ? (i % 2 ? 0.95 : 0.05) : 0.6; // current: every row at 0.6 → ~60 % right
      proba[i * 2 + 1] = q;
      proba[i * 2] = 1 - q;
      labels[i] = holdout ? (i % 20 === 0 ? 1 - (i % 2) : i % 2) : 0; // holdout: 95 % right
    }
    return { matrix: { proba, k: 2 }, classes: ['BENIGN', 'ATTACK'], ...(holdout ? { labels } : {}) };
  }
}

/** ProbaTools whose batches (400 rows) carry labels: class 1 on `onesOfFive` rows in every five, so p = 0.6 is right on that share */
class LabelledTools extends ProbaTools {
  constructor(public onesOfFive: number) {
    super();
  }
  override async predictProba(ctx: EngineContext, p: { file: string }) {
    const r = await super.predictProba(ctx, p);
    return r.labels ? r : { ...r, labels: Int32Array.from({ length: 400 }, (_, i) => (i % 5 < this.onesOfFive ? 1 : 0)) };
  }
}

/** A workspace with production model v1 and its holdout, where the agent runs on batches labelled as LabelledTools says. */
function agentOnLabelledBatches(onesOfFive: number): { ws: string; ctx: EngineContext; tools: LabelledTools } {
  const ws = tempWorkspace();
  FakeTools.seed(ws);
  writeCsv(path.join(ws, 'holdout.csv'), ['a', 'Label'], 5);
  const tools = new LabelledTools(onesOfFive);
  tools.driftReport = report();
  return { ws, ctx: makeCtx(ws), tools };
}

describe('agent decision context', () => {
  it('gathers drift, production metrics, the label-free estimate, cost, risk, time and labels', async () => {
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    writeCsv(path.join(ws, 'holdout.csv'), ['a', 'Label'], 5);
    const current = writeCsv(path.join(ws, 'current.csv'), [' Flow Duration', ' Label'], 5);
    const ctx = makeCtx(ws, { agent: { minHoursBetweenRetrains: 24, maintenanceWindow: '' } });
    const c = await buildContext(ctx, new ProbaTools(), { current, report: report({ total: 10, drifted: 1, psi: 0.12 }), now: new Date('2025-01-01T06:00:00Z') });
    assert.equal(c.production?.version, 'v1');
    assert.equal(c.labels.column, 'Label');
    assert.equal(c.drift.top_features.length, 5);
    assert.ok(c.estimate, c.estimate_unavailable);
    assert.ok(Math.abs(c.estimate.reference_accuracy - 0.95) < 1e-9);
    assert.ok(Math.abs(c.estimate.expected_accuracy - 0.6) < 0.06, String(c.estimate.expected_accuracy));
    assert.ok(c.estimate.drop_points > 25, String(c.estimate.drop_points));
    assert.equal(c.cost.seconds_per_row, 2 / 1000);
    assert.equal(c.time.hours_since_last_retrain, 6);
    // the estimate alone makes it urgent, but the last retrain was 6 h ago: urgent overrides the interval, noted
    const p = evaluatePolicy(c);
    assert.equal(p.action, 'RETRAIN_URGENT');
    assert.deepEqual(p.rules, ['R1', 'C2']);
  });

  it('a batch that came with its labels: the realised accuracy is recorded beside the estimate (not for a file the model trained on)', async () => {
    // the current batch carries labels: the model (p = 0.6 for class 1 on every row) is right on 60 % of it
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    writeCsv(path.join(ws, 'holdout.csv'), ['a', 'Label'], 5);
    const current = writeCsv(path.join(ws, 'current.csv'), [' Flow Duration', ' Label'], 5);
    const c = await buildContext(makeCtx(ws), new LabelledTools(3), { current, report: report() });
    assert.ok(c.estimate && c.realised);
    assert.equal(c.realised.source, 'current.csv');
    assert.equal(c.realised.rows, 400);
    assert.ok(Math.abs(c.realised.accuracy - 0.6) < 1e-12);
    assert.ok(Math.abs(c.realised.reference_accuracy - c.estimate.reference_accuracy) < 1e-12);
    assert.ok(Math.abs(c.realised.drop_points - 35) < 1e-9 && c.realised.drop_low_points > 30);
    // it survives the decision log's schema, and the retrain's value rests on it
    assert.deepEqual(DecisionContextSchema.parse(c).realised, c.realised);
    assert.match(c.value!.basis, /accuracy lost \(at least/);
    // the model's own training file says nothing about how it does on new data
    const baseline = writeCsv(path.join(ws, 'baseline.csv'), [' Flow Duration', ' Label'], 5);
    const own = await buildContext(makeCtx(ws), new LabelledTools(3), { current: baseline, report: report() });
    assert.equal(own.realised, null);
  });

  it('the production model\'s logged estimates whose labels arrived correct its next estimate (never one batch\'s own)', async () => {
    // labelled batches on which the model is right 40 % of the time while CBPE (p = 0.6 everywhere) says about 60 %
    const { ws, ctx, tools } = agentOnLabelledBatches(2);
    const first = writeCsv(path.join(ws, 'week1.csv'), [' Flow Duration', ' Label'], 5);
    const a = readDecision(ws, (await runAgent(ctx, { current: first, autonomy: 'suggest' }, tools)).decision.id);
    assert.equal(a.context.estimate?.bias_correction, undefined, 'nothing labelled yet');
    const cbpe = a.context.estimate!.expected_accuracy;
    assert.ok(Math.abs(a.context.estimate!.realised_accuracy! - 0.4) < 1e-12 && cbpe > 0.5);
    assert.deepEqual(estimateOutcomes(ws, 'v1'), [{ cbpe_accuracy: cbpe, interval: a.context.estimate!.interval, realised_accuracy: 0.4 }]);
    assert.deepEqual(estimateOutcomes(ws, 'v1', 'week1.csv'), [], 'a batch never learns from its own labels');
    assert.deepEqual(estimateOutcomes(ws, 'v2'), [], 'another model\'s residuals do not count');

    const second = writeCsv(path.join(ws, 'week2.csv'), [' Flow Duration', ' Label'], 5);
    const b = readDecision(ws, (await runAgent(ctx, { current: second, autonomy: 'suggest' }, tools)).decision.id);
    const e = b.context.estimate!;
    assert.equal(e.bias_correction?.batches, 1);
    assert.equal(e.cbpe_accuracy, cbpe);
    assert.ok(e.bias_correction!.points < -10, `learnt ${e.bias_correction!.points} points`);
    assert.ok(Math.abs(e.expected_accuracy - (cbpe + e.bias_correction!.points / 100)) < 1e-12);
    assert.ok(Math.abs(e.expected_accuracy - 0.4) < Math.abs(cbpe - 0.4));
    // logged as made and read back through the decision log's schema; the evidence shows the corrected figure
    assert.equal(decisionWithEvidence(b).evidence?.estimate?.expected_accuracy, e.expected_accuracy);
  });

  it('a newly deployed model starts from the trend of the model it replaced when that trend was in force, until its own labels arrive', async () => {
    const { ws, ctx, tools } = agentOnLabelledBatches(4);
    const week = async (n: number, onesOfFive: number) => {
      tools.onesOfFive = onesOfFive;
      const file = writeCsv(path.join(ws, `week${n}.csv`), [' Flow Duration', ' Label'], 5);
      return readDecision(ws, (await runAgent(ctx, { current: file, autonomy: 'suggest' }, tools)).decision.id).context.estimate!;
    };
    // v1 is right on 80, 60, 40, 20 % of its batches while CBPE says about 60 %: a residual falling 20 points a batch
    for (const [n, ones] of [[1, 4], [2, 3], [3, 2], [4, 1]]) await week(n, ones);
    const v1 = learnBias(estimateOutcomes(ws, 'v1'))!;
    assert.equal(v1.forecast, 'trend');
    const expected = carriedTrend(estimateOutcomes(ws, 'v1'))!;
    assert.ok(expected.carried && expected.points < -10, JSON.stringify(expected));
    // v2 replaces it: its first estimate is one slope off CBPE, marked carried
    FakeTools.seed(ws, 'v2');
    fs.writeFileSync(path.join(stateDir(ws), 'production.json'), JSON.stringify({ version: 'v2', stack: ['v1', 'v2'] }) + '\n');
    const first = await week(5, 1);
    assert.equal(first.bias_correction?.carried, true);
    assert.equal(first.bias_correction?.points, expected.points);
    assert.ok(Math.abs(first.expected_accuracy - (first.cbpe_accuracy! + expected.points / 100)) < 1e-12);
    // its labels arrived with it: the carried trend's record across models holds it
    const [record] = carriedOutcomes(ws);
    assert.equal(record.carried_points, expected.points);
    assert.ok(Math.abs(record.residual_points - (0.2 - first.cbpe_accuracy!) * 100) < 1e-9);
    // once v2's own batch is labelled, its own residual decides
    const second = await week(6, 1);
    assert.equal(second.bias_correction?.carried, undefined);
    assert.equal(second.bias_correction?.batches, 1);
    // replaced after its first labelled batch, v1 had no trend in force (no record yet) and would hand nothing on
    assert.equal(carriedTrend(estimateOutcomes(ws, 'v1').slice(0, 1)), null);
  });

  it('calibrates on the newest of the ledger batches validate scored the model on, older ones only as needed for 200 rows', async () => {
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    const dir = ledgerDir(ws);
    fs.mkdirSync(dir, { recursive: true });
    const batch = (name: string, rows: number) => {
      writeCsv(path.join(dir, `${name}-holdout.csv`), ['a', 'Label'], 5);
      return { id: name, source: `data/${name}.csv`, sha256: name, rows: rows * 6, holdout_rows: rows, labels: {}, file: `${name}-holdout.csv`, added_at: '2025-01-01T00:00:00.000Z' };
    };
    const batches = [batch('b1', 400), batch('b2', 120), batch('b3', 150)];
    fs.writeFileSync(path.join(dir, 'ledger.json'), JSON.stringify({ format: 1, seed: 42, fraction: 0.15, created_at: '2025-01-01T00:00:00.000Z', batches, derived: [] }));
    // production was validated on the three batches' held-out rows, materialised as holdout.csv
    const metaFile = path.join(stateDir(ws), 'models', 'v1', 'meta.json');
    const meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    meta.validation.holdout = { path: 'holdout.csv', rows: 670, batches: batches.map((b) => b.source) };
    fs.writeFileSync(metaFile, JSON.stringify(meta));
    writeCsv(path.join(ws, 'holdout.csv'), ['a', 'Label'], 5);
    const current = writeCsv(path.join(ws, 'current.csv'), ['a', 'Label'], 5);
    const scored: string[] = [];
    class Recording extends ProbaTools {
      override async predictProba(c: EngineContext, p: { file: string }) {
        scored.push(path.relative(ws, p.file));
        // the materialised ledger rows are a holdout too (labelled, calibrated)
        return super.predictProba(c, { file: p.file.startsWith(dir) ? 'ledger-holdout.csv' : p.file });
      }
    }
    const c = await buildContext(makeCtx(ws), new Recording(), { current, report: report({ total: 10, drifted: 0, psi: 0.01 }) });
    assert.ok(c.estimate, c.estimate_unavailable);
    // b3 alone has 150 rows: b2 joins (270 ≥ 200), b1 stays out
    const reference = scored[0];
    assert.ok(path.resolve(ws, reference).startsWith(dir), reference);
    const written = fs.readFileSync(path.join(ws, reference), 'utf8').trim().split('\n');
    assert.equal(written.length - 1, 10, 'the rows of b2 and b3 (5 each), not b1');
    // a hand-given holdout (no ledger batches) is used whole
    meta.validation.holdout = { path: 'holdout.csv', rows: 50 };
    fs.writeFileSync(metaFile, JSON.stringify(meta));
    scored.length = 0;
    await buildContext(makeCtx(ws), new Recording(), { current, report: report({ total: 10, drifted: 0, psi: 0.01 }) });
    assert.equal(scored[0], 'holdout.csv');
  });

  it('without predictProba the estimate is unavailable, with the reason', async () => {
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    const current = writeCsv(path.join(ws, 'current.csv'), ['a'], 3);
    const c = await buildContext(makeCtx(ws), new FakeTools(), { current, report: report() });
    assert.equal(c.estimate, null);
    assert.match(c.estimate_unavailable ?? '', /no production model or holdout/);
    assert.equal(c.labels.available, false);
  });

  it('maintenance windows, including one across midnight', () => {
    const at = (h: number, m = 0) => new Date(2025, 0, 1, h, m);
    assert.equal(inMaintenanceWindow('', at(12)), true);
    assert.equal(inMaintenanceWindow('02:00-04:00', at(3)), true);
    assert.equal(inMaintenanceWindow('02:00-04:00', at(4)), false);
    assert.equal(inMaintenanceWindow('22:00-02:30', at(23, 59)), true);
    assert.equal(inMaintenanceWindow('22:00-02:30', at(2, 15)), true);
    assert.equal(inMaintenanceWindow('22:00-02:30', at(12)), false);
  });

  it('finds the label column in quoted, padded headers', async () => {
    const ws = tempWorkspace();
    const f = writeCsv(path.join(ws, 'x.csv'), ['a,b', ' Label '], 1);
    assert.equal(await findLabelColumn(f, undefined), 'Label');
    assert.equal(await findLabelColumn(f, 'target'), null);
  });
});
