import * as assert from 'node:assert/strict';
import { explainDrift } from '../../../src/core/drift/explain';
import type { DriftReport, FeatureDrift } from '../../../src/core/protocol';

function feature(name: string, psi: number, over: Partial<FeatureDrift> = {}): FeatureDrift {
  const severity = psi > 0.2 ? 'severe' : psi >= 0.1 ? 'moderate' : 'none';
  return {
    name, kind: 'numeric', psi, test: 'ks', statistic: 0.3, p_value: 1e-12, js_distance: 0.2, wasserstein: 0.5, severity, drifted: severity !== 'none',
    bins: { edges: [10, 20], expected: [0.3, 0.4, 0.3, 0], actual: [0.1, 0.3, 0.55, 0.05] }, missing_rate_baseline: 0, missing_rate_current: 0.05, ...over,
  };
}

function report(features: FeatureDrift[]): DriftReport {
  const drifted = features.filter((f) => f.drifted).length;
  return {
    overall: { psi_mean: 0.2, psi_max: Math.max(...features.map((f) => f.psi)), n_drifted: drifted, share_drifted: drifted / features.length, severity: 'severe', total_features: features.length },
    features, quality: [{ kind: 'missing_rate_jump', feature: 'a', message: "'a': missing values 0 % → 5 %" }],
    baseline: { source: 'base.csv', rows: 1000 }, current: { source: 'cur.csv', rows: 500 },
    thresholds: { moderate: 0.1, severe: 0.2, p_value: 0.01 }, created_at: '2026-12-01T00:00:00Z', seconds: 0.1,
  };
}

describe('drift/explain: drift in words', () => {
  it('explains the most drifted features with every statistic and the bins that moved, in the report order', () => {
    const r = report([feature('a', 0.9), feature('b', 0.15), feature('c', 0.01)]);
    const e = explainDrift(r, { top: 2 });
    assert.deepEqual(e.features.map((f) => f.name), ['a', 'b']);
    assert.equal(e.more_features, 1);
    const a = e.features[0];
    assert.match(a.summary, /^a \(numeric\): severe drift, PSI 0\.9; values ≥ 20 went from 30% to 55% of rows\.$/);
    assert.match(a.details[0], /above the severe threshold 0\.2/);
    assert.match(a.details[1], /Kolmogorov–Smirnov D 0\.3: .* at most 30% \(p = 1\.00e-12\)/);
    assert.ok(a.details.some((d) => /Missing values: 0\.0% in the baseline, 5\.0% now/.test(d)));
    // searchsorted side='right': (−∞, 10), [10, 20), [20, +∞), missing; largest moves first
    assert.deepEqual(a.shifts.map((s) => s.bin), ['values ≥ 20', 'values < 10', 'values in [10, 20)']);
    assert.match(e.features[1].details[0], /between the moderate \(0\.1\) and severe \(0\.2\) thresholds/);
    assert.match(e.overall, /^2 of 3 features drifted \(67%\); overall severity severe/);
    assert.deepEqual(e.quality, ["'a': missing values 0 % → 5 %"]);
  });

  it("with the model's importances, a drifted feature the model leans on comes before an equally drifted one it ignores", () => {
    const r = report([feature('unused', 0.5), feature('key', 0.4), feature('calm', 0.01)]);
    const importance = new Map([['unused', 0], ['key', 0.7], ['calm', 0.3]]);
    const e = explainDrift(r, { importance, importanceSource: 'production model v2' });
    assert.deepEqual(e.features.map((f) => f.name), ['key', 'unused', 'calm']);
    assert.equal(e.features[0].importance, 0.7);
    assert.ok(e.features[1].details.some((d) => /barely uses it/.test(d)));
    assert.match(e.overall, /Drifted features carry 70% of the production model v2's importance\./);
    assert.equal(e.importance_source, 'production model v2');
  });

  it('names categories, the other/new bin and the missing bin by position, whatever the categories are called', () => {
    const f = feature('proto', 0.8, {
      kind: 'categorical', test: 'chi2', statistic: 120, p_value: 0, wasserstein: null,
      bins: { categories: ['tcp', '(missing)', '(other/new)', '(missing)'], expected: [0.5, 0.5, 0, 0], actual: [0.2, 0.4, 0.3, 0.1] },
    });
    const e = explainDrift(report([f]));
    assert.deepEqual(e.features[0].shifts.map((s) => s.bin), ['category "tcp"', 'other or new categories', 'missing values']);
    assert.match(e.features[0].details[1], /χ² 120 .*\(p < 1e-300\): the category mix changed/);
    assert.ok(!e.features[0].details.some((d) => /Wasserstein/.test(d)));
  });
});
