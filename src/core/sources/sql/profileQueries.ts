import { numericSummary, SKETCH_POINTS } from '../../drift/numericProfile';
import { PROFILE_FORMAT, PROFILE_VERSION, MAX_CATEGORIES, type BaselineProfile, type CategoricalProfile, type FeatureProfile, type NumericProfile } from '../../drift/profile';
import { psiEdges } from '../../drift/psi';
import { linspace, quantileSorted } from '../../drift/quantile';
import { DriftCatcherError, throwIfAborted } from '../../util/errors';
import { fromClause, labelPresent, readAsKey, readAsNumber, type KeyRead, type NumericRead, type TableColumn } from './columns';
import { toNumber, type Dialect, type HistogramItem, type OrderStatsRequest } from './dialect';
import { keyString } from './driftQueries';
import type { SqlEngine, SqlRunOptions } from './engine';

/**
 * A baseline profile computed inside the engine, equal to buildProfile() on the same rows: the order statistics
 * the profile needs (deciles, PSI edges, the 501-point sketch, min, max) are fetched exactly, interpolated by the
 * same numpy-compatible code, and every count below or at a threshold comes from the same bucket queries the drift
 * check uses. Only the mean and standard deviation are sums in the engine's order (equal to ~1e-15 relative).
 *
 * Column types decide the feature kind: numbers are numeric features, text and booleans categorical; date/time
 * columns are not features (use them in --where), nor are columns of types the engine cannot aggregate.
 */
export interface TableProfileOptions extends SqlRunOptions {
  /** the label column (already resolved), or null */
  label: string | null;
  dataset?: string;
  dropColumns?: string[];
}

type NumericCol = { kind: 'numeric'; name: string; alias: string; read: NumericRead };
type CategoricalCol = { kind: 'categorical'; name: string; alias: string; read: KeyRead };

