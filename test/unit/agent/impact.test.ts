import * as assert from 'node:assert/strict';
import { retrainValue } from '../../../src/core/agent/context';
import { driftImpact, psiNoiseLevel } from '../../../src/core/agent/impact';
import { evaluatePolicy } from '../../../src/core/agent/policy';
import { realisedAccuracy } from '../../../src/core/agent/realised';
import type { ModelVersion } from '../../../src/core/protocol';
import { context, report } from './fakes';

describe('importance-weighted, sample-size-aware drift', () => {
  it('PSI noise level: the 99 % point of χ²(bins − 1) / n_eff, so small batches need far larger PSI', () => {
    // χ²(10) 99 % point is 23.209; n_eff = 1000·300/1300
    assert.ok(Math.abs(psiNoiseLevel(11, 1000, 300) - 23.209 / ((1000 * 300) / 1300)) < 1e-3);
    assert.ok(psiNoiseLevel(11, 50_000, 50_000) < 0.001);
    assert.ok(psiNoiseLevel(11, 1000, 90) > 0.25);
  });

  it('a drifted column the model does not use weighs nothing; one it relies on counts with its importance', () => {
    const r = report({ total: 4, drifted: 1, psi: 0.6, names: ['Country', 'Age', 'Income', 'Score'] });
    const model = { columns: [
      { name: 'Country', kind: 'excluded', importance: 0 },
      { name: 'Age', kind: 'numeric', importance: 0.7 },
      { name: 'Income', kind: 'numeric', importance: 0.2 },
      { name: 'Score', kind: 'categorical', importance: 0.1 },
    ] } as unknown as ModelVersion;
    const unused = driftImpact(r, model, 0.1);
    assert.equal(unused.significant_drifted, 1);
    assert.equal(unused.weighted_share_drifted, 0);
    const used = driftImpact(report({ total: 4, drifted: 2, psi: 0.6, names: ['Age', 'Score', 'Country', 'Income'] }), model, 0.1);
    assert.ok(Math.abs(used.weighted_share_drifted - 0.8) < 1e-12);
    assert.deepEqual(used.top.map((f) => f.name), ['Age', 'Score']);
  });

  const est = (expected: number, lo: number, hi: number) => ({ method: 'cbpe-binary', expected_accuracy: expected, reference_accuracy: 0.95, drop_points: (0.95 - expected) * 100, interval: [lo, hi], reference_rows: 500, current_rows: 500 });

  it('drift alone is no evidence of impact: it retrains only with an estimated or realised drop beyond noise', () => {
    const drifted = { weighted_psi: 0.5, weighted_share_drifted: 0.9, significant_drifted: 9, importance_known: true, top: [] };
    // seasonal data: every important feature moved, the estimate says the model copes
    const alone = evaluatePolicy(context({ drift: { severity: 'severe', share_drifted: 0.9, impact: drifted }, estimate: est(0.94, 0.92, 0.96) }));
    assert.equal(alone.action, 'MONITOR');
    assert.match(alone.rationale, /^Keep monitoring: 90% of the model's feature importance sits on features drifted beyond sampling noise: ; but no evidence that performance suffered \(estimated accuracy 0\.940 vs 0\.950 on the holdout\)/);
    // nothing measures the impact (no estimate, no labels yet): the drift decides
    const blind = evaluatePolicy(context({ drift: { impact: drifted }, estimate: null }));
    assert.equal(blind.action, 'RETRAIN');
    assert.match(blind.rationale, /\(no estimate or realised accuracy to measure its impact\)/);
    // the estimate's interval stays below the holdout's accuracy: drift now counts
    const corroborated = evaluatePolicy(context({ drift: { impact: drifted }, estimate: est(0.93, 0.915, 0.945) }));
    assert.equal(corroborated.action, 'RETRAIN');
    assert.match(corroborated.rationale, /importance sits on features drifted beyond sampling noise: , and estimated accuracy dropped 2\.0 points \(at least 0\.5, 95 %\)/);
    // a realised drop beyond its noise corroborates as well
    const measured = evaluatePolicy(context({ drift: { impact: drifted }, estimate: est(0.95, 0.93, 0.97), realised: realisedAccuracy('batch_5.csv', 1860, 2000, 0.95, 1000) }));
    assert.equal(measured.action, 'RETRAIN');
    assert.match(measured.rationale, /and realised accuracy on batch_5\.csv fell 2\.0 points below the holdout's \(at least 0\.5, 95 %\)/);
    assert.ok(measured.considerations.some((x) => /^realised accuracy on batch_5\.csv \(labels arrived\): 0\.930 on 2000 rows vs 0\.950/.test(x)));
  });

  it('realised accuracy: a drop tested against both samples\' binomial noise (one-sided 95 %)', () => {
    const r = realisedAccuracy('b.csv', 1860, 2000, 0.95, 1000)!;
    // se = sqrt(0.95·0.05/1000 + 0.93·0.07/2000); z = scipy.stats.norm.ppf(0.95)
    const se = Math.sqrt((0.95 * 0.05) / 1000 + (0.93 * 0.07) / 2000);
    assert.ok(Math.abs(r.drop_points - 2) < 1e-9);
    assert.ok(Math.abs(r.drop_low_points - (2 - 1.6448536269514722 * se * 100)) < 1e-9);
    // 5 points on 90 rows is within the noise; 8 points on 2,000 is urgent even without drift
    const small = realisedAccuracy('s.csv', 81, 90, 0.95, 300)!;
    assert.ok(small.drop_low_points < 0);
    assert.equal(evaluatePolicy(context({ realised: small })).action, 'MONITOR');
    const urgent = evaluatePolicy(context({ realised: realisedAccuracy('u.csv', 1740, 2000, 0.95, 1000) }));
    assert.equal(urgent.action, 'RETRAIN_URGENT');
    assert.match(urgent.rationale, /^Retrain urgently: realised accuracy on u\.csv fell 8\.0 points/);
    assert.equal(realisedAccuracy('e.csv', 0, 0, 0.95, 100), null);
  });

  it('RETRAIN_URGENT only with evidence of an accuracy drop', () => {
    const drifted = { weighted_psi: 0.5, weighted_share_drifted: 0.9, significant_drifted: 9, importance_known: true, top: [] };
    const drop = evaluatePolicy(context({ drift: { severity: 'severe', impact: drifted }, estimate: est(0.85, 0.82, 0.88) }));
    assert.equal(drop.action, 'RETRAIN_URGENT');
    assert.match(drop.rationale, /estimated accuracy dropped 10\.0 points \(at least 7\.0, 95 %\)/);
    // a large point estimate whose interval reaches back to no loss is no evidence
    const wide = evaluatePolicy(context({ drift: { severity: 'severe', impact: { ...drifted, weighted_share_drifted: 0 } }, estimate: est(0.88, 0.8, 0.97) }));
    assert.equal(wide.action, 'MONITOR');
  });

  it('V1: after retrains the gate did not deploy, drift alone no longer retrains', () => {
    const drifted = { weighted_psi: 0.5, weighted_share_drifted: 0.5, significant_drifted: 5, importance_known: true, top: [] };
    const value = { expected_gain_points: 0, cost_points: 0.5, net_points: -0.5, basis: 'x', unpaid_retrains: 2, backoff_after: 2 };
    // drift with a small but real estimated drop: R2 would retrain
    const weak = est(0.93, 0.915, 0.945);
    assert.equal(evaluatePolicy(context({ drift: { impact: drifted }, estimate: weak })).action, 'RETRAIN');
    const r = evaluatePolicy(context({ drift: { impact: drifted }, estimate: weak, value }));
    assert.equal(r.action, 'MONITOR');
    assert.ok(r.rules.includes('V1'));
    assert.match(r.rationale, /^Keep monitoring: the last 2 retrains did not beat production on the gate/);
  });

  it("the value of a retrain says why no gain is expected: an estimate without a loss is not 'no estimate'", () => {
    const estimate = { method: 'cbpe-binary', expected_accuracy: 0.967, interval: [0.96, 0.973] as [number, number], reference_accuracy: 0.9677, drop_points: 0.07, reference_rows: 2400, current_rows: 9900 };
    const none = retrainValue(estimate, [], 0.5);
    assert.equal(none.net_points, null);
    assert.match(none.basis, /the label-free estimate shows no accuracy loss/);
    assert.doesNotMatch(none.basis, /no label-free estimate/);
    assert.match(retrainValue(null, [], 0.5).basis, /^no label-free estimate, no realised accuracy and no retrain history to estimate the gain from$/);
    const lost = retrainValue({ ...estimate, interval: [0.9, 0.94] }, [], 0.5);
    assert.match(lost.basis, /^gain from the estimated accuracy lost \(at least 2\.77 points, 95 %\)$/);
    assert.ok(Math.abs(lost.net_points! - 2.27) < 1e-9);
  });
});
