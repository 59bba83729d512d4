import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { EngineContext } from '../engine';
import type { DriftReport, ModelVersion, MultivariateDrift } from '../protocol';
import type { Config } from '../config';
import { readCsvHeader } from '../data/csvReader';
import { DATASETS, datasetOf } from '../data/datasetConfig';
import { detectLabel } from '../data/labels';
import { hashFile } from '../util/hash';
import { errorMessage } from '../util/errors';
import { calibrationWindowStart, estimateAccuracy, summariseEstimate, type BiasCorrection } from './cbpe';
import { materialiseHoldout, readLedger, type LedgerBatch } from '../model/ledger';
import { correctEstimate, type EstimateOutcome } from './estimateCorrection';
import { correctPredictions, realisedAccuracy, type RealisedAccuracy } from './realised';
import { argmaxRows } from '../model/forest';
import type { AgentTools } from './tools';
import { listPlanFiles } from './planStore';
import { driftImpact } from './impact';
import { listVersions } from '../model/registry';
import { metricValue } from '../model/gate';
import { describeCheck, weakestMargin } from '../model/gate';

/**
 * The decision context: everything the policy and the LLM see, as plain JSON. It is logged with every decision,
 * so `replay` can re-run the policy on exactly these inputs.
 */
export const DecisionContextSchema = z.object({
  drift: z.object({
    psi_mean: z.number(),
    psi_max: z.number(),
    n_drifted: z.number(),
    share_drifted: z.number(),
    severity: z.enum(['none', 'moderate', 'severe']),
    total_features: z.number(),
    thresholds: z.object({ moderate: z.number(), severe: z.number() }),
    top_features: z.array(
      z.object({
        name: z.string(),
        psi: z.number(),
        test: z.string(),
        statistic: z.number(),
        p_value: z.number(),
        js_distance: z.number(),
        wasserstein: z.number().nullable(),
        severity: z.string(),
        missing_rate_baseline: z.number(),
        missing_rate_current: z.number(),
      }),
    ),
    quality: z.array(z.string()),
    /** multivariate drift, when the check measured it (drift.multivariate): summary only */
    multivariate: z
      .object({
        drifted: z.boolean(),
        domain_auc: z.number(),
        domain_auc_interval: z.tuple([z.number(), z.number()]),
        domain_drifted: z.boolean(),
        top_separating_features: z.array(z.string()),
        reconstruction_error: z.number().nullable(),
        reconstruction_band: z.tuple([z.number(), z.number()]).nullable(),
        reconstruction_drifted: z.boolean().nullable(),
      })
      .optional(),
    /** drift weighed by the model's feature importance, counting only features beyond sampling noise at this n (agent/impact.ts) */
    impact: z
      .object({
        weighted_psi: z.number(),
        weighted_share_drifted: z.number(),
        significant_drifted: z.number(),
        importance_known: z.boolean(),
        top: z.array(z.object({ name: z.string(), psi: z.number(), noise_psi: z.number(), significant: z.boolean(), importance: z.number() })),
      })
      .optional(),
  }),
  /** recent retrains, oldest first: did the candidate pass the gate, and by how many points it beat production */
  history: z.array(z.object({ deployed: z.boolean(), gain_points: z.number().nullable() })).optional(),
  /** the expected value of a retrain now, in accuracy points: expected gain − cost (agent.retrainCostPoints) */
  value: z
    .object({
      expected_gain_points: z.number().nullable(),
      cost_points: z.number(),
      net_points: z.number().nullable(),
      basis: z.string(),
      /** retrains in a row the gate did not deploy, and after how many drift alone stops triggering one */
      unpaid_retrains: z.number().optional(),
      backoff_after: z.number().optional(),
    })
    .optional(),
  production: z
    .object({
      version: z.string(),
      accuracy: z.number(),
      precision: z.number(),
      recall: z.number(),
      f1: z.number(),
      roc_auc: z.number().nullable(),
      created_at: z.string(),
    })
    .nullable(),
  estimate: z
    .object({
      method: z.string(),
      expected_accuracy: z.number(),
      /** 95 % interval of the batch's accuracy (sampling + calibration) */
      interval: z.tuple([z.number(), z.number()]).optional(),
      reference_accuracy: z.number(),
      drop_points: z.number(),
      reference_rows: z.number(),
      current_rows: z.number(),
      /** the production model's accuracy on the batch's own labels, when the batch carries them (scored beside the estimate) */
      realised_accuracy: z.number().optional(),
      realised_rows: z.number().optional(),
      /** the calibrated CBPE figure and interval before the bias correction learnt from labelled batches (agent/estimateCorrection.ts) */
      cbpe_accuracy: z.number().optional(),
      cbpe_interval: z.tuple([z.number(), z.number()]).optional(),
      bias_correction: z
        .object({
          points: z.number(),
          sd_points: z.number(),
          batches: z.number(),
          forecast: z.enum(['level', 'trend']).optional(),
          slope_points: z.number().optional(),
          slope_sd_points: z.number().optional(),
          carried: z.boolean().optional(),
          /** false: withheld, its track record is worse than CBPE alone's (agent/estimateCorrection.ts) */
          applied: z.boolean().optional(),
          track_record: z.object({ batches: z.number(), corrected_mae_points: z.number(), trend_mae_points: z.number().optional(), cbpe_mae_points: z.number() }).optional(),
          unexplained_sd_points: z.number().optional(),
        })
        .optional(),
    })
    .nullable(),
  /** why there is no estimate, when there is none */
  estimate_unavailable: z.string().optional(),
  /**
   * the production model's realised accuracy on the newest batch whose labels have arrived and that it did not
   * train on (agent/realised.ts), beside its holdout accuracy; recorded with the estimate in the decision log
   */
  realised: z
    .object({
      source: z.string(),
      accuracy: z.number(),
      rows: z.number(),
      reference_accuracy: z.number(),
      reference_rows: z.number(),
      drop_points: z.number(),
      drop_low_points: z.number(),
    })
    .nullable()
    .optional(),
  cost: z.object({ rows: z.number(), seconds_per_row: z.number().nullable(), estimated_seconds: z.number().nullable() }),
  risk: z.object({
    /** smallest (value − threshold), in the metric's units, over the production model's validation checks; null if never validated */
    validation_margin: z.number().nullable(),
    /** whether the production model's last validation passed (null: never validated), and its weakest check in words */
    validation_passed: z.boolean().nullable().optional(),
    validation_weakest: z.string().nullable().optional(),
    recent_failed_plans: z.number(),
  }),
  time: z.object({
    now: z.string(),
    maintenance_window: z.string(),
    in_maintenance_window: z.boolean(),
    last_retrain_at: z.string().nullable(),
    hours_since_last_retrain: z.number().nullable(),
    min_hours_between_retrains: z.number(),
  }),
  labels: z.object({ available: z.boolean(), column: z.string().nullable() }),
  inputs: z.object({
    current: z.string(),
    current_sha256: z.string(),
    current_rows: z.number(),
    baseline: z.string(),
    profile_hash: z.string().nullable(),
    profile_version: z.string().nullable(),
  }),
});
export type DecisionContext = z.infer<typeof DecisionContextSchema>;

