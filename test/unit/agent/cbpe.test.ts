import { strict as assert } from 'node:assert';
import { applyIsotonic, calibrationWindowStart, estimateAccuracy, fitIsotonic, MIN_CALIBRATION_ROWS } from '../../../src/core/agent/cbpe';
import { uniform } from '../../../src/core/util/random';
import { argmaxRows } from '../../../src/core/model/forest';

const rng = uniform;

describe('CBPE label-free accuracy estimate', () => {
  it('isotonic fit pools violators, is monotone, and interpolates between blocks', () => {
    const fit = fitIsotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]);
    assert.deepEqual(fit.ys, [0, 0.5, 1]);
    assert.equal(applyIsotonic(fit, 0.25), 0.5);
    assert.ok(Math.abs(applyIsotonic(fit, 0.15) - 0.25) < 1e-12, 'linear between blocks');
    assert.ok(Math.abs(applyIsotonic(fit, 0.35) - 0.75) < 1e-12);
    assert.equal(applyIsotonic(fit, 0.0), 0);
    assert.equal(applyIsotonic(fit, 0.9), 1);
    for (let i = 1; i < fit.ys.length; i++) assert.ok(fit.ys[i] >= fit.ys[i - 1]);
  });

  /**
   * A miscalibrated binary model: true P(y=1) = q, but the model reports p = q^2 (over-confident toward 0).
   * Reference: q ~ U(0,1). Current (drifted): q concentrated near 0.5, where the model is often wrong.
   */
  function binary(n: number, seed: number, drawQ: (r: () => number) => number) {
    const r = rng(seed);
    const proba = new Float64Array(n * 2);
    const labels = new Int32Array(n);
    let correct = 0;
    for (let i = 0; i < n; i++) {
      const q = drawQ(r);
      const p = q * q;
      proba[i * 2] = 1 - p;
      proba[i * 2 + 1] = p;
      labels[i] = r() < q ? 1 : 0;
      if ((p > 0.5 ? 1 : 0) === labels[i]) correct++;
    }
    return { matrix: { proba, k: 2 }, labels, accuracy: correct / n };
  }

  it('binary: estimates the accuracy of a drifted batch from calibrated probabilities, without its labels', () => {
    const ref = binary(20000, 1, (r) => r());
    const cur = binary(20000, 2, (r) => 0.4 + 0.3 * r());
    const e = estimateAccuracy(ref.matrix, ref.labels, cur.matrix);
    assert.equal(e.method, 'cbpe-binary');
    assert.ok(Math.abs(e.reference_accuracy - ref.accuracy) < 1e-12);
    assert.ok(Math.abs(e.reference_estimate - ref.accuracy) < 0.01, `${e.reference_estimate} vs ${ref.accuracy}`);
    // the realised accuracy on the drifted batch is much lower; the estimate tracks it within 1.5 points
    assert.ok(cur.accuracy < ref.accuracy - 0.1);
    assert.ok(Math.abs(e.expected_accuracy - cur.accuracy) < 0.015, `${e.expected_accuracy} vs ${cur.accuracy}`);
    // uncalibrated mean max(p, 1-p) would be far off: calibration matters
    let naive = 0;
    for (let i = 0; i < 20000; i++) naive += Math.max(cur.matrix.proba[i * 2], cur.matrix.proba[i * 2 + 1]);
    assert.ok(Math.abs(naive / 20000 - cur.accuracy) > 0.05);
    assert.ok(e.drop_points > 10);
  });

  it('multi-class: per-class calibration tracks accuracy when confidence alone tells how often the model is right', () => {
    const make = (n: number, seed: number, sharp: number) => {
      const r = rng(seed);
      const k = 3;
      const proba = new Float64Array(n * k);
      const labels = new Int32Array(n);
      let correct = 0;
      for (let i = 0; i < n; i++) {
        const top = Math.floor(r() * k);
        const conf = 1 / k + (1 - 1 / k) * Math.pow(r(), sharp); // true probability that `top` is right
        for (let j = 0; j < k; j++) proba[i * k + j] = j === top ? Math.min(1, conf + 0.1) : (1 - Math.min(1, conf + 0.1)) / (k - 1);
        const right = r() < conf;
        labels[i] = right ? top : (top + 1 + Math.floor(r() * (k - 1))) % k;
        if (right) correct++;
      }
      return { matrix: { proba, k }, labels, accuracy: correct / n };
    };
    const ref = make(20000, 3, 1);
    const cur = make(20000, 4, 2);
    const e = estimateAccuracy(ref.matrix, ref.labels, cur.matrix);
    assert.equal(e.method, 'cbpe-per-class');
    assert.ok(cur.accuracy < ref.accuracy - 0.05 && e.drop_points > 5);
    assert.ok(Math.abs(e.expected_accuracy - cur.accuracy) < 0.015, `${e.expected_accuracy} vs ${cur.accuracy}`);
  });

  it('multi-class: per-class calibration follows a batch that moves toward a class the model overrates, where the top-label confidence does not', () => {
    // each row has true class probabilities t; the model's score for class j is a class-specific monotone distortion of
    // t_j (class 0 overrated, class 2 underrated), so one calibrator per class recovers t exactly while calibrating
    // the top score pools classes whose scores mean different things
    const k = 3;
    const distort = [(v: number) => Math.sqrt(v), (v: number) => v, (v: number) => v * v];
    const make = (n: number, seed: number, lean: number[]) => {
      const r = rng(seed);
      const proba = new Float64Array(n * k);
      const labels = new Int32Array(n);
      let correct = 0;
      for (let i = 0; i < n; i++) {
        const w = lean.map((l) => Math.exp(l + 2 * (r() + r() + r() - 1.5)));
        const sum = w.reduce((x, y) => x + y, 0);
        const t = w.map((v) => v / sum);
        for (let j = 0; j < k; j++) proba[i * k + j] = distort[j](t[j]);
        let u = r();
        let y = 0;
        while (y < k - 1 && u > t[y]) u -= t[y++];
        labels[i] = y;
      }
      const predicted = argmaxRows(proba, k);
      for (let i = 0; i < n; i++) if (predicted[i] === labels[i]) correct++;
      return { matrix: { proba, k }, labels, predicted, accuracy: correct / n };
    };
    const ref = make(20000, 21, [0, 0, 0]);
    const cur = make(20000, 22, [0, -1, 1.5]);
    const e = estimateAccuracy(ref.matrix, ref.labels, cur.matrix);
    assert.ok(Math.abs(e.expected_accuracy - cur.accuracy) < 0.015, `per-class ${e.expected_accuracy} vs ${cur.accuracy}`);
    // the top-label confidence, calibrated on the same reference, misses the move
    const top = (m: { proba: Float64Array }, i: number) => Math.max(m.proba[i * k], m.proba[i * k + 1], m.proba[i * k + 2]);
    const fit = fitIsotonic(
      Array.from({ length: 20000 }, (_, i) => top(ref.matrix, i)),
      Array.from({ length: 20000 }, (_, i) => (ref.predicted[i] === ref.labels[i] ? 1 : 0)),
    );
    let topLabel = 0;
    for (let i = 0; i < 20000; i++) topLabel += applyIsotonic(fit, top(cur.matrix, i)) / 20000;
    assert.ok(Math.abs(topLabel - cur.accuracy) > 0.04, `top-label ${topLabel} vs ${cur.accuracy}`);
  });

  it('the calibration window: the newest batch, older ones only as far back as needed for the minimum rows', () => {
    assert.equal(calibrationWindowStart([500, 300, 250]), 2);
    assert.equal(calibrationWindowStart([500, 120, 150]), 1);
    assert.equal(calibrationWindowStart([50, 60, 70]), 0, 'all of them when even all are too few');
    assert.equal(calibrationWindowStart([900]), 0);
    assert.equal(calibrationWindowStart([100, 100, 100, 100], MIN_CALIBRATION_ROWS), 2);
  });

  it('rejects mismatched shapes', () => {
    assert.throws(() => estimateAccuracy({ proba: new Float64Array(4), k: 2 }, [0], { proba: new Float64Array(4), k: 2 }), /one label per reference row/);
    assert.throws(() => estimateAccuracy({ proba: new Float64Array(4), k: 2 }, [0, 1], { proba: new Float64Array(6), k: 3 }), /classes/);
  });

  it('the 95 % interval covers the realised accuracy of a batch about 95 % of the time, and narrows with rows', () => {
    // binary model whose score is the true probability of class 1; labels drawn from it
    const make = (n: number, seed: number) => {
      const r = uniform(seed);
      const proba = new Float64Array(n * 2);
      const labels = new Int32Array(n);
      let correct = 0;
      for (let i = 0; i < n; i++) {
        const p = r();
        proba[i * 2 + 1] = p;
        proba[i * 2] = 1 - p;
        labels[i] = r() < p ? 1 : 0;
        if ((p > 0.5 ? 1 : 0) === labels[i]) correct++;
      }
      return { matrix: { proba, k: 2 }, labels, accuracy: correct / n };
    };
    const ref = make(3000, 1);
    let inside = 0;
    const trials = 60;
    const widths: number[] = [];
    for (let t = 0; t < trials; t++) {
      const cur = make(t % 2 ? 400 : 4000, 100 + t);
      const e = estimateAccuracy(ref.matrix, ref.labels, cur.matrix);
      if (cur.accuracy >= e.interval[0] && cur.accuracy <= e.interval[1]) inside++;
      widths[t % 2] = e.interval[1] - e.interval[0];
    }
    assert.ok(inside >= 0.88 * trials, `${inside}/${trials} inside`);
    assert.ok(widths[1] > 1.8 * widths[0], `width at 400 rows ${widths[1]} vs 4000 rows ${widths[0]}`);
  });
});
