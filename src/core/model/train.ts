import * as path from 'node:path';
import type { EngineContext } from '../engine';
import { type ModelColumn, type ModelVersion, type TrainParams, type TrainResult } from '../protocol';
import { DriftCatcherError, throwIfAborted } from '../util/errors';
import { concatLabelled, loadLabelled, replan, takeRows, type LabelledData } from '../data/labelled';
import { datasetOf } from '../data/datasetConfig';
import type { Table } from '../data/table';
import { trainForest, saveForest } from './forest';
import { naming, requireTrainable, toTable, writeLabelledCsv } from './dataset';
import { commitVersion, createStagingDir, discardStagingDir, notifyModels, versionDir } from './registry';
import { logTrainingRun } from '../tracking/pipelineRuns';
import { labelledFiles } from '../sources/labelledFiles';
import { stratifiedSplit } from './split';
import { smallSampleWarnings } from './sampleSize';
import { evaluateForest } from './evaluate';
import { majorityClassOf } from './metrics';
import { validate } from './validate';
import { prepareTrainingSplit, recordDerived } from './ledger';

export const TEST_FRACTION = 0.2;

/**
 * What a model version keeps besides the forest, written by the caller into the staging folder before the version
 * is committed (the engine's training pipeline, pipeline/training.ts, adds the drift baseline profile of the
 * combined training data: the model layer itself knows nothing of drift).
 */
export type VersionArtifacts = (staging: string, combined: Table, info: { label: string; dataset: string; dropColumns?: string[] }) => VersionArtifactFiles | Promise<VersionArtifactFiles>;
/** the artifacts' file names inside the version folder, tracked with the training run */
export interface VersionArtifactFiles {
  profile?: string;
}

/**
 * Train a candidate model: load the base data (capped, stratified) and any new files (capped per file), drop rows
 * with NaN/Infinity features, split 80/20 stratified, train the forest, measure it on the 20 %, and commit
 * model.json, baseline.csv, meta.json and the caller's artifacts (profile.json) as the next registry version (status candidate).
 * Everything is assembled in a staging directory that is renamed into place at the end, so a failure or a
 * cancellation leaves no partial version. With `holdout`, the new version is validated right away.
 */
