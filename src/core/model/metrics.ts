import type { ClassificationMetrics } from '../protocol';
import { DriftCatcherError } from '../util/errors';

/**
 * Classification metrics as scikit-learn computes them. Binary (two classes): precision, recall and F1 of
 * class 1, ROC-AUC from the class-1 probability (exact Mann-Whitney, ties count one half). More classes:
 * macro averages, ROC-AUC the macro one-vs-rest mean over the classes present. A zero denominator gives 0
 * (sklearn's zero_division default); ROC-AUC is null without probabilities or when only one class is present.
 */
export function classificationMetrics(
  yTrue: Int32Array,
  yPred: Int32Array,
  proba: Float64Array | null,
  classes: string[],
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
  let correct = 0;
  for (let c = 0; c < k; c++) correct += matrix[c][c];
  const perClass = (c: number): { precision: number; recall: number; f1: number } => {
    const tp = matrix[c][c];
    let predicted = 0;
    let actual = 0;
    for (let j = 0; j < k; j++) {
      predicted += matrix[j][c];
      actual += matrix[c][j];
    }
    const precision = predicted ? tp / predicted : 0;
    const recall = actual ? tp / actual : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { precision, recall, f1 };
  };

  const binary = k === 2;
  let precision: number;
  let recall: number;
  let f1: number;
  if (binary) {
    ({ precision, recall, f1 } = perClass(1));
  } else {
    precision = recall = f1 = 0;
    for (let c = 0; c < k; c++) {
      const m = perClass(c);
      precision += m.precision / k;
      recall += m.recall / k;
      f1 += m.f1 / k;
    }
  }

  let roc_auc: number | null = null;
  if (proba && n > 0) {
    if (binary) roc_auc = rocAuc(yTrue, 1, column(proba, k, 1));
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
  if (binary) Object.assign(confusion, { tn: matrix[0][0], fp: matrix[0][1], fn: matrix[1][0], tp: matrix[1][1] });
  return { accuracy: n ? correct / n : 0, precision, recall, f1, roc_auc, confusion, rows: n };
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
