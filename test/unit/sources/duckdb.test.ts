import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readTable } from '../../../src/core/data/csvReader';
import { buildProfile } from '../../../src/core/drift/profile';
import { computeDrift } from '../../../src/core/drift/driftReport';
import { openSource } from '../../../src/core/sources';
import { openDuckdb } from '../../../src/core/sources/engines/duckdb';
import {
  assertSameProfile,
  assertSameReport,
  edgeDataset,
  flightsDataset,
  loadColumns,
  reference,
  reportFromState,
  tmpDir,
  weatherDataset,
  writeDuckdb,
  type Dataset,
  type Reference,
} from './fixtures';

/**
 * Parquet files, globs and .duckdb tables through DuckDB give the same profile and the same report as our own
 * reader on the same rows (real data: flights, Seattle weather; plus a file of edge cases): identical counts,
 * PSI to 1e-12.
 */
describe('sources: DuckDB (Parquet, globs, .duckdb tables)', function () {
  this.timeout(300_000);
  const dir = tmpDir();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const sets: { ds: Dataset; ref: Reference }[] = [];

  before(async () => {
    for (const ds of [weatherDataset(dir), edgeDataset(dir), await flightsDataset(dir, 8000)]) {
      const ref = await reference(ds);
      const tag = ds.name.replace(/\W/g, '_');
      const cur = loadColumns(ref.current);
      const n = cur[0].values.length;
      await writeDuckdb(path.join(dir, `${tag}.duckdb`), 'base', loadColumns(ref.table), [{ file: path.join(dir, `${tag}-base.parquet`) }]);
      await writeDuckdb(path.join(dir, `${tag}-cur.duckdb`), 'cur', cur, [
        { file: path.join(dir, `${tag}-cur.parquet`) },
        ...[0, 1, 2].map((k) => ({ file: path.join(dir, `${tag}-parts`, `part-${k}.parquet`), from: Math.floor((k * n) / 3), to: Math.floor(((k + 1) * n) / 3) })),
      ]);
      sets.push({ ds, ref });
    }
  });

  const open = (text: string, where?: string) => openSource(text, { workspace: dir, where, trust: { anyHost: false, hosts: [] } });
  const labelOf = (ds: Dataset) => () => ds.label;

  it('profiles a Parquet file and a .duckdb table exactly as buildProfile profiles the CSV', async () => {
    for (const { ds, ref } of sets) {
      const tag = ds.name.replace(/\W/g, '_');
      for (const text of [`${tag}-base.parquet`, `duckdb:${tag}.duckdb?table=base`]) {
        const src = await open(text);
        try {
          assertSameProfile(await src.profile({ label: labelOf(ds), dropColumns: ds.drop }), ref.profile, `${ds.name} ${text}`);
        } finally {
          await src.close();
        }
      }
    }
  });

  it('checks drift of a Parquet file, a glob of Parquet parts and a .duckdb table with the reader\'s exact counts', async () => {
    for (const { ds, ref } of sets) {
      const tag = ds.name.replace(/\W/g, '_');
      for (const text of [`${tag}-cur.parquet`, `${tag}-parts/*.parquet`, `${tag}-parts`, `duckdb:${tag}-cur.duckdb?table=cur`]) {
        const src = await open(text);
        try {
          assertSameReport(reportFromState(ref.profile, await src.driftState(ref.profile)), ref.report, `${ds.name} ${text}`);
        } finally {
          await src.close();
        }
      }
    }
    const drifted = sets.find((s) => s.ds.name === 'seattle-weather')!.ref.report;
    assert.ok(drifted.features.some((f) => f.drifted), 'the weather years really drift somewhere (the test compares non-trivial reports)');
  });

  it('reads a glob of CSV files as one dataset (our reader, header shared)', async () => {
    const { ds, ref } = sets.find((s) => s.ds.name === 'flights')!;
    const lines = fs.readFileSync(ds.cur, 'utf8').trim().split('\n');
    const half = Math.floor(lines.length / 2);
    fs.mkdirSync(path.join(dir, 'csvparts'));
    fs.writeFileSync(path.join(dir, 'csvparts', 'a.csv'), lines.slice(0, half).join('\n') + '\n');
    fs.writeFileSync(path.join(dir, 'csvparts', 'b.csv'), [lines[0], ...lines.slice(half)].join('\n') + '\n');
    const src = await open('csvparts/*.csv');
    assertSameReport(reportFromState(ref.profile, await src.driftState(ref.profile)), ref.report, 'CSV glob');
    fs.writeFileSync(path.join(dir, 'csvparts', 'c.csv'), 'other,header\n1,2\n');
    await assert.rejects((await open('csvparts')).driftState(ref.profile), /c\.csv has other columns than a\.csv/);
  });

  it('selects a time window with --where: month against month in one Parquet file', async () => {
    // one file holding both months, and the same rows as two CSV files for the reference
    const { ds } = sets.find((s) => s.ds.name === 'flights')!;
    const both = path.join(dir, 'both.csv');
    const [hb, ...b] = fs.readFileSync(ds.base, 'utf8').trim().split('\n');
    const [, ...c] = fs.readFileSync(ds.cur, 'utf8').trim().split('\n');
    fs.writeFileSync(both, [`${hb},month`, ...b.map((l) => `${l},1`), ...c.map((l) => `${l},2`)].join('\n') + '\n');
    const table = await readTable(both);
    await writeDuckdb(path.join(dir, 'both.duckdb'), 'flights', loadColumns(table), [{ file: path.join(dir, 'both.parquet') }]);
    const baseCsv = path.join(dir, 'm1.csv');
    const curCsv = path.join(dir, 'm2.csv');
    fs.writeFileSync(baseCsv, [`${hb},month`, ...b.map((l) => `${l},1`)].join('\n') + '\n');
    fs.writeFileSync(curCsv, [`${hb},month`, ...c.map((l) => `${l},2`)].join('\n') + '\n');
    const refProfile = buildProfile(await readTable(baseCsv), { label: 'status', dropColumns: ['month'] });
    const refReport = await computeDrift(refProfile, curCsv);

    const base = await open('both.parquet', 'month = 1');
    const profile = await base.profile({ label: () => 'status', dropColumns: ['month'] });
    await base.close();
    assertSameProfile(profile, refProfile, '--where month = 1');
    const cur = await open('duckdb:both.duckdb?table=flights', '"month" = 2');
    assertSameReport(reportFromState(profile, await cur.driftState(profile)), refReport, '--where month = 2');
    await cur.close();
  });

  it('samples rows in the engine: the same rows for the same seed, at most maxRows', async () => {
    const { ds } = sets.find((s) => s.ds.name === 'flights')!;
    const tag = ds.name;
    const src = await open(`${tag}-cur.parquet`);
    const a = await src.sample({ maxRows: 500, seed: 7 });
    const b = await src.sample({ maxRows: 500, seed: 7 });
    const c = await src.sample({ maxRows: 500, seed: 8 });
    await src.close();
    assert.equal(a.rowCount, 500);
    assert.deepEqual(a.columns.map((x) => x.name), ['delay', 'distance', 'origin', 'destination', 'status']);
    const col = (t: typeof a) => Array.from((t.columns[1] as { values: Float64Array }).values);
    assert.deepEqual(col(a), col(b));
    assert.notDeepEqual(col(a), col(c));
  });

  it('says clearly what is wrong: missing table, corrupt Parquet, empty glob, bad --where, unreadable column', async () => {
    const tag = 'flights';
    await assert.rejects(open(`duckdb:${tag}.duckdb?table=nosuch`).then((s) => s.header()), (e: Error) => {
      assert.match(e.message, /^duckdb:.*flights\.duckdb\?table=nosuch: query failed: Catalog Error: Table with name nosuch does not exist/);
      assert.doesNotMatch(e.message, /\n/);
      return true;
    });
    fs.writeFileSync(path.join(dir, 'corrupt.parquet'), 'PAR1 this is not really parquet');
    await assert.rejects(open('corrupt.parquet').then((s) => s.header()), /corrupt\.parquet: not a readable Parquet file: .*(magic|too small|Invalid)/i);
    await assert.rejects(open('nothing-here/*.parquet'), /nothing-here\/\*\.parquet matches no \.csv or \.parquet file/);
    const src = await open(`${tag}-cur.parquet`, 'delay >');
    await assert.rejects(src.driftState(sets[0].ref.profile), /flights-cur\.parquet: --where is not a valid predicate for this table: Parser Error: syntax error/);
    await src.close();
    const src2 = await open(`${tag}-cur.parquet`, 'no_such_column > 1');
    await assert.rejects(src2.header().then(() => src2.profile({ label: () => null })), /--where is not a valid predicate for this table: Binder Error: Referenced column "no_such_column" not found/);
    await src2.close();
    await assert.rejects(open(`${tag}-cur.parquet`, "1=1; DROP TABLE x"), /--where refused: a semicolon would end the statement/);
    await assert.rejects(open(`${tag}-cur.parquet`, "delay > 0) UNION SELECT * FROM read_csv('/etc/passwd') WHERE (1=1"), /--where refused: the '\)' at character 10 closes a parenthesis that was never opened/);
    await assert.rejects(open(`${tag}-cur.parquet`, "origin IN (SELECT origin FROM 'other.parquet')"), /--where refused: the keyword SELECT is not allowed/);
    const listDb = path.join(dir, 'lists.duckdb');
    const inst = await DuckDBInstance.create(listDb);
    const conn = await inst.connect();
    await conn.run('CREATE TABLE t AS SELECT [1, 2] AS delay, 10.0 AS distance');
    conn.closeSync();
    inst.closeSync();
    const flights = sets.find((s) => s.ds.name === 'flights')!.ref.profile;
    const src4 = await open('duckdb:lists.duckdb?table=t');
    await assert.rejects(src4.driftState(flights), /lists\.duckdb\?table=t: column 'delay' has type INTEGER\[\], which cannot be read as the baseline's numeric feature$/);
    await src4.close();
    // defence in depth: even a statement that got past the check could not read other files
    const engine = await openDuckdb({ kind: 'parquet', files: [path.join(dir, `${tag}-cur.parquet`)] }, 'cur');
    await assert.rejects(engine.query("SELECT count(*) FROM read_csv('/etc/passwd')"), /Permission Error: Cannot access file/);
    await engine.close();
  });
});