const TOP_FEATURES = 5;

export interface BuildContextOptions {
  /** a CSV holding the batch's rows */
  current: string;
  /**
   * the source `current` was sampled from, when the batch is a Parquet file or a table (sources/currentBatch.ts):
   * the decision log, the realised accuracy and the lineage check name the batch by it
   */
  source?: string;
  report: DriftReport;
  now?: Date;
  /** recent retrain outcomes (default: from the registry's validations) */
  history?: NonNullable<DecisionContext['history']>;
  /** the production model's earlier estimates whose labels arrived, oldest first: the estimate's bias is learnt from them */
  outcomes?: readonly EstimateOutcome[];
  /** without outcomes: the trend carried from the model production replaced (agent/estimateCorrection.ts carriedTrend) */
  carried?: BiasCorrection | null;
}

export async function buildContext(ctx: EngineContext, tools: AgentTools, opts: BuildContextOptions): Promise<DecisionContext> {
  const { report } = opts;
  const now = opts.now ?? new Date();
  const production = await tools.production(ctx);
  const labelColumn = await findLabelColumn(opts.current, ctx.config.label ?? production?.label, ctx.config);

  let estimate: DecisionContext['estimate'] = null;
  let realised: RealisedAccuracy | null = null;
  let estimateUnavailable: string | undefined;
  try {
    ({ estimate, realised } = await labelFreeEstimate(ctx, tools, production, opts.current, opts.outcomes ?? [], opts.source, opts.carried ?? null));
  } catch (e) {
    estimateUnavailable = errorMessage(e);
  }
  if (!estimate && !estimateUnavailable) estimateUnavailable = 'no production model or holdout to calibrate on';

  const history = opts.history ?? registryHistory(ctx.workspace);
  const lastRetrain = production?.created_at ?? null;
  const hoursSince = lastRetrain ? (now.getTime() - Date.parse(lastRetrain)) / 3_600_000 : null;
  // measured speed of the last training, per input row (its lineage), applied to the rows a retrain would read
  const lastRows = production ? production.lineage.reduce((n, l) => n + l.rows, 0) || production.train_rows : 0;
  const secondsPerRow = production && lastRows > 0 ? production.train_seconds / lastRows : null;
  const retrainRows = Math.min(lastRows, ctx.config.training.maxBaselineRows) + Math.min(report.current.rows, ctx.config.training.maxRowsPerNewFile);

  return {
    drift: {
      psi_mean: report.overall.psi_mean,
      psi_max: report.overall.psi_max,
      n_drifted: report.overall.n_drifted,
      share_drifted: report.overall.share_drifted,
      severity: report.overall.severity,
      total_features: report.overall.total_features,
      thresholds: { moderate: report.thresholds.moderate, severe: report.thresholds.severe },
      top_features: report.features.slice(0, TOP_FEATURES).map((f) => ({
        name: f.name,
        psi: f.psi,
        test: f.test,
        statistic: f.statistic,
        p_value: f.p_value,
        js_distance: f.js_distance,
        wasserstein: f.wasserstein,
        severity: f.severity,
        missing_rate_baseline: f.missing_rate_baseline,
        missing_rate_current: f.missing_rate_current,
      })),
      quality: report.quality.slice(0, 10).map((q) => q.message),
      impact: driftImpact(report, production, report.thresholds.moderate),
      ...(report.multivariate ? { multivariate: multivariateSummary(report.multivariate) } : {}),
    },
    history,
    value: { ...retrainValue(estimate, history, ctx.config.agent.retrainCostPoints, realised), unpaid_retrains: unpaid(history), backoff_after: ctx.config.agent.backoffAfterUnpaidRetrains },
    production: production
      ? {
          version: production.version,
          accuracy: production.metrics.accuracy,
          precision: production.metrics.precision,
          recall: production.metrics.recall,
          f1: production.metrics.f1,
          roc_auc: production.metrics.roc_auc,
          created_at: production.created_at,
        }
      : null,
    estimate,
    ...(estimateUnavailable ? { estimate_unavailable: estimateUnavailable } : {}),
    realised,
    cost: {
      rows: retrainRows,
      seconds_per_row: secondsPerRow,
      estimated_seconds: secondsPerRow === null ? null : secondsPerRow * retrainRows,
    },
    risk: { ...validationRisk(production), recent_failed_plans: recentFailedPlans(ctx.workspace, now) },
    time: {
      now: now.toISOString(),
      maintenance_window: ctx.config.agent.maintenanceWindow,
      in_maintenance_window: inMaintenanceWindow(ctx.config.agent.maintenanceWindow, now),
      last_retrain_at: lastRetrain,
      hours_since_last_retrain: hoursSince,
      min_hours_between_retrains: ctx.config.agent.minHoursBetweenRetrains,
    },
    labels: { available: labelColumn !== null, column: labelColumn },
    inputs: {
      current: opts.source ?? opts.current,
      current_sha256: report.current.sha256 ?? (await hashFile(opts.current)),
      current_rows: report.current.rows,
      baseline: report.baseline.source,
      profile_hash: report.baseline.profile_hash ?? null,
      profile_version: production?.version ?? null,
    },
  };
}

