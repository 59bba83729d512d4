import type { ReplayRun } from './replay';

/**
 * What a policy's replay is worth: mean accuracy over the scored batches, retrains, training time, and the
 * cost-adjusted score = mean accuracy − cost_per_retrain × retrains (the "accuracy minus a cost per
 * retrain"). The default cost, 0.005, prices each retrain (compute, a deploy's risk, a reviewer's attention) at half
 * a point of mean accuracy: retraining on every wiggle does not pay, retraining when a stale model loses several
 * points does. The report prints the break-even cost so a reader can apply their own price.
 */
export const DEFAULT_COST_PER_RETRAIN = 0.005;

export interface PolicySummary {
  policy: string;
  batches: number;
  mean_accuracy: number;
  min_accuracy: number;
  /** retrains the policy asked for (each one trained a candidate) */
  retrains: number;
  /** candidates that passed the gate and were deployed */
  deploys: number;
  train_seconds: number;
  cost_adjusted: number;
  accuracy: number[];
  /** mean |realised − estimated accuracy| of the label-free estimate, in points; null without estimates */
  estimate_mae_points: number | null;
  /** share of batches whose realised accuracy fell inside the estimate's 95 % interval */
  estimate_coverage: number | null;
  /** the same MAE for the calibrated CBPE figure alone, before the bias correction learnt from labelled batches */
  cbpe_mae_points: number | null;
}

export function summarise(run: ReplayRun, costPerRetrain: number): PolicySummary {
  const n = run.steps.length;
  const accuracy = run.steps.map((s) => s.accuracy);
  const mean = n ? accuracy.reduce((a, b) => a + b, 0) / n : 0;
  const retrains = run.steps.filter((s) => s.retrain).length;
  return {
    policy: run.policy,
    batches: n,
    mean_accuracy: mean,
    min_accuracy: n ? Math.min(...accuracy) : 0,
    retrains,
    deploys: run.steps.filter((s) => s.deployed).length,
    train_seconds: run.steps.reduce((a, s) => a + (s.train_seconds ?? 0), 0),
    cost_adjusted: costAdjusted(mean, retrains, costPerRetrain),
    accuracy,
    ...estimateQuality(run),
  };
}

export function costAdjusted(meanAccuracy: number, retrains: number, costPerRetrain: number): number {
  return meanAccuracy - costPerRetrain * retrains;
}

function estimateQuality(run: ReplayRun): Pick<PolicySummary, 'estimate_mae_points' | 'estimate_coverage' | 'cbpe_mae_points'> {
  const est = run.steps.filter((s) => s.estimate_error !== undefined && s.estimated_accuracy !== null);
  if (est.length === 0) return { estimate_mae_points: null, estimate_coverage: null, cbpe_mae_points: null };
  const mae = (100 * est.reduce((a, s) => a + Math.abs(s.estimate_error!), 0)) / est.length;
  const cbpe = (100 * est.reduce((a, s) => a + Math.abs(s.accuracy - (s.cbpe_accuracy ?? s.estimated_accuracy!)), 0)) / est.length;
  const inside = est.filter((s) => s.estimate_interval && s.accuracy >= s.estimate_interval[0] && s.accuracy <= s.estimate_interval[1]).length;
  return { estimate_mae_points: mae, estimate_coverage: inside / est.length, cbpe_mae_points: cbpe };
}
