import { strict as assert } from 'node:assert';
import { estimateAccuracy, type AccuracyEstimate } from '../../../src/core/agent/cbpe';
import { carriedTrend, correctEstimate, estimateOutcome, learnBias, type EstimateOutcome } from '../../../src/core/agent/estimateCorrection';
import { uniform } from '../../../src/core/util/random';
import { runOracle } from '../../oracles/oracle';

const estimate = (x: number, halfWidth: number): AccuracyEstimate => ({
  method: 'cbpe-binary',
  expected_accuracy: x,
  reference_accuracy: 0.95,
  reference_estimate: 0.95,
  drop_points: (0.95 - x) * 100,
  interval: [x - halfWidth, x + halfWidth],
  reference_rows: 300,
  current_rows: 2000,
});

describe('the estimate\'s bias correction learnt from labelled batches', () => {
  it('without outcomes the estimate is the calibrated CBPE figure, untouched', () => {
    const e = estimate(0.9, 0.01);
    assert.equal(correctEstimate(e, []), e);
    assert.equal(learnBias([]), null);
  });

  it('a consistent residual on large batches is learnt almost fully; the interval widens by its uncertainty', () => {
    const outcomes: EstimateOutcome[] = [0, 1, 2].map(() => ({ cbpe_accuracy: 0.9, interval: [0.89, 0.91], realised_accuracy: 0.85 }));
    const c = correctEstimate(estimate(0.92, 0.01), outcomes);
    assert.ok(Math.abs(c.bias_correction!.points + 5) < 0.3, `${c.bias_correction!.points}`);
    assert.ok(Math.abs(c.expected_accuracy - 0.87) < 0.003);
    assert.equal(c.cbpe_accuracy, 0.92);
    assert.ok(Math.abs(c.drop_points - 8) < 0.3, 'the drop follows the corrected figure');
    assert.ok(c.interval[1] - c.interval[0] > 0.02 && c.interval[0] < 0.87 && c.interval[1] > 0.87);
    // the outcome of a corrected estimate keeps the uncorrected figure: residuals are CBPE's, not the correction's
    assert.deepEqual(estimateOutcome(c, 0.86), { cbpe_accuracy: 0.92, interval: [0.91, 0.93], realised_accuracy: 0.86 });
  });

  it('one residual on a small, uncertain batch moves the estimate only a little', () => {
    const small = learnBias([{ cbpe_accuracy: 0.9, interval: [0.8, 1.0], realised_accuracy: 0.95 }])!;
    const large = learnBias([{ cbpe_accuracy: 0.9, interval: [0.895, 0.905], realised_accuracy: 0.95 }])!;
    assert.ok(small.points > 0 && small.points < 1.5, `${small.points}`);
    assert.ok(large.points > 4.5, `${large.points}`);
    assert.ok(small.sd_points > large.sd_points);
  });

  /**
   * A stream whose truth is known: a calibrated binary scorer on every batch (so CBPE alone is unbiased while the
   * concept holds), then labels flip for a growing share of the rows the model is sure of (concept drift CBPE
   * cannot see). Prequentially, each batch's labels arrive after its estimate.
   */
  it('on a stream with gradual concept drift it tracks the realised accuracy that CBPE alone misses, with about nominal coverage', () => {
    const r = uniform(21);
    const batch = (n: number, flip: number) => {
      const proba = new Float64Array(n * 2);
      const labels = new Int32Array(n);
      let correct = 0;
      for (let i = 0; i < n; i++) {
        const p = r();
        proba[i * 2] = 1 - p;
        proba[i * 2 + 1] = p;
        let y = r() < p ? 1 : 0;
        if (Math.abs(p - 0.5) > 0.3 && r() < flip) y = 1 - y;
        labels[i] = y;
        if ((p > 0.5 ? 1 : 0) === y) correct++;
      }
      return { matrix: { proba, k: 2 }, labels, accuracy: correct / n };
    };
    const ref = batch(1500, 0);
    const outcomes: EstimateOutcome[] = [];
    let cbpeErr = 0;
    let corrErr = 0;
    let inside = 0;
    const T = 40;
    for (let t = 0; t < T; t++) {
      const cur = batch(2000, t < 10 ? 0 : Math.min(0.3, 0.01 * (t - 10)));
      const e = correctEstimate(estimateAccuracy(ref.matrix, ref.labels, cur.matrix), outcomes);
      cbpeErr += Math.abs(cur.accuracy - (e.cbpe_accuracy ?? e.expected_accuracy));
      corrErr += Math.abs(cur.accuracy - e.expected_accuracy);
      if (cur.accuracy >= e.interval[0] && cur.accuracy <= e.interval[1]) inside++;
      outcomes.push(estimateOutcome(e, cur.accuracy));
    }
    assert.ok(corrErr / T < 0.4 * (cbpeErr / T), `corrected MAE ${(100 * corrErr) / T} vs CBPE ${(100 * cbpeErr) / T} points`);
    assert.ok(corrErr / T < 0.015, `corrected MAE ${(100 * corrErr) / T} points`);
    assert.ok(inside >= 0.85 * T, `${inside}/${T} inside the 95 % interval`);
  });

  it('a residual that jumps from batch to batch, which no past batch predicts, withholds the correction once its record is worse', () => {
    // CBPE alone is off by ±4 points in turn, on large batches: a filter that follows the last residual is off by 8
    const outcomes: EstimateOutcome[] = [-4, 4, -4, 4].map((d) => ({ cbpe_accuracy: 0.8, interval: [0.795, 0.805], realised_accuracy: 0.8 + d / 100 }));
    const b = learnBias(outcomes)!;
    assert.equal(b.applied, false);
    assert.equal(b.track_record!.batches, 3);
    assert.ok(b.track_record!.corrected_mae_points > b.track_record!.cbpe_mae_points, JSON.stringify(b.track_record));
    const e = estimate(0.8, 0.005);
    const c = correctEstimate(e, outcomes);
    assert.equal(c.expected_accuracy, 0.8, 'the estimate stays CBPE\'s');
    assert.equal(c.cbpe_accuracy, undefined);
    // its interval widens by the ±4-point swings its record shows (its own intervals explained ±0.3)
    assert.ok(c.interval[0] < 0.76 && c.interval[1] > 0.84, JSON.stringify(c.interval));
    assert.ok(Math.abs(c.bias_correction!.unexplained_sd_points - 4) < 0.1, String(c.bias_correction!.unexplained_sd_points));
    assert.equal(c.bias_correction!.applied, false, 'the withheld correction is reported');
    // a consistent residual keeps it applied, with a record that shows why
    const steady = learnBias([0, 1, 2].map(() => ({ cbpe_accuracy: 0.9, interval: [0.89, 0.91] as [number, number], realised_accuracy: 0.85 })))!;
    assert.equal(steady.applied, true);
    assert.ok(steady.track_record!.corrected_mae_points < steady.track_record!.cbpe_mae_points);
  });

  /** Outcomes whose CBPE residual (realised − CBPE, points) is `residuals[i]`, each on a batch with interval ± `half` points. */
  const withResiduals = (residuals: readonly number[], half: number): EstimateOutcome[] =>
    residuals.map((d) => ({ cbpe_accuracy: 0.9, interval: [0.9 - half / 100, 0.9 + half / 100], realised_accuracy: 0.9 + d / 100 }));

  it('the level and trend filters equal the textbook Kalman filter in matrix form (numpy, test/oracles/stats.py)', () => {
    const r = uniform(33);
    for (const n of [2, 5, 9]) {
      const residuals = Array.from({ length: n }, (_, i) => -0.4 * i * i + 3 * (r() - 0.5));
      const half = 0.5 + r();
      const outcomes = withResiduals(residuals, half);
      const b = learnBias(outcomes, 2)!;
      const obsVar = ((2 * half) / (2 * 1.959963984540054)) ** 2;
      const oracle = (slopeQ: number) =>
        runOracle<{ one_step: number[]; next: number; next_var: number; next_slope: number; next_slope_var: number }>('stats', 'kalman_trend', { y: residuals, r: residuals.map(() => obsVar), q: 4, slope_q: slopeQ });
      const level = oracle(0);
      const trend = oracle(1);
      const record = (o: { one_step: number[] }) => residuals.slice(1).reduce((s, y, i) => s + Math.abs(y - o.one_step[i + 1]), 0) / (n - 1);
      const tr = b.track_record!;
      // the realised accuracies pass through a float sum: 1e-9 points is far below any effect
      assert.ok(Math.abs(tr.corrected_mae_points - record(level)) < 1e-9, `level record ${tr.corrected_mae_points} vs ${record(level)}`);
      assert.ok(Math.abs(tr.trend_mae_points! - record(trend)) < 1e-9, `trend record ${tr.trend_mae_points} vs ${record(trend)}`);
      const chosen = b.forecast === 'trend' ? trend : level;
      assert.ok(Math.abs(b.points - chosen.next) < 1e-9, `n=${n} ${b.forecast}: ${b.points} vs ${chosen.next}`);
      assert.ok(Math.abs(b.sd_points - Math.sqrt(chosen.next_var)) < 1e-9, `n=${n} sd ${b.sd_points} vs ${Math.sqrt(chosen.next_var)}`);
      if (b.forecast === 'trend') {
        // the slope a new model would inherit (carriedTrend)
        assert.ok(Math.abs(b.slope_points! - trend.next_slope) < 1e-9, `n=${n} slope ${b.slope_points} vs ${trend.next_slope}`);
        assert.ok(Math.abs(b.slope_sd_points! - Math.sqrt(trend.next_slope_var)) < 1e-9);
      }
    }
  });

  it('a concept that drifts further every batch gets the trend once its record beats the level\'s; it then predicts the next batch better', () => {
    // the residual falls faster each batch (a spreading attack the calibration never saw): −0.5 i² points
    const path = (i: number) => -0.5 * i * i;
    const b = learnBias(withResiduals([0, 1, 2, 3, 4, 5].map(path), 0.5))!;
    assert.equal(b.forecast, 'trend');
    assert.equal(b.applied, true);
    assert.ok(b.track_record!.trend_mae_points! < b.track_record!.corrected_mae_points, JSON.stringify(b.track_record));
    assert.ok(b.slope_points! < -2, `slope ${b.slope_points}`);
    const level = learnBias(withResiduals([0, 1, 2, 3, 4, 5].map(path), 0.5).slice(0, 1))!;
    assert.equal(level.forecast, 'level', 'with one batch there is no record: the level applies');
    // two judged batches are too few for a trend, though its record is already ahead; three are enough
    const early = learnBias(withResiduals([0, 1, 2].map(path), 0.5))!;
    assert.ok(early.track_record!.trend_mae_points! < early.track_record!.corrected_mae_points, JSON.stringify(early.track_record));
    assert.equal(early.forecast, 'level');
    assert.equal(learnBias(withResiduals([0, 1, 2, 3].map(path), 0.5))!.forecast, 'trend');
    // the next batch's residual is −18: the trend comes closer than the last residual (−12.5) the level sits near
    assert.ok(Math.abs(b.points - path(6)) < Math.abs(-12.5 - path(6)) - 2, `trend predicts ${b.points} for ${path(6)}`);
  });

  it('a residual that only wanders never gets a trend: read into noise, a trend predicts worse than the level', () => {
    const r = uniform(41);
    let trends = 0;
    for (let run = 0; run < 40; run++) {
      // a steady bias of −3 points seen through ±2 points of batch-to-batch noise, 8 batches
      const residuals = Array.from({ length: 8 }, () => -3 + 4 * (r() - 0.5));
      if (learnBias(withResiduals(residuals, 1))!.forecast === 'trend') trends++;
    }
    // a trend may win a short record by luck now and then, not as a rule
    assert.ok(trends <= 8, `${trends}/40 runs took the trend`);
  });

  it('a new model inherits the replaced model\'s slope only when its trend was in force, and only until its own labels arrive', () => {
    const falling = withResiduals([0, 1, 2, 3, 4, 5].map((i) => -0.5 * i * i), 0.5);
    const old = learnBias(falling)!;
    const carried = carriedTrend(falling)!;
    // the slope with its uncertainty and one batch's level drift (driftSdPoints = 2)
    assert.deepEqual([carried.points, carried.carried, carried.batches, carried.applied], [old.slope_points, true, 0, true]);
    assert.ok(Math.abs(carried.sd_points - Math.hypot(old.slope_sd_points!, 2)) < 1e-12);
    const e = estimate(0.9, 0.01);
    const first = correctEstimate(e, [], 2, carried);
    assert.ok(Math.abs(first.expected_accuracy - (0.9 + carried.points / 100)) < 1e-12);
    assert.equal(first.bias_correction, carried);
    // once the new model has a labelled batch, its own residual decides
    const own = correctEstimate(e, withResiduals([1], 0.5), 2, carried);
    assert.equal(own.bias_correction!.carried, undefined);
    assert.ok(own.expected_accuracy > 0.9);
    // a level in force (a steady residual) or a withheld correction hands nothing on
    assert.equal(carriedTrend(withResiduals([-3, -3, -3, -3], 0.5)), null);
    assert.equal(carriedTrend(withResiduals([-4, 4, -4, 4], 0.5)), null);
    assert.equal(carriedTrend([]), null);
    // across models it earns its place: carried before and closer to the residual than CBPE alone, it carries on
    // (with that record); once the carried trends have been further off than CBPE alone, nothing is carried
    const helped = carriedTrend(falling, 2, [{ carried_points: -3, residual_points: -10 }])!;
    assert.deepEqual(helped.track_record, { batches: 1, corrected_mae_points: 7, cbpe_mae_points: 10 });
    assert.equal(helped.points, carried.points);
    assert.equal(carriedTrend(falling, 2, [{ carried_points: -3, residual_points: -10 }, { carried_points: -8, residual_points: 1 }]), null);
  });
});
