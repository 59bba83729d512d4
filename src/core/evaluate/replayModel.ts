import type { Config } from '../config';
import type { ValidationConfig } from '../model/gateConfig';
import type { ClassificationMetrics, DriftReport, ValidationCheck } from '../protocol';
import { concatLabelled, takeRows, type LabelledData } from '../data/labelled';
import { stratifiedSample } from '../data/sampling';
import type { NumericColumn, Table } from '../data/table';
import { buildProfile, type BaselineProfile } from '../drift/profile';
import { DriftAccumulator, type DriftThresholds } from '../drift/driftReport';
import { argmaxRows, trainForest, type Forest } from '../model/forest';
import { classificationMetrics } from '../model/metrics';
import { effectiveValidation, gateChecks } from '../model/gate';
import { stratifiedSplit } from '../model/split';
import { requireTrainable } from '../model/dataset';
import { throwIfAborted } from '../util/errors';
import { calibrationWindowStart, MIN_CALIBRATION_ROWS } from '../agent/cbpe';
import type { LabelVault } from './labelVault';
import type { ReplayStream, StreamBatch } from './stream';

/**
 * The models of a replay, kept in memory (no registry, no tracking: the user's .driftcatcher is never touched).
 * A retrain at step t uses the labelled batches 0..t with the normal caps (config.training maxBaselineRows for
 * batch 0, maxRowsPerNewFile for each later batch, stratified), holds out a stratified share of that seen data,
 * trains on the rest, and must pass the validation gate (model/gate.ts) on the holdout against the deployed model.
 */
export interface ReplaySettings {
  trees: number;
  maxDepth?: number;
  threads?: number;
  seed: number;
  /** share of the seen data held out for the gate and the label-free estimate's calibration */
  holdoutFraction: number;
  maxBaselineRows: number;
  maxRowsPerNewFile: number;
  validation: ValidationConfig;
  drift: DriftThresholds;
  signal?: AbortSignal;
}

export const DEFAULT_HOLDOUT_FRACTION = 0.15;

export function replaySettings(config: Config, overrides: Partial<ReplaySettings> = {}): ReplaySettings {
  return {
    trees: config.training.trees,
    maxDepth: config.training.maxDepth,
    threads: config.training.threads,
    seed: config.training.seed,
    holdoutFraction: DEFAULT_HOLDOUT_FRACTION,
    maxBaselineRows: config.training.maxBaselineRows,
    maxRowsPerNewFile: config.training.maxRowsPerNewFile,
    validation: effectiveValidation(config),
    drift: { moderate: config.drift.moderate, severe: config.drift.severe, p_value: config.drift.pValue },
    ...overrides,
  };
}

/** A trained model with what the policies and the gate need about it. */
export interface ReplayModel {
  forest: Forest;
  /** the newest batch whose labels it was trained on */
  trainedAt: number;
  /** feature profile of its training data (what drift is measured against) */
  profile: BaselineProfile;
  /** held-out rows of batches 0..trainedAt (never trained on by any model of the replay); `batch`: each row's batch */
  holdout: { X: Float64Array[]; y: Int32Array; proba: Float64Array; batch: Int32Array };
  /** metrics on its own holdout */
  metrics: ClassificationMetrics;
  trainRows: number;
  /** rows of seen data after the caps (training + holdout) */
  inputRows: number;
  trainSeconds: number;
}

/**
 * The labelled batches 0..t, capped and stratified, each split once into a training part and a holdout part.
 * The split of a batch depends only on the batch (seed + batch index), so every model of a replay trains on the
 * training parts only and no holdout row was ever seen by the deployed model it is compared with.
 * Reading the labels goes through the vault.
 */
export function seenData(stream: ReplayStream, vault: LabelVault, t: number, s: ReplaySettings): { train: LabelledData; holdout: LabelledData; holdoutBatch: Int32Array } {
  let train: LabelledData | undefined;
  let holdout: LabelledData | undefined;
  const batchOf: number[] = [];
  for (let k = 0; k <= t; k++) {
    const full: LabelledData = { ...stream.batches[k].data, y: vault.labels(k) };
    const cap = k === 0 ? s.maxBaselineRows : s.maxRowsPerNewFile;
    const part = full.rows > cap ? takeRows(full, stratifiedSample(full.y, cap, s.seed + k)) : full;
    const split = stratifiedSplit(part.y, part.classes.length, s.holdoutFraction, s.seed + k);
    const tr = takeRows(part, split.train);
    const ho = takeRows(part, split.test);
    train = train ? concatLabelled(train, tr) : tr;
    holdout = holdout ? concatLabelled(holdout, ho) : ho;
    for (let i = 0; i < ho.rows; i++) batchOf.push(k);
  }
  return { train: train!, holdout: holdout!, holdoutBatch: Int32Array.from(batchOf) };
}

