import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readTable } from '../../../src/core/data/csvReader';
import type { Table } from '../../../src/core/data/table';
import { buildProfile, type BaselineProfile } from '../../../src/core/drift/profile';
import { computeDrift, DEFAULT_THRESHOLDS, DriftAccumulator } from '../../../src/core/drift/driftReport';
import type { AccumulatorState } from '../../../src/core/drift/driftReport';
import type { DriftReport } from '../../../src/core/protocol';
import { strict as assert } from 'node:assert';

/**
 * Real public data for the source tests (npm vega-datasets): flights (3M rows of US flights, Parquet; months
 * compared), Seattle weather (CSV; years compared). Each dataset is written once per run as baseline and
 * current CSV files: the reference the engines must match is our own reader on those files.
 */
export const VEGA = path.resolve(__dirname, '../../../../node_modules/vega-datasets/data');
export const FLIGHTS = path.join(VEGA, 'flights-3m.parquet');

export function tmpDir(prefix = 'dc-sources-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface Dataset {
  name: string;
  base: string;
  cur: string;
  label: string | null;
  /** columns left out of the profile (dates: not features of a table source) */
  drop: string[];
}

/** flights: January vs February 2001 (delay, distance, origin, destination; a derived 'late' label) */
export async function flightsDataset(dir: string, rows: number): Promise<Dataset> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  const q = (month: number) =>
    `SELECT delay, distance, origin, destination, CASE WHEN delay > 30 THEN 'late' WHEN delay IS NULL THEN NULL ELSE 'on time' END AS status FROM '${FLIGHTS}' WHERE month(date) = ${month} ORDER BY date, origin, destination, delay, distance LIMIT ${rows}`;
  const base = path.join(dir, 'flights-jan.csv');
  const cur = path.join(dir, 'flights-feb.csv');
  await c.run(`COPY (${q(1)}) TO '${base}' (HEADER)`);
  await c.run(`COPY (${q(2)}) TO '${cur}' (HEADER)`);
  c.closeSync();
  inst.closeSync();
  return { name: 'flights', base, cur, label: 'status', drop: [] };
}

/** Seattle weather: 2012–2013 vs 2014–2015 (precipitation, temperatures, wind; weather as a category) */
export function weatherDataset(dir: string): Dataset {
  const lines = fs.readFileSync(path.join(VEGA, 'seattle-weather.csv'), 'utf8').trim().split('\n');
  const [header, ...body] = lines;
  const base = path.join(dir, 'weather-2012-13.csv');
  const cur = path.join(dir, 'weather-2014-15.csv');
  fs.writeFileSync(base, [header, ...body.filter((l) => /^201[23]/.test(l))].join('\n') + '\n');
  fs.writeFileSync(cur, [header, ...body.filter((l) => /^201[45]/.test(l))].join('\n') + '\n');
  return { name: 'seattle-weather', base, cur, label: null, drop: ['date'] };
}

/**
 * Edge cases no real file has all of: NaN / ±Infinity / empty cells, non-numeric text in a numeric column,
 * rows without a label, a constant column, a category that appears only in the current data.
 */
export function edgeDataset(dir: string): Dataset {
  const header = 'x,y,code,const,label';
  const row = (i: number, shift: number): string => {
    const u = ((i * 7919) % 1000) / 1000;
    const x = i % 53 === 0 ? 'NaN' : i % 59 === 0 ? 'Infinity' : i % 61 === 0 ? '' : shift && i % 97 === 0 ? 'n/a' : ((u - 0.5) * 100 + shift * 20).toFixed(3);
    const y = i % 5 === 0 ? '-Infinity' : String(Math.floor(u * 7) + shift);
    const code = shift && i % 11 === 0 ? 'NEW' : ['a', 'b', 'c', ''][i % 4];
    const label = i % 13 === 0 ? '' : u < 0.5 ? 'yes' : 'no';
    return `${x},${y},${code},7,${label}`;
  };
  const base = path.join(dir, 'edge-base.csv');
  const cur = path.join(dir, 'edge-cur.csv');
  fs.writeFileSync(base, [header, ...Array.from({ length: 3000 }, (_, i) => row(i, 0))].join('\n') + '\n');
  fs.writeFileSync(cur, [header, ...Array.from({ length: 2000 }, (_, i) => row(i + 5, 1))].join('\n') + '\n');
  return { name: 'edge cases', base, cur, label: 'label', drop: [] };
}

/** One column of a table read by our reader, as values an engine loader writes (NaN from empty cells → NULL). */
export interface LoadColumn {
  name: string;
  numeric: boolean;
  values: (number | string | null)[];
}

export function loadColumns(t: Table, opts: { keepNaN?: boolean } = {}): LoadColumn[] {
  return t.columns.map((c) => {
    if (c.kind === 'numeric') {
      return { name: c.name, numeric: true, values: Array.from(c.values, (v) => (Number.isNaN(v) && !opts.keepNaN ? null : v)) };
    }
    return { name: c.name, numeric: false, values: Array.from(c.codes, (k) => (k < 0 ? null : c.categories[k])) };
  });
}

export interface Reference {
  table: Table;
  profile: BaselineProfile;
  report: DriftReport;
  current: Table;
}

/** our reader on the CSV files: the profile and the report every engine must reproduce */
export async function reference(ds: Dataset): Promise<Reference> {
  const table = await readTable(ds.base);
  const profile = buildProfile(table, { label: ds.label, dropColumns: ds.drop });
  const report = await computeDrift(profile, ds.cur);
  return { table, profile, report, current: await readTable(ds.cur) };
}

