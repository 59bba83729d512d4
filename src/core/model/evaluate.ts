import * as path from 'node:path';
import type { EngineContext } from '../engine';
import type { ClassificationMetrics } from '../protocol';
import { headerOf, loadLabelled } from '../data/labelled';
import { encodeInputs } from '../data/features';
import type { Table } from '../data/table';
import { datasetOf } from '../data/datasetConfig';
import { DriftCatcherError } from '../util/errors';
import { loadForest, type Forest } from './forest';
import { naming } from './dataset';
import { classificationMetrics } from './metrics';
import { getVersion, verifiedVersionFile, versionDir } from './registry';
import type { ModelVersion } from '../protocol';

/** A registry version with its forest loaded. */
export interface LoadedModel {
  meta: ModelVersion;
  forest: Forest;
}

export function loadModel(ws: string, version: string): LoadedModel {
  const meta = getVersion(ws, version);
  const forest = loadForest(verifiedVersionFile(ws, version, 'model.json'), meta.features);
  if (forest.nFeatures !== meta.features.length || forest.nClasses !== meta.classes.length) {
    throw new DriftCatcherError(
      `model.json of ${version} does not match its meta.json (${forest.nFeatures} features / ${forest.nClasses} classes vs ${meta.features.length} / ${meta.classes.length})`,
      'REGISTRY',
    );
  }
  return { meta, forest };
}

/** A table's columns encoded as a model's inputs (by name); a missing column is an error naming the version and file. */
export function inputsOf(table: Table, forest: Forest, version: string, file: string): Float64Array[] {
  try {
    return encodeInputs(table.columns, forest.inputs, path.basename(file));
  } catch (e) {
    if (e instanceof DriftCatcherError) throw new DriftCatcherError(`${version}: ${e.message}`, e.code, { file });
    throw e;
  }
}

/** The training data's most frequent class of a version, as an index into its classes (for the majority baseline). */
export function trainingMajority(meta: ModelVersion): number | undefined {
  const k = meta.classes.indexOf(meta.metrics.majority_baseline.class);
  return k >= 0 ? k : undefined;
}

/**
 * Metrics of a forest on labelled rows (class codes index `classes`); `majorityClass` is the training data's most
 * frequent class, for the majority-class baseline (default: the scored rows').
 */
export function evaluateForest(forest: Forest, X: Float64Array[], y: Int32Array, classes: string[], majorityClass?: number): ClassificationMetrics {
  const proba = forest.predictProba(X);
  const k = forest.nClasses;
  const pred = new Int32Array(y.length);
  for (let i = 0; i < y.length; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c] > proba[i * k + best]) best = c;
    pred[i] = best;
  }
  return classificationMetrics(y, pred, proba, classes, majorityClass);
}

/**
 * Labelled evaluation data for a model: the file's labelled rows encoded as the model's inputs (by name; missing
 * values kept) and the labels mapped onto the model's classes (binary models map every non-negative label to the
 * positive class). The label column is the model's, else the configured one (--label).
 */
export async function loadForModel(
  ctx: EngineContext,
  model: LoadedModel,
  file: string,
): Promise<{ X: Float64Array[]; y: Int32Array; rows: number }> {
  const { meta, forest } = model;
  const header = await naming(file, () => headerOf(file));
  const label = header.some((h) => h.trim() === meta.label.trim()) ? meta.label : ctx.config.label;
  const data = await naming(file, () =>
    loadLabelled([file], {
      label,
      dataset: datasetOf(ctx.config),
      inputs: [...forest.inputs],
      classes: meta.classes,
      signal: ctx.signal,
      maxColumns: ctx.config.csv.maxColumns,
    }),
  );
  if (data.droppedRows) ctx.log?.(`${path.basename(file)}: skipped ${data.droppedRows} row(s) without a label`);
  return { X: data.X, y: data.y, rows: data.rows };
}
