import * as path from 'node:path';
import type { ForestInput } from '../model/forest/forest';
import { DriftCatcherError } from '../util/errors';
import { hashFile } from '../util/hash';
import { streamCsv } from './csvReader';
import { DATASETS, requireDatasetColumns, type DatasetConfig } from './datasetConfig';
import { encodeInputs, planFeatures, sharedFloat64, type ColumnPlan } from './features';
import { labelChoice, mapLabels, mergedPositiveName, type LabelChoice } from './labels';
import { StratifiedReservoir } from './sampling';
import type { CategoricalColumn, Column, NumericColumn, RowBatch } from './table';
import { toNumeric } from './tableBuilder';

/**
 * A labelled table ready for a model: every column but the label as read (numbers, or dictionary-encoded text),
 * the model's inputs encoded from them (numbers; category codes; NaN for missing), and the labels as classes.
 * No row is dropped for a missing or non-finite feature value; only rows without a label are skipped.
 */
export interface LabelledData {
  /** the model's input columns, in order */
  features: string[];
  /** how each input is encoded (numeric, or categorical with the categories it keeps) */
  inputs: ForestInput[];
  /** column-major inputs: X[f][row]; numbers (NaN = missing, ±Infinity kept) or category codes (NaN = missing/other) */
  X: Float64Array[];
  y: Int32Array;
  classes: string[];
  rows: number;
  /** rows skipped because their label was missing */
  droppedRows: number;
  labelColumn: string;
  /** how the label column was chosen */
  labelChoice: LabelChoice['how'];
  sources: { path: string; rows: number; sha256: string }[];
  /** every column of the table but the label, row-aligned with y (the candidate baseline keeps them all) */
  table: Column[];
  /** every column of the table but the label: how the model uses it, or why it is left out */
  columns: ColumnPlan[];
  /** what the user should hear about the columns (left out, text cells read as missing) */
  notices: string[];
}

export interface LoadLabelledOptions {
  /** label column (else the dataset's, else auto-detected) */
  label?: string;
  dataset?: DatasetConfig;
  /** encode exactly these inputs (an existing model's); the files must have their columns */
  inputs?: ForestInput[];
  /** categories kept per categorical column when planning (255) */
  maxCategories?: number;
  /** cap per file: a stratified reservoir sample of this many rows */
  maxRows?: number;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** refuse a header with more columns (csv.maxColumns) */
  maxColumns?: number;
  /** overrides dataset.multiClass */
  multiClass?: boolean;
  /** map labels onto these classes (an existing model's) instead of deriving them */
  classes?: string[];
  /** rows to leave out before sampling, per file (the holdout ledger's held-out rows) */
  skipRowFor?: (file: string) => ((b: RowBatch, i: number) => boolean) | undefined;
}

/** One file as read: its non-label columns and label strings. */
interface RawFile {
  file: string;
  columns: Column[];
  labels: string[];
  rows: number;
  label: LabelChoice;
}

/**
 * Reads labelled CSVs into a LabelledData. Several files are concatenated, their columns aligned by name to the
 * first file's (a later file lacking a column gets it as missing values, unless the model needs it).
 */
