import type { LabelledData } from '../data/labelled';
import { writeCsv } from '../data/csvWriter';
import type { CategoricalColumn, NumericColumn, Table } from '../data/table';
import { DriftCatcherError } from '../util/errors';

/**
 * What the training pipeline needs on top of data/labelled: the checks that make a data set trainable,
 * its Table form (for the profile) and the candidate baseline CSV.
 */

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
  const n = d.y.length;
  const labels = Array.from(d.y, (c) => d.classes[c]);
  await writeCsv(file, [...d.features, d.labelColumn], [...d.X.map((c) => (c.length === n ? c : c.slice(0, n))), labels]);
}

/** Errors from reading one file that do not say which file gain its name (e.g. "no label column found"). */
export async function naming<T>(file: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof DriftCatcherError && !e.where?.file && !e.message.includes(file) && e.code !== 'CANCELLED') {
      throw new DriftCatcherError(e.message, e.code, { file });
    }
    throw e;
  }
}
