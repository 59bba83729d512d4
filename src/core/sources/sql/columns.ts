import { DriftCatcherError } from '../../util/errors';
import type { ColumnClass, Dialect } from './dialect';

/** A column of a table as the engine describes it. */
export interface TableColumn {
  name: string;
  type: string;
  cls: ColumnClass;
}

/**
 * How one column is read, with the CSV reader's rules wherever a type allows a choice:
 * - as a number (`value`: a double, NULL when missing; `text`: a condition true for non-numeric cells of a text
 *   column, which count as missing and are reported);
 * - as a category key (`key`: text, or a double whose String() form is the category, NULL when missing).
 */
export interface NumericRead {
  value: string;
  text: string | null;
}
export interface KeyRead {
  key: string;
  kind: 'text' | 'number';
}

export function readAsNumber(d: Dialect, col: TableColumn, source: string): NumericRead {
  const c = d.ident(col.name);
  if (col.cls === 'numeric') return { value: d.asDouble(c), text: null };
  if (col.cls === 'text') return { value: d.textToDouble(c), text: d.textIsText(c) };
  throw new DriftCatcherError(
    `${source}: column '${col.name}' has type ${col.type}, which cannot be read as the baseline's numeric feature`,
    'BAD_INPUT',
  );
}

export function readAsKey(d: Dialect, col: TableColumn, source: string): KeyRead {
  const c = d.ident(col.name);
  if (col.cls === 'numeric') {
    const v = d.asDouble(c);
    return { key: `CASE WHEN ${d.isNaN(v)} THEN NULL ELSE ${v} END`, kind: 'number' };
  }
  if (col.cls === 'text') return { key: d.textKey(c), kind: 'text' };
  if (col.cls === 'boolean' || col.cls === 'temporal') return { key: d.asText(c), kind: 'text' };
  throw new DriftCatcherError(`${source}: column '${col.name}' has type ${col.type}, which cannot be compared as categories`, 'BAD_INPUT');
}

/** Condition true when the label is present (rows without a label are skipped, as the seed does). */
export function labelPresent(d: Dialect, col: TableColumn, source: string): string {
  if (col.cls === 'numeric') {
    const v = d.asDouble(d.ident(col.name));
    return `(${v} IS NOT NULL AND NOT ${d.isNaN(v)})`;
  }
  return `(${readAsKey(d, col, source).key} IS NOT NULL)`;
}

/** `(SELECT <list> FROM <relation> WHERE (<predicate>) AND <cond>) AS src` */
export function fromClause(relation: string, select: string[], conditions: string[]): string {
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  return `(SELECT ${select.length ? select.join(', ') : '1 AS one'} FROM ${relation}${where}) AS src`;
}
