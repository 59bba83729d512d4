import * as assert from 'node:assert/strict';
import { driftImpact, psiNoiseLevel } from '../../../src/core/agent/impact';
import { evaluatePolicy } from '../../../src/core/agent/policy';
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

  it('RETRAIN_URGENT only with evidence of an accuracy drop; drift alone retrains at most', () => {
    const drifted = { weighted_psi: 0.5, weighted_share_drifted: 0.9, significant_drifted: 9, importance_known: true, top: [] };
    const noDrop = evaluatePolicy(context({ drift: { severity: 'severe', share_drifted: 0.9, impact: drifted } }));
    assert.equal(noDrop.action, 'RETRAIN');
    const est = (expected: number, lo: number, hi: number) => ({ method: 'cbpe-binary', expected_accuracy: expected, reference_accuracy: 0.95, drop_points: (0.95 - expected) * 100, interval: [lo, hi], reference_rows: 500, current_rows: 500 });
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
    const r = evaluatePolicy(context({ drift: { impact: drifted }, value }));
    assert.equal(r.action, 'MONITOR');
    assert.ok(r.rules.includes('V1'));
    assert.match(r.rationale, /^Keep monitoring: the last 2 retrains did not beat production on the gate/);
  });
});
