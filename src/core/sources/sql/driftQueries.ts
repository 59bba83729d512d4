import type { AccumulatorState, CategoricalState, NumericState } from '../../drift/driftReport';
import type { BaselineProfile, CategoricalProfile, NumericProfile } from '../../drift/profile';
import { throwIfAborted } from '../../util/errors';
import { fromClause, labelPresent, readAsKey, readAsNumber, type KeyRead, type NumericRead, type TableColumn } from './columns';
import { toNumber, type Dialect, type HistogramItem, type HistogramQuery } from './dialect';
import type { SqlEngine, SqlRunOptions } from './engine';

/**
 * The drift accumulators of a profile as aggregate SQL: per group of features, one scan for the scalars (rows,
 * min/max, tail sums, out-of-range and text counts) and one for the bucket counts (PSI bins on the baseline's
 * edges, sketch cells and ties on its quantile sketch, category counts), plus one small query per categorical
 * feature with new categories. The result is an AccumulatorState, the same plain data the in-process reader
 * produces, so the report is computed by the same code (DriftAccumulator.merge + finish): identical counts.
 */

/** new categories listed per feature (the in-process accumulator remembers as many) */
const MAX_NEW_CATEGORIES = 1000;
/** thresholds + categories per query: keeps each statement well under engines' query-size limits */
const GROUP_BUDGET = 6000;

type NumericFeature = { kind: 'numeric'; p: NumericProfile; alias: string; read: NumericRead };
type CategoricalFeature = { kind: 'categorical'; p: CategoricalProfile; alias: string; read: KeyRead; codes: (string | number)[] };
export type Feature = NumericFeature | CategoricalFeature;

/** The queries of a drift check, planned from the profile and the table's columns (also used by golden-SQL tests). */
export interface DriftPlan {
  header: string[];
  /** the rows-only count when no feature is shared */
  countSql: string;
  /** all selected rows, labelled or not (only needed when rows without a label are skipped) */
  seenSql: string | null;
  groups: { features: Feature[]; from: string; scalarSql: string; hist: HistogramQuery }[];
}

export function planDrift(d: Dialect, relation: string, display: string, columns: TableColumn[], profile: BaselineProfile, where?: string): DriftPlan {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const features: Feature[] = [];
  for (const p of profile.features) {
    const col = byName.get(p.name);
    if (!col) continue; // reported as a missing column by the report
    const alias = `f${features.length}`;
    if (p.kind === 'numeric') features.push({ kind: 'numeric', p, alias, read: readAsNumber(d, col, display) });
    else {
      const read = readAsKey(d, col, display);
      features.push({ kind: 'categorical', p, alias, read, codes: categoryLiterals(Object.keys(p.categories), read.kind) });
    }
  }
  const conditions = baseConditions(d, profile.label === null ? undefined : byName.get(profile.label), display, where);
  const groups = groupFeatures(features).map((group) => {
    const from = fromClause(relation, group.flatMap((f) => selectList(f)), conditions);
    return { features: group, from, scalarSql: scalarSql(d, group, from), hist: d.histogram(histogramItems(d, group), from) };
  });
  const label = profile.label === null ? undefined : byName.get(profile.label);
  const seenSql = label ? `SELECT count(*) FROM ${fromClause(relation, [], where !== undefined ? [`(${where})`] : [])}` : null;
  return { header: columns.map((c) => c.name), countSql: `SELECT count(*) FROM ${fromClause(relation, [], conditions)}`, seenSql, groups };
}

