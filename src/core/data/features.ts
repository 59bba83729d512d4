import type { ModelColumn } from '../protocol';
import type { ForestInput } from '../model/forest/forest';
import { DriftCatcherError } from '../util/errors';
import type { DatasetConfig } from './datasetConfig';
import type { Column, NumericColumn } from './table';

/**
 * Which columns of a table a model uses, and how (README "The random forest"):
 * - numeric columns are numeric features; NaN, empty and ±Infinity cells stay (the forest handles missing values);
 * - text columns are categorical features with their `maxCategories` most frequent categories (the rest are
 *   "other", which the forest treats like a missing value); unless almost every cell is a number (≥ 95 %: then
 *   the column is numeric and the few text cells, such as "?" or "n/a", are missing values);
 * - columns named in the dataset's `categorical` are categorical even when they hold numbers (booleans, codes);
 * - left out, with the reason: the dataset's `drop` columns and time column, columns without any value, and text
 *   columns with too many distinct values to be categories (ids, free text).
 */

/** a column's plan: how the model uses it (its importance is added once the model is trained) */
export type ColumnPlan = Omit<ModelColumn, 'importance'>;

export interface FeaturePlan {
  inputs: ForestInput[];
  /** every column, in table order */
  columns: ColumnPlan[];
  /** one line per kind of decision a user should hear about (columns left out, text cells read as missing) */
  notices: string[];
}

/** A text column whose non-missing cells are at least this share numbers is numeric. */
export const NUMERIC_SHARE = 0.95;
/** A text column with more distinct values than this share of its non-missing cells is an id or free text. */
export const MAX_UNIQUE_SHARE = 0.5;
/** … counted only from this many distinct values on (a 10-row table may well have 8 distinct categories) */
export const MIN_DISTINCT_FOR_ID = 20;
/** With more than maxCategories distinct values, the kept categories must cover at least this share of the cells. */
export const MIN_TOP_COVERAGE = 0.5;

export interface PlanOptions {
  dataset: DatasetConfig;
  /** categories kept per categorical column (255) */
  maxCategories: number;
}

export function planFeatures(columns: Column[], opts: PlanOptions): FeaturePlan {
  const ds = opts.dataset;
  const drop = new Set((ds.dropColumns ?? []).map((c) => c.trim()));
  const declared = new Set((ds.categorical ?? []).map((c) => c.trim()));
  const time = ds.timeColumn?.trim();
  const inputs: ForestInput[] = [];
  const plans: ColumnPlan[] = [];
  const idLike: string[] = [];
  const readAsMissing: string[] = [];
  const empty: string[] = [];
  for (const col of columns) {
    const name = col.name.trim();
    const exclude = (reason: string): void => void plans.push({ name: col.name, kind: 'excluded', reason });
    if (drop.has(name)) {
      exclude(`listed in "drop" of the dataset config '${ds.name}'`);
      continue;
    }
    if (time !== undefined && name === time) {
      exclude('the dataset\'s time column');
      continue;
    }
    const nonMissing = col.kind === 'numeric' ? countPresent(col) : col.codes.length - col.missing;
    if (nonMissing === 0) {
      exclude('no values');
      empty.push(col.name);
      continue;
    }
    if (declared.has(name) || col.kind === 'categorical') {
      const counts = categoryCounts(col);
      if (!declared.has(name) && col.kind === 'categorical') {
        const numericCells = countNumeric(counts);
        if (numericCells >= NUMERIC_SHARE * nonMissing) {
          inputs.push({ name: col.name, kind: 'numeric' });
          plans.push({ name: col.name, kind: 'numeric' });
          readAsMissing.push(`'${col.name}' (${nonMissing - numericCells} cells)`);
          continue;
        }
      }
      const distinct = counts.size;
      const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      const kept = ranked.slice(0, opts.maxCategories);
      let covered = 0;
      for (const [, c] of kept) covered += c;
      if (!declared.has(name) && distinct >= MIN_DISTINCT_FOR_ID && (distinct > MAX_UNIQUE_SHARE * nonMissing || (distinct > opts.maxCategories && covered < MIN_TOP_COVERAGE * nonMissing))) {
        exclude(`${distinct} distinct values in ${nonMissing} rows: an id or free text, not categories`);
        idLike.push(`'${col.name}' (${distinct} distinct)`);
        continue;
      }
      const categories = kept.map(([c]) => c);
      inputs.push({ name: col.name, kind: 'categorical', categories });
      plans.push({ name: col.name, kind: 'categorical', categories: categories.length });
      continue;
    }
    inputs.push({ name: col.name, kind: 'numeric' });
    plans.push({ name: col.name, kind: 'numeric' });
  }
  const notices: string[] = [];
  if (idLike.length) notices.push(`left out (too many distinct values to be categories): ${idLike.join(', ')}`);
  if (empty.length) notices.push(`left out (no values): ${empty.map((e) => `'${e}'`).join(', ')}`);
  if (readAsMissing.length) notices.push(`numeric columns with a few text cells, read as missing values: ${readAsMissing.join(', ')}`);
  const declaredMissing = [...declared].filter((d) => !columns.some((c) => c.name.trim() === d));
  if (declaredMissing.length) {
    throw new DriftCatcherError(`dataset '${ds.name}' declares categorical column(s) ${declaredMissing.map((d) => `'${d}'`).join(', ')} that the data does not have`, 'BAD_INPUT');
  }
  return { inputs, columns: plans, notices };
}

