import type { EngineContext } from '../engine';
import { Notifications, type ClassificationMetrics, type Decision, type DriftReport, type ModelVersion, type Plan, type TrainResult } from '../protocol';
import { CancelledError, errorMessage } from '../util/errors';
import { getTracker, trackingRoot } from './store';
import { FileStore } from './fileStore';
import type { LoggedRun, LogRunSpec, Tracker } from './tracker';

/** The seed's experiment names; the MLflow UI groups runs by them. */
export const EXPERIMENTS = {
  drift: 'drift_monitoring',
  training: 'Model Training',
  reasoning: 'agentic_reasoning',
  planning: 'agentic_planning',
} as const;

/** the registered model in an MLflow server's registry; alias `production` follows deploys */
export const REGISTERED_MODEL = 'driftcatcher';
export const PRODUCTION_ALIAS = 'production';
export const MODEL_VERSION_TAG = 'driftcatcher.model_version';
export const REGISTRY_VERSION_TAG = 'driftcatcher.registry_version';

/**
 * Logs one run and never throws (except on cancellation): tracking must not break a drift check or a retrain.
 * Failures go to ctx.log; a server that is down still leaves the run in the local store (see RestTracker).
 */
async function safeLog(ctx: EngineContext, experiment: string, log: (tracker: Tracker) => Promise<LoggedRun>): Promise<LoggedRun | undefined> {
  if (ctx.config.trust?.restricted) return undefined; // an untrusted folder is only read: no runs written or sent
  try {
    const run = await log(getTracker(ctx));
    ctx.notify?.(Notifications.runLogged, run);
    return run;
  } catch (e) {
    if (e instanceof CancelledError) throw e;
    ctx.log?.(`could not track the ${experiment} run: ${errorMessage(e)}`);
    return undefined;
  }
}

function safeLogRun(ctx: EngineContext, spec: LogRunSpec): Promise<LoggedRun | undefined> {
  return safeLog(ctx, spec.experiment, (t) => t.logRun(spec));
}

/** drift_monitoring: metrics overall_psi, n_drifted_features, total_features; params threshold, method; tags data_source, timestamp */
export function logDriftRun(ctx: EngineContext, report: DriftReport): Promise<LoggedRun | undefined> {
  return safeLogRun(ctx, {
    experiment: EXPERIMENTS.drift,
    name: `drift_check_${report.created_at}`,
    metrics: {
      overall_psi: report.overall.psi_mean,
      n_drifted_features: report.overall.n_drifted,
      total_features: report.overall.total_features,
    },
    params: { threshold: report.thresholds.moderate, method: 'psi' },
    // the baseline tags let the dashboard draw one drift-over-time series per baseline
    tags: {
      data_source: report.current.source,
      timestamp: report.created_at,
      severity: report.overall.severity,
      baseline_source: report.baseline.source,
      ...(report.baseline.model_version ? { baseline_model_version: report.baseline.model_version } : {}),
    },
  });
}

/**
 * Model Training: metrics accuracy, precision, recall, f1_score, roc_auc, the confusion counts, training_samples;
 * params base_data_path, n_estimators, max_depth; artifacts model + profile. The model is registered as a new
 * version of REGISTERED_MODEL (in the server's registry, or the file store's `mlruns/models`).
 */
export function logTrainingRun(
  ctx: EngineContext,
  result: TrainResult,
  meta: ModelVersion,
  files: { model: string; profile?: string },
): Promise<LoggedRun | undefined> {
  const metrics: Record<string, number> = {
    accuracy: result.metrics.accuracy,
    precision: result.metrics.precision,
    recall: result.metrics.recall,
    f1_score: result.metrics.f1,
    ...(result.metrics.roc_auc !== null ? { roc_auc: result.metrics.roc_auc } : {}),
    ...confusionCounts(result.metrics),
    training_samples: result.rows,
  };
  return safeLog(ctx, EXPERIMENTS.training, async (tracker) => {
    const run = await tracker.startRun(EXPERIMENTS.training, { name: `training_${meta.version}`, tags: { [MODEL_VERSION_TAG]: meta.version, label: meta.label } });
    try {
      await run.logParams({
        base_data_path: meta.lineage[0]?.path ?? '',
        n_estimators: meta.trees,
        max_depth: ctx.config.training.maxDepth ?? 'None', // sklearn's default: grow until leaves are pure
      });
      await run.logMetrics(metrics);
      await run.logArtifact(files.model, 'model');
      if (files.profile) await run.logArtifact(files.profile, 'profile');
      // a new version in the model registry (undefined when a server run could not be mirrored)
      const registryVersion = await run.registerModel(REGISTERED_MODEL, 'model');
      if (registryVersion) await run.setTags({ [REGISTRY_VERSION_TAG]: registryVersion });
      const done = await run.end('FINISHED');
      return registryVersion ? { ...done, registry_version: registryVersion } : done;
    } catch (e) {
      await run.end('FAILED');
      throw e;
    }
  });
}