function multivariateSummary(m: MultivariateDrift): NonNullable<DecisionContext['drift']['multivariate']> {
  const dc = m.domain_classifier;
  const rc = m.reconstruction;
  return {
    drifted: m.drifted,
    domain_auc: dc.auc,
    domain_auc_interval: [dc.auc_low, dc.auc_high],
    domain_drifted: dc.drifted,
    top_separating_features: dc.top_features.map((f) => f.name),
    reconstruction_error: rc?.current_error ?? null,
    reconstruction_band: rc ? [rc.lower, rc.upper] : null,
    reconstruction_drifted: rc?.drifted ?? null,
  };
}

async function labelFreeEstimate(
  ctx: EngineContext,
  tools: AgentTools,
  production: ModelVersion | undefined,
  current: string,
  outcomes: readonly EstimateOutcome[],
  source: string | undefined,
  carried: BiasCorrection | null,
): Promise<{ estimate: DecisionContext['estimate']; realised: RealisedAccuracy | null }> {
  const recorded = production?.validation?.holdout;
  if (!production || !tools.predictProba || !recorded) return { estimate: null, realised: null };
  const calibration = await calibrationHoldout(ctx, recorded);
  const holdout = path.resolve(ctx.workspace, calibration);
  if (!fs.existsSync(holdout)) throw new Error(`holdout ${calibration} of ${production.version} is gone`);
  const ref = await tools.predictProba(ctx, { file: holdout });
  if (!ref.labels) throw new Error(`holdout ${holdout} has no label column`);
  const cur = await tools.predictProba(ctx, { file: current });
  const estimate = summariseEstimate(correctEstimate(estimateAccuracy(ref.matrix, ref.labels, cur.matrix), outcomes, ctx.config.agent.estimateBiasDriftPoints, carried));
  if (!cur.labels?.length) return { estimate, realised: null };
  // the batch came with its labels: the realised accuracy beside the estimate, and as evidence for the policy
  // unless the model trained on this very file
  const correct = correctPredictions(argmaxRows(cur.matrix.proba, cur.matrix.k), cur.labels);
  const trainedOn = production.lineage.some((l) => (source !== undefined ? l.path === source : path.resolve(ctx.workspace, l.path) === path.resolve(ctx.workspace, current)));
  return {
    estimate: { ...estimate, realised_accuracy: correct / cur.labels.length, realised_rows: cur.labels.length },
    realised: trainedOn ? null : realisedAccuracy(source ?? path.basename(current), correct, cur.labels.length, estimate.reference_accuracy, estimate.reference_rows),
  };
}