function countPresent(col: NumericColumn): number {
  let n = 0;
  const v = col.values;
  for (let i = 0; i < v.length; i++) if (v[i] === v[i]) n++;
  return n;
}

/** Rows per category string (numbers as String(value), the way the CSV reader names them). */
function categoryCounts(col: Column): Map<string, number> {
  const counts = new Map<string, number>();
  if (col.kind === 'categorical') {
    const per = new Float64Array(col.categories.length);
    for (const c of col.codes) if (c >= 0) per[c]++;
    col.categories.forEach((name, c) => {
      if (per[c] > 0) counts.set(name, (counts.get(name) ?? 0) + per[c]);
    });
  } else {
    for (const v of col.values) if (v === v) counts.set(numberName(v), (counts.get(numberName(v)) ?? 0) + 1);
  }
  return counts;
}

/** Cells of a text column that hold a number. */
function countNumeric(counts: Map<string, number>): number {
  let n = 0;
  for (const [name, c] of counts) if (!Number.isNaN(parseNumber(name))) n += c;
  return n;
}

/** The category name of a number: the CSV reader's String(value). */
export function numberName(v: number): string {
  return String(v);
}

/** A cell's text as a number (NaN when it is not one); "Infinity"/"inf" (any case, signed) are ±Infinity. */
export function parseNumber(s: string): number {
  const t = s.trim();
  if (t === '') return NaN;
  if (/^[+]?(inf|infinity)$/i.test(t)) return Infinity;
  if (/^-(inf|infinity)$/i.test(t)) return -Infinity;
  const v = Number(t);
  return Number.isNaN(v) ? NaN : v;
}

/**
 * The model's input columns from table columns (matched by name, trimmed): numbers as they are, categories as
 * codes into the input's categories (NaN for missing, "other" and categories the model never saw). Columns are
 * allocated in shared memory so the forest's worker threads read them without a copy.
 */
export function encodeInputs(columns: Column[], inputs: readonly ForestInput[], where?: string): Float64Array[] {
  const byName = new Map<string, Column>();
  for (const c of columns) if (!byName.has(c.name.trim())) byName.set(c.name.trim(), c);
  const missing = inputs.filter((i) => !byName.has(i.name.trim())).map((i) => `'${i.name}'`);
  if (missing.length) {
    throw new DriftCatcherError(`the model needs feature column${missing.length > 1 ? 's' : ''} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}, which ${where ?? 'the data'} lacks`, 'BAD_INPUT');
  }
  return inputs.map((inp) => encodeColumn(byName.get(inp.name.trim())!, inp));
}

export function sharedFloat64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(n * 8));
}

function encodeColumn(col: Column, inp: ForestInput): Float64Array {
  const n = col.kind === 'numeric' ? col.values.length : col.codes.length;
  // a numeric column already in shared memory is its own input (no copy)
  if (inp.kind === 'numeric' && col.kind === 'numeric' && col.values.buffer instanceof SharedArrayBuffer) return col.values;
  const out = sharedFloat64(n);
  if (inp.kind === 'numeric') {
    if (col.kind === 'numeric') out.set(col.values);
    else {
      const value = Float64Array.from(col.categories, parseNumber);
      for (let i = 0; i < n; i++) out[i] = col.codes[i] < 0 ? NaN : value[col.codes[i]];
    }
    return out;
  }
  const index = new Map(inp.categories.map((c, j) => [c, j]));
  if (col.kind === 'categorical') {
    const code = Float64Array.from(col.categories, (c) => index.get(c) ?? NaN);
    for (let i = 0; i < n; i++) out[i] = col.codes[i] < 0 ? NaN : code[col.codes[i]];
  } else {
    // numbers declared categorical: the same value repeats, so look each distinct value up once
    const cache = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const v = col.values[i];
      if (v !== v) {
        out[i] = NaN;
        continue;
      }
      let c = cache.get(v);
      if (c === undefined) cache.set(v, (c = index.get(numberName(v)) ?? NaN));
      out[i] = c;
    }
  }
  return out;
}
