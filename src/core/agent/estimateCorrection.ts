import type { AccuracyEstimate, BiasCorrection } from './cbpe';

/**
 * A bias correction of the label-free estimate, learnt from the batches whose labels have arrived.
 *
 * CBPE assumes P(y | x) does not change. When it does (concept drift: attacks that now look like benign traffic,
 * a season the calibration rows never saw), calibrated probabilities stay confident where the model is now wrong,
 * and no label-free method can see it. What can see it is the production model's own record: for every earlier
 * batch it scored, the estimate made then and the accuracy its labels showed later. Their difference (the residual)
 * is the estimate's bias under the current concept.
 *
 * The bias is followed by a local-level Kalman filter: it may move by `driftSdPoints` per batch (process noise),
 * and each residual is observed with the variance of that batch's estimate interval (the batch's sampling spread and
 * the calibration's). A residual on 2,000 rows moves the bias almost all the way; one on 90 rows, whose realised
 * accuracy is itself uncertain by several points, moves it a little; a run of consistent residuals moves it fully.
 * The correction's own uncertainty widens the interval. Residuals count only for the model that made them: a newly
 * deployed model starts from its calibration, with no correction — unless the model it replaced had the trend in
 * force (carriedTrend).
 *
 * The correction must earn its place: a residual that moves from batch to batch for reasons no past batch shows (a
 * month with more storms) makes a filter that follows it chase noise, and CBPE alone would have done better. So the
 * filter's own record is kept — on every labelled batch after the first, the error its one-step prediction would
 * have made beside CBPE alone's — and the correction applies only while its record is at least as good (with one
 * labelled batch there is no record yet, and it applies). A second filter follows the residual's trend as well (a
 * concept that drifts further every batch leaves the level one batch behind each time); it replaces the level only
 * while its own record beats both, so a trend read into noise seldom applies. A withheld correction is still
 * reported, marked so, and the estimate is CBPE's with its interval widened by CBPE's past error beyond what its own
 * intervals explained.
 *
 * This is not label-free: the corrected figure says so (`bias_correction` names the batches it learnt from).
 */
export interface EstimateOutcome {
  /** the uncorrected (calibrated CBPE) estimate made before the labels arrived */
  cbpe_accuracy: number;
  /** its 95 % interval */
  interval: [number, number];
  /** the accuracy the batch's labels showed */
  realised_accuracy: number;
}

/** How far the bias may move from one batch to the next (1 sd, points): the default of agent.estimateBiasDriftPoints. */
export const DEFAULT_BIAS_DRIFT_POINTS = 2;

const Z95 = 1.959963984540054;

/** Standard deviation of an estimate from its 95 % interval (points). */
function intervalSd(interval: [number, number]): number {
  return ((interval[1] - interval[0]) / (2 * Z95)) * 100;
}

/** One forecast's Kalman filter run over the residuals: its next-batch prediction and its one-step record. */
interface FilterRun {
  /** predicted bias of the next batch (points) and its sd */
  points: number;
  sd_points: number;
  /** the slope it carries into that prediction (points per batch; 0 for the level) and its sd */
  slope_points: number;
  slope_sd_points: number;
  /** summed absolute one-step errors on batches 2.. (points) */
  errors: number;
}

/**
 * A Kalman filter on (level, slope) with the level moving by `q` (variance, points²) per batch and the slope by
 * `slopeQ`; residual i is observed with variance `r[i]`. The prior is an unbiased calibration give or take one batch's
 * drift, and no slope give or take `slopeQ` — so with `slopeQ = 0` the slope stays 0 and this is the local level.
 */
function followResidual(residuals: readonly number[], r: readonly number[], q: number, slopeQ: number): FilterRun {
  let level = 0;
  let slope = 0;
  // state covariance [[a, b], [b, c]], the prior's one step before the first batch
  let a = q;
  let b = 0;
  let c = slopeQ;
  let errors = 0;
  // one step ahead: level += slope; P = F P Fᵀ + diag(q, slopeQ) with F = [[1, 1], [0, 1]]
  const predict = (): void => {
    level += slope;
    a += 2 * b + c + q;
    b += c;
    c += slopeQ;
  };
  residuals.forEach((y, i) => {
    predict();
    if (i > 0) errors += Math.abs(y - level);
    const gainDen = a + r[i];
    const ka = a / gainDen;
    const kb = b / gainDen;
    const innovation = y - level;
    level += ka * innovation;
    slope += kb * innovation;
    // P = (I − K H) P with H = [1, 0]
    const [a0, b0, c0] = [a, b, c];
    a = a0 - ka * a0;
    b = b0 - ka * b0;
    c = c0 - kb * b0;
  });
  predict();
  return { points: level, sd_points: Math.sqrt(a), slope_points: slope, slope_sd_points: Math.sqrt(c), errors };
}