/**
 * The held-out rows the estimate calibrates on: of the ledger batches `validate` scored the production model on, the
 * newest, and older ones only as far back as calibrationWindowStart needs (the rule `evaluate` replays). A holdout
 * given by hand, or one whose batches the ledger no longer lists, is used whole.
 */
async function calibrationHoldout(ctx: EngineContext, recorded: { path: string; batches?: string[] }): Promise<string> {
  const ledger = recorded.batches?.length ? readLedger(ctx.workspace) : undefined;
  const batches = (recorded.batches ?? []).map((source) => ledger?.batches.find((b) => b.source === source));
  if (!ledger || batches.some((b) => !b)) return recorded.path;
  const found = batches as LedgerBatch[];
  const from = calibrationWindowStart(found.map((b) => b.holdout_rows));
  return from === 0 ? recorded.path : (await materialiseHoldout(ctx, found.slice(from))).path;
}

function validationRisk(production: ModelVersion | undefined): Pick<DecisionContext['risk'], 'validation_margin' | 'validation_passed' | 'validation_weakest'> {
  const v = production?.validation;
  const weakest = v ? weakestMargin(v.checks) : undefined;
  return {
    validation_margin: weakest?.margin ?? null,
    validation_passed: v ? v.passed : null,
    validation_weakest: weakest ? describeCheck(weakest.check) : null,
  };
}

const FAILED_PLAN_WINDOW_MS = 7 * 24 * 3_600_000;

function recentFailedPlans(workspace: string, now: Date): number {
  return listPlanFiles(workspace).filter((p) => p.status === 'failed' && now.getTime() - Date.parse(p.updated_at) < FAILED_PLAN_WINDOW_MS).length;
}