export async function loadLabelled(files: string | string[], opts: LoadLabelledOptions = {}): Promise<LabelledData> {
  const list = Array.isArray(files) ? files : [files];
  if (list.length === 0) throw new DriftCatcherError('no data files given');
  const dataset = opts.dataset ?? DATASETS.Generic;
  const raws: RawFile[] = [];
  const hashes: Promise<string>[] = [];
  let label: string | undefined = opts.label;
  let fileIndex = 0;
  for (const file of list) {
    hashes.push(hashFile(file).catch(() => ''));
    const raw = await readRaw(file, dataset, label, opts, (opts.seed ?? 42) + fileIndex++);
    label = raw.label.name;
    raws.push(raw);
  }
  const sha = await Promise.all(hashes);

  const needed = opts.inputs?.map((i) => i.name.trim()) ?? [];
  for (const r of raws) {
    const have = new Set(r.columns.map((c) => c.name.trim()));
    const missing = needed.filter((n) => !have.has(n));
    if (missing.length) {
      throw new DriftCatcherError(`missing feature column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`, 'BAD_INPUT', { file: r.file });
    }
  }
  let table = raws[0].columns;
  let labels = raws[0].labels;
  for (const r of raws.slice(1)) {
    table = concatColumns(table, r.columns, r.rows);
    labels = labels.concat(r.labels);
  }
  // rows without a label are skipped (as the seed does)
  const keep: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] !== '') keep.push(i);
  const droppedRows = labels.length - keep.length;
  if (keep.length === 0) {
    throw new DriftCatcherError(`no usable rows: the label column "${label}" is empty in every row`, 'BAD_INPUT', { file: list[0] });
  }
  if (droppedRows) {
    table = table.map((c) => selectRows(c, keep));
    labels = keep.map((i) => labels[i]);
  }
  const sources = raws.map((r, fi) => ({ path: path.resolve(r.file), rows: r.labels.filter((l) => l !== '').length, sha256: sha[fi] }));

  const mapped = mapLabels(labels, dataset, { multiClass: opts.multiClass, classes: opts.classes });
  const plan = opts.inputs
    ? { inputs: opts.inputs, columns: planOf(table, opts.inputs), notices: [] }
    : planFeatures(table, { dataset, maxCategories: opts.maxCategories ?? 255 });
  if (plan.inputs.length === 0) {
    throw new DriftCatcherError(`no feature columns besides the label "${label}"`, 'BAD_INPUT', { file: list[0] });
  }
  const X = encodeInputs(table, plan.inputs, path.basename(list[0]));
  return {
    features: plan.inputs.map((i) => i.name),
    inputs: plan.inputs,
    X,
    y: mapped.y,
    classes: mapped.classes,
    rows: keep.length,
    droppedRows,
    labelColumn: label!,
    labelChoice: raws[0].label.how,
    sources,
    table,
    columns: plan.columns,
    notices: plan.notices,
  };
}

/** The same data with its columns planned afresh (after combining files: categories seen in any of them). */
export function replan(data: LabelledData, opts: { dataset: DatasetConfig; maxCategories: number }): LabelledData {
  const plan = planFeatures(data.table, opts);
  return { ...data, features: plan.inputs.map((i) => i.name), inputs: plan.inputs, X: encodeInputs(data.table, plan.inputs), columns: plan.columns, notices: plan.notices };
}

/** The column names of a CSV file (reads its header and first row only). */
export async function headerOf(file: string): Promise<string[]> {
  return (await streamCsv(file, { maxRows: 1 }, () => undefined)).header;
}

/** The plan of an existing model's inputs over a table: its inputs, every other column left out. */
function planOf(table: Column[], inputs: ForestInput[]): ColumnPlan[] {
  const byName = new Map(inputs.map((i) => [i.name.trim(), i]));
  return table.map((c) => {
    const inp = byName.get(c.name.trim());
    if (!inp) return { name: c.name, kind: 'excluded', reason: 'not a feature of this model' };
    return inp.kind === 'categorical' ? { name: c.name, kind: 'categorical', categories: inp.categories.length } : { name: c.name, kind: 'numeric' };
  });
}

const EMPTY = new Float64Array(0);

/** Growing per-class storage of one file's candidate columns: numbers, and text codes once a column has text. */
interface ClassStore {
  values: Float64Array[];
  texts: (Int32Array | null)[];
  labels: string[];
  ids: number[];
}

