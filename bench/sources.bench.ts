/**
 * Data where it lives. One run, side by side, on the same generated CICIDS-like data (50k-row baseline, 500k-row
 * drifted current file):
 * 1. CSV: our CLI (the file parsed in byte ranges on every core) vs the pandas/numpy pipeline (test/oracles/psi.py)
 *    vs DuckDB doing the same counts on the same files (read_csv, then our accumulator SQL: the baseline profiled
 *    in DuckDB, the current file's PSI bins, sketch cells, categories…) — the targets of ≥ 5× pandas's speed at
 *    ≤ 1/5 of its memory, and at least DuckDB's speed;
 * 2. the same current rows as Parquet (DuckDB), in a two-shard ClickHouse cluster (Distributed table) and in
 *    PostgreSQL, each started here on loopback and loaded bit for bit, checked by our CLI;
 * 3. flights-3m.parquet (vega-datasets, real): February against January in one file (--baseline-where / --where);
 * 4. a 100M-row DuckDB table generated with range(): time and peak memory of a check (DuckDB memory-limited).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateDemoCsv } from '../src/core/data/demoData';
import { readTable } from '../src/core/data/csvReader';
import { DuckdbDialect } from '../src/core/sources/sql/dialects/duckdb';
import { driftState } from '../src/core/sources/sql/driftQueries';
import { profileTable } from '../src/core/sources/sql/profileQueries';
import type { SqlEngine } from '../src/core/sources/sql/engine';
import type { TableColumn } from '../src/core/sources/sql/columns';
import { DriftAccumulator, DEFAULT_THRESHOLDS } from '../src/core/drift/driftReport';
import { ClickhouseCluster, READER as CH_READER } from '../test/unit/sources/engines/clickhouseCluster';
import { PG_DB, PG_READER, PostgresCluster } from '../test/unit/sources/engines/postgresCluster';
import { bench, fmtNumber, fmtStat, ROOT, sampleOf, type BenchContext } from './lib/harness';
import { pairedRatio } from './lib/stats';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const FLIGHTS = path.join(ROOT, 'node_modules', 'vega-datasets', 'data', 'flights-3m.parquet');

interface CliReport {
  overall: { psi_mean: number };
  features: { name: string; psi: number }[];
}

/** An in-process DuckDB over CSV files: what "DuckDB doing the same counts" runs. */
async function duckdbOverCsv(file: string): Promise<SqlEngine & { closeAll(): void }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  const dialect = new DuckdbDialect();
  // loaded once into a table (the accumulator queries scan it several times, as they would a table)
  await conn.run(`CREATE TEMP TABLE data AS SELECT * FROM read_csv(${dialect.str(file)}, header = true)`);
  const relation = 'data';
  let cols: TableColumn[] | undefined;
  const query = async (sql: string): Promise<unknown[][]> => (await conn.runAndReadAll(sql)).getRowsJS() as unknown[][];
  return {
    dialect,
    display: file,
    relation,
    async columns() {
      cols ??= (await query(`DESCRIBE SELECT * FROM ${relation}`)).map((r) => ({ name: String(r[0]), type: String(r[1]), cls: dialect.classify(String(r[1])) }));
      return cols;
    },
    query,
    async close() {},
    closeAll() {
      conn.closeSync();
      inst.closeSync();
    },
  };
}