/** "HH:MM-HH:MM" in local time (may wrap past midnight); an empty window means any time. */
export function inMaintenanceWindow(window: string, now: Date): boolean {
  if (!window.trim()) return true;
  const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(window);
  if (!m) return true; // config validation would be the place to reject; here an unparsable window restricts nothing
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  const t = now.getHours() * 60 + now.getMinutes();
  return start <= end ? t >= start && t < end : t >= start || t < end;
}

/**
 * The label column's name if the CSV has one: the header is read by the CSV reader (quoted names with commas or
 * newlines, padding, any width) and the column found as training finds it (the preferred name, else the dataset's
 * label and the usual guesses).
 */
export async function findLabelColumn(file: string, preferred: string | undefined, config?: Pick<Config, 'dataset' | 'datasets' | 'csv'>): Promise<string | null> {
  const header = await readCsvHeader(file, { maxColumns: config?.csv.maxColumns });
  try {
    return detectLabel(header, config ? datasetOf(config) : DATASETS.Generic, preferred);
  } catch {
    return null;
  }
}
const HISTORY = 5;

/** The registry's latest validations against a production model: passed or not, and the balanced-accuracy gain. */
function registryHistory(ws: string): NonNullable<DecisionContext['history']> {
  let versions: ModelVersion[];
  try {
    versions = listVersions(ws);
  } catch {
    return [];
  }
  return versions
    .map((m) => m.validation)
    .filter((v): v is NonNullable<typeof v> => Boolean(v?.production_metrics))
    .sort((a, b) => Date.parse(a.validated_at) - Date.parse(b.validated_at))
    .slice(-HISTORY)
    .map((v) => {
      const gain = metricValue(v.candidate_metrics, 'balanced_accuracy') - metricValue(v.production_metrics!, 'balanced_accuracy');
      return { deployed: v.passed, gain_points: Number.isFinite(gain) ? gain * 100 : null };
    });
}

/**
 * Expected value of a retrain now: the gain is what the label-free estimate or the realised accuracy says was lost
 * (the conservative end) or, without such evidence, what recent retrains actually gained on the gate; the cost is
 * agent.retrainCostPoints. null when nothing supports a gain estimate.
 */
export function retrainValue(
  estimate: DecisionContext['estimate'],
  history: NonNullable<DecisionContext['history']>,
  cost: number,
  realised?: RealisedAccuracy | null,
): NonNullable<DecisionContext['value']> {
  const estLow = estimate?.interval ? (estimate.reference_accuracy - estimate.interval[1]) * 100 : null;
  const lostLow = realised && (estLow === null || realised.drop_low_points > estLow) ? realised.drop_low_points : estLow;
  const measured = lostLow !== null && lostLow === realised?.drop_low_points;
  const gains = history.map((h) => (h.deployed ? Math.max(0, h.gain_points ?? 0) : 0));
  const recent = gains.length ? gains.reduce((a, b) => a + b, 0) / gains.length : null;
  let gain: number | null = null;
  // said of the gain as it stands: an estimate that shows no loss is not the same as no estimate
  let basis =
    lostLow === null
      ? 'no label-free estimate, no realised accuracy and no retrain history to estimate the gain from'
      : `the ${measured ? 'realised accuracy' : 'label-free estimate'} shows no accuracy loss beyond its interval and there is no retrain history`;
  if (lostLow !== null && lostLow > 0) {
    gain = lostLow;
    basis = `gain from the ${measured ? 'realised' : 'estimated'} accuracy lost (at least ${lostLow.toFixed(2)} points, 95 %)`;
  } else if (recent !== null) {
    gain = recent;
    basis = `gain from the mean gain of the last ${gains.length} retrain(s) on the gate (${recent.toFixed(2)} points)`;
  }
  return { expected_gain_points: gain, cost_points: cost, net_points: gain === null ? null : gain - cost, basis };
}

/** Retrains in a row (newest last) that the gate did not deploy. */
export function unpaid(history: NonNullable<DecisionContext['history']>): number {
  let n = 0;
  for (let i = history.length - 1; i >= 0 && !history[i].deployed; i--) n++;
  return n;
}
