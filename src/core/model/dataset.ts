import type { LabelledData } from '../data/labelled';
import { writeTableCsv } from '../data/csvWriter';
import type { Column, Table } from '../data/table';
import { DriftCatcherError } from '../util/errors';

/**
 * What the training pipeline needs on top of data/labelled: the checks that make a data set trainable,
 * its Table form (for the profile) and the candidate baseline CSV.
 */

/** Clear errors for data that cannot train a classifier: no rows left, one class only, no features. */
export function requireTrainable(d: LabelledData, files: string[]): void {
  const where = files.join(', ');
  if (d.features.length === 0) throw new DriftCatcherError(`no feature columns in ${where} (every column is the label or left out)`, 'BAD_INPUT');
  if (d.y.length === 0) throw new DriftCatcherError(`no usable rows in ${where}: all ${d.droppedRows} row(s) have no label`, 'BAD_INPUT');
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

/** The data as a Table: every column as read (features, columns left out) and a categorical label column. */
export function toTable(d: LabelledData, source: string): Table {
  const columns: Column[] = [...d.table, { kind: 'categorical', name: d.labelColumn, codes: d.y, categories: d.classes, missing: 0 }];
  return { source, rowCount: d.y.length, columns };
}

/** The combined data as the candidate baseline CSV: every column as read, then the label column. */
export function writeLabelledCsv(file: string, d: LabelledData): Promise<void> {
  return writeTableCsv(file, toTable(d, file));
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
