import { strict as assert } from 'node:assert';
import { evaluatePolicy, POLICY_TABLE, applyConstraints } from '../../../src/core/agent/policy';
import { context } from './fakes';

const est = (drop: number) => ({ method: 'cbpe-binary', expected_accuracy: 0.97 - drop / 100, reference_accuracy: 0.97, drop_points: drop, reference_rows: 100, current_rows: 100 });

describe('agent policy table', () => {
  it('R3: no drift and a steady estimate → MONITOR', () => {
    const r = evaluatePolicy(context());
    assert.equal(r.action, 'MONITOR');
    assert.deepEqual(r.rules, ['R3']);
    assert.ok(r.confidence > 0.6 && r.confidence <= 0.95, String(r.confidence));
  });

  it('R1: severe overall drift → RETRAIN_URGENT', () => {
    const r = evaluatePolicy(context({ drift: { severity: 'severe', psi_mean: 0.25, psi_max: 0.4 } }));
    assert.equal(r.action, 'RETRAIN_URGENT');
    assert.deepEqual(r.rules, ['R1']);
    assert.match(r.rationale, /severe/);
  });

  it('R1: share drifted ≥ 0.3 → RETRAIN_URGENT, even when overall severity is none', () => {
    assert.equal(evaluatePolicy(context({ drift: { share_drifted: 0.3, n_drifted: 3 } })).action, 'RETRAIN_URGENT');
    assert.equal(evaluatePolicy(context({ drift: { share_drifted: 0.29, n_drifted: 3 } })).action, 'RETRAIN');
  });

  it('R1: estimated accuracy drop > 5 points → RETRAIN_URGENT, without any feature drift', () => {
    const r = evaluatePolicy(context({ estimate: est(6) }));
    assert.equal(r.action, 'RETRAIN_URGENT');
    assert.match(r.rationale, /accuracy dropped 6\.0 points/);
    assert.equal(evaluatePolicy(context({ estimate: est(5) })).action, 'RETRAIN');
  });

  it('R2: moderate severity, share ≥ 0.1, or a drop > 2 points → RETRAIN', () => {
    assert.equal(evaluatePolicy(context({ drift: { severity: 'moderate', psi_mean: 0.12, psi_max: 0.15 } })).action, 'RETRAIN');
    assert.equal(evaluatePolicy(context({ drift: { share_drifted: 0.1, n_drifted: 1 } })).action, 'RETRAIN');
    assert.equal(evaluatePolicy(context({ estimate: est(2.5) })).action, 'RETRAIN');
    assert.equal(evaluatePolicy(context({ estimate: est(2) })).action, 'MONITOR');
    assert.deepEqual(evaluatePolicy(context({ estimate: est(3) })).rules, ['R2']);
  });

  it('without an estimate the drift alone decides, and the missing estimate is noted', () => {
    const r = evaluatePolicy(context({ estimate: null, estimate_unavailable: 'no holdout' }));
    assert.equal(r.action, 'MONITOR');
    assert.ok(r.considerations.some((c) => c.includes('no holdout')));
  });

  it('C1: no labels → MONITOR with the risk noted', () => {
    const r = evaluatePolicy(context({ drift: { severity: 'severe' }, labels: { available: false, column: null } }));
    assert.equal(r.action, 'MONITOR');
    assert.deepEqual(r.rules, ['R1', 'C1']);
    assert.ok(r.risks.some((x) => /no label column/.test(x)));
  });

  it('C2: inside the minimum retrain interval RETRAIN is deferred, RETRAIN_URGENT kept with a note', () => {
    const time = { ...context().time, hours_since_last_retrain: 2, min_hours_between_retrains: 24 };
    const r = evaluatePolicy(context({ drift: { share_drifted: 0.15 }, time }));
    assert.equal(r.action, 'MONITOR');
    assert.deepEqual(r.rules, ['R2', 'C2']);
    assert.match(r.rationale, /deferred.*2\.0 h ago/);
    const u = evaluatePolicy(context({ drift: { severity: 'severe' }, time }));
    assert.equal(u.action, 'RETRAIN_URGENT');
    assert.ok(u.considerations.some((c) => /overrides the minimum/.test(c)));
  });

  it('C3: outside the maintenance window RETRAIN is deferred, RETRAIN_URGENT kept with a risk', () => {
    const time = { ...context().time, maintenance_window: '02:00-04:00', in_maintenance_window: false };
    assert.equal(evaluatePolicy(context({ drift: { share_drifted: 0.15 }, time })).action, 'MONITOR');
    const u = evaluatePolicy(context({ drift: { severity: 'severe' }, time }));
    assert.equal(u.action, 'RETRAIN_URGENT');
    assert.ok(u.risks.some((x) => /maintenance window/.test(x)));
  });

  it('K1/K2: recent failures lower confidence; a thin validation margin is a risk', () => {
    const base = evaluatePolicy(context({ drift: { severity: 'severe' } }));
    const k1 = evaluatePolicy(context({ drift: { severity: 'severe' }, risk: { validation_margin: 0.1, recent_failed_plans: 3 } }));
    assert.ok(k1.rules.includes('K1'));
    assert.ok(Math.abs(k1.confidence - base.confidence * 0.8) < 0.002);
    const k2 = evaluatePolicy(context({ risk: { validation_margin: 0.005, recent_failed_plans: 0 } }));
    assert.ok(k2.rules.includes('K2'));
    assert.ok(k2.risks.some((x) => /passed validation with little room: margin 0\.005/.test(x)));
    // a production model that failed its last validation is said so, not "passed by only -0.183"
    const failed = evaluatePolicy(context({ risk: { validation_margin: -0.183, validation_passed: false, validation_weakest: 'accuracy 0.7170 is below the floor 0.9000', recent_failed_plans: 0 } }));
    assert.deepEqual(failed.risks, ['the production model failed its last validation (accuracy 0.7170 is below the floor 0.9000)']);
  });

  it('C1 reads the right way round: monitoring because there are no labels, then why the drift alone would retrain', () => {
    const r = evaluatePolicy(context({ drift: { severity: 'severe' }, labels: { available: false, column: null } }));
    assert.equal(r.action, 'MONITOR');
    assert.match(r.rationale, /^Keep monitoring: the batch has no label column, so there is nothing to retrain on; label a sample\. \(Without that constraint: retrain urgently: /);
    assert.doesNotMatch(r.rationale, /Cannot retrain without labels\. Retrain urgently/);
  });

  it('confidence grows with the margin from the thresholds, and the policy is deterministic', () => {
    const near = evaluatePolicy(context({ estimate: est(5.2) }));
    const far = evaluatePolicy(context({ estimate: est(12) }));
    assert.ok(far.confidence > near.confidence, `${far.confidence} > ${near.confidence}`);
    const calm = evaluatePolicy(context({ drift: { psi_max: 0.01 }, estimate: est(0) }));
    const edgy = evaluatePolicy(context({ drift: { psi_max: 0.095 }, estimate: est(0) }));
    assert.ok(calm.confidence > edgy.confidence);
    assert.deepEqual(evaluatePolicy(context({ estimate: est(3) })), evaluatePolicy(context({ estimate: est(3) })));
  });

  it('constraints leave MONITOR alone and the documented table names every rule the code uses', () => {
    assert.equal(applyConstraints('MONITOR', context({ labels: { available: false, column: null } })).action, 'MONITOR');
    assert.deepEqual(POLICY_TABLE.map((r) => r.id), ['R1', 'R2', 'R3', 'V1', 'C1', 'C2', 'C3', 'K1', 'K2']);
  });
});
