import { strict as assert } from 'node:assert';
import { applyIsotonic, estimateAccuracy, fitIsotonic } from '../../../src/core/agent/cbpe';
import { uniform } from '../../../src/core/util/random';
import { runOracle } from '../../oracles/oracle';

/** The CBPE calibration against scikit-learn (test/oracles/calibration.py), computed at test time. */
describe('CBPE calibration vs scikit-learn', () => {
  it('the isotonic fit equals IsotonicRegression(out_of_bounds="clip"), ties and plateaus included', () => {
    const r = uniform(5);
    for (const n of [7, 60, 400]) {
      // scores on a coarse grid (ties, as forest vote shares have) and noisy, mostly increasing targets
      const x = Array.from({ length: n }, () => Math.round(r() * 20) / 20);
      const y = x.map((v) => (r() < 0.15 + 0.7 * v ? 1 : 0));
      const at = [-0.1, ...Array.from({ length: 41 }, (_, i) => i / 40), 1.2];
      const sk = runOracle<{ fitted: number[] }>('calibration', 'isotonic', { x, y, at });
      const fit = fitIsotonic(x, y);
      at.forEach((a, i) => assert.ok(Math.abs(applyIsotonic(fit, a) - sk.fitted[i]) < 1e-9, `n=${n} at ${a}: ${applyIsotonic(fit, a)} vs ${sk.fitted[i]}`));
    }
  });

  it('the binary estimate equals CalibratedClassifierCV(method="isotonic") applied as CBPE does', () => {
    const r = uniform(9);
    // an over-confident scorer (p = q^3 toward the wrong side of the truth q) and a drifted current batch
    const scored = (n: number, drawQ: () => number) => {
      const p: number[] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) {
        const q = drawQ();
        p.push(Math.round(q ** 3 * 100) / 100);
        y.push(r() < q ? 1 : 0);
      }
      return { p, y };
    };
    const ref = scored(1500, () => r());
    const cur = scored(800, () => 0.3 + 0.6 * r());
    const matrix = (p: number[]) => ({ proba: Float64Array.from(p.flatMap((v) => [1 - v, v])), k: 2 });
    const ours = estimateAccuracy(matrix(ref.p), ref.y, matrix(cur.p));
    const sk = runOracle<{ expected_accuracy: number }>('calibration', 'cbpe_binary', { reference: ref.p, labels: ref.y, current: cur.p });
    assert.ok(Math.abs(ours.expected_accuracy - sk.expected_accuracy) < 1e-9, `${ours.expected_accuracy} vs ${sk.expected_accuracy}`);
    // and calibration mattered: the raw confidence is far from it
    const raw = cur.p.reduce((a, v) => a + Math.max(v, 1 - v), 0) / cur.p.length;
    assert.ok(Math.abs(raw - sk.expected_accuracy) > 0.05, `raw ${raw} vs calibrated ${sk.expected_accuracy}`);
  });

  it('the multi-class estimate equals CalibratedClassifierCV(method="isotonic") one-vs-rest, normalised, as CBPE does', () => {
    const r = uniform(13);
    const k = 4;
    // a scorer whose vote shares (on a coarse grid, as a forest's are) overrate class 0 and underrate class 3
    const scored = (n: number, classWeights: number[]) => {
      const rows: number[][] = [];
      const y: number[] = [];
      const total = classWeights.reduce((a, b) => a + b, 0);
      for (let i = 0; i < n; i++) {
        let u = r() * total;
        let c = 0;
        while (u > classWeights[c]) u -= classWeights[c++];
        const raw = Array.from({ length: k }, (_, j) => (j === c ? 1.5 + r() : r()) * (j === 0 ? 1.6 : j === 3 ? 0.6 : 1));
        const sum = raw.reduce((a, b) => a + b, 0);
        const p = raw.map((v) => Math.round((v / sum) * 50) / 50);
        // ties broken the same way on both sides: nudge the first maximum up
        p[p.indexOf(Math.max(...p))] += 1e-6;
        rows.push(p);
        y.push(r() < 0.8 ? c : Math.floor(r() * k));
      }
      return { rows, y };
    };
    const ref = scored(2000, [1, 1, 1, 1]);
    const cur = scored(900, [0.5, 1, 1, 3]);
    const matrix = (rows: number[][]) => ({ proba: Float64Array.from(rows.flat()), k });
    const ours = estimateAccuracy(matrix(ref.rows), ref.y, matrix(cur.rows));
    const sk = runOracle<{ expected_accuracy: number }>('calibration', 'cbpe_multiclass', { reference: ref.rows, labels: ref.y, current: cur.rows });
    assert.equal(ours.method, 'cbpe-per-class');
    assert.ok(Math.abs(ours.expected_accuracy - sk.expected_accuracy) < 1e-9, `${ours.expected_accuracy} vs ${sk.expected_accuracy}`);
    // and the calibration did something: the raw top-label confidence is elsewhere
    const raw = cur.rows.reduce((a, p) => a + Math.max(...p), 0) / cur.rows.length;
    assert.ok(Math.abs(raw - sk.expected_accuracy) > 0.03, `raw ${raw} vs calibrated ${sk.expected_accuracy}`);
  });
});