/** Train a model on the seen data up to batch t (inclusive); its holdout is the holdout parts of those batches. */
export async function trainOnSeen(stream: ReplayStream, vault: LabelVault, t: number, s: ReplaySettings): Promise<ReplayModel> {
  const { train, holdout: hold, holdoutBatch } = seenData(stream, vault, t, s);
  requireTrainable(train, stream.batches.slice(0, t + 1).map((b) => b.file));
  const k = stream.classes.length;
  const t0 = process.hrtime.bigint();
  const forest = await trainForest(train.X, train.y, k, { inputs: train.inputs, nTrees: s.trees, maxDepth: s.maxDepth, seed: s.seed, threads: s.threads, signal: s.signal });
  const trainSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  throwIfAborted(s.signal, 'evaluation');
  const proba = forest.predictProba(hold.X);
  return {
    forest,
    trainedAt: t,
    profile: buildProfile(featureTable(concatLabelled(train, hold)), { label: null }),
    holdout: { X: hold.X, y: hold.y, proba, batch: holdoutBatch },
    metrics: classificationMetrics(hold.y, argmaxRows(proba, k), proba, stream.classes),
    trainRows: train.rows,
    inputRows: train.rows + hold.rows,
    trainSeconds,
  };
}

export { MIN_CALIBRATION_ROWS };

/** The held-out rows the label-free estimate of `model` calibrates on: those of its newest batches (calibrationWindowStart). */
export function calibrationSet(model: ReplayModel, k: number): { proba: Float64Array; y: Int32Array } {
  const h = model.holdout;
  const perBatch = new Array<number>(model.trainedAt + 1).fill(0);
  for (const b of h.batch) perBatch[b]++;
  const from = calibrationWindowStart(perBatch);
  const rows: number[] = [];
  for (let i = 0; i < h.y.length; i++) if (h.batch[i] >= from) rows.push(i);
  const proba = new Float64Array(rows.length * k);
  rows.forEach((r, j) => proba.set(h.proba.subarray(r * k, r * k + k), j * k));
  return { proba, y: Int32Array.from(rows, (r) => h.y[r]) };
}

/**
 * The gate of model/gate.ts, as `validate` runs it: the candidate and the deployed model on the same held-out rows
 * of the newest batches (validation.recentBatches), which neither trained on.
 */
export function gateCandidate(candidate: ReplayModel, deployed: ReplayModel, classes: string[], s: ReplaySettings): ValidationCheck[] {
  const h = candidate.holdout;
  const from = candidate.trainedAt - s.validation.recentBatches + 1;
  const rows: number[] = [];
  for (let i = 0; i < h.y.length; i++) if (h.batch[i] >= from) rows.push(i);
  const X = h.X.map((col) => Float64Array.from(rows, (i) => col[i]));
  const y = Int32Array.from(rows, (i) => h.y[i]);
  const k = classes.length;
  const cp = candidate.forest.predictProba(X);
  const dp = deployed.forest.predictProba(X);
  const cpred = argmaxRows(cp, k);
  const dpred = argmaxRows(dp, k);
  const cand = classificationMetrics(y, cpred, cp, classes);
  const production = { ...classificationMetrics(y, dpred, dp, classes), version: `batch-${deployed.trainedAt} model` };
  return gateChecks({ candidate: cand, production, overlap: { rows: 0, unverified: 0 }, paired: { y, candidate: cpred, production: dpred, classes } }, s.validation);
}

/** The drift of a batch's features against a model's training profile: the drift engine's accumulator, fed from memory. */
export function batchDrift(profile: BaselineProfile, batch: StreamBatch, thresholds: DriftThresholds): DriftReport {
  const { features, X, rows } = batch.data;
  const acc = new DriftAccumulator(profile);
  acc.add({ header: features, startRow: 0, rowCount: rows, numbers: X, texts: X.map(() => null), bytesRead: 0, totalBytes: 0 });
  const report = acc.finish(thresholds);
  report.current = { source: batch.file, rows: acc.rows };
  return report;
}


/** Features only: drift compares features, and a profile without the label column needs no label handling. */
function featureTable(d: LabelledData): Table {
  const columns: NumericColumn[] = d.features.map((name, f) => ({ kind: 'numeric', name, values: d.X[f], missing: 0, nonFinite: 0 }));
  return { source: 'replay training data', rowCount: d.rows, columns };
}
