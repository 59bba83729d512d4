import * as assert from 'node:assert/strict';
import { loadConfig } from '../../../src/core/config';
import { Random } from '../../../src/core/util/random';
import { classificationMetrics } from '../../../src/core/model/metrics';
import { effectiveValidation, failedChecks, gateChecks } from '../../../src/core/model/gate';
import { pairedDifferences, quantile, type PairedPredictions } from '../../../src/core/model/gateSignificance';
import { runOracle } from '../../oracles/oracle';

/**
 * Two models' predictions on the same n rows of k classes: production right with probability pProd, the candidate
 * copies production's prediction except on a share `flip` of the rows, where it is right with probability pCand.
 */
function pair(n: number, k: number, pProd: number, pCand: number, flip: number, seed: number): PairedPredictions {
  const rng = new Random(seed);
  const y = new Int32Array(n);
  const production = new Int32Array(n);
  const candidate = new Int32Array(n);
  const wrong = (t: number): number => (t + 1 + rng.int(k - 1)) % k;
  for (let i = 0; i < n; i++) {
    y[i] = rng.next() < 0.6 ? 0 : 1 + rng.int(k - 1); // imbalanced: class 0 is the majority
    production[i] = rng.next() < pProd ? y[i] : wrong(y[i]);
    candidate[i] = rng.next() < flip ? (rng.next() < pCand ? y[i] : wrong(y[i])) : production[i];
  }
  return { y, production, candidate, classes: Array.from({ length: k }, (_, c) => `c${c}`) };
}

const metricsOf = (p: PairedPredictions, which: 'candidate' | 'production') => classificationMetrics(p.y, p[which], null, p.classes);
const generic = (validation: object = {}) => effectiveValidation(loadConfig('/nonexistent', { validation }, {}));

type Bounds = { difference: number; low: number; high: number; sd: number };

