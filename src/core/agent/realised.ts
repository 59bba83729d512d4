/**
 * The production model's realised accuracy on a batch whose labels have arrived, beside the accuracy it had on its
 * holdout: the evidence of a performance impact that needs no estimate. The drop is tested one-sided at 95 %
 * against both samples' binomial noise (two proportions, normal approximation), so 5 points lost on 90 rows is
 * not evidence while 1.6 points on 2,000 rows is.
 */
export interface RealisedAccuracy {
  /** the batch the labels came with (file name) */
  source: string;
  accuracy: number;
  rows: number;
  /** the model's accuracy on its holdout, and that holdout's size */
  reference_accuracy: number;
  reference_rows: number;
  /** reference − realised, in points */
  drop_points: number;
  /** the drop's one-sided 95 % lower bound, in points: > 0 is evidence that performance suffered */
  drop_low_points: number;
}

/** z of the one-sided 95 % bound */
const Z95 = 1.6448536269514722;

export function realisedAccuracy(source: string, correct: number, rows: number, referenceAccuracy: number, referenceRows: number): RealisedAccuracy | null {
  if (!(rows > 0) || !(referenceRows > 0) || !Number.isFinite(referenceAccuracy)) return null;
  const accuracy = correct / rows;
  const p = referenceAccuracy;
  const se = Math.sqrt((p * (1 - p)) / referenceRows + (accuracy * (1 - accuracy)) / rows);
  const drop = (p - accuracy) * 100;
  return { source, accuracy, rows, reference_accuracy: p, reference_rows: referenceRows, drop_points: drop, drop_low_points: drop - Z95 * se * 100 };
}

/** Rows whose predicted class equals the label. */
export function correctPredictions(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) n++;
  return n;
}
