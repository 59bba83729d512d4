import * as path from 'node:path';
import { DriftCatcherError } from '../util/errors';
import { hashFile } from '../util/hash';
import { streamCsv } from './csvReader';
import { DATASETS, type DatasetConfig } from './datasetConfig';
import { detectLabel, mapLabels, MERGED_POSITIVE } from './labels';
import { StratifiedReservoir } from './sampling';
import type { RowBatch } from './table';

/** Features and labels ready for a model: only numeric feature columns, only rows with finite features. */
export interface LabelledData {
  features: string[];
  /** column-major: X[f][row], every value finite */
  X: Float64Array[];
  y: Int32Array;
  classes: string[];
  rows: number;
  /** rows dropped because a feature was NaN/±Infinity or the label was missing (as the seed does) */
  droppedRows: number;
  labelColumn: string;
  sources: { path: string; rows: number; sha256: string }[];
  /** columns of the (first) file that are neither the label nor a feature, and why */
  excluded: { name: string; reason: string }[];
}

export interface LoadLabelledOptions {
  /** label column (else the dataset's, else auto-detected) */
  label?: string;
  dataset?: DatasetConfig;
  /** use exactly these feature columns, in this order (a model's features); missing ones are an error */
  featureNames?: string[];
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

/** Rows of one file as read: candidate feature values (row-major) and label strings. */
interface RawRows {
  file: string;
  /** candidate feature columns of this file */
  names: string[];
  /** per candidate: a non-numeric cell was seen (the column is not a feature) */
  text: boolean[];
  /** per candidate: at least one finite value was seen */
  finite: boolean[];
  /** per candidate column: its values (column-major) */
  values: Float64Array[];
  labels: string[];
  rows: number;
  labelColumn: string;
  /** columns left out by the dataset config's drop list */
  dropped: string[];
}

/**
 * Reads labelled CSVs into a LabelledData. Features are the numeric columns other than the label and the
 * dataset's dropColumns (columns that are entirely empty are left out too); with `featureNames` exactly those.
 * Several files are concatenated, aligned by column name to the first file's features.
 */
export async function loadLabelled(files: string | string[], opts: LoadLabelledOptions = {}): Promise<LabelledData> {
  const list = Array.isArray(files) ? files : [files];
  if (list.length === 0) throw new DriftCatcherError('no data files given');
  const dataset = opts.dataset ?? DATASETS.Generic;
  const raws: RawRows[] = [];
  const hashes: Promise<string>[] = [];
  let labelColumn: string | undefined = opts.label;
  let fileIndex = 0;
  for (const file of list) {
    hashes.push(hashFile(file).catch(() => ''));
    const raw = await readRaw(file, dataset, labelColumn, opts, (opts.seed ?? 42) + fileIndex++);
    labelColumn = raw.labelColumn;
    raws.push(raw);
  }
  const sha = await Promise.all(hashes);

  // features: given, or the first file's usable numeric candidates; every file must have them as numbers
  const features =
    opts.featureNames?.slice() ?? raws[0].names.filter((n, k) => !raws[0].text[k] && raws[0].finite[k]);
  if (features.length === 0) {
    throw new DriftCatcherError(`no numeric feature columns besides the label "${labelColumn}"`, 'BAD_INPUT', { file: list[0] });
  }
  const nf = features.length;
  let total = 0;
  for (const r of raws) total += r.rows;
  const X = features.map(() => new Float64Array(total));
  const labels: string[] = [];
  let rows = 0;
  let dropped = 0;
  const sources: LabelledData['sources'] = [];
  raws.forEach((r, fi) => {
    const pos = features.map((f) => r.names.indexOf(f));
    const missing = features.filter((_, j) => pos[j] < 0);
    if (missing.length) {
      throw new DriftCatcherError(
        `missing feature column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`,
        'BAD_INPUT',
        { file: r.file },
      );
    }
    const textual = features.filter((_, j) => r.text[pos[j]]);
    if (textual.length) {
      throw new DriftCatcherError(
        `feature column${textual.length > 1 ? 's' : ''} ${textual.map((m) => `"${m}"`).join(', ')} hold non-numeric values`,
        'BAD_INPUT',
        { file: r.file },
      );
    }
    const cols = pos.map((p) => r.values[p]);
    let kept = 0;
    for (let i = 0; i < r.rows; i++) {
      let ok = r.labels[i] !== '';
      for (let j = 0; ok && j < nf; j++) {
        const v = cols[j][i];
        if (v - v !== 0) ok = false; // NaN or ±Infinity
      }
      if (!ok) {
        dropped++;
        continue;
      }
      for (let j = 0; j < nf; j++) X[j][rows] = cols[j][i];
      labels.push(r.labels[i]);
      rows++;
      kept++;
    }
    sources.push({ path: path.resolve(r.file), rows: kept, sha256: sha[fi] });
  });
  if (rows === 0) {
    const empty = raws.flatMap((r) => features.filter((f) => !r.finite[r.names.indexOf(f)]));
    throw new DriftCatcherError(
      `no usable rows: every row has a missing label or a missing/non-finite feature value` +
        (empty.length ? ` (column${empty.length > 1 ? 's' : ''} ${[...new Set(empty)].map((e) => `"${e}"`).join(', ')} never hold a finite number)` : ''),
      'BAD_INPUT',
      { file: list[0] },
    );
  }
  const mapped = mapLabels(labels, dataset, { multiClass: opts.multiClass, classes: opts.classes });
  const first = raws[0];
  const excluded = [
    ...first.dropped.map((name) => ({ name, reason: `listed in the dataset's drop columns` })),
    ...first.names
      .map((name, c) => ({ name, c }))
      .filter(({ name }) => !features.includes(name))
      .map(({ name, c }) => ({ name, reason: first.text[c] ? 'holds text values' : first.finite[c] ? 'not a feature of this model' : 'no finite value' })),
  ];
  return {
    features,
    X: X.map((c) => (c.length === rows ? c : c.slice(0, rows))),
    y: mapped.y,
    classes: mapped.classes,
    rows,
    droppedRows: dropped,
    labelColumn: labelColumn!,
    sources,
    excluded,
  };
}

async function readRaw(
  file: string,
  dataset: DatasetConfig,
  label: string | undefined,
  opts: LoadLabelledOptions,
  seed: number,
): Promise<RawRows> {
  const cap = opts.maxRows;
  const reservoir = cap !== undefined ? new StratifiedReservoir(cap, seed) : undefined;
  const drop = new Set((dataset.dropColumns ?? []).map((d) => d.trim()));
  let raw: RawRows | undefined;
  let cand: Int32Array = new Int32Array(0);
  let li = -1;
  // per raw label class: stored rows (row-major) and their row ids (for stream order)
  const classIds = new Map<string, number>();
  const store: { values: Float64Array[]; labels: string[]; ids: number[] }[] = [];
  let rowCls = new Int32Array(0);
  let rowSlot = new Int32Array(0);
  const skip = opts.skipRowFor?.(file);

  const init = (header: string[]): RawRows => {
    const labelColumn = detectLabel(header, dataset, label);
    li = header.indexOf(labelColumn);
    const names: string[] = [];
    const idx: number[] = [];
    header.forEach((h, k) => {
      if (k !== li && !drop.has(h)) {
        names.push(h);
        idx.push(k);
      }
    });
    cand = Int32Array.from(idx);
    const dropped = header.filter((h, k) => k !== li && drop.has(h));
    return { file, names, text: names.map(() => false), finite: names.map(() => false), values: [], labels: [], rows: 0, labelColumn, dropped };
  };

  const res = await streamCsv(file, { signal: opts.signal, onProgress: opts.onProgress, maxColumns: opts.maxColumns }, (b) => {
    raw ??= init(b.header);
    const r = raw;
    const w = cand.length;
    const lt = b.texts[li];
    const ln = b.numbers[li];
    for (let c = 0; c < w; c++) {
      const t = b.texts[cand[c]];
      if (t && !r.text[c]) for (let i = 0; i < b.rowCount; i++) if (t[i] !== undefined) { r.text[c] = true; break; }
      if (!r.finite[c]) {
        const col = b.numbers[cand[c]];
        for (let i = 0; i < b.rowCount; i++) if (col[i] - col[i] === 0) { r.finite[c] = true; break; }
      }
    }
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
      if (cls === store.length) store.push({ values: cand.length ? Array.from(cand, () => new Float64Array(1024)) : [], labels: [], ids: [] });
      const s = store[cls];
      const rowId = b.startRow + i;
      const slot = reservoir ? reservoir.offer(cls, rowId) : s.ids.length;
      rowCls[i] = cls;
      rowSlot[i] = slot;
      if (slot < 0) continue;
      if (w > 0 && slot >= s.values[0].length) {
        const size = Math.max(slot + 1, s.values[0].length * 2);
        s.values = s.values.map((v) => {
          const g = new Float64Array(size);
          g.set(v);
          return g;
        });
      }
      s.labels[slot] = lab;
      s.ids[slot] = rowId;
    }
    // copy column by column: sequential reads of the batch
    for (let c = 0; c < w; c++) {
      const col = b.numbers[cand[c]];
      if (store.length === 1) {
        const dst = store[0].values[c];
        for (let i = 0; i < b.rowCount; i++) if (rowSlot[i] >= 0) dst[rowSlot[i]] = col[i];
      } else {
        for (let i = 0; i < b.rowCount; i++) if (rowSlot[i] >= 0) store[rowCls[i]].values[c][rowSlot[i]] = col[i];
      }
    }
  });
  raw ??= init(res.header);
  // gather the kept rows in file order
  const keep = reservoir ? new Set(reservoir.result()) : undefined;
  const w = cand.length;
  if (!reservoir) {
    const s = store[0];
    raw.rows = s?.ids.length ?? 0;
    raw.values = s ? s.values.map((v) => v.subarray(0, raw!.rows)) : cand.length ? Array.from(cand, () => new Float64Array(0)) : [];
    raw.labels = s?.labels ?? [];
    return raw;
  }
  const order: [number, number, number][] = []; // rowId, class, slot
  store.forEach((s, cls) => s.ids.forEach((id, slot) => (!keep || keep.has(id)) && order.push([id, cls, slot])));
  order.sort((a, b) => a[0] - b[0]);
  raw.values = Array.from(cand, () => new Float64Array(order.length));
  raw.labels = new Array<string>(order.length);
  order.forEach(([, cls, slot], k) => {
    for (let c = 0; c < w; c++) raw!.values[c][k] = store[cls].values[c][slot];
    raw!.labels[k] = store[cls].labels[slot];
  });
  raw.rows = order.length;
  return raw;
}