export async function train(ctx: EngineContext, p: TrainParams, artifacts?: VersionArtifacts): Promise<TrainResult> {
  const { workspace: ws, config, signal } = ctx;
  const cfg = config.training;
  const trees = p.trees ?? cfg.trees;
  if (!Number.isInteger(trees) || trees < 1) throw new DriftCatcherError(`trees must be a positive integer (got ${trees})`, 'BAD_INPUT');
  const label = p.label ?? config.label;
  // a Parquet file or table is sampled in its engine (same stratified caps) into a labelled CSV; CSVs are read as they are
  const baseIn = await labelledFiles(ctx, p.baseData, { what: 'base data', where: p.baseWhere, label, maxRows: cfg.maxBaselineRows });
  const newIn = [];
  for (const f of p.newData ?? []) newIn.push(await labelledFiles(ctx, f, { what: 'new data', where: p.where, label, maxRows: cfg.maxRowsPerNewFile }));
  const baseFiles = baseIn.files;
  const baseFile = baseFiles[0];
  const newFiles = newIn.flatMap((n) => n.files);
  const shown = new Map([...baseIn.shown, ...newIn.flatMap((n) => [...n.shown])]);
  const dataset = datasetOf(config);
  const progress = (pct: number, msg: string): void => ctx.progress?.(pct, msg);

  const multiClass = p.task === undefined ? undefined : p.task === 'multiclass';
  const maxCategories = cfg.maxCategories;

  // honest holdouts: every input is split once in the holdout ledger and its held-out rows are never trained on
  progress(0, 'splitting new batches in the holdout ledger');
  const ledgerSplit = await prepareTrainingSplit(ctx, [...baseFiles, ...newFiles], label);
  progress(5, `reading ${shown.get(baseFile) ?? path.basename(baseFile)}`);
  const base = await naming(baseFile, () =>
    loadLabelled(baseFiles, { label, dataset, multiClass, maxCategories, maxRows: cfg.maxBaselineRows, seed: cfg.seed, signal, maxColumns: config.csv.maxColumns, skipRowFor: ledgerSplit.skipRowFor }),
  );
  if (base.labelChoice === 'detected') ctx.log?.(`label column: '${base.labelColumn}' (detected; choose another with --label)`);
  let data: LabelledData = base;
  if (newFiles.length) {
    progress(10, `reading ${newFiles.length} new file(s)`);
    const fresh = await loadLabelled(newFiles, {
      label: base.labelColumn,
      dataset,
      inputs: base.inputs,
      classes: base.classes,
      multiClass,
      maxRows: cfg.maxRowsPerNewFile,
      seed: cfg.seed,
      signal,
      maxColumns: config.csv.maxColumns,
      skipRowFor: ledgerSplit.skipRowFor,
    });
    // the columns' plan (categories kept, columns left out) from all the data, not the base file alone
    data = replan(concatLabelled(base, fresh), { dataset, maxCategories });
  }
  requireTrainable(data, [...baseFiles, ...newFiles]);
  for (const notice of data.notices) ctx.log?.(notice);
  if (data.droppedRows > 0) ctx.log?.(`skipped ${data.droppedRows} row(s) without a label`);
  throwIfAborted(signal, 'training');

  const k = data.classes.length;
  const split = stratifiedSplit(data.y, k, TEST_FRACTION, cfg.seed);
  const warnings = smallSampleWarnings(data.y, data.classes, split.test.length);
  for (const w of warnings) ctx.log?.(`warning: ${w}`);
  const trainSet = takeRows(data, split.train);
  const testSet = takeRows(data, split.test);

  progress(20, `training ${trees} trees on ${trainSet.y.length} rows × ${data.features.length} features`);
  const t0 = process.hrtime.bigint();
  const forest = await trainForest(trainSet.X, trainSet.y, k, {
    inputs: data.inputs,
    nTrees: trees,
    maxDepth: cfg.maxDepth,
    seed: cfg.seed,
    threads: cfg.threads,
    signal,
    onProgress: (done, total) => progress(20 + (65 * done) / total, `trained ${done}/${total} trees`),
  });
  const trainSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  throwIfAborted(signal, 'training');

  progress(85, 'measuring on the 20 % test split');
  const metrics = evaluateForest(forest, testSet.X, testSet.y, data.classes, majorityClassOf(trainSet.y, k));

  progress(90, 'writing the model version');
  const staging = createStagingDir(ws);
  let meta: ModelVersion;
  let extra: VersionArtifactFiles = {};
  try {
    saveForest(path.join(staging, 'model.json'), forest);
    extra = (await artifacts?.(staging, toTable(data, 'combined training data'), { label: data.labelColumn, dataset: dataset.name, dropColumns: dataset.dropColumns })) ?? {};
    await writeLabelledCsv(path.join(staging, 'baseline.csv'), data);
    throwIfAborted(signal, 'training');
    meta = await commitVersion(ws, staging, {
      created_at: new Date().toISOString(),
      metrics,
      lineage: data.sources.map((s) => ({ path: shown.get(s.path) ?? (path.relative(ws, s.path) || s.path), rows: s.rows, sha256: s.sha256 })),
      train_rows: trainSet.y.length,
      train_seconds: round(trainSeconds, 3),
      features: data.features,
      columns: modelColumns(data, forest.featureImportances()),
      label: data.labelColumn,
      classes: data.classes,
      trees,
      holdout_split: { seed: ledgerSplit.seed, fraction: ledgerSplit.fraction, skipped_rows: ledgerSplit.skipped },
    });
  } catch (e) {
    discardStagingDir(staging);
    throw e;
  }
  await recordDerived(ctx, path.join(versionDir(ws, meta.version), 'baseline.csv'));
  progress(100, `${meta.version} trained`);
  ctx.log?.(`trained ${meta.version}: accuracy ${metrics.accuracy.toFixed(4)}, f1 ${metrics.f1.toFixed(4)} in ${trainSeconds.toFixed(1)} s`);
  notifyModels(ctx);

  const result: TrainResult = {
    version: meta.version,
    metrics,
    rows: data.y.length,
    dropped_rows: data.droppedRows,
    test_rows: split.test.length,
    ...(warnings.length ? { warnings } : {}),
    train_seconds: round(trainSeconds, 3),
  };
  const dir = versionDir(ws, meta.version); // MLflow run in "Model Training"; never throws
  const profile = extra.profile && path.join(dir, extra.profile);
  const tracked = await logTrainingRun(ctx, result, meta, { model: path.join(dir, 'model.json'), profile });
  if (tracked) result.run_id = tracked.run_id;
  if (p.holdout) result.validation = await validate(ctx, { version: meta.version, holdout: p.holdout, where: p.holdoutWhere });
  return result;
}

/** The feature list of a version: every column in table order, features with their importance, the rest with why. */
function modelColumns(data: LabelledData, importances: Float64Array): ModelColumn[] {
  const importance = new Map(data.features.map((name, f) => [name, importances[f]]));
  return data.columns.map((c) => ({ ...c, importance: c.kind === 'excluded' ? 0 : (importance.get(c.name) ?? 0) }));
}

const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;