export function reportFromState(profile: BaselineProfile, state: AccumulatorState): DriftReport {
  const acc = new DriftAccumulator(profile);
  acc.merge(state);
  return acc.finish(DEFAULT_THRESHOLDS);
}

/** identical counts, PSI to 1e-12, tests' statistics equal; only sums in another order may differ (~1e-12) */
export function assertSameReport(got: DriftReport, want: DriftReport, what: string): void {
  assert.equal(got.current.rows, want.current.rows, `${what}: rows`);
  assert.equal(got.features.length, want.features.length, `${what}: features`);
  const byName = new Map(got.features.map((f) => [f.name, f]));
  for (const w of want.features) {
    const g = byName.get(w.name);
    assert.ok(g, `${what}: feature ${w.name} missing`);
    assert.ok(Math.abs(g.psi - w.psi) <= 1e-12, `${what}: ${w.name} PSI ${g.psi} vs ${w.psi}`);
    assert.deepEqual(g.bins?.actual, w.bins?.actual, `${what}: ${w.name} bin proportions`);
    assert.equal(g.statistic, w.statistic, `${what}: ${w.name} ${w.test} statistic`);
    assert.equal(g.p_value, w.p_value, `${what}: ${w.name} p-value`);
    assert.equal(g.js_distance, w.js_distance, `${what}: ${w.name} JS distance`);
    assert.equal(g.missing_rate_current, w.missing_rate_current, `${what}: ${w.name} missing rate`);
    if (w.wasserstein === null) assert.equal(g.wasserstein, null);
    else assert.ok(Math.abs(g.wasserstein! - w.wasserstein) <= 1e-12 * Math.max(1, Math.abs(w.wasserstein)), `${what}: ${w.name} W1 ${g.wasserstein} vs ${w.wasserstein}`);
  }
  const q = (r: DriftReport) => r.quality.map((f) => `${f.kind}|${f.feature}|${f.message}|${f.value}`).sort();
  assert.deepEqual(q(got), q(want), `${what}: quality findings`);
  assert.equal(got.overall.severity, want.overall.severity, `${what}: severity`);
  assert.ok(Math.abs(got.overall.psi_mean - want.overall.psi_mean) <= 1e-12, `${what}: psi_mean`);
}

/** the profile an engine computed equals buildProfile's: counts and order statistics exactly, sums to 1e-12 */
export function assertSameProfile(got: BaselineProfile, want: BaselineProfile, what: string): void {
  assert.equal(got.rows, want.rows, `${what}: rows`);
  assert.equal(got.label, want.label, `${what}: label`);
  assert.deepEqual(got.labels, want.labels, `${what}: label counts`);
  assert.deepEqual(got.features.map((f) => f.name), want.features.map((f) => f.name), `${what}: features`);
  for (let i = 0; i < want.features.length; i++) {
    const w = want.features[i];
    const g = got.features[i];
    assert.equal(g.kind, w.kind, `${what}: ${w.name} kind`);
    if (w.kind === 'numeric' && g.kind === 'numeric') {
      for (const k of ['n', 'missing', 'missing_rate', 'min', 'max', 'deciles', 'expected_dist', 'psi', 'sketch'] as const) {
        assert.deepEqual(g[k], w[k], `${what}: ${w.name} ${k}`);
      }
      for (const k of ['mean', 'std'] as const) {
        if (w[k] === null) assert.equal(g[k], null);
        else assert.ok(Math.abs(g[k]! - w[k]) <= 1e-12 * Math.max(1, Math.abs(w[k])), `${what}: ${w.name} ${k} ${g[k]} vs ${w[k]}`);
      }
    } else assert.deepEqual(g, w, `${what}: ${w.name}`);
  }
}

/**
 * Writes columns into a DuckDB database file (table `name`) with the appender, so doubles arrive bit for bit;
 * with `parquet`, also exports the table (or the rows in [from, to)) as Parquet files.
 */
export async function writeDuckdb(file: string, name: string, cols: LoadColumn[], parquet: { file: string; from?: number; to?: number }[] = []): Promise<void> {
  const inst = await DuckDBInstance.create(file);
  const c = await inst.connect();
  await c.run(`CREATE OR REPLACE TABLE "${name}" (${cols.map((col) => `"${col.name}" ${col.numeric ? 'DOUBLE' : 'VARCHAR'}`).join(', ')}, rowno INTEGER)`);
  const app = await c.createAppender(name);
  const n = cols[0]?.values.length ?? 0;
  for (let i = 0; i < n; i++) {
    for (const col of cols) {
      const v = col.values[i];
      if (v === null) app.appendNull();
      else if (col.numeric) app.appendDouble(v as number);
      else app.appendVarchar(String(v));
    }
    app.appendInteger(i);
    app.endRow();
  }
  app.flushSync();
  app.closeSync();
  const list = cols.map((col) => `"${col.name}"`).join(', ');
  for (const p of parquet) {
    fs.mkdirSync(path.dirname(p.file), { recursive: true });
    await c.run(`COPY (SELECT ${list} FROM "${name}" WHERE rowno >= ${p.from ?? 0} AND rowno < ${p.to ?? n} ORDER BY rowno) TO '${p.file}' (FORMAT PARQUET)`);
  }
  await c.run(`ALTER TABLE "${name}" DROP COLUMN rowno`);
  c.closeSync();
  inst.closeSync();
}
