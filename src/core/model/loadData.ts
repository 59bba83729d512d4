import * as path from 'node:path';
import { readTable } from '../data/csvReader';
import { DATASETS, type DatasetConfig } from '../data/datasetConfig';
import { detectLabel, mapLabels } from '../data/labels';
import { stratifiedSample } from '../data/sampling';
import type { CategoricalColumn, Column, NumericColumn } from '../data/table';
import { DriftCatcherError, throwIfAborted } from '../util/errors';
import { hashFile } from '../util/hash';

/**
 * Labelled numeric data for training and scoring: features column-major, class codes, and where each part came
 * from. Rows with a missing label or a NaN/Infinity feature are dropped (the seed's cleaning) and counted.
 */
export interface LabelledData {
  features: string[];
  X: Float64Array[];
  y: Int32Array;
  classes: string[];
  /** rows kept */
  rows: number;
  droppedRows: number;
  labelColumn: string;
  sources: { path: string; rows: number; sha256: string }[];
}

export interface LoadLabelledOptions {
  label?: string;
  dataset?: string;
  /** use exactly these features, by name (a file lacking one is an error); default: the first file's numeric columns */
  featureNames?: string[];
  /** map labels onto these classes (an existing model's); default: derived from the first file */
  classes?: string[];
  /** stratified cap on the clean rows kept per file */
  maxRows?: number;
  seed?: number;
  signal?: AbortSignal;
}

export async function loadLabelled(files: string[], opts: LoadLabelledOptions = {}): Promise<LabelledData> {
  const dataset: DatasetConfig = DATASETS[opts.dataset ?? 'Generic'] ?? DATASETS.Generic;
  const drop = new Set(dataset.dropColumns ?? []);
  let features = opts.featureNames;
  let classes = opts.classes;
  let labelColumn = '';
  const partsX: Float64Array[][] = [];
  const partsY: Int32Array[] = [];
  const sources: LabelledData['sources'] = [];
  let dropped = 0;
  for (const file of files) {
    throwIfAborted(opts.signal, 'loading data');
    const table = await readTable(file, { signal: opts.signal });
    if (table.rowCount === 0) throw new DriftCatcherError(`${path.basename(file)} has no data rows`, 'BAD_INPUT', { file });
    const header = table.columns.map((c) => c.name);
    const label = wrapLabel(() => detectLabel(header, dataset, opts.label ?? (labelColumn || undefined)), file);
    labelColumn ||= label;
    const labelCol = table.columns.find((c) => c.name === label)!;
    if (!features) {
      features = table.columns.filter((c) => c.kind === 'numeric' && c.name !== label && !drop.has(c.name)).map((c) => c.name);
      if (features.length === 0) throw new DriftCatcherError(`no numeric feature columns besides the label "${label}"`, 'BAD_INPUT', { file });
    }
    const cols = features.map((name) => featureColumn(table.columns, name, file));
    const mapped = wrapLabel(() => mapLabels(labelText(labelCol), dataset, classes ? { classes } : {}), file);
    classes ??= mapped.classes;

    const clean: number[] = [];
    for (let i = 0; i < table.rowCount; i++) {
      if (mapped.y[i] < 0) continue;
      let ok = true;
      for (const c of cols) if (!Number.isFinite(c.values[i])) (ok = false);
      if (ok) clean.push(i);
    }
    dropped += table.rowCount - clean.length;
    let keep = Int32Array.from(clean);
    if (opts.maxRows !== undefined && keep.length > opts.maxRows) {
      const yClean = Int32Array.from(keep, (i) => mapped.y[i]);
      keep = Int32Array.from(stratifiedSample(yClean, opts.maxRows, opts.seed ?? 42), (k) => keep[k]);
    }
    partsX.push(cols.map((c) => Float64Array.from(keep, (i) => c.values[i])));
    partsY.push(Int32Array.from(keep, (i) => mapped.y[i]));
    sources.push({ path: file, rows: keep.length, sha256: await hashFile(file) });
  }
  const n = partsY.reduce((s, y) => s + y.length, 0);
  const y = new Int32Array(n);
  const X = features!.map(() => new Float64Array(n));
  let o = 0;
  partsY.forEach((py, p) => {
    y.set(py, o);
    X.forEach((col, f) => col.set(partsX[p][f], o));
    o += py.length;
  });
  return { features: features!, X, y, classes: classes!, rows: n, droppedRows: dropped, labelColumn, sources };
}

function featureColumn(columns: Column[], name: string, file: string): NumericColumn {
  const c = columns.find((col) => col.name === name);
  if (!c) throw new DriftCatcherError(`feature column "${name}" is missing`, 'BAD_INPUT', { file });
  if (c.kind !== 'numeric') throw new DriftCatcherError(`feature column "${name}" is not numeric (e.g. "${c.categories[0]}")`, 'BAD_INPUT', { file });
  return c;
}

/** The label column as text, whatever its parsed type. */
function labelText(c: Column): CategoricalColumn | Array<string | undefined> {
  if (c.kind === 'categorical') return c;
  return Array.from(c.values, (v) => (Number.isNaN(v) ? undefined : String(v)));
}

/** Label errors gain the file they come from. */
function wrapLabel<T>(fn: () => T, file: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DriftCatcherError && !e.message.includes(file)) throw new DriftCatcherError(e.message, e.code, { file });
    throw e;
  }
}