async function readRaw(file: string, dataset: DatasetConfig, label: string | undefined, opts: LoadLabelledOptions, seed: number): Promise<RawFile> {
  const cap = opts.maxRows;
  const reservoir = cap !== undefined ? new StratifiedReservoir(cap, seed) : undefined;
  let choice: LabelChoice | undefined;
  let names: string[] = [];
  let cand: Int32Array = new Int32Array(0);
  let li = -1;
  // per candidate column: its text dictionary
  let dicts: { index: Map<string, number>; values: string[] }[] = [];
  const classIds = new Map<string, number>();
  const store: ClassStore[] = [];
  let rowCls = new Int32Array(0);
  let rowSlot = new Int32Array(0);
  const skip = opts.skipRowFor?.(file);

  const init = (header: string[]): void => {
    choice = labelChoice(header, dataset, label);
    if (label === undefined && opts.inputs === undefined) requireDatasetColumns(dataset, header);
    li = header.findIndex((h) => h.trim() === choice!.name);
    const idx: number[] = [];
    names = [];
    header.forEach((h, k) => {
      if (k !== li) {
        names.push(h);
        idx.push(k);
      }
    });
    cand = Int32Array.from(idx);
    dicts = names.map(() => ({ index: new Map(), values: [] }));
  };
  const newStore = (): ClassStore => ({ values: Array.from(cand, () => new Float64Array(1024)), texts: Array.from(cand, () => null), labels: [], ids: [] });
  const growStore = (s: ClassStore, size: number): void => {
    s.values = s.values.map((v) => {
      const g = new Float64Array(size);
      g.set(v);
      return g;
    });
    s.texts = s.texts.map((t) => {
      if (!t) return null;
      const g = new Int32Array(size).fill(-1);
      g.set(t);
      return g;
    });
  };

  const res = await streamCsv(file, { signal: opts.signal, onProgress: opts.onProgress, maxColumns: opts.maxColumns }, (b) => {
    if (!choice) init(b.header);
    const w = cand.length;
    const lt = b.texts[li];
    const ln = b.numbers[li];
    if (rowCls.length < b.rowCount) {
      rowCls = new Int32Array(b.rowCount);
      rowSlot = new Int32Array(b.rowCount);
    }
    for (let i = 0; i < b.rowCount; i++) {
      if (skip?.(b, i)) {
        rowCls[i] = 0;
        rowSlot[i] = -1;
        continue;
      }
      let lab = lt?.[i];
      if (lab === undefined) lab = ln[i] === ln[i] ? String(ln[i]) : '';
      else lab = lab.trim();
      // without a cap one store keeps file order; with a cap each class has its reservoir
      let cls = 0;
      if (reservoir) {
        const known = classIds.get(lab);
        if (known === undefined) classIds.set(lab, (cls = classIds.size));
        else cls = known;
      }
      if (cls === store.length) store.push(newStore());
      const s = store[cls];
      const slot = reservoir ? reservoir.offer(cls, b.startRow + i) : s.ids.length;
      rowCls[i] = cls;
      rowSlot[i] = slot;
      if (slot < 0) continue;
      if (w > 0 && slot >= s.values[0].length) growStore(s, Math.max(slot + 1, s.values[0].length * 2));
      s.labels[slot] = lab;
      s.ids[slot] = b.startRow + i;
    }
    // column by column: sequential reads of the batch
    for (let c = 0; c < w; c++) {
      const col = b.numbers[cand[c]];
      const txt = b.texts[cand[c]];
      for (let i = 0; i < b.rowCount; i++) {
        const slot = rowSlot[i];
        if (slot < 0) continue;
        const s = store[rowCls[i]];
        s.values[c][slot] = col[i];
        const t = txt?.[i];
        if (t !== undefined) {
          let tc = s.texts[c];
          if (!tc) tc = s.texts[c] = new Int32Array(s.values[c].length).fill(-1);
          const d = dicts[c];
          let code = d.index.get(t);
          if (code === undefined) {
            code = d.values.length;
            d.values.push(t);
            d.index.set(t, code);
          }
          tc[slot] = code;
        } else if (s.texts[c]) s.texts[c]![slot] = -1;
      }
    }
  });
  if (!choice) init(res.header);
  // the kept rows in file order
  const keep = reservoir ? new Set(reservoir.result()) : undefined;
  const order: [number, number][] = []; // class, slot
  const ids: number[] = [];
  store.forEach((s, cls) => s.ids.forEach((id, slot) => (!keep || keep.has(id)) && (order.push([cls, slot]), ids.push(id))));
  const perm = Int32Array.from(order.keys()).sort((a, b) => ids[a] - ids[b]);
  const n = order.length;
  const permCls = Int32Array.from(perm, (p) => order[p][0]);
  const permSlot = Int32Array.from(perm, (p) => order[p][1]);
  const columns: Column[] = names.map((name, c) => {
    const values = sharedFloat64(n);
    let texts: Int32Array | null = null;
    for (let k = 0; k < n; k++) {
      const s = store[permCls[k]];
      const slot = permSlot[k];
      values[k] = s.values[c][slot];
      const t = s.texts[c];
      if (t && t[slot] >= 0) {
        texts ??= new Int32Array(n).fill(-1);
        texts[k] = t[slot];
      }
    }
    // the stored column is copied: let it go before the next one (peak memory: the store plus one column)
    for (const s of store) {
      s.values[c] = EMPTY;
      s.texts[c] = null;
    }
    return texts ? toCategorical(name, values, texts, dicts[c].values) : toNumeric(name, values);
  });
  const labels = Array.from(perm, (_, k) => store[permCls[k]].labels[permSlot[k]]);
  return { file, columns, labels, rows: n, label: choice! };
}