export async function driftState(engine: SqlEngine, profile: BaselineProfile, opts: SqlRunOptions = {}): Promise<AccumulatorState> {
  const columns = await engine.columns(opts.signal);
  const plan = planDrift(engine.dialect, engine.relation, engine.display, columns, profile, opts.where);
  const state: AccumulatorState = { header: plan.header, rows: 0, seen: 0, numeric: {}, categorical: {} };
  const count = async (sql: string): Promise<number> => toNumber((await engine.query(sql, opts.signal))[0]?.[0]);
  if (plan.groups.length === 0) {
    state.rows = await count(plan.countSql);
    state.seen = plan.seenSql ? await count(plan.seenSql) : state.rows;
    return state;
  }
  const total = plan.groups.length * 2;
  let done = 0;
  for (const { features: group, from, scalarSql: sql, hist } of plan.groups) {
    throwIfAborted(opts.signal, 'drift check');
    const scalars = await engine.query(sql, opts.signal);
    opts.onProgress?.(++done, total);
    const counts = hist.decode(await engine.query(hist.sql, opts.signal));
    opts.onProgress?.(++done, total);
    state.rows = toNumber(scalars[0][0]);
    let s = 1;
    let h = 0;
    for (const f of group) {
      if (f.kind === 'numeric') {
        state.numeric[f.p.name] = numericState(f, scalars[0].slice(s, s + 6), counts[h], counts[h + 1]);
        s += 6;
        h += 2;
      } else {
        const st = categoricalState(f, scalars[0].slice(s, s + 2), counts[h]);
        s += 2;
        h += 1;
        if (st.counts[f.codes.length] > 0) st.newCategories = await newCategories(engine, f, from, opts.signal);
        state.categorical[f.p.name] = st;
      }
    }
  }
  state.seen = plan.seenSql ? await count(plan.seenSql) : state.rows;
  return state;
}

/** The user's predicate (parenthesised) and, when the data has the profile's label column, "label present". */
export function baseConditions(d: Dialect, label: TableColumn | undefined, source: string, where?: string): string[] {
  const out: string[] = [];
  if (where !== undefined) out.push(`(${where})`);
  if (label) out.push(labelPresent(d, label, source));
  return out;
}

/** Category keys as literals of the key's kind; a text category cannot match a numeric column and is left out. */
function categoryLiterals(names: string[], kind: KeyRead['kind']): (string | number)[] {
  if (kind === 'text') return names;
  return names.map((n) => {
    const x = Number(n);
    return Number.isFinite(x) && String(x) === n ? x : NaN;
  });
}

function selectList(f: Feature): string[] {
  if (f.kind === 'numeric') return [`${f.read.value} AS ${f.alias}`, ...(f.read.text ? [`${f.read.text} AS ${f.alias}t`] : [])];
  return [`${f.read.key} AS ${f.alias}`];
}

function groupFeatures(features: Feature[]): Feature[][] {
  const groups: Feature[][] = [];
  let cur: Feature[] = [];
  let used = 0;
  for (const f of features) {
    const cost = 8 + (f.kind === 'numeric' ? f.p.sketch.values.length + f.p.psi.edges.length : f.codes.length);
    if (cur.length && used + cost > GROUP_BUDGET) {
      groups.push(cur);
      cur = [];
      used = 0;
    }
    cur.push(f);
    used += cost;
  }
  if (cur.length) groups.push(cur);
  return groups;
}

/** count(*), then per numeric feature min, max, below, above, outside, text; per categorical min and max key */
function scalarSql(d: Dialect, group: Feature[], from: string): string {
  const aggs = ['count(*)'];
  for (const f of group) {
    const v = f.alias;
    if (f.kind === 'categorical') {
      aggs.push(`min(${v})`, `max(${v})`);
      continue;
    }
    const fin = d.isFinite(v);
    const grid = f.p.sketch.values;
    aggs.push(d.minIf(v, fin), d.maxIf(v, fin));
    if (grid.length) {
      const lo = d.num(grid[0]);
      const hi = d.num(grid[grid.length - 1]);
      aggs.push(d.sumIf(`${lo} - ${v}`, `${fin} AND ${v} < ${lo}`), d.sumIf(`${v} - ${hi}`, `${fin} AND ${v} > ${hi}`));
    } else aggs.push('0', '0');
    const { min, max } = f.p;
    aggs.push(min === null || max === null ? d.countIf(fin) : d.countIf(`${fin} AND (${v} < ${d.num(min)} OR ${v} > ${d.num(max)})`));
    aggs.push(f.read.text ? d.countIf(`${v}t`) : '0');
  }
  return `SELECT ${aggs.join(',\n  ')} FROM ${from}`;
}

