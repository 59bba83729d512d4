import * as assert from 'node:assert/strict';
import { classificationMetrics, majorityClassOf, rocAuc } from '../../../src/core/model/metrics';
import { MetricsSchema } from '../../../src/core/model/schemas';
import { runOracle } from '../../oracles/oracle';
import { uniform } from '../../../src/core/util/random';

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

describe('metrics: imbalance against scikit-learn (test/oracles/sklearn_metrics.py)', () => {
  interface Sk {
    accuracy: number;
    balanced_accuracy: number;
    macro_f1: number;
    f1: number;
    precision: number[];
    recall: number[];
    f1_per_class: number[];
    support: number[];
  }
  const near = (a: number, b: number, what: string): void => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ours ${a}, sklearn ${b}`);
  const same = (ours: ReturnType<typeof classificationMetrics>, sk: Sk, k: number): void => {
    near(ours.accuracy, sk.accuracy, 'accuracy');
    near(ours.balanced_accuracy, sk.balanced_accuracy, 'balanced accuracy');
    near(ours.macro_f1, sk.macro_f1, 'macro F1');
    near(ours.f1, sk.f1, 'f1');
    for (let c = 0; c < k; c++) {
      near(ours.per_class[c].precision, sk.precision[c], `precision of ${c}`);
      near(ours.per_class[c].recall, sk.recall[c], `recall of ${c}`);
      near(ours.per_class[c].f1, sk.f1_per_class[c], `f1 of ${c}`);
      assert.equal(ours.per_class[c].support, sk.support[c]);
    }
  };

  // seeded cases: imbalanced binary, a constant predictor, multi-class with a class never true, one never predicted
  const cases: { name: string; k: number; yTrue: number[]; yPred: number[]; yTrain: number[] }[] = [];
  const rand = uniform(7);
  {
    const yTrue = Array.from({ length: 400 }, () => (rand() < 0.05 ? 1 : 0));
    cases.push({ name: 'binary, 5 % positives', k: 2, yTrue, yPred: yTrue.map((t) => (rand() < 0.15 ? 1 - t : t)), yTrain: Array.from({ length: 300 }, () => (rand() < 0.05 ? 1 : 0)) });
    cases.push({ name: 'constant predictor (accuracy high, F1 0)', k: 2, yTrue, yPred: yTrue.map(() => 0), yTrain: [0, 0, 1] });
  }
  {
    const yTrue = Array.from({ length: 300 }, () => [0, 0, 0, 0, 1, 1, 2, 3][Math.floor(rand() * 8)]); // class 4 never true
    const yPred = yTrue.map((t) => (rand() < 0.3 ? [0, 1, 2, 4][Math.floor(rand() * 4)] : t)); // class 3 never predicted
    cases.push({ name: 'multi-class, a class never true, one never predicted', k: 5, yTrue, yPred, yTrain: [2, 2, 1, 0, 2] });
  }

  for (const c of cases) {
    it(c.name, () => {
      const sk = runOracle<{ model: Sk; baseline: Sk; baseline_class: number }>('sklearn_metrics', 'scores', { y_true: c.yTrue, y_pred: c.yPred, k: c.k, y_train: c.yTrain });
      const classes = Array.from({ length: c.k }, (_, i) => `c${i}`);
      const yTrain = Int32Array.from(c.yTrain);
      const m = classificationMetrics(Int32Array.from(c.yTrue), Int32Array.from(c.yPred), null, classes, majorityClassOf(yTrain, c.k));
      same(m, sk.model, c.k);
      assert.equal(m.majority_baseline.class, `c${sk.baseline_class}`);
      near(m.majority_baseline.accuracy, sk.baseline.accuracy, 'baseline accuracy');
      near(m.majority_baseline.balanced_accuracy, sk.baseline.balanced_accuracy, 'baseline balanced accuracy');
      near(m.majority_baseline.macro_f1, sk.baseline.macro_f1, 'baseline macro F1');
      near(m.majority_baseline.f1, sk.baseline.f1, 'baseline f1');
    });
  }

  it('a constant predictor on imbalanced data: accuracy = the baseline\'s, balanced accuracy 0.5, F1 0', () => {
    const yTrue = Int32Array.from({ length: 100 }, (_, i) => (i < 95 ? 0 : 1));
    const m = classificationMetrics(yTrue, new Int32Array(100), null, ['ok', 'fraud']);
    assert.equal(m.accuracy, 0.95);
    assert.equal(m.balanced_accuracy, 0.5);
    assert.equal(m.f1, 0);
    assert.equal(m.majority_baseline.class, 'ok');
    assert.equal(m.majority_baseline.accuracy, 0.95);
  });

  it('old registry files without imbalance metrics get them from the confusion matrix', () => {
    const old = { accuracy: 0.8, precision: 0.75, recall: 0.75, f1: 0.75, roc_auc: null, confusion: { tn: 5, fp: 1, fn: 1, tp: 3, labels: ['a', 'b'] }, rows: 10 };
    const m = MetricsSchema.parse(old);
    const fresh = classificationMetrics(Int32Array.of(1, 1, 1, 1, 0, 0, 0, 0, 0, 0), Int32Array.of(1, 1, 1, 0, 1, 0, 0, 0, 0, 0), null, ['a', 'b']);
    assert.deepEqual(
      { b: m.balanced_accuracy, f: m.macro_f1, p: m.per_class, base: m.majority_baseline },
      { b: fresh.balanced_accuracy, f: fresh.macro_f1, p: fresh.per_class, base: fresh.majority_baseline },
    );
  });
});
