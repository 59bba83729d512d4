import type { LabelledData } from './loadData';
import type { CategoricalColumn, NumericColumn, Table } from '../data/table';
import { DriftCatcherError } from '../util/errors';
import { writeColumnsCsv } from './csvWrite';

/**
 * Operations on loaded labelled data that the training pipeline needs: combining base and new data
 * (classes matched by name), row subsets, the checks that make a data set trainable, and its Table form
 * (for the profile and the baseline CSV).
 */

/** Append `b` to `a`: same features in the same order; classes united by name, `a`'s codes kept. */
export function combineLabelled(a: LabelledData, b: LabelledData): LabelledData {
  if (b.features.join('\u0000') !== a.features.join('\u0000')) {
    const missing = a.features.filter((f) => !b.features.includes(f));
    throw new DriftCatcherError(`the new data does not have the base data's features${missing.length ? ` (missing: ${missing.slice(0, 5).join(', ')})` : ''}`, 'BAD_INPUT');
  }
  const classes = a.classes.slice();
  const remap = b.classes.map((c) => {
    const i = classes.indexOf(c);
    if (i >= 0) return i;
    classes.push(c);
    return classes.length - 1;
  });
  const n = a.y.length + b.y.length;
  const y = new Int32Array(n);
  y.set(a.y);
  for (let i = 0; i < b.y.length; i++) y[a.y.length + i] = remap[b.y[i]];
  const X = a.X.map((col, f) => {
    const out = new Float64Array(n);
    out.set(col.subarray(0, a.y.length));
    out.set(b.X[f].subarray(0, b.y.length), a.y.length);
    return out;
  });
  return {
    ...a,
    X,
    y,
    classes,
    rows: a.rows + b.rows,
    droppedRows: a.droppedRows + b.droppedRows,
    sources: [...a.sources, ...b.sources],
  };
}

/** Rows `idx` of the data (features and labels only). */
export function subsetRows(d: LabelledData, idx: Int32Array): { X: Float64Array[]; y: Int32Array } {
  const X = d.X.map((col) => {
    const out = new Float64Array(idx.length);
    for (let k = 0; k < idx.length; k++) out[k] = col[idx[k]];
    return out;
  });
  const y = new Int32Array(idx.length);
  for (let k = 0; k < idx.length; k++) y[k] = d.y[idx[k]];
  return { X, y };
}

/** Clear errors for data that cannot train a classifier: no rows left, one class only, no features. */
export function requireTrainable(d: LabelledData, files: string[]): void {
  const where = files.join(', ');
  if (d.features.length === 0) throw new DriftCatcherError(`no numeric feature columns in ${where}`, 'BAD_INPUT');
  if (d.y.length === 0) {
    throw new DriftCatcherError(
      `no usable rows in ${where}: all ${d.droppedRows} row(s) have NaN or Infinity features or no label`,
      'BAD_INPUT',
    );
  }
  const counts = new Map<number, number>();
  for (const c of d.y) counts.set(c, (counts.get(c) ?? 0) + 1);
  if (counts.size < 2) {
    const only = d.classes[d.y[0]];
    throw new DriftCatcherError(
      `label column '${d.labelColumn}' has only one class ('${only}') in ${where}; a classifier needs at least two`,
      'LABEL',
    );
  }
}

/** The data as a Table: numeric feature columns and a categorical label column named as in the source. */
export function toTable(d: LabelledData, source: string): Table {
  const n = d.y.length;
  const columns: (NumericColumn | CategoricalColumn)[] = d.features.map((name, f) => ({
    kind: 'numeric',
    name,
    values: d.X[f].length === n ? d.X[f] : d.X[f].slice(0, n),
    missing: 0,
    nonFinite: 0,
  }));
  columns.push({ kind: 'categorical', name: d.labelColumn, codes: d.y, categories: d.classes, missing: 0 });
  return { source, rowCount: n, columns };
}

/** The combined data as the candidate baseline CSV (features, then the label column). */
export async function writeLabelledCsv(file: string, d: LabelledData): Promise<void> {
  await writeColumnsCsv(file, toTable(d, file).columns);
}
