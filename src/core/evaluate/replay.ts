import * as path from 'node:path';
import type { EngineContext } from '../engine';
import type { Severity } from '../protocol';
import { estimateAccuracy, type BiasCorrection } from '../agent/cbpe';
import { carriedOutcome, carriedTrend, correctEstimate, estimateOutcome, type CarriedOutcome, type EstimateOutcome } from '../agent/estimateCorrection';
import { realisedAccuracy } from '../agent/realised';
import { errorMessage, throwIfAborted } from '../util/errors';
import type { PolicyInput, RetrainPolicy } from './policies';
import { argmaxRows } from '../model/forest';
import { batchDrift, calibrationSet, gateCandidate, trainOnSeen, type ReplayModel, type ReplaySettings } from './replayModel';
import type { ReplayStream } from './stream';

/**
 * The prequential replay of one policy. For each batch t ≥ 1, in this order:
 *  1. the deployed model predicts batch t and the vault scores it (the first and only use of t's labels so far);
 *  2. the policy sees t's features (drift vs the deployed model's profile, label-free estimate) and decides;
 *  3. on "retrain", a candidate is trained on batches 0..t, gated on a holdout from them, and deployed if it passes.
 * A retrain at step t therefore first affects batch t + 1.
 */
export interface ReplayStep {
  batch: number;
  file: string;
  rows: number;
  /** accuracy of the deployed model on this batch, before anything learnt from it */
  accuracy: number;
  /** batch whose model predicted this one (0 = the initial model) */
  model_from_batch: number;
  psi_mean: number;
  psi_max: number;
  severity: Severity;
  estimated_accuracy: number | null;
  /** the calibrated CBPE estimate before the bias correction learnt from earlier labelled batches (when one applied) */
  cbpe_accuracy?: number;
  /** its 95 % interval (when a correction was learnt, applied or not) */
  cbpe_interval?: [number, number];
  /** the applied correction came from the trend forecast (agent/estimateCorrection.ts), not the level; `carried trend`: the replaced model's */
  bias_forecast?: 'trend' | 'carried trend';
  /** a bias correction was learnt but withheld: its track record was worse than CBPE alone's */
  bias_withheld?: boolean;
  /** the estimate's 95 % interval, and whether the realised accuracy fell inside it */
  estimate_interval?: [number, number];
  /** realised − estimated accuracy (the batch's labels arrive after the decision) */
  estimate_error?: number;
  retrain: boolean;
  reason: string;
  /** the candidate passed the gate and replaced the deployed model */
  deployed?: boolean;
  /** failed gate checks of a rejected candidate */
  gate_failed?: string[];
  train_seconds?: number;
}

export interface ReplayRun {
  policy: string;
  steps: ReplayStep[];
}

export async function replayPolicy(
  ctx: EngineContext,
  stream: ReplayStream,
  policy: RetrainPolicy,
  initial: ReplayModel,
  s: ReplaySettings,
): Promise<ReplayRun> {
  const vault = stream.openVault();
  const k = stream.classes.length;
  let deployed = initial;
  const steps: ReplayStep[] = [];
  const history: PolicyInput['history'] = [];
  // the previous batch's score and the model that predicted it: its labels have arrived by the next decision
  let last: { file: string; correct: number; rows: number; model: number } | undefined;
  // the deployed model's estimates whose labels have arrived (agent/estimateCorrection.ts)
  let outcomes: EstimateOutcome[] = [];
  // the trend a newly deployed model inherits from the one it replaced (carriedTrend), until its own labels arrive
  let carried: BiasCorrection | null = null;
  // the carried trends' outcomes across models: a carry must earn its place too
  const carriedRecord: CarriedOutcome[] = [];
  for (let t = 1; t < stream.batches.length; t++) {
    throwIfAborted(s.signal, 'evaluation');
    const batch = stream.batches[t];
    ctx.progress?.(undefined, `${policy.name}: batch ${t}/${stream.batches.length - 1}`);
    const proba = deployed.forest.predictProba(batch.data.X);
    const scored = vault.score(t, argmaxRows(proba, k));

    const drift = batchDrift(deployed.profile, batch, s.drift);
    let estimate = null;
    try {
      const cal = calibrationSet(deployed, k);
      estimate = correctEstimate(estimateAccuracy({ proba: cal.proba, k }, cal.y, { proba, k }), outcomes, ctx.config.agent.estimateBiasDriftPoints, carried);
    } catch (e) {
      ctx.log?.(`batch ${t}: no label-free estimate (${errorMessage(e)})`);
    }
    const realised =
      last && last.model === deployed.trainedAt ? realisedAccuracy(last.file, last.correct, last.rows, deployed.metrics.accuracy, deployed.holdout.y.length) : null;
    last = { file: path.basename(batch.file), correct: scored.correct, rows: scored.rows, model: deployed.trainedAt };
    const decision = await policy.decide(ctx, { batch: t, file: batch.file, drift, estimate, realised, deployed, stream, settings: s, history: history.slice(-5) });
    const step: ReplayStep = {
      batch: t,
      file: path.basename(batch.file), // as the report's stream header names it: no machine paths in results
      rows: scored.rows,
      accuracy: scored.accuracy,
      model_from_batch: deployed.trainedAt,
      psi_mean: drift.overall.psi_mean,
      psi_max: drift.overall.psi_max,
      severity: drift.overall.severity,
      estimated_accuracy: estimate?.expected_accuracy ?? null,
      ...(estimate ? { estimate_interval: estimate.interval, estimate_error: scored.accuracy - estimate.expected_accuracy } : {}),
      ...(estimate?.cbpe_accuracy !== undefined ? { cbpe_accuracy: estimate.cbpe_accuracy } : {}),
      ...(estimate?.cbpe_interval ? { cbpe_interval: estimate.cbpe_interval } : {}),
      ...(estimate?.bias_correction?.applied === false ? { bias_withheld: true } : {}),
      ...(estimate?.bias_correction?.applied && estimate.bias_correction.forecast === 'trend'
        ? { bias_forecast: estimate.bias_correction.carried ? ('carried trend' as const) : ('trend' as const) }
        : {}),
      retrain: decision.retrain,
      reason: decision.reason,
    };
    // the batch's labels arrive after the decision: what the estimate got wrong corrects the deployed model's next ones
    if (estimate) outcomes.push(estimateOutcome(estimate, scored.accuracy));
    if (estimate?.bias_correction?.carried) carriedRecord.push(carriedOutcome(estimate, estimate.bias_correction.points, scored.accuracy));
    if (decision.retrain) {
      const candidate = await trainOnSeen(stream, vault, t, s);
      const checks = gateCandidate(candidate, deployed, stream.classes, s);
      const failed = checks.filter((c) => !c.passed).map((c) => c.name);
      step.train_seconds = candidate.trainSeconds;
      step.deployed = failed.length === 0;
      const imp = checks.find((c) => c.kind === 'improvement' && c.reference);
      history.push({ deployed: step.deployed, gain_points: imp?.reference ? (imp.value - imp.reference.value) * 100 : null });
      if (failed.length) step.gate_failed = failed;
      else {
        deployed = candidate;
        // a new model: its estimates start from its own calibration, and the old model's trend when one was in force
        carried = carriedTrend(outcomes, ctx.config.agent.estimateBiasDriftPoints, carriedRecord);
        outcomes = [];
      }
    }
    steps.push(step);
  }
  return { policy: policy.name, steps };
}