function histogramItems(d: Dialect, group: Feature[]): HistogramItem[] {
  const items: HistogramItem[] = [];
  for (const f of group) {
    if (f.kind === 'numeric') {
      items.push({ kind: 'regions', v: f.alias, thresholds: f.p.sketch.values }, { kind: 'regions', v: f.alias, thresholds: f.p.psi.edges });
    } else {
      const k = f.codes.length;
      items.push({ kind: 'codes', code: d.categoryCode(f.alias, f.codes, k, k + 1), size: k + 2 });
    }
  }
  return items;
}

function numericState(f: NumericFeature, sc: unknown[], grid: number[], edges: number[]): NumericState {
  const ng = f.p.sketch.values.length;
  const ne = f.p.psi.edges.length;
  const cells = new Array<number>(ng + 1).fill(0);
  const ties = new Array<number>(ng).fill(0);
  for (let j = 0; j < ng; j++) {
    cells[j] = grid[2 * j] + grid[2 * j + 1];
    ties[j] = grid[2 * j + 1];
  }
  cells[ng] = grid[2 * ng];
  const psi = new Array<number>(ne + 2).fill(0);
  // a value's PSI bin is the number of edges ≤ it: region r → bin ⌈r/2⌉
  for (let b = 0; b <= ne; b++) psi[b] = edges[2 * b] + (b > 0 ? edges[2 * b - 1] : 0);
  psi[ne + 1] = edges[2 * ne + 1];
  const finite = psi.slice(0, ne + 1).reduce((a, b) => a + b, 0);
  return {
    psi,
    cells,
    ties,
    below: numberOr(sc[2], 0),
    above: numberOr(sc[3], 0),
    // engines disagree on min() of nothing (NULL, or 0 in ClickHouse): the finite count decides
    min: finite > 0 ? toNumber(sc[0]) : Infinity,
    max: finite > 0 ? toNumber(sc[1]) : -Infinity,
    outside: toNumber(sc[4]),
    text: toNumber(sc[5]),
  };
}

function categoricalState(f: CategoricalFeature, sc: unknown[], counts: number[]): CategoricalState {
  const present = counts.slice(0, counts.length - 1).reduce((a, b) => a + b, 0);
  const distinct: string[] = [];
  if (present > 0) {
    const lo = keyString(sc[0], f.read.kind);
    const hi = keyString(sc[1], f.read.kind);
    distinct.push(lo);
    if (hi !== lo) distinct.push(hi);
  }
  return { counts, newCategories: [], distinct };
}

async function newCategories(engine: SqlEngine, f: CategoricalFeature, from: string, signal?: AbortSignal): Promise<[string, number][]> {
  const rows = await engine.query(newCategoriesSql(engine.dialect, f, from), signal);
  return rows.map((r) => [keyString(r[0], f.read.kind), toNumber(r[1])]);
}

/** the most frequent categories the baseline does not have (only asked when there are any) */
export function newCategoriesSql(d: Dialect, f: Feature, from: string): string {
  if (f.kind !== 'categorical') throw new Error('newCategoriesSql: not a categorical feature');
  const k = f.codes.length;
  const code = d.categoryCode(f.alias, f.codes, k, k + 1);
  return `SELECT ${f.alias}, count(*) AS n FROM ${from} WHERE ${code} = ${k} GROUP BY ${f.alias} ORDER BY n DESC, ${f.alias} LIMIT ${MAX_NEW_CATEGORIES}`;
}

/** A category key as the in-process reader writes it: text as is, numbers in their String() form. */
export function keyString(v: unknown, kind: KeyRead['kind']): string {
  if (kind === 'number') return String(toNumber(v));
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

function numberOr(v: unknown, dflt: number): number {
  if (v === null || v === undefined) return dflt;
  const x = toNumber(v);
  return Number.isNaN(x) ? dflt : x;
}