/** The rows at `idx` (in that order) of a LabelledData. */
export function takeRows(data: LabelledData, idx: Int32Array | number[]): LabelledData {
  const n = idx.length;
  const X = data.X.map((col) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = col[idx[i]];
    return out;
  });
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = data.y[idx[i]];
  return { ...data, X, y, rows: n, droppedRows: 0 };
}

/**
 * Rows of `a` then rows of `b` (b's features aligned to a's by name). Classes: equal lists are kept; two binary
 * mappings with the same negative class merge their positives; otherwise the union, negative class first.
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
    classes = [a.classes[0], a.classes[1] === b.classes[1] ? a.classes[1] : MERGED_POSITIVE];
    mapB = Int32Array.from([0, 1]);
  } else {
    classes = [...a.classes, ...b.classes.filter((c) => !a.classes.includes(c))];
    mapB = Int32Array.from(b.classes, (c) => classes.indexOf(c));
  }
  const n = a.rows + b.rows;
  const X = a.X.map((col, j) => {
    const out = new Float64Array(n);
    out.set(col.subarray(0, a.rows));
    out.set(b.X[pos[j]].subarray(0, b.rows), a.rows);
    return out;
  });
  const y = new Int32Array(n);
  y.set(a.y.subarray(0, a.rows));
  for (let i = 0; i < b.rows; i++) y[a.rows + i] = mapB[b.y[i]];
  return {
    features: a.features,
    X,
    y,
    classes,
    rows: n,
    droppedRows: a.droppedRows + b.droppedRows,
    labelColumn: a.labelColumn,
    sources: [...a.sources, ...b.sources],
    excluded: a.excluded,
  };
}
