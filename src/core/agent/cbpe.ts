import { Random } from '../util/random';
import { argmaxRows } from '../model/forest';

/**
 * Label-free accuracy estimate, after NannyML's CBPE (confidence-based performance estimation).
 *
 * A model whose probabilities are calibrated tells us how often it is right: a row scored p(positive) = 0.8 and
 * predicted positive is correct with probability 0.8. So on a new, unlabelled batch the expected accuracy is the mean
 * over rows of that probability. Forest probabilities are not calibrated, so we first fit an isotonic calibration on
 * the labelled holdout (the reference set), then apply it to the new batch.
 *
 * - binary: calibrate p(class 1) against the true class; each row contributes p̂ if the model predicts class 1,
 *   else 1 − p̂ (the model's own prediction, threshold 0.5 on the uncalibrated score, as CBPE does).
 * - multi-class: calibrate each class' probability one-vs-rest, normalise per row; each row contributes the calibrated
 *   probability of its predicted class (NannyML's multi-class CBPE).
 *
 * Pure functions on typed arrays: the caller gets probabilities from whatever model is in production.
 */

/**
 * A monotone non-decreasing fit by pool-adjacent-violators. Block b covers scores lo[b]..hi[b] with value ys[b];
 * between blocks the function is linear (as scikit-learn's IsotonicRegression interpolates), clamped outside.
 */
export interface IsotonicFit {
  lo: number[];
  hi: number[];
  ys: number[];
}

/**
 * Pool-adjacent-violators on (score, target ∈ [0,1]) pairs. Rows with equal scores are aggregated first (their mean
 * target, weighted by their count), as scikit-learn does: pooling a violator with only some of a tied score's rows
 * could never be undone once the rest arrive.
 */
export function fitIsotonic(scores: ArrayLike<number>, targets: ArrayLike<number>): IsotonicFit {
  const n = scores.length;
  if (n !== targets.length) throw new Error('fitIsotonic: scores and targets differ in length');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  // blocks: sum of targets, weight, score range
  const sum: number[] = [];
  const w: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  for (let j = 0; j < n; ) {
    const x = scores[order[j]];
    let s = 0;
    let c = 0;
    for (; j < n && scores[order[j]] === x; j++, c++) s += targets[order[j]];
    sum.push(s);
    w.push(c);
    lo.push(x);
    hi.push(x);
    // pool while the previous block's mean is larger
    while (sum.length > 1) {
      const k = sum.length - 1;
      if (sum[k - 1] / w[k - 1] <= sum[k] / w[k]) break;
      sum[k - 1] += sum[k];
      w[k - 1] += w[k];
      hi[k - 1] = hi[k];
      sum.pop();
      w.pop();
      lo.pop();
      hi.pop();
    }
  }
  return { lo, hi, ys: sum.map((s, k) => s / w[k]) };
}

/** Value of the fit at x. */
export function applyIsotonic(fit: IsotonicFit, x: number): number {
  const { lo, hi, ys } = fit;
  const m = ys.length;
  if (m === 0) return x;
  if (x <= lo[0]) return ys[0];
  if (x >= hi[m - 1]) return ys[m - 1];
  // first block whose upper end is ≥ x
  let a = 0;
  let b = m - 1;
  while (a < b) {
    const mid = (a + b) >> 1;
    if (hi[mid] >= x) b = mid;
    else a = mid + 1;
  }
  if (x >= lo[a]) return ys[a]; // inside block a
  // between block a-1 (ends at hi[a-1]) and block a (starts at lo[a])
  const t = (x - hi[a - 1]) / (lo[a] - hi[a - 1]);
  return ys[a - 1] + t * (ys[a] - ys[a - 1]);
}

export interface ProbaMatrix {
  /** row-major n × k */
  proba: Float64Array;
  k: number;
}

