import * as assert from 'node:assert/strict';
import { classificationMetrics, rocAuc } from '../../../src/core/model/metrics';

const close = (a: number | null, b: number, eps = 1e-12): void => {
  assert.ok(a !== null && Math.abs(a - b) < eps, `${a} ≈ ${b}`);
};

describe('metrics', () => {
  it('binary: counts, positive-class precision/recall/F1 (hand-computed)', () => {
    // true:  1 1 1 1 0 0 0 0 0 0 ; pred: 1 1 1 0 1 0 0 0 0 0  → tp 3, fn 1, fp 1, tn 5
    const yT = Int32Array.of(1, 1, 1, 1, 0, 0, 0, 0, 0, 0);
    const yP = Int32Array.of(1, 1, 1, 0, 1, 0, 0, 0, 0, 0);
    const m = classificationMetrics(yT, yP, null, ['BENIGN', 'ATTACK']);
    assert.equal(m.accuracy, 0.8);
    close(m.precision, 3 / 4);
    close(m.recall, 3 / 4);
    close(m.f1, 0.75);
    assert.equal(m.roc_auc, null);
    assert.deepEqual([m.confusion.tn, m.confusion.fp, m.confusion.fn, m.confusion.tp], [5, 1, 1, 3]);
    assert.deepEqual(m.confusion.matrix, [[5, 1], [1, 3]]);
    assert.equal(m.rows, 10);
  });

  it('ROC-AUC with ties counts tied pairs as one half', () => {
    // positives score 0.8, 0.5, 0.5; negatives 0.5, 0.2. Pairs (pos > neg): 0.8 beats both (2),
    // each 0.5 positive ties the 0.5 negative (½ each) and beats 0.2 → 2 + 2×1.5 = 5 of 6.
    const y = Int32Array.of(1, 1, 1, 0, 0);
    const s = Float64Array.of(0.8, 0.5, 0.5, 0.5, 0.2);
    close(rocAuc(y, 1, s), 5 / 6);
    // all scores equal → 0.5
    close(rocAuc(y, 1, new Float64Array(5).fill(0.3)), 0.5);
    assert.equal(rocAuc(Int32Array.of(1, 1), 1, Float64Array.of(0.1, 0.9)), null);
  });

  it('binary ROC-AUC reads column 1 of the n×2 probabilities', () => {
    const y = Int32Array.of(0, 0, 1, 1);
    const p1 = [0.1, 0.4, 0.35, 0.8]; // sklearn's classic example: 0.75
    const proba = Float64Array.from(p1.flatMap((p) => [1 - p, p]));
    const m = classificationMetrics(y, Int32Array.of(0, 0, 0, 1), proba, ['a', 'b']);
    close(m.roc_auc, 0.75);
    // a single class present → no AUC
    const one = classificationMetrics(Int32Array.of(0, 0), Int32Array.of(0, 1), Float64Array.of(0.9, 0.1, 0.4, 0.6), ['a', 'b']);
    assert.equal(one.roc_auc, null);
  });

  it('zero denominators give 0 like sklearn', () => {
    const m = classificationMetrics(Int32Array.of(0, 0, 1), Int32Array.of(0, 0, 0), null, ['a', 'b']);
    assert.equal(m.precision, 0);
    assert.equal(m.recall, 0);
    assert.equal(m.f1, 0);
  });

  it('multi-class: macro averages and one-vs-rest AUC (hand-computed)', () => {
    // classes 0,1,2; true 0 0 1 1 2 2; pred 0 1 1 1 2 0
    const yT = Int32Array.of(0, 0, 1, 1, 2, 2);
    const yP = Int32Array.of(0, 1, 1, 1, 2, 0);
    // per class: 0 → p 1/2 r 1/2 f 1/2; 1 → p 2/3 r 1 f 0.8; 2 → p 1 r 1/2 f 2/3
    const proba = Float64Array.of(
      0.7, 0.2, 0.1,
      0.3, 0.6, 0.1,
      0.1, 0.8, 0.1,
      0.2, 0.7, 0.1,
      0.1, 0.1, 0.8,
      0.5, 0.1, 0.4,
    );
    const m = classificationMetrics(yT, yP, proba, ['x', 'y', 'z']);
    close(m.accuracy, 4 / 6);
    close(m.precision, (1 / 2 + 2 / 3 + 1) / 3);
    close(m.recall, (1 / 2 + 1 + 1 / 2) / 3);
    close(m.f1, (1 / 2 + 0.8 + 2 / 3) / 3);
    // OvR AUCs: class 0 scores pos {0.7,0.3} vs neg {0.1,0.2,0.1,0.5}: 0.7 beats 4, 0.3 beats 3 → 7/8;
    // class 1 pos {0.8,0.7} vs {0.2,0.6,0.1,0.1} → 8/8; class 2 pos {0.8,0.4} vs {0.1×4} → 8/8
    close(m.roc_auc, (7 / 8 + 1 + 1) / 3);
    assert.deepEqual(m.confusion.matrix, [[1, 1, 0], [0, 2, 0], [1, 0, 1]]);
    assert.equal(m.confusion.tp, undefined);
  });

  it('refuses mismatched inputs', () => {
    assert.throws(() => classificationMetrics(Int32Array.of(0), Int32Array.of(0, 1), null, ['a', 'b']), /predictions/);
    assert.throws(() => classificationMetrics(Int32Array.of(0), Int32Array.of(3), null, ['a', 'b']), /outside/);
  });
});
