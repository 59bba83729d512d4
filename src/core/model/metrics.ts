import type { ClassificationMetrics, ClassMetrics, MajorityBaseline } from '../protocol';
import { DriftCatcherError } from '../util/errors';

/**
 * Classification metrics as scikit-learn computes them. Binary (two classes): precision, recall and F1 of
 * class 1, ROC-AUC from the class-1 probability (exact Mann-Whitney, ties count one half). More classes:
 * macro averages over the model's classes, ROC-AUC the macro one-vs-rest mean over the classes present. A zero
 * denominator gives 0 (sklearn's zero_division default); ROC-AUC is null without probabilities or when only one
 * class is present.
 *
 * Imbalance is reported next to accuracy, because a constant predictor scores a high accuracy on skewed data:
 * balanced accuracy (sklearn's balanced_accuracy_score), macro-F1 (f1_score average='macro', over the classes
 * true or predicted at least once), per-class precision/recall/F1/support, and the same numbers for the
 * majority-class baseline (DummyClassifier(strategy='most_frequent') fit on the training labels).
 */
export function classificationMetrics(
  yTrue: Int32Array,
  yPred: Int32Array,
  proba: Float64Array | null,
  classes: string[],
  /** the training data's most frequent class (index into classes); default: the scored rows' */
  majorityClass?: number,
): ClassificationMetrics {
  const n = yTrue.length;
  const k = classes.length;
  if (k < 1) throw new DriftCatcherError('metrics need at least one class');
  if (yPred.length !== n) throw new DriftCatcherError(`metrics: ${n} true labels but ${yPred.length} predictions`);
  if (proba && proba.length !== n * k) throw new DriftCatcherError(`metrics: probabilities for ${proba.length / k} rows, expected ${n}`);
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < n; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (!(t >= 0 && t < k && p >= 0 && p < k)) throw new DriftCatcherError(`metrics: row ${i} has class ${t}/${p} outside 0..${k - 1}`);
    matrix[t][p]++;
  }
  const s = matrixSummary(matrix, classes);

  let roc_auc: number | null = null;
  if (proba && n > 0) {
    if (k === 2) roc_auc = rocAuc(yTrue, 1, column(proba, k, 1));
    else {
      let sum = 0;
      let m = 0;
      for (let c = 0; c < k; c++) {
        const a = rocAuc(yTrue, c, column(proba, k, c));
        if (a !== null) {
          sum += a;
          m++;
        }
      }
      roc_auc = m ? sum / m : null;
    }
  }

  const confusion: ClassificationMetrics['confusion'] = { matrix, labels: classes.slice() };
  if (k === 2) Object.assign(confusion, { tn: matrix[0][0], fp: matrix[0][1], fn: matrix[1][0], tp: matrix[1][1] });
  const majority = majorityClass ?? mostFrequentRow(matrix);
  if (!(Number.isInteger(majority) && majority >= 0 && majority < k)) throw new DriftCatcherError(`metrics: majority class ${majority} outside 0..${k - 1}`);
  return {
    accuracy: s.accuracy,
    precision: s.precision,
    recall: s.recall,
    f1: s.f1,
    roc_auc,
    confusion,
    rows: n,
    balanced_accuracy: s.balanced_accuracy,
    macro_f1: s.macro_f1,
    per_class: s.per_class,
    majority_baseline: majorityBaseline(matrix, classes, majority),
  };
}

interface MatrixSummary {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  balanced_accuracy: number;
  macro_f1: number;
  per_class: ClassMetrics[];
}

/** Everything but ROC-AUC follows from the confusion matrix (true class i, predicted class j). */
export function matrixSummary(matrix: number[][], classes: string[]): MatrixSummary {
  const k = classes.length;
  let n = 0;
  let correct = 0;
  const actual = new Array<number>(k).fill(0);
  const predicted = new Array<number>(k).fill(0);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      n += matrix[i][j];
      actual[i] += matrix[i][j];
      predicted[j] += matrix[i][j];
    }
    correct += matrix[i][i];
  }
  const per_class: ClassMetrics[] = classes.map((name, c) => {
    const tp = matrix[c][c];
    const precision = predicted[c] ? tp / predicted[c] : 0;
    const recall = actual[c] ? tp / actual[c] : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { class: name, precision, recall, f1, support: actual[c] };
  });
  let precision: number;
  let recall: number;
  let f1: number;
  if (k === 2) ({ precision, recall, f1 } = per_class[1]);
  else {
    precision = recall = f1 = 0;
    for (const m of per_class) {
      precision += m.precision / k;
      recall += m.recall / k;
      f1 += m.f1 / k;
    }
  }
  let recallSum = 0;
  let present = 0;
  let f1Sum = 0;
  let seen = 0;
  for (let c = 0; c < k; c++) {
    if (actual[c] > 0) {
      recallSum += per_class[c].recall;
      present++;
    }
    if (actual[c] > 0 || predicted[c] > 0) {
      f1Sum += per_class[c].f1;
      seen++;
    }
  }
  return {
    accuracy: n ? correct / n : 0,
    precision,
    recall,
    f1,
    balanced_accuracy: present ? recallSum / present : 0,
    macro_f1: seen ? f1Sum / seen : 0,
    per_class,
  };
}

/** The scores of always predicting `majority` (default: the most frequent true class) on the rows the matrix counts. */
export function majorityBaseline(matrix: number[][], classes: string[], majority = mostFrequentRow(matrix)): MajorityBaseline {
  const constant = matrix.map((row) => {
    const out = new Array<number>(row.length).fill(0);
    out[majority] = row.reduce((a, b) => a + b, 0);
    return out;
  });
  const s = matrixSummary(constant, classes);
  return { class: classes[majority] ?? '', accuracy: s.accuracy, balanced_accuracy: s.balanced_accuracy, macro_f1: s.macro_f1, f1: s.f1 };
}

/** Index of the largest row sum (the first on ties, like numpy's argmax / sklearn's DummyClassifier). */
function mostFrequentRow(matrix: number[][]): number {
  let best = 0;
  let bestSum = -1;
  matrix.forEach((row, i) => {
    const s = row.reduce((a, b) => a + b, 0);
    if (s > bestSum) {
      bestSum = s;
      best = i;
    }
  });
  return best;
}

/** The most frequent class code of `y` (the smallest code on ties); 0 for no rows. */
export function majorityClassOf(y: Int32Array, k: number): number {
  const counts = new Array<number>(k).fill(0);
  for (const c of y) counts[c]++;
  let best = 0;
  for (let c = 1; c < k; c++) if (counts[c] > counts[best]) best = c;
  return best;
}

function column(proba: Float64Array, k: number, c: number): Float64Array {
  const n = proba.length / k;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = proba[i * k + c];
  return out;
}

/**
 * AUC of `score` for "yTrue == positive" versus the rest: the Mann-Whitney U statistic with average ranks
 * for ties, divided by (positives × negatives). null when either side is empty.
 */
export function rocAuc(yTrue: Int32Array, positive: number, score: Float64Array): number | null {
  const n = yTrue.length;
  let pos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === positive) pos++;
  const neg = n - pos;
  if (pos === 0 || neg === 0) return null;
  const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let rankSumPos = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && score[order[j]] === score[order[i]]) j++;
    const avgRank = (i + 1 + j) / 2; // ranks i+1 .. j share their mean
    for (let t = i; t < j; t++) if (yTrue[order[t]] === positive) rankSumPos += avgRank;
    i = j;
  }
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}