bench({
  name: 'sources',
  title: 'Data where it lives: CSV on all cores, DuckDB, ClickHouse, PostgreSQL',
  description:
    'A generated CICIDS-like baseline (50k rows × 79 columns) and a drifted current file (500k rows). CSV: our CLI ' +
    '(`driftcatcher drift BASELINE.csv CURRENT.csv`, the current file parsed in byte ranges on every core) beside the pandas/numpy ' +
    'pipeline (test/oracles/psi.py) and beside DuckDB doing the same counts on the same files (read_csv, the baseline profiled and the ' +
    "current file's accumulators counted with our SQL). Then the same current rows as Parquet, in a two-shard ClickHouse cluster and in " +
    'PostgreSQL (each started here, on loopback), checked by our CLI against the same baseline; flights-3m.parquet month against month; ' +
    'and a 100M-row DuckDB table made with range().',
  children: {
    /** DuckDB profiles BASE.csv and counts CUR.csv's accumulators, all in SQL; prints the report's PSI mean */
    'duckdb-counts': async ([base, cur]) => {
      const b = await duckdbOverCsv(base);
      // DuckDB keeps the header's padding (' Label'); our reader trims it
      const label = (await b.columns()).find((c) => c.name.trim() === 'Label')?.name ?? null;
      const profile = await profileTable(b, { label });
      b.closeAll();
      const c = await duckdbOverCsv(cur);
      const acc = new DriftAccumulator(profile);
      acc.merge(await driftState(c, profile));
      c.closeAll();
      const report = acc.finish(DEFAULT_THRESHOLDS);
      return { psi_mean: report.overall.psi_mean, rows: report.current.rows };
    },
  },
  async run(b: BenchContext) {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} missing: npm run build (npm run bench does it)`);
    const baseRows = b.size(50_000, 2_000);
    const curRows = b.size(500_000, 6_000);
    const baseline = await b.data(`baseline-${baseRows}.csv`, (f) => generateDemoCsv(f, { rows: baseRows, seed: 11 }).then(() => undefined));
    const current = await b.data(`current-${curRows}.csv`, (f) => generateDemoCsv(f, { rows: curRows, seed: 12, drift: 0.35 }).then(() => undefined));
    const workspace = path.join(b.dataDir, 'sources-workspace');
    const mb = (f: string) => fs.statSync(f).size / 1e6;
    const cli = (args: string[]) => {
      fs.rmSync(workspace, { recursive: true, force: true });
      fs.mkdirSync(workspace, { recursive: true });
      fs.writeFileSync(path.join(workspace, 'driftcatcher.config.json'), JSON.stringify({ sources: { duckdbMemoryLimit: '1GB' } }));
      return b.node<CliReport>(CLI, ['drift', ...args, '--format', 'json', '--workspace', workspace]);
    };
    b.packageVersion('@duckdb/node-api');
    b.packageVersion('pg');

    // 1. CSV: ours, pandas, DuckDB
    const psi: Record<string, number> = {};
    const csv = await b.compare('csv', {
      ours: async () => {
        const m = await cli([baseline, current]);
        psi.ours = m.output.overall.psi_mean;
        return sampleOf(m);
      },
      pandas: async () => {
        const m = await b.oracle<{ psi_mean: number }>('psi', 'drift', { baseline, current });
        psi.pandas = m.output.psi_mean;
        return sampleOf(m);
      },
      duckdb: async () => {
        const m = await b.child<{ psi_mean: number }>('duckdb-counts', [baseline, current]);
        psi.duckdb = m.output.psi_mean;
        return sampleOf(m);
      },
    });
    const vsPandas = pairedRatio(csv.pandas.wall_s, csv.ours.wall_s);
    const memory = pairedRatio(csv.ours.peak_rss_mb, csv.pandas.peak_rss_mb);
    const vsDuckdb = pairedRatio(csv.duckdb.wall_s, csv.ours.wall_s);
    b.table(
      `CSV: ${(baseRows / 1000).toLocaleString('en-US')}k-row baseline + ${(curRows / 1000).toLocaleString('en-US')}k-row current (${mb(current).toFixed(0)} MB)`,
      ['measure', 'DriftCatcher CLI', 'pandas/numpy pipeline', 'DuckDB, same counts', 'ours vs pandas', 'ours vs DuckDB'],
      [
        ['wall s', fmtStat(csv.ours.wall_s), fmtStat(csv.pandas.wall_s), fmtStat(csv.duckdb.wall_s), `${fmtStat(vsPandas, 1)}× faster`, `${fmtStat(vsDuckdb, 2)}× faster`],
        ['process CPU s', fmtStat(csv.ours.cpu_s), fmtStat(csv.pandas.cpu_s), fmtStat(csv.duckdb.cpu_s), '', ''],
        ['peak RSS MB', fmtStat(csv.ours.peak_rss_mb, 0), fmtStat(csv.pandas.peak_rss_mb, 0), fmtStat(csv.duckdb.peak_rss_mb, 0), `${fmtStat(memory)}×`, ''],
        ['PSI mean', fmtNumber(psi.ours, 6), fmtNumber(psi.pandas, 6), fmtNumber(psi.duckdb, 6), '', ''],
      ],
      [
        'DuckDB reads both CSV files itself (read_csv into a table, types sniffed) and runs the accumulator SQL our Parquet/table sources send: ' +
          'the baseline profiled in DuckDB, then the current file counted. Its PSI may differ from ours where its CSV parsing does.',
      ],
    );
    b.check('≥ 5× faster than the pandas pipeline (wall)', vsPandas.median >= 5, `${vsPandas.median.toFixed(2)}×`);
    b.check('≤ 1/5 of its peak memory', memory.median <= 0.2, `${memory.median.toFixed(3)}×`);
    b.check('at least as fast as DuckDB doing the same counts', vsDuckdb.median >= 1, `${vsDuckdb.median.toFixed(2)}×`);

    // 2. the same rows as Parquet, in ClickHouse (2 shards) and PostgreSQL
    const table = await readTable(current);
    const columns = table.columns.map((c) => ({
      name: c.name,
      numeric: c.kind === 'numeric',
      values: c.kind === 'numeric' ? Array.from(c.values, (v) => (Number.isNaN(v) ? null : v)) : Array.from(c.codes, (k) => (k < 0 ? null : c.categories[k])),
    }));
    const parquet = await b.data(`current-${curRows}.parquet`, async (f) => {
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const inst = await DuckDBInstance.create(':memory:');
      const conn = await inst.connect();
      // the header's names as our reader gives them (trimmed), so the Parquet file has the CSV's columns
      const described = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_csv('${current}', header = true)`)).getRowsJS() as unknown[][];
      const list = described.map((r) => `"${String(r[0]).replace(/"/g, '""')}" AS "${String(r[0]).trim().replace(/"/g, '""')}"`).join(', ');
      await conn.run(`COPY (SELECT ${list} FROM read_csv('${current}', header = true)) TO '${f}' (FORMAT PARQUET)`);
      conn.closeSync();
      inst.closeSync();
    });
    const ch = await ClickhouseCluster.start();
    const pg = await PostgresCluster.start();
    try {
      await ch.createTable('current_rows', columns.map((c) => ({ name: c.name, type: c.numeric ? 'Float64' : 'String', values: c.values })));
      await pg.admin(async (c) => {
        await c.query(`CREATE TABLE current_rows (${columns.map((col) => `"${col.name.replace(/"/g, '""')}" ${col.numeric ? 'double precision' : 'text'}`).join(', ')})`);
        // the server reads the file itself (COPY … FROM): the fastest bulk load, float text parsed exactly
        await c.query(`COPY current_rows FROM '${current}' WITH (FORMAT csv, HEADER true)`);
        await c.query(`GRANT SELECT ON current_rows TO ${PG_READER.user}`);
      }, PG_DB);
      Object.assign(process.env, { CLICKHOUSE_USER: CH_READER.user, CLICKHOUSE_PASSWORD: CH_READER.password, PGPASSWORD: PG_READER.password });
      const chUri = `clickhouse://127.0.0.1:${ch.httpPorts[0]}/default/current_rows`;
      const pgUri = `postgresql://${PG_READER.user}@127.0.0.1:${pg.port}/${PG_DB}?table=current_rows`;
      const got: Record<string, number> = {};
      const engines = await b.compare('engines', {
        csv: async () => sampleOf(await cli([baseline, current])),
        parquet: async () => {
          const m = await cli([baseline, parquet]);
          got.parquet = m.output.overall.psi_mean;
          return sampleOf(m);
        },
        clickhouse: async () => {
          const m = await cli([baseline, chUri]);
          got.clickhouse = m.output.overall.psi_mean;
          return sampleOf(m);
        },
        postgresql: async () => {
          const m = await cli([baseline, pgUri]);
          got.postgresql = m.output.overall.psi_mean;
          return sampleOf(m);
        },
      });
      b.table(
        'The same current rows in each engine (our CLI; baseline CSV profiled by our reader)',
        ['source', 'wall s', 'client CPU s', 'client peak RSS MB', 'PSI mean − CSV'],
        (['csv', 'parquet', 'clickhouse', 'postgresql'] as const).map((k) => [
          k === 'clickhouse' ? 'ClickHouse, 2 shards (Distributed)' : k === 'postgresql' ? 'PostgreSQL' : k === 'parquet' ? 'Parquet (DuckDB)' : 'CSV (our reader)',
          fmtStat(engines[k].wall_s),
          fmtStat(engines[k].cpu_s),
          fmtStat(engines[k].peak_rss_mb, 0),
          k === 'csv' ? '' : (got[k] - psi.ours).toExponential(1),
        ]),
        ['Wall time includes starting the CLI and profiling the 50k-row baseline CSV; the servers run on the same two cores. PostgreSQL loaded the file with COPY (exact float parsing); ClickHouse got the doubles as RowBinary.'],
      );
      b.record('engine_psi_mean', { csv: psi.ours, ...got });
    } finally {
      await ch.stop();
      await pg.stop();
      for (const k of ['CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD', 'PGPASSWORD']) delete process.env[k];
    }

    // 3. real data: flights-3m.parquet, February against January
    const flights = await b.repeat('flights', async () => sampleOf(await cli([FLIGHTS, FLIGHTS, '--baseline-where', 'month(date) = 1', '--where', 'month(date) = 2'])));
    b.table('flights-3m.parquet (vega-datasets): February against January, through DuckDB', ['measure', 'value'], [
      ['wall s', fmtStat(flights.wall_s)],
      ['process CPU s', fmtStat(flights.cpu_s)],
      ['peak RSS MB', fmtStat(flights.peak_rss_mb, 0)],
    ]);

    // 4. a 100M-row DuckDB table made with range()
    const bigRows = b.size(100_000_000, 200_000);
    const big = await b.data(`range-${bigRows}.duckdb`, async (f) => {
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const inst = await DuckDBInstance.create(f);
      const conn = await inst.connect();
      // deterministic pseudo-random columns: a skewed amount, a score, a category, a label
      await conn.run(
        `CREATE TABLE events AS SELECT (hash(i) % 100000) / 100.0 * (1 + (i % 7)) AS amount, ((hash(i * 31) % 1000) / 1000.0) AS score, ` +
          `['web', 'app', 'api', 'batch'][(hash(i * 17) % 4)::BIGINT + 1] AS channel, CASE WHEN hash(i * 13) % 10 = 0 THEN 'fraud' ELSE 'ok' END AS label FROM range(${bigRows}) t(i)`,
      );
      await conn.run(`CREATE TABLE sample AS SELECT * FROM events USING SAMPLE 100000 ROWS (reservoir, 42)`);
      conn.closeSync();
      inst.closeSync();
    });
    const profile = path.join(b.dataDir, `range-${bigRows}-profile.json`);
    if (!fs.existsSync(profile)) {
      await b.node(CLI, ['profile', `duckdb:${big}?table=sample`, '-o', profile, '--label', 'label', '--format', 'json', '--workspace', b.dataDir]);
    }
    const hundred = await b.repeat('range', async () => sampleOf(await cli([profile, `duckdb:${big}?table=events`])));
    b.table(`A ${bigRows.toLocaleString('en-US')}-row DuckDB table (range()), against a profile of a 100k-row sample`, ['measure', 'value'], [
      ['wall s', fmtStat(hundred.wall_s)],
      ['process CPU s', fmtStat(hundred.cpu_s)],
      ['peak RSS MB (DuckDB memory_limit 1GB)', fmtStat(hundred.peak_rss_mb, 0)],
      ['rows per second', fmtNumber(bigRows / hundred.wall_s.median, 0)],
    ]);
    b.check('100M rows in bounded memory (peak RSS ≤ 1.5 GB with DuckDB limited to 1 GB)', hundred.peak_rss_mb.median <= 1536, `${hundred.peak_rss_mb.median.toFixed(0)} MB`);
  },
});