/**
 * Labelled batches after the first that the trend's record must cover before it may apply. Its prediction of the
 * second batch rests on one residual (no slope to see yet); from the third on, it predicts with a slope read from the
 * data. Three judged batches hold two such predictions: one alone can beat the level by luck — right after a step
 * the slope absorbs part of the jump and catches up faster once, then overshoots.
 */
const MIN_TREND_RECORD = 3;

/**
 * The bias learnt from `outcomes` (oldest first), with its track record, or null when there are none.
 *
 * Each forecast keeps its own record: on every labelled batch after the first, the error its one-step prediction
 * would have made, beside CBPE alone's. The level applies while its record is at least as good as CBPE alone's (with
 * no record yet it applies: a residual on one batch is all there is); the trend replaces it only once its record
 * covers MIN_TREND_RECORD batches and is strictly better than both — a trend read into noise predicts worse than the
 * level, so a residual that only wanders seldom gets one.
 */
export function learnBias(outcomes: readonly EstimateOutcome[], driftSdPoints = DEFAULT_BIAS_DRIFT_POINTS): BiasCorrection | null {
  const usable = outcomes.filter((o) => Number.isFinite(o.cbpe_accuracy) && Number.isFinite(o.realised_accuracy));
  if (usable.length === 0) return null;
  const q = driftSdPoints * driftSdPoints;
  const residuals = usable.map((o) => (o.realised_accuracy - o.cbpe_accuracy) * 100);
  // a zero-width interval (a degenerate calibration) still leaves the realised accuracy's binomial noise: floor it
  const r = usable.map((o) => Math.max(intervalSd(o.interval), 0.1) ** 2);
  const level = followResidual(residuals, r, q, 0);
  // the slope may change by half a batch's level drift per batch: a trend that bends, not one that flips each batch
  const trend = followResidual(residuals, r, q, q / 4);
  const alone = residuals.slice(1).reduce((s, x) => s + Math.abs(x), 0);
  // CBPE's squared residuals beyond what its intervals explained (points²): batch-to-batch error no filter follows
  const unexplained = residuals.reduce((s, x, i) => s + x * x - intervalSd(usable[i].interval) ** 2, 0);
  const judged = usable.length - 1;
  const useTrend = judged >= MIN_TREND_RECORD && trend.errors < level.errors && trend.errors < alone;
  const chosen = useTrend ? trend : level;
  return {
    points: chosen.points,
    sd_points: chosen.sd_points,
    forecast: useTrend ? 'trend' : 'level',
    ...(useTrend ? { slope_points: chosen.slope_points, slope_sd_points: chosen.slope_sd_points } : {}),
    batches: usable.length,
    applied: judged === 0 || useTrend || level.errors <= alone,
    unexplained_sd_points: Math.sqrt(Math.max(0, unexplained / usable.length)),
    ...(judged > 0
      ? { track_record: { batches: judged, corrected_mae_points: level.errors / judged, trend_mae_points: trend.errors / judged, cbpe_mae_points: alone / judged } }
      : {}),
  };
}

/** A carried trend's outcome: what it added to a new model's estimate, and the residual that batch's labels showed (points). */
export interface CarriedOutcome {
  carried_points: number;
  residual_points: number;
}

/**
 * What a newly deployed model inherits from the one it replaced, whose labelled batches are `outcomes`: nothing,
 * unless the trend forecast was in force for it (its record beat the level's and CBPE alone's). Then the concept was
 * moving by the trend's slope every batch; the new model is calibrated on the newest held-out rows, so it starts level
 * with the concept of that batch, and one batch later the concept has moved one slope further. Its first estimate is
 * corrected by that slope, with the slope's uncertainty and one batch's level drift; from its first labelled batch on,
 * its own residuals decide, as for any model.
 *
 * It too earns its place, across models: `record` holds the earlier carried trends whose batches' labels arrived,
 * and once their errors sum to more than CBPE alone's on those batches nothing is carried any more.
 */
