import * as assert from 'node:assert/strict';
import type { FeatureDrift } from '../../../src/core/protocol';
import { histogramBins, TOP_CATEGORIES } from '../../../src/webview/histogram';
import { gateLines, gateRows, planValidation } from '../../../src/webview/gate';

const feature = (bins: FeatureDrift['bins']): FeatureDrift => ({
  name: 'f', kind: bins?.categories ? 'categorical' : 'numeric', psi: 0.3, test: bins?.categories ? 'chi2' : 'ks', statistic: 1, p_value: 0.01,
  js_distance: 0.1, wasserstein: null, severity: 'severe', drifted: true, bins, missing_rate_baseline: 0, missing_rate_current: 0,
});

describe('webview/histogram', () => {
  it('a categorical feature with ~100 categories: the top categories by share, the rest summed as "other"', () => {
    const n = 100;
    const categories = Array.from({ length: n }, (_, i) => `SP-${String(i).padStart(3, '0')}`);
    const raw = categories.map((_, i) => 1 / (i + 1));
    const sum = raw.reduce((a, b) => a + b, 0);
    const expected = raw.map((x) => x / sum);
    const actual = [...expected].reverse();
    const b = histogramBins(feature({ categories, expected, actual }));
    assert.equal(b.labels.length, TOP_CATEGORIES + 1);
    assert.equal(b.labels.at(-1), `other (${n - TOP_CATEGORIES} categories)`);
    // shares are kept: every row is in exactly one bar
    assert.ok(Math.abs(b.expected.reduce((a, x) => a + x, 0) - 1) < 1e-12);
    assert.ok(Math.abs(b.actual.reduce((a, x) => a + x, 0) - 1) < 1e-12);
    // the largest share on either side comes first
    assert.deepEqual(b.labels.slice(0, 2), ['SP-000', 'SP-099']);
  });

  it('a few categories are shown as they are; numeric bins get readable edges', () => {
    const few = histogramBins(feature({ categories: ['own', 'rent', '(other/new)'], expected: [0.7, 0.3, 0], actual: [0.4, 0.4, 0.2] }));
    assert.deepEqual(few.labels, ['own', 'rent', '(other/new)']);
    assert.equal(few.other, undefined);
    const num = histogramBins(feature({ edges: [10, 20.5], expected: [0.3, 0.3, 0.3, 0.1], actual: [0.1, 0.2, 0.6, 0.1] }));
    assert.deepEqual(num.labels, ['< 10', '10 – 20.5', '≥ 20.5', 'missing / ±∞']);
  });
});

describe('webview/gate', () => {
  const validation = {
    version: 'v3', passed: true, holdout: { path: '/w/data/holdout.csv', rows: 500 }, validated_at: '2026-01-01T00:00:00Z',
    checks: [{ name: 'accuracy', value: 0.95, threshold: 0.9, comparison: '>=' as const, passed: true }, { name: 'f1', value: 0.8, threshold: 0.85, comparison: '>=' as const, passed: false }],
    candidate_metrics: { accuracy: 0.95, f1: 0.8 },
    production_metrics: { version: 'v2', accuracy: 0.93, f1: 0.86 },
  };
  it('puts candidate and production side by side per check, the production value taken from the same holdout', () => {
    const rows = gateRows(validation as never);
    assert.deepEqual(rows.map((r) => [r.name, r.candidate, r.production, r.passed]), [['accuracy', 0.95, 0.93, true], ['f1', 0.8, 0.86, false]]);
    assert.deepEqual(gateLines(validation as never), ['accuracy 0.950 vs production 0.930 (needs ≥ 0.900) ✓', 'f1 0.800 vs production 0.860 (needs ≥ 0.850) ✗']);
  });
  it('finds the validation a plan ran, and nothing in a plan without one', () => {
    const step = (tool: string, result: unknown) => ({ id: tool, tool, args: {}, depends_on: [], status: 'completed', attempts: 1, result });
    const plan = { steps: [step('retrain_model', { version: 'v3' }), step('validate_model', validation)] };
    assert.equal(planValidation(plan as never)?.version, 'v3');
    assert.equal(planValidation({ steps: [step('retrain_model', { version: 'v3' })] } as never), undefined);
  });
});