describe('gate significance: paired bootstrap of candidate − production (model/gateSignificance.ts)', () => {
  it('quantile interpolates between order statistics as numpy does', () => {
    const x = [0.3, -1, 2.5, 7, 0, 0.31, 4].sort((a, b) => a - b);
    const q = [0, 0.05, 0.1, 0.5, 0.9, 0.95, 1];
    const np = runOracle<{ values: number[] }>('stats', 'quantiles', { x, q });
    q.forEach((p, i) => assert.ok(Math.abs(quantile(x, p) - np.values[i]) < 1e-12, `q=${p}: ${quantile(x, p)} vs numpy ${np.values[i]}`));
  });

  for (const [name, p] of [
    ['binary, 800 rows, candidate 3 points better on a third of the rows', pair(800, 2, 0.8, 0.88, 0.35, 11)],
    ['3 classes, 500 rows, candidate worse', pair(500, 3, 0.78, 0.7, 0.4, 12)],
  ] as const) {
    it(`bounds agree with numpy + scikit-learn's paired bootstrap and McNemar's normal bound (${name})`, function () {
      this.timeout(120_000);
      const rounds = 1000;
      const ours = pairedDifferences(p, ['accuracy', 'balanced_accuracy', 'macro_f1'], { confidence: 0.95, rounds, seed: 3 });
      const sk = runOracle<Record<'accuracy' | 'balanced_accuracy' | 'macro_f1', Bounds> & { mcnemar: { difference: number; se: number; low: number } }>(
        'sklearn_metrics',
        'paired_bootstrap',
        { y_true: [...p.y], candidate: [...p.candidate], production: [...p.production], k: p.classes.length, rounds, confidence: 0.95, seed: 5 },
      );
      for (const m of ['accuracy', 'balanced_accuracy', 'macro_f1'] as const) {
        const o = ours.get(m)!;
        const r = sk[m];
        assert.ok(Math.abs(o.difference - r.difference) < 1e-12, `${m}: point difference ${o.difference} vs scikit-learn ${r.difference}`);
        assert.equal(o.rows, p.y.length);
        // two independent bootstraps of 1000 rounds: their 5 % quantiles differ by ≈ 0.1 standard deviations
        for (const side of ['low', 'high'] as const) {
          assert.ok(Math.abs(o[side] - r[side]) < 0.3 * r.sd, `${m} ${side}: ${o[side]} vs numpy ${r[side]} (sd ${r.sd})`);
        }
        assert.ok(o.low < o.difference && o.difference < o.high);
      }
      // accuracy: the bootstrap reproduces McNemar's variance from the discordant rows
      const acc = ours.get('accuracy')!;
      assert.ok(Math.abs(acc.low - sk.mcnemar.low) < 0.3 * sk.mcnemar.se, `accuracy low ${acc.low} vs McNemar ${sk.mcnemar.low}`);
    });
  }

  it('is deterministic for a seed and skips metrics that need scores (ROC-AUC)', () => {
    const p = pair(300, 2, 0.8, 0.85, 0.3, 7);
    const a = pairedDifferences(p, ['accuracy', 'roc_auc'], { confidence: 0.9, rounds: 300, seed: 1 });
    const b = pairedDifferences(p, ['accuracy', 'roc_auc'], { confidence: 0.9, rounds: 300, seed: 1 });
    assert.deepEqual([...a.keys()], ['accuracy']);
    assert.deepEqual(a.get('accuracy'), b.get('accuracy'));
    assert.throws(() => pairedDifferences({ ...p, production: p.production.subarray(1) }, ['accuracy'], { confidence: 0.9, rounds: 10 }), /one prediction per row/);
  });

  it('a candidate ahead of production by less than the holdout noise does not pass; a clear improvement does', () => {
    const v = generic();
    assert.equal(v.confidence, 0.95);
    // 900 rows; the candidate predicts anew on half of them, right 81 % of the time there against production's 80 %
    const small = pair(900, 2, 0.8, 0.81, 0.5, 21);
    const cand = { ...metricsOf(small, 'candidate') };
    const prod = { ...metricsOf(small, 'production'), version: 'v3' };
    assert.ok(cand.balanced_accuracy! - prod.balanced_accuracy! > 0.002, 'the point values clear min_absolute_change');
    // point comparison (no paired predictions, or confidence 0.5): passes
    assert.ok(gateChecks({ candidate: cand, production: prod }, v).every((c) => c.passed));
    assert.ok(gateChecks({ candidate: cand, production: prod, paired: small }, generic({ confidence: 0.5 })).every((c) => c.passed));
    // paired at 95 %: the improvement is within the noise
    const checks = gateChecks({ candidate: cand, production: prod, paired: small }, v);
    const imp = checks.find((c) => c.name === 'balanced_accuracy_improves_on_v3')!;
    assert.equal(imp.passed, false);
    assert.ok(imp.significance && imp.significance.noise > 0 && imp.significance.rows === 900);
    assert.ok(Math.abs(imp.threshold - (imp.reference!.value + 0.002 + imp.significance.noise)) < 1e-12);
    assert.match(failedChecks(checks), /does not beat production v3 \(0\.\d{4}\) by the required 0\.002 with 95 % confidence on the same 900 rows/);

    const clear = pair(900, 2, 0.75, 0.95, 0.5, 22);
    const ok = gateChecks({ candidate: metricsOf(clear, 'candidate'), production: { ...metricsOf(clear, 'production'), version: 'v3' }, paired: clear }, v);
    assert.ok(ok.every((c) => c.passed), failedChecks(ok));
  });

  it('regression guard is a non-inferiority test: a candidate equal to production on a small holdout is not shown to be within maxRegression', () => {
    // 200 rows, both models right on 160: the candidate fixes 25 of production's errors and makes 25 new ones
    const y = Int32Array.from({ length: 200 }, (_, i) => i % 2);
    const production = Int32Array.from(y, (t, i) => (i < 40 ? 1 - t : t));
    const candidate = Int32Array.from(y, (t, i) => (i < 15 || (i >= 40 && i < 65) ? 1 - t : t));
    const p: PairedPredictions = { y, production, candidate, classes: ['a', 'b'] };
    const v = generic({ metrics: { balanced_accuracy: { min_absolute_change: 0 } } });
    const checks = gateChecks({ candidate: metricsOf(p, 'candidate'), production: { ...metricsOf(p, 'production'), version: 'v1' }, paired: p }, v);
    const reg = checks.find((c) => c.name === 'accuracy_not_below_v1')!;
    assert.equal(reg.kind, 'regression');
    assert.ok(reg.significance!.noise > v.maxRegression, `noise ${reg.significance!.noise} on 200 rows exceeds maxRegression`);
    assert.ok(Math.abs(reg.value - reg.reference!.value) < 0.01, 'the point values are within maxRegression');
    assert.ok(Math.abs(reg.threshold - (reg.reference!.value - v.maxRegression + reg.significance!.noise)) < 1e-12);
    assert.equal(reg.passed, false);
    assert.match(reg.message!, /^accuracy 0\.\d{4} is not shown to be within 0\.01 of production v1 \(0\.\d{4}\) with 95 % confidence on the same 200 rows/);
  });
});