/** A column with text cells: text keeps its dictionary code, numbers become categories named String(value). */
function toCategorical(name: string, values: Float64Array, texts: Int32Array, dict: string[]): CategoricalColumn {
  const n = values.length;
  const categories = dict.slice();
  const index = new Map(categories.map((c, i) => [c, i]));
  const codes = new Int32Array(n);
  let missing = 0;
  for (let i = 0; i < n; i++) {
    if (texts[i] >= 0) {
      codes[i] = texts[i];
      continue;
    }
    const v = values[i];
    if (v !== v) {
      codes[i] = -1;
      missing++;
      continue;
    }
    const s = String(v);
    let code = index.get(s);
    if (code === undefined) {
      code = categories.length;
      categories.push(s);
      index.set(s, code);
    }
    codes[i] = code;
  }
  return { kind: 'categorical', name, codes, categories, missing };
}

/** Rows `idx` of a column (numbers in shared memory, so the forest's workers can read them). */
export function selectRows(col: Column, idx: ArrayLike<number>): Column {
  const n = idx.length;
  if (col.kind === 'numeric') {
    const values = sharedFloat64(n);
    for (let i = 0; i < n; i++) values[i] = col.values[idx[i]];
    return toNumeric(col.name, values);
  }
  const codes = new Int32Array(n);
  let missing = 0;
  for (let i = 0; i < n; i++) if ((codes[i] = col.codes[idx[i]]) < 0) missing++;
  return { kind: 'categorical', name: col.name, codes, categories: col.categories, missing };
}

/** A column as text categories (numbers named String(value)). */
function asCategorical(col: Column): CategoricalColumn {
  if (col.kind === 'categorical') return col;
  return toCategorical(col.name, col.values, new Int32Array(col.values.length).fill(-1), []);
}

/** `a` then `b`, as numbers when both are numeric, else as text categories (b's codes remapped onto a's). */
function concatPair(a: Column, b: Column): Column {
  if (a.kind === 'numeric' && b.kind === 'numeric') {
    const values = sharedFloat64(a.values.length + b.values.length);
    values.set(a.values);
    values.set(b.values, a.values.length);
    return toNumeric(a.name, values);
  }
  const ca = asCategorical(a);
  const cb = asCategorical(b);
  const categories = ca.categories.slice();
  const index = new Map(categories.map((c, i) => [c, i]));
  const map = Int32Array.from(cb.categories, (c) => {
    let k = index.get(c);
    if (k === undefined) {
      k = categories.length;
      categories.push(c);
      index.set(c, k);
    }
    return k;
  });
  const codes = new Int32Array(ca.codes.length + cb.codes.length);
  codes.set(ca.codes);
  for (let i = 0; i < cb.codes.length; i++) codes[ca.codes.length + i] = cb.codes[i] < 0 ? -1 : map[cb.codes[i]];
  return { kind: 'categorical', name: a.name, codes, categories, missing: ca.missing + cb.missing };
}