export interface AccuracyEstimate {
  method: 'cbpe-binary' | 'cbpe-per-class';
  /** estimated accuracy of the production model on the new, unlabelled batch */
  expected_accuracy: number;
  /** measured accuracy on the labelled reference (holdout) */
  reference_accuracy: number;
  /** the estimate's own value on the reference set (sanity: ≈ reference_accuracy when calibration works) */
  reference_estimate: number;
  /** reference_accuracy − expected_accuracy, in percentage points (positive = the model got worse) */
  drop_points: number;
  /**
   * 95 % interval of the accuracy the batch's labels will show: the batch's own sampling spread (each row is right
   * with its calibrated probability: Σ p(1−p)/n²) plus the calibration's uncertainty (the estimate re-done on
   * bootstrap resamples of the reference)
   */
  interval: [number, number];
  reference_rows: number;
  current_rows: number;
  /**
   * set when the estimate was corrected by the bias learnt from batches whose labels arrived
   * (agent/estimateCorrection.ts): the calibrated CBPE figure and interval before the correction, and the correction
   */
  cbpe_accuracy?: number;
  cbpe_interval?: [number, number];
  bias_correction?: BiasCorrection;
}

/** The bias correction an estimate got from batches whose labels arrived (agent/estimateCorrection.ts). */
export interface BiasCorrection {
  /** added to the CBPE estimate, in points */
  points: number;
  /** the correction's standard deviation, in points (added to the interval) */
  sd_points: number;
  /**
   * which forecast of the residual gave it (agent/estimateCorrection.ts): `level` lets the bias wander (local level),
   * `trend` also lets it keep moving the way it has been moving (local linear trend)
   */
  forecast?: 'level' | 'trend';
  /** the trend's slope carried into the next batch (points per batch) and its sd, when the trend gave it */
  slope_points?: number;
  slope_sd_points?: number;
  /** the trend of the model this one replaced, carried to its first batches before its own labels arrive (batches 0) */
  carried?: boolean;
  /** how many labelled batches of this model it was learnt from */
  batches: number;
  /** false when its track record is worse than CBPE alone's: the estimate is then CBPE's, and this is only a report */
  applied: boolean;
  /**
   * on the labelled batches after the first: the mean absolute error of the one-step predictions of the level
   * correction, of the trend correction and of CBPE alone
   */
  track_record?: { batches: number; corrected_mae_points: number; trend_mae_points?: number; cbpe_mae_points: number };
  /** sd of CBPE's past residuals beyond what their intervals explained (points); widens a withheld correction's interval */
  unexplained_sd_points: number;
}

/** What a decision context keeps of an estimate (the calibration's self-check stays out of prompts and logs). */
export type EstimateSummary = Omit<AccuracyEstimate, 'reference_estimate'>;

export function summariseEstimate(e: AccuracyEstimate): EstimateSummary {
  const { reference_estimate: _selfCheck, ...summary } = e;
  return summary;
}

/**
 * Estimate accuracy on `current` from a model's probabilities, calibrated on a labelled `reference`.
 * `referenceLabels[i]` is the class index (column of the probability matrix) of reference row i.
 */
export function estimateAccuracy(reference: ProbaMatrix, referenceLabels: ArrayLike<number>, current: ProbaMatrix): AccuracyEstimate {
  const k = reference.k;
  if (current.k !== k) throw new Error(`estimateAccuracy: reference has ${k} classes, current ${current.k}`);
  const nRef = reference.proba.length / k;
  const nCur = current.proba.length / k;
  if (referenceLabels.length !== nRef) throw new Error('estimateAccuracy: one label per reference row expected');
  if (nRef === 0 || nCur === 0) throw new Error('estimateAccuracy: empty reference or current batch');

  const referencePredicted = argmaxRows(reference.proba, k);
  const currentPredicted = argmaxRows(current.proba, k);
  let correct = 0;
  for (let i = 0; i < nRef; i++) if (referencePredicted[i] === referenceLabels[i]) correct++;
  const referenceAccuracy = correct / nRef;

  const all = Int32Array.from({ length: nRef }, (_, i) => i);
  const calibrated = fitCorrectness(reference, referenceLabels, all);
  const refRight = calibrated(reference, referencePredicted);
  const curRight = calibrated(current, currentPredicted);
  const expected = mean(curRight);
  let sampling = 0;
  for (const p of curRight) sampling += p * (1 - p);
  sampling /= nCur * nCur;
  const calibration = bootstrapVariance(nRef, (rows) => mean(fitCorrectness(reference, referenceLabels, rows)(current, currentPredicted)));
  const half = 1.959963984540054 * Math.sqrt(sampling + calibration);
  return {
    method: k === 2 ? 'cbpe-binary' : 'cbpe-per-class',
    expected_accuracy: expected,
    reference_accuracy: referenceAccuracy,
    reference_estimate: mean(refRight),
    drop_points: (referenceAccuracy - expected) * 100,
    interval: [Math.max(0, expected - half), Math.min(1, expected + half)],
    reference_rows: nRef,
    current_rows: nCur,
  };
}

