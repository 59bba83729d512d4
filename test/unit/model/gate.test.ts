import * as assert from 'node:assert/strict';
import { loadConfig } from '../../../src/core/config';
import { classificationMetrics } from '../../../src/core/model/metrics';
import { effectiveValidation, failedChecks, gateChecks, metricValue, weakestMargin } from '../../../src/core/model/gate';
import type { ClassificationMetrics } from '../../../src/core/protocol';

/** Metrics of `pred` against `truth` (binary), computed by the engine's own metrics. */
function scored(truth: number[], pred: number[]): ClassificationMetrics {
  return classificationMetrics(Int32Array.from(truth), Int32Array.from(pred), null, ['neg', 'pos']);
}

/** 100 rows, 10 positives: a model that finds `hits` of them and raises `falseAlarms` false alarms. */
function model(hits: number, falseAlarms: number): ClassificationMetrics {
  const truth = Array.from({ length: 100 }, (_, i) => (i < 10 ? 1 : 0));
  const pred = truth.map((t, i) => (t === 1 ? (i < hits ? 1 : 0) : i < 10 + falseAlarms ? 1 : 0));
  return scored(truth, pred);
}

const generic = () => effectiveValidation(loadConfig('/nonexistent', {}, {}));

describe('validation gate (champion/challenger, MLflow MetricThreshold semantics)', () => {
  it('never passes a constant predictor, whatever its accuracy', () => {
    const constant = model(0, 0); // always "neg": accuracy 0.90 on 90 % negatives
    assert.equal(constant.accuracy, 0.9);
    for (const v of [generic(), effectiveValidation(loadConfig('/nonexistent', { dataset: 'CICIDS2017' }, {}))]) {
      const checks = gateChecks({ candidate: constant }, v);
      const base = checks.filter((c) => c.kind === 'baseline');
      assert.deepEqual(base.map((c) => [c.name, c.passed]), [
        ['balanced_accuracy_beats_majority_class', false],
        ['macro_f1_beats_majority_class', false],
      ]);
      assert.match(failedChecks(checks), /balanced_accuracy 0\.5000 does not beat the majority-class predictor's 0\.5000/);
    }
    // a real model on the same rows passes those checks
    assert.ok(gateChecks({ candidate: model(8, 2) }, generic()).every((c) => c.passed));
  });

  it('default (generic data): no absolute floors; the candidate must beat production by min_absolute_change and not regress', () => {
    const v = generic();
    assert.equal(v.accuracy, undefined);
    // a model at 0.75 balanced accuracy passes without production: no fixed 0.90 / 0.85 floor
    const modest = model(6, 10);
    assert.ok(gateChecks({ candidate: modest }, v).every((c) => c.passed), failedChecks(gateChecks({ candidate: modest }, v)));

    const prod = { ...model(6, 4), version: 'v3' };
    const same = gateChecks({ candidate: model(6, 4), production: prod }, v);
    const imp = same.find((c) => c.kind === 'improvement')!;
    assert.equal(imp.name, 'balanced_accuracy_improves_on_v3');
    // MLflow: candidate ≥ baseline + min_absolute_change; the threshold is in the metric's units
    assert.ok(Math.abs(imp.threshold - (metricValue(prod, 'balanced_accuracy') + 0.002)) < 1e-12);
    assert.equal(imp.value, metricValue(prod, 'balanced_accuracy'));
    assert.equal(imp.passed, false);
    assert.match(imp.message!, /^balanced_accuracy 0\.\d{4} does not beat production v3 \(0\.\d{4}\) by the required 0\.002/);

    const better = gateChecks({ candidate: model(8, 4), production: prod }, v);
    assert.ok(better.every((c) => c.passed), failedChecks(better));
    // a regression guard: accuracy may not fall more than maxRegression below production
    const reg = gateChecks({ candidate: model(9, 12), production: prod }, v).find((c) => c.name === 'accuracy_not_below_v3')!;
    assert.equal(reg.kind, 'regression');
    assert.ok(Math.abs(reg.threshold - (prod.accuracy - 0.01)) < 1e-12);
    assert.equal(reg.passed, false);
    assert.match(reg.message!, /accuracy 0\.\d{4} is more than 0\.01 below production v3/);
  });

  it('min_relative_change, greater_is_better=false and flat floors follow MLflow', () => {
    const v = effectiveValidation(
      loadConfig('/nonexistent', { validation: { metrics: { macro_f1: { min_relative_change: 0.1 }, accuracy: { threshold: 0.2, greater_is_better: false } }, f1: 0.5 } }, {}),
    );
    const prod = { ...model(6, 4), version: 'v1' };
    const checks = gateChecks({ candidate: model(8, 4), production: prod }, v);
    const rel = checks.find((c) => c.name === 'macro_f1_improves_on_v1_relative')!;
    assert.ok(Math.abs(rel.threshold - metricValue(prod, 'macro_f1') * 1.1) < 1e-12);
    const ceiling = checks.find((c) => c.name === 'accuracy')!;
    assert.equal(ceiling.comparison, '<=');
    assert.equal(ceiling.passed, false);
    assert.match(ceiling.message!, /is above the ceiling 0\.2000/);
    const f1 = checks.find((c) => c.name === 'f1')!;
    assert.equal(f1.kind, 'floor');
    assert.equal(f1.threshold, 0.5);
  });

  it('the CICIDS2017 dataset config keeps its absolute floors 0.90 / 0.85', () => {
    const v = effectiveValidation(loadConfig('/nonexistent', { dataset: 'CICIDS2017' }, {}));
    const checks = gateChecks({ candidate: model(7, 0) }, v); // accuracy 0.97, recall 0.70
    const floors = checks.filter((c) => c.kind === 'floor');
    assert.deepEqual(floors.map((c) => [c.name, c.threshold]), [
      ['accuracy', 0.9],
      ['precision', 0.85],
      ['recall', 0.85],
      ['f1', 0.85],
    ]);
    assert.match(failedChecks(checks), /recall 0\.7000 is below the floor 0\.8500/);
  });

  it('refuses a candidate that trained on holdout rows', () => {
    const checks = gateChecks({ candidate: model(8, 2), overlap: { rows: 3, unverified: 0 }, version: 'v5' }, generic());
    const o = checks.find((c) => c.kind === 'overlap')!;
    assert.equal(o.passed, false);
    assert.equal(o.message, "3 holdout row(s) are in v5's training data (allowed 0)");
  });

  it('weakestMargin reads in metric units and is negative for a failed gate', () => {
    const prod = { ...model(6, 4), version: 'v3' };
    const w = weakestMargin(gateChecks({ candidate: model(6, 4), production: prod }, generic()))!;
    assert.ok(Math.abs(w.margin - -0.002) < 1e-12);
    assert.equal(w.check.name, 'balanced_accuracy_improves_on_v3');
  });
});