/** A column of `n` missing values. */
function missingColumn(name: string, n: number): NumericColumn {
  return { kind: 'numeric', name, values: sharedFloat64(n).fill(NaN), missing: n, nonFinite: 0 };
}

/** Columns of `a` then the same-named columns of `b` (nb rows); a column `b` lacks is missing there. */
export function concatColumns(a: Column[], b: Column[], nb: number): Column[] {
  const byName = new Map(b.map((c) => [c.name.trim(), c]));
  return a.map((col) => concatPair(col, byName.get(col.name.trim()) ?? missingColumn(col.name, nb)));
}

/** The rows at `idx` (in that order) of a LabelledData. */
export function takeRows(data: LabelledData, idx: Int32Array | number[]): LabelledData {
  const n = idx.length;
  // numeric inputs share their array with the table column they come from: take such rows once
  const taken = new Map<Float64Array, Float64Array>();
  const table = data.table.map((c) => {
    const t = selectRows(c, idx);
    if (c.kind === 'numeric' && t.kind === 'numeric') taken.set(c.values, t.values);
    return t;
  });
  const X = data.X.map((col) => {
    const known = taken.get(col);
    if (known) return known;
    const out = sharedFloat64(n);
    for (let i = 0; i < n; i++) out[i] = col[idx[i]];
    return out;
  });
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = data.y[idx[i]];
  return { ...data, X, y, rows: n, droppedRows: 0, table };
}

/**
 * Rows of `a` then rows of `b` (b encoded with a's inputs). Classes: equal lists are kept; two binary mappings with
 * the same negative class merge their positives; otherwise the union, negative class first.
 */
export function concatLabelled(a: LabelledData, b: LabelledData): LabelledData {
  const pos = a.features.map((f) => b.features.indexOf(f));
  const missing = a.features.filter((_, j) => pos[j] < 0);
  if (missing.length) throw new DriftCatcherError(`cannot combine data: the second set lacks ${missing.map((m) => `"${m}"`).join(', ')}`);
  let classes: string[];
  let mapB: Int32Array;
  if (a.classes.join('\u0000') === b.classes.join('\u0000')) {
    classes = a.classes;
    mapB = Int32Array.from(b.classes, (_, i) => i);
  } else if (a.classes.length === 2 && b.classes.length === 2 && a.classes[0] === b.classes[0]) {
    classes = [a.classes[0], a.classes[1] === b.classes[1] ? a.classes[1] : mergedPositiveName(a.classes[0])];
    mapB = Int32Array.from([0, 1]);
  } else {
    classes = [...a.classes, ...b.classes.filter((c) => !a.classes.includes(c))];
    mapB = Int32Array.from(b.classes, (c) => classes.indexOf(c));
  }
  const n = a.rows + b.rows;
  const table = concatColumns(a.table, b.table, b.rows);
  // numeric inputs that are table columns on both sides are the concatenated table column
  const joined = new Map<Float64Array, Float64Array>();
  a.table.forEach((c, j) => {
    const t = table[j];
    if (c.kind === 'numeric' && t.kind === 'numeric') joined.set(c.values, t.values);
  });
  const bByName = new Map(b.table.map((c) => [c.name.trim(), c]));
  const X = a.X.map((col, j) => {
    const same = joined.get(col);
    const bc = bByName.get(a.features[j].trim());
    if (same && bc?.kind === 'numeric' && bc.values === b.X[pos[j]]) return same;
    const out = sharedFloat64(n);
    out.set(col.subarray(0, a.rows));
    out.set(b.X[pos[j]].subarray(0, b.rows), a.rows);
    return out;
  });
  const y = new Int32Array(n);
  y.set(a.y.subarray(0, a.rows));
  for (let i = 0; i < b.rows; i++) y[a.rows + i] = mapB[b.y[i]];
  return {
    ...a,
    X,
    y,
    classes,
    rows: n,
    droppedRows: a.droppedRows + b.droppedRows,
    sources: [...a.sources, ...b.sources],
    table,
  };
}