/** Per row of a scored batch, the probability that the model's prediction (`predicted`, the argmax) is right. */
type Correctness = (m: ProbaMatrix, predicted: Int32Array) => Float64Array;

/**
 * Calibrators fitted on the reference rows `rows` (repeats allowed: a bootstrap resample).
 * - binary: one isotonic fit of p(class 1) against "the label is class 1"; a row predicted class 1 is right with the
 *   calibrated p, one predicted class 0 with 1 − p;
 * - multi-class: one-vs-rest, one isotonic fit per class c of p(c) against "the label is c"; a row's calibrated
 *   probabilities are normalised to sum to 1 and its predicted class' share is the chance it is right (NannyML's
 *   multi-class CBPE; scikit-learn's CalibratedClassifierCV(method="isotonic") on several classes). The top-label
 *   confidence alone would not see which classes a batch moved toward.
 */
function fitCorrectness(reference: ProbaMatrix, labels: ArrayLike<number>, rows: Int32Array): Correctness {
  const k = reference.k;
  const score = new Float64Array(rows.length);
  const target = new Float64Array(rows.length);
  const fitClass = (c: number): IsotonicFit => {
    for (let j = 0; j < rows.length; j++) {
      score[j] = reference.proba[rows[j] * k + c];
      target[j] = labels[rows[j]] === c ? 1 : 0;
    }
    return fitIsotonic(score, target);
  };
  if (k === 2) {
    const fit = fitClass(1);
    return (m, predicted) => {
      const out = new Float64Array(predicted.length);
      for (let i = 0; i < predicted.length; i++) {
        const p = applyIsotonic(fit, m.proba[i * 2 + 1]);
        out[i] = predicted[i] === 1 ? p : 1 - p;
      }
      return out;
    };
  }
  const fits = Array.from({ length: k }, (_, c) => fitClass(c));
  return (m, predicted) => {
    const out = new Float64Array(predicted.length);
    const q = new Float64Array(k);
    for (let i = 0; i < predicted.length; i++) {
      let sum = 0;
      for (let c = 0; c < k; c++) sum += q[c] = applyIsotonic(fits[c], m.proba[i * k + c]);
      // every calibrator at 0 (a row unlike any reference row of every class): no information, a uniform guess
      out[i] = sum > 0 ? q[predicted[i]] / sum : 1 / k;
    }
    return out;
  };
}

function mean(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v;
  return s / a.length;
}

/** the label-free estimate calibrates on at least this many held-out rows (isotonic regression on fewer is noise) */
export const MIN_CALIBRATION_ROWS = 200;

/**
 * Which held-out batches a model's estimate calibrates on, given each batch's held-out row count (oldest first): the
 * index of the first of them — the newest batch, and older ones only as far back as needed for `minRows`. The newest
 * rows are the closest to the batches the model will score (calibrating on every batch since the first lets old,
 * easy periods outvote the present). `validate`'s holdout in production and the replay of `evaluate` both use it.
 */
export function calibrationWindowStart(rowsPerBatch: readonly number[], minRows = MIN_CALIBRATION_ROWS): number {
  let from = rowsPerBatch.length - 1;
  let rows = rowsPerBatch[from] ?? 0;
  while (from > 0 && rows < minRows) rows += rowsPerBatch[--from];
  return Math.max(0, from);
}

const BOOTSTRAP_ROUNDS = 40;

/** Variance of `estimate(rows)` over bootstrap resamples of the reference rows (seeded, deterministic). */
function bootstrapVariance(n: number, estimate: (rows: Int32Array) => number): number {
  if (n < 2) return 0;
  const rng = new Random(7);
  const rows = new Int32Array(n);
  let sum = 0;
  let sum2 = 0;
  for (let b = 0; b < BOOTSTRAP_ROUNDS; b++) {
    for (let i = 0; i < n; i++) rows[i] = rng.int(n);
    const e = estimate(rows);
    sum += e;
    sum2 += e * e;
  }
  const mean = sum / BOOTSTRAP_ROUNDS;
  return Math.max(0, sum2 / BOOTSTRAP_ROUNDS - mean * mean);
}