/** agentic_reasoning: metric confidence_score; params action, drift_psi, model; tag reasoning_type */
export function logReasoningRun(ctx: EngineContext, decision: Decision, context: { drift_psi: number; model: string }): Promise<LoggedRun | undefined> {
  return safeLogRun(ctx, {
    experiment: EXPERIMENTS.reasoning,
    name: `reasoning_${decision.id}`,
    metrics: { confidence_score: decision.confidence },
    params: { action: decision.action, drift_psi: context.drift_psi, model: context.model },
    tags: {
      reasoning_type: decision.source === 'llm' ? 'llm' : 'rule_based',
      decision_id: decision.id,
      ...(decision.fallback_reason ? { fallback_reason: decision.fallback_reason } : {}),
    },
  });
}

/** agentic_planning: metrics total_steps, completed_steps, failed_steps; params goal, urgency; tags plan_id, execution_status */
export function logPlanningRun(ctx: EngineContext, plan: Plan): Promise<LoggedRun | undefined> {
  return safeLogRun(ctx, {
    experiment: EXPERIMENTS.planning,
    name: `plan_${plan.id}`,
    metrics: {
      total_steps: plan.steps.length,
      completed_steps: plan.steps.filter((s) => s.status === 'completed').length,
      failed_steps: plan.steps.filter((s) => s.status === 'failed').length,
    },
    params: { goal: plan.goal, urgency: plan.urgency },
    tags: { plan_id: plan.id, execution_status: plan.status, decision_id: plan.decision_id },
  });
}

/**
 * After a deploy or rollback: points the registry alias `production` at the model version trained for `version`
 * (in the server's registry, or the file store's `mlruns/models`) and tags the local training run. Returns
 * warnings; never throws.
 */
export async function markProductionRun(ctx: EngineContext, version: string): Promise<string[]> {
  try {
    const store = new FileStore(trackingRoot(ctx));
    const run = store.listRuns(EXPERIMENTS.training).find((r) => r.tags[MODEL_VERSION_TAG] === version);
    if (!run) return [`no tracked training run for model ${version}`];
    const found = store.findRun(run.run_id);
    if (found) store.setTags(found.dir, { 'driftcatcher.deployed_at': new Date().toISOString() });
    const tracker = getTracker(ctx);
    const registryVersion = run.tags[REGISTRY_VERSION_TAG];
    if (!registryVersion) return [];
    return await tracker.setModelAlias(REGISTERED_MODEL, PRODUCTION_ALIAS, registryVersion);
  } catch (e) {
    const w = `could not mark ${version} as production in tracking: ${errorMessage(e)}`;
    ctx.log?.(w);
    return [w];
  }
}

/** binary counts; for several classes the first class (e.g. BENIGN) is "negative" and every other class "positive" */
export function confusionCounts(m: ClassificationMetrics): Record<string, number> {
  const c = m.confusion;
  if (c.tn !== undefined && c.fp !== undefined && c.fn !== undefined && c.tp !== undefined) {
    return { true_negatives: c.tn, false_positives: c.fp, false_negatives: c.fn, true_positives: c.tp };
  }
  const mx = c.matrix;
  if (!mx || mx.length < 2) return {};
  let tn = 0, fp = 0, fn = 0, tp = 0;
  mx.forEach((row, i) =>
    row.forEach((n, j) => {
      if (i === 0 && j === 0) tn += n;
      else if (i === 0) fp += n;
      else if (j === 0) fn += n;
      else tp += n;
    }),
  );
  return { true_negatives: tn, false_positives: fp, false_negatives: fn, true_positives: tp };
}
