import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../../src/core/cli/main';
import { loadConfig } from '../../../src/core/config';
import { readTable, streamCsv } from '../../../src/core/data/csvReader';
import { proportionalQuota } from '../../../src/core/data/sampling';
import type { EngineContext } from '../../../src/core/engine';
import { createHoldout } from '../../../src/core/model/holdout';
import { ledgerDir, readLedger } from '../../../src/core/model/ledger';
import { versionDir } from '../../../src/core/model/registry';
import { hashedColumns, rowHash } from '../../../src/core/model/rowHash';
import { train } from '../../../src/core/model/train';
import { labelledFiles, sampleFile } from '../../../src/core/sources/labelledFiles';
import { DriftCatcherError } from '../../../src/core/util/errors';
import { FLIGHTS, loadColumns, tmpDir, VEGA, writeDuckdb } from './fixtures';

/**
 * Training from where the data lives: a Parquet file or a table is sampled in its engine with the stratified caps
 * of the CSV path, and its rows hash as the same rows of a CSV, so the holdout ledger splits them the same way.
 */

function ctxFor(ws: string, logs: string[] = []): EngineContext {
  return { workspace: ws, config: loadConfig(ws, {}, {}), log: (m) => void logs.push(m) };
}

async function csvRows(file: string): Promise<{ hashes: number[]; labels: string[] }> {
  const hashes: number[] = [];
  const labels: string[] = [];
  await streamCsv(file, {}, (b) => {
    const cols = hashedColumns(b.header);
    const li = b.header.indexOf('weather');
    for (let i = 0; i < b.rowCount; i++) {
      hashes.push(rowHash(b, i, cols));
      if (li >= 0) labels.push(b.texts[li]?.[i] ?? String(b.numbers[li][i]));
    }
  });
  return { hashes, labels };
}