export function carriedTrend(
  outcomes: readonly EstimateOutcome[],
  driftSdPoints = DEFAULT_BIAS_DRIFT_POINTS,
  record: readonly CarriedOutcome[] = [],
): BiasCorrection | null {
  const old = learnBias(outcomes, driftSdPoints);
  if (!old?.applied || old.forecast !== 'trend' || old.slope_points === undefined) return null;
  const carriedErrors = record.reduce((s, o) => s + Math.abs(o.residual_points - o.carried_points), 0);
  const alone = record.reduce((s, o) => s + Math.abs(o.residual_points), 0);
  if (carriedErrors > alone) return null;
  return {
    points: old.slope_points,
    sd_points: Math.sqrt((old.slope_sd_points ?? 0) ** 2 + driftSdPoints * driftSdPoints),
    forecast: 'trend',
    slope_points: old.slope_points,
    carried: true,
    batches: 0,
    applied: true,
    unexplained_sd_points: 0,
    ...(record.length ? { track_record: { batches: record.length, corrected_mae_points: carriedErrors / record.length, cbpe_mae_points: alone / record.length } } : {}),
  };
}

/**
 * The estimate shifted by the learnt bias (or, without outcomes, by the trend `carried` from the replaced model), its
 * interval widened by the bias' uncertainty; unchanged without either,
 * and unchanged but for the withheld correction's report when its track record is worse than CBPE alone's.
 */
export function correctEstimate(
  e: AccuracyEstimate,
  outcomes: readonly EstimateOutcome[],
  driftSdPoints = DEFAULT_BIAS_DRIFT_POINTS,
  carried: BiasCorrection | null = null,
): AccuracyEstimate {
  // the replaced model's trend (carriedTrend) only until this model's own labels arrive
  const bias = learnBias(outcomes, driftSdPoints) ?? carried;
  if (!bias) return e;
  if (!bias.applied) {
    // CBPE's figure, but its interval widened by the error its record shows beyond its own intervals
    const sd = Math.sqrt(intervalSd(e.interval) ** 2 + bias.unexplained_sd_points ** 2) / 100;
    return { ...e, interval: [clamp01(e.expected_accuracy - Z95 * sd), clamp01(e.expected_accuracy + Z95 * sd)], cbpe_interval: e.interval, bias_correction: bias };
  }
  const expected = clamp01(e.expected_accuracy + bias.points / 100);
  const sd = Math.sqrt(intervalSd(e.interval) ** 2 + bias.sd_points ** 2) / 100;
  return {
    ...e,
    expected_accuracy: expected,
    drop_points: (e.reference_accuracy - expected) * 100,
    interval: [clamp01(expected - Z95 * sd), clamp01(expected + Z95 * sd)],
    cbpe_accuracy: e.expected_accuracy,
    cbpe_interval: e.interval,
    bias_correction: bias,
  };
}

/** An estimate as it is made (AccuracyEstimate) or as a decision logged it (DecisionContext's estimate). */
type MadeEstimate = Pick<AccuracyEstimate, 'expected_accuracy' | 'interval' | 'cbpe_accuracy' | 'cbpe_interval'>;

/** What an outcome keeps of an estimate once the batch's labels showed `realised`. */
export function estimateOutcome(e: MadeEstimate, realised: number): EstimateOutcome {
  return { cbpe_accuracy: e.cbpe_accuracy ?? e.expected_accuracy, interval: e.cbpe_interval ?? e.interval, realised_accuracy: realised };
}

/** What the carried trend's record keeps of an estimate it corrected by `carriedPoints`, once the batch's labels showed `realised`. */
export function carriedOutcome(e: MadeEstimate, carriedPoints: number, realised: number): CarriedOutcome {
  return { carried_points: carriedPoints, residual_points: (realised - estimateOutcome(e, realised).cbpe_accuracy) * 100 };
}

const clamp01 = (x: number): number => Math.min(1, Math.max(0, x));