export async function profileTable(engine: SqlEngine, opts: TableProfileOptions): Promise<BaselineProfile> {
  const d = engine.dialect;
  const columns = await engine.columns(opts.signal);
  const byName = new Map(columns.map((c) => [c.name, c]));
  const labelCol = opts.label === null ? undefined : byName.get(opts.label);
  if (opts.label !== null && !labelCol) {
    throw new DriftCatcherError(`${engine.display}: label column '${opts.label}' not found (columns: ${columns.map((c) => c.name).join(', ')})`, 'LABEL');
  }
  const drop = new Set(opts.dropColumns ?? []);
  const feats: (NumericCol | CategoricalCol)[] = [];
  for (const col of columns) {
    if (col === labelCol || drop.has(col.name)) continue;
    const alias = `f${feats.length}`;
    if (col.cls === 'numeric') feats.push({ kind: 'numeric', name: col.name, alias, read: readAsNumber(d, col, engine.display) });
    else if (col.cls === 'text' || col.cls === 'boolean') feats.push({ kind: 'categorical', name: col.name, alias, read: readAsKey(d, col, engine.display) });
  }
  const conditions: string[] = [];
  if (opts.where !== undefined) conditions.push(`(${opts.where})`);
  if (labelCol) conditions.push(labelPresent(d, labelCol, engine.display));
  const select = feats.map((f) => `${f.kind === 'numeric' ? f.read.value : f.read.key} AS ${f.alias}`);
  if (labelCol) select.push(`${labelKey(d, labelCol, engine.display).key} AS lbl`);
  const from = fromClause(engine.relation, select, conditions);
  const numeric = feats.filter((f): f is NumericCol => f.kind === 'numeric');
  const categorical = feats.filter((f): f is CategoricalCol => f.kind === 'categorical');
  const total = 3 + categorical.length + (labelCol ? 1 : 0);
  let done = 0;
  const step = (): void => opts.onProgress?.(++done, total);

  // 1. rows, finite counts and sums, missing category keys
  const aggs = ['count(*)'];
  for (const f of numeric) aggs.push(d.countIf(d.isFinite(f.alias)), d.sumIf(f.alias, d.isFinite(f.alias)));
  for (const f of categorical) aggs.push(d.countIf(`${f.alias} IS NULL`));
  const first = (await engine.query(`SELECT ${aggs.join(', ')} FROM ${from}`, opts.signal))[0];
  step();
  const n = toNumber(first[0]);
  const finite = numeric.map((_, i) => toNumber(first[1 + 2 * i]));
  const sums = numeric.map((_, i) => toNumber(first[2 + 2 * i]));
  const missingKeys = categorical.map((_, i) => toNumber(first[1 + 2 * numeric.length + i]));

  // 2. the order statistics every numeric profile needs
  throwIfAborted(opts.signal, 'profiling');
  const reqs: OrderStatsRequest[] = [];
  const reqOf: number[] = [];
  numeric.forEach((f, i) => {
    if (finite[i] === 0) return;
    reqOf[i] = reqs.length;
    reqs.push({ v: f.alias, finite: finite[i], ranks: neededRanks(finite[i]) });
  });
  const stats = reqs.length ? await orderStatistics(engine, reqs, from, opts.signal) : [];
  step();
  const sorted = numeric.map((_, i) => (finite[i] === 0 ? arrayLike(new Map(), 0) : arrayLike(stats[reqOf[i]], finite[i])));

  // 3. counts at the sketch points, PSI edges and deciles, and Σ (v − mean)²
  const shapes = numeric.map((_, i) => shapeOf(sorted[i]));
  const means = numeric.map((_, i) => (finite[i] ? sums[i] / finite[i] : null));
  const items: HistogramItem[] = [];
  numeric.forEach((f, i) => {
    items.push({ kind: 'regions', v: f.alias, thresholds: shapes[i].sketchValues });
    items.push({ kind: 'regions', v: f.alias, thresholds: shapes[i].edges });
    items.push({ kind: 'regions', v: f.alias, thresholds: shapes[i].uniqueDeciles });
  });
  const hist = items.length ? d.histogram(items, from) : undefined;
  const counts = hist ? hist.decode(await engine.query(hist.sql, opts.signal)) : [];
  const ssAggs = numeric.map((f, i) => (means[i] === null ? '0' : d.sumIf(`(${f.alias} - ${d.num(means[i]!)}) * (${f.alias} - ${d.num(means[i]!)})`, d.isFinite(f.alias))));
  const ss = ssAggs.length ? (await engine.query(`SELECT ${ssAggs.join(', ')} FROM ${from}`, opts.signal))[0].map(toNumber) : [];
  step();

  const features: FeatureProfile[] = [];
  const numericByName = new Map<string, NumericProfile>();
  numeric.forEach((f, i) => {
    numericByName.set(f.name, numericFrom(f.name, n, finite[i], means[i], ss[i], sorted[i], shapes[i], counts.slice(3 * i, 3 * i + 3)));
  });

  // 4. category counts: the most frequent ones (ties by key), the rest as "other"
  const categoricalByName = new Map<string, CategoricalProfile>();
  for (let i = 0; i < categorical.length; i++) {
    throwIfAborted(opts.signal, 'profiling');
    const f = categorical[i];
    const rows = await engine.query(
      `SELECT ${f.alias}, count(*) AS n FROM ${from} WHERE ${f.alias} IS NOT NULL GROUP BY ${f.alias} ORDER BY n DESC, ${sortKey(d, f.alias)} LIMIT ${MAX_CATEGORIES}`,
      opts.signal,
    );
    step();
    const kept: [string, number][] = rows.map((r) => [keyString(r[0], f.read.kind), toNumber(r[1])]);
    kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const present = n - missingKeys[i];
    const other = present - kept.reduce((s, [, c]) => s + c, 0);
    categoricalByName.set(f.name, { name: f.name, kind: 'categorical', n, missing: missingKeys[i], missing_rate: n ? missingKeys[i] / n : 0, categories: Object.fromEntries(kept), other });
  }
  for (const f of feats) features.push((f.kind === 'numeric' ? numericByName.get(f.name) : categoricalByName.get(f.name))!);

  let labels: Record<string, number> = {};
  if (labelCol) {
    const rows = await engine.query(`SELECT lbl, count(*) FROM ${from} GROUP BY lbl`, opts.signal);
    step();
    const kind = labelKey(d, labelCol, engine.display).kind;
    labels = Object.fromEntries(rows.map((r) => [keyString(r[0], kind), toNumber(r[1])]));
  }
  return {
    format: PROFILE_FORMAT,
    version: PROFILE_VERSION,
    created_at: new Date().toISOString(),
    source: engine.display,
    dataset: opts.dataset ?? 'Generic',
    label: labelCol?.name ?? null,
    rows: n,
    columns: columns.map((c) => c.name),
    labels,
    features,
  };
}

function labelKey(d: Dialect, col: TableColumn, source: string): KeyRead {
  return readAsKey(d, col, source);
}

/** byte order for text keys, so ties rank as JavaScript compares strings (PostgreSQL: the C collation) */
function sortKey(d: Dialect, alias: string): string {
  return d.name === 'postgresql' ? `${alias} COLLATE "C"` : alias;
}