function counts(xs: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

describe('sources: training, holdouts and validation from a source', function () {
  this.timeout(300_000);
  const dir = tmpDir('dc-srctrain-');
  const weatherCsv = path.join(VEGA, 'seattle-weather.csv');
  const parquet = path.join(dir, 'weather.parquet');
  const duckdbFile = path.join(dir, 'weather.duckdb');
  before(async () => {
    await writeDuckdb(duckdbFile, 'weather', loadColumns(await readTable(weatherCsv)), [{ file: parquet }]);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a CSV and the same rows as Parquet or a DuckDB table give the same holdout split and the same model', async () => {
    const models: string[] = [];
    const ledgers: unknown[] = [];
    const heldOut: string[] = [];
    for (const [name, source] of [
      ['csv', weatherCsv],
      ['parquet', parquet],
      ['duckdb', `duckdb:${duckdbFile}?table=weather`],
    ] as const) {
      const ws = path.join(dir, `ws-${name}`);
      fs.mkdirSync(ws);
      const r = await train(ctxFor(ws), { baseData: source, label: 'weather', trees: 8 });
      assert.equal(r.rows + readLedger(ws)!.batches[0].holdout_rows, 1461, name);
      models.push(fs.readFileSync(path.join(versionDir(ws, r.version), 'model.json'), 'utf8'));
      const b = readLedger(ws)!.batches[0];
      ledgers.push({ rows: b.rows, holdout_rows: b.holdout_rows, labels: b.labels });
      heldOut.push(fs.readFileSync(path.join(ledgerDir(ws), b.file), 'utf8'));
    }
    assert.deepEqual(ledgers[1], ledgers[0]);
    assert.deepEqual(ledgers[2], ledgers[0]);
    assert.equal(heldOut[1], heldOut[0]);
    assert.equal(heldOut[2], heldOut[0]);
    assert.ok(models[1] === models[0] && models[2] === models[0], 'the same rows in the same order train the same forest');
  });

  it('samples in the engine with the stratified caps: each class its proportional share, the same rows every time', async () => {
    const ws = path.join(dir, 'ws-cap');
    fs.mkdirSync(ws);
    const ctx = ctxFor(ws);
    const all = await csvRows(weatherCsv);
    const classes = [...counts(all.labels).entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const a = await labelledFiles(ctx, parquet, { what: 'base data', label: 'weather', maxRows: 170 });
    const b = await labelledFiles(ctx, `duckdb:${duckdbFile}?table=weather`, { what: 'base data', label: 'weather', maxRows: 170 });
    assert.deepEqual(b.files, a.files, 'the same rows in Parquet and a table: the same sample file');
    const got = await csvRows(a.files[0]);
    // 170 training rows after the ledger's 15 % are set aside: 200 sampled
    const quota = proportionalQuota(classes.map(([, n]) => n), 200);
    assert.deepEqual([...counts(got.labels).entries()].sort((x, y) => (x[0] < y[0] ? -1 : 1)), classes.map(([c], i) => [c, quota[i]]));
    // every sampled row is a row of the data, none twice
    const known = new Set(all.hashes);
    assert.ok(got.hashes.every((h) => known.has(h)));
    assert.equal(new Set(got.hashes).size, got.hashes.length);
    // another seed draws other rows of the same classes
    const other = await labelledFiles({ ...ctx, config: { ...ctx.config, training: { ...ctx.config.training, seed: 7 } } }, parquet, { what: 'base data', label: 'weather', maxRows: 170 });
    assert.notDeepEqual(other.files, a.files);
    assert.deepEqual(counts((await csvRows(other.files[0])).labels), counts(got.labels));
  });

  it('holdout and train on the same source share one ledger batch; --where picks the rows', async () => {
    const ws = path.join(dir, 'ws-holdout');
    fs.mkdirSync(ws);
    const ctx = { ...ctxFor(ws), config: { ...ctxFor(ws).config, label: 'weather' } };
    const where = "date < '2014-01-01'";
    const h = await createHoldout(ctx, { dataDir: parquet, where, output: path.join(ws, 'h.csv') });
    const r = await train(ctx, { baseData: parquet, baseWhere: where, trees: 5 });
    const ledger = readLedger(ws)!;
    assert.equal(ledger.batches.length, 1);
    assert.equal(ledger.batches[0].rows, 731, 'the 2012–2013 rows');
    assert.equal(r.rows + h.rows, 731);
    const meta = JSON.parse(fs.readFileSync(path.join(versionDir(ws, r.version), 'meta.json'), 'utf8'));
    assert.equal(meta.lineage[0].path, `${parquet} where ${where}`);
  });

  it('a sample is named by its content, and a failed or repeated write leaves no temporary file', async () => {
    const ws = fs.mkdtempSync(path.join(dir, 'ws-'));
    const samples = path.join(ws, '.driftcatcher', 'samples');
    const write = (text: string) => (file: string) => fs.promises.mkdir(path.dirname(file), { recursive: true }).then(() => fs.promises.writeFile(file, text));
    const a = await sampleFile(ws, write('x,y\n1,2\n'));
    assert.equal(await sampleFile(ws, write('x,y\n1,2\n')), a);
    const b = await sampleFile(ws, write('x,y\n3,4\n'));
    assert.notEqual(b, a);
    await assert.rejects(
      sampleFile(ws, async (file) => {
        await write('x,y\n5,')(file);
        throw new Error('disk full');
      }),
      /disk full/,
    );
    assert.deepEqual(fs.readdirSync(samples).sort(), [path.basename(a), path.basename(b)].sort());
    assert.equal(fs.readFileSync(a, 'utf8'), 'x,y\n1,2\n');
  });

  it('says in one line what is wrong: a label the source lacks, a --where without rows, an unreachable server', async () => {
    const ws = path.join(dir, 'ws-bad');
    fs.mkdirSync(ws);
    const ctx = ctxFor(ws);
    const fails = async (p: Promise<unknown>, re: RegExp): Promise<string> => {
      const e = await p.then(
        () => assert.fail('expected an error'),
        (x: unknown) => x,
      );
      assert.ok(e instanceof DriftCatcherError, String(e));
      assert.match(e.message, re);
      assert.ok(!e.message.includes('\n'), e.message);
      return e.message;
    };
    await fails(train(ctx, { baseData: parquet, label: 'verdict', trees: 2 }), /weather\.parquet: label column "verdict" not found; the source has .*weather/);
    await fails(train(ctx, { baseData: parquet, label: 'weather', baseWhere: 'temp_max > 1000', trees: 2 }), /weather\.parquet where temp_max > 1000: the --where predicate selects no rows/);
    await fails(train(ctx, { baseData: weatherCsv, baseWhere: 'temp_max > 1', trees: 2 }), /--where applies to Parquet files and tables/);
    const saved = process.env.CLICKHOUSE_PASSWORD;
    process.env.CLICKHOUSE_PASSWORD = 'sekret-pw-123';
    try {
      const msg = await fails(train(ctx, { baseData: 'clickhouse://127.0.0.1:9/default/flights', label: 'weather', trees: 2 }), /clickhouse:\/\/127\.0\.0\.1:9\/default\/flights/);
      assert.ok(!msg.includes('sekret'), msg);
    } finally {
      if (saved === undefined) delete process.env.CLICKHOUSE_PASSWORD;
      else process.env.CLICKHOUSE_PASSWORD = saved;
    }
  });

  it('CLI: trains on flights-3m.parquet month against month with --base-where / --where', async () => {
    const ws = path.join(dir, 'ws-cli');
    fs.mkdirSync(ws);
    let out = '';
    let err = '';
    const dest = "destination IN ('SFO', 'LAX', 'SEA')";
    const code = await runCli(
      ['train', '--base-data', FLIGHTS, '--base-where', `${dest} AND month(date) = 1`, '--new-data', FLIGHTS, '--where', `${dest} AND month(date) = 2`, '--label', 'destination', '--task', 'multiclass', '--trees', '10'],
      { cwd: ws, stdout: (s) => void (out += s), stderr: (s) => void (err += s) },
    );
    assert.equal(code, 0, err);
    const r = JSON.parse(out);
    assert.ok(r.metrics.accuracy > r.metrics.majority_baseline.accuracy + 0.2, JSON.stringify(r.metrics));
    const meta = JSON.parse(fs.readFileSync(path.join(versionDir(ws, r.version), 'meta.json'), 'utf8'));
    assert.deepEqual(meta.classes, ['LAX', 'SEA', 'SFO']);
    assert.match(meta.lineage[0].path, /flights-3m\.parquet where .* AND month\(date\) = 1$/);
    assert.match(meta.lineage[1].path, /flights-3m\.parquet where .* AND month\(date\) = 2$/);
    // January has more rows than the base cap: sampled in DuckDB to the cap, stratified
    assert.match(err, /of \d+ labelled rows sampled in duckdb, stratified by "destination"/);
  });
});