/** Ranks (0-based, among m sorted finite values) that quantileSorted and the sketch read. */
function neededRanks(m: number): number[] {
  const ranks = new Set<number>([0, m - 1]);
  for (const q of [...linspace(0, 1, 11), ...linspace(0.1, 0.9, 9)]) {
    const vi = (m - 1) * q;
    const lo = Math.floor(vi);
    for (const r of [lo, lo + 1]) if (r >= 0 && r < m) ranks.add(r);
  }
  for (let k = 0; k <= SKETCH_POINTS; k++) ranks.add(Math.round((k * (m - 1)) / SKETCH_POINTS));
  return [...ranks].sort((a, b) => a - b);
}

async function orderStatistics(engine: SqlEngine, reqs: OrderStatsRequest[], from: string, signal?: AbortSignal): Promise<Map<number, number>[]> {
  const out: Map<number, number>[] = [];
  // a few columns per statement: each needs its own sort
  for (let i = 0; i < reqs.length; i += 8) {
    const part = reqs.slice(i, i + 8);
    const q = engine.dialect.orderStats(part, from);
    out.push(...q.decode(await engine.query(q.sql, signal)));
  }
  return out;
}

/** The fetched order statistics as the sorted array quantileSorted reads (only fetched ranks are ever read). */
function arrayLike(values: Map<number, number>, m: number): ArrayLike<number> {
  const a: { [i: number]: number; length: number } = { length: m };
  for (const [k, v] of values) a[k] = v;
  return a;
}

interface Shape {
  deciles: number[];
  edges: number[];
  uniqueDeciles: number[];
  sketchValues: number[];
}

function shapeOf(sorted: ArrayLike<number>): Shape {
  const m = sorted.length;
  if (m === 0) return { deciles: [], edges: [], uniqueDeciles: [], sketchValues: [] };
  const deciles = linspace(0, 1, 11).map((q) => quantileSorted(sorted, q));
  const sketchValues: number[] = [];
  for (let k = 0; k <= SKETCH_POINTS; k++) {
    const v = sorted[Math.round((k * (m - 1)) / SKETCH_POINTS)];
    if (v === undefined) throw new Error(`profile: order statistic ${Math.round((k * (m - 1)) / SKETCH_POINTS)} missing`);
    if (!sketchValues.length || sketchValues[sketchValues.length - 1] !== v) sketchValues.push(v);
  }
  const uniqueDeciles = [...new Set(deciles)].sort((a, b) => a - b);
  return { deciles, edges: psiEdges(sorted), uniqueDeciles, sketchValues };
}

/** #{v < t_j} and #{v ≤ t_j} from region counts over thresholds t */
function cumulative(regions: number[], T: number): { below: number[]; atOrBelow: number[] } {
  const below: number[] = [];
  const atOrBelow: number[] = [];
  let run = 0;
  for (let j = 0; j < T; j++) {
    run += regions[2 * j];
    below.push(run);
    run += regions[2 * j + 1];
    atOrBelow.push(run);
  }
  return { below, atOrBelow };
}

function numericFrom(
  name: string,
  n: number,
  m: number,
  mean: number | null,
  ss: number | undefined,
  sorted: ArrayLike<number>,
  s: Shape,
  [sketchR, edgeR, decileR]: number[][],
): NumericProfile {
  const sk = cumulative(sketchR, s.sketchValues.length);
  const ed = cumulative(edgeR, s.edges.length);
  const dc = cumulative(decileR, s.uniqueDeciles.length);
  const expected: number[] = [];
  let prev = 0;
  for (const below of ed.below) {
    expected.push(below - prev);
    prev = below;
  }
  expected.push(m - prev, n - m);
  // the seed's histogram over the deciles: [d_i, d_{i+1}), the last bin closed
  const decileIndex = new Map(s.uniqueDeciles.map((v, j) => [v, j]));
  const below = (v: number): number => dc.below[decileIndex.get(v)!];
  const expectedDist: number[] = [];
  if (s.deciles.length >= 2) {
    const raw: number[] = [];
    for (let i = 0; i + 1 < s.deciles.length; i++) {
      const hi = i + 2 === s.deciles.length ? dc.atOrBelow[decileIndex.get(s.deciles[i + 1])!] : below(s.deciles[i + 1]);
      raw.push(hi - below(s.deciles[i]));
    }
    const tot = raw.reduce((a, b) => a + b, 0);
    expectedDist.push(...raw.map((c) => c / Math.max(tot, 1)));
  }
  return {
    ...numericSummary(name, n, m, mean, ss ?? 0, sorted),
    deciles: s.deciles,
    expected_dist: expectedDist,
    psi: { edges: s.edges, expected: expected.map((c) => c / Math.max(n, 1)) },
    sketch: { values: s.sketchValues, cdf: sk.atOrBelow.map((c) => c / m), cdf_left: sk.below.map((c) => c / m) },
  };
}
