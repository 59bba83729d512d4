import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTable, streamCsv } from '../../../src/core/data/csvReader';
import type { NumericColumn } from '../../../src/core/data/table';
import { runCli } from '../../../src/core/cli/main';
import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Wide headers: per-column state is small until a column has data, a header wider than csv.maxColumns (20,000 by
 * default) is one clear error however long it is, and wide tables read exactly as narrow ones do.
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-wide-'));
const READER = path.resolve(__dirname, '../../../src/core/data/csvReader.js');

function header(n: number, name = (k: number) => `c${k}`): string {
  return Array.from({ length: n }, (_, k) => name(k)).join(',');
}

const CLI = path.resolve(__dirname, '../../../src/core/cli/main.js');

/** peak RSS (MB) of a fresh process running the CLI, and what it printed */
function cliPeakRss(args: string[]): { mb: number; code: number | null; err: string } {
  const code = `const { runCli } = require(${JSON.stringify(CLI)});
    runCli(${JSON.stringify(args)}, { stdout: () => {}, stderr: (s) => process.stderr.write(s) })
      .then((c) => { console.log(JSON.stringify({ rss: process.resourceUsage().maxRSS, code: c })); });`;
  const res = spawnSync(process.execPath, ['-e', code], { encoding: 'utf8' });
  assert.equal(res.status, 0, res.stderr);
  const j = JSON.parse(res.stdout) as { rss: number; code: number };
  return { mb: j.rss / 1024, code: j.code, err: res.stderr };
}

describe('wide headers: bounded column state, a clear column limit', function () {
  this.timeout(120_000);
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('profile and drift of a 20,000-column file with one row need little memory', () => {
    const f = path.join(dir, 'w20k.csv');
    fs.writeFileSync(f, `${header(20_000)}\n${header(20_000, (k) => String(k % 97))}\n`);
    const ws = fs.mkdtempSync(path.join(dir, 'ws-'));
    // before: every column got a full batch of Float64s up front (6.9 GB for profile, 4.7 GB for drift)
    const profile = cliPeakRss(['profile', f, '-o', path.join(ws, 'p.json'), '--workspace', ws]);
    assert.equal(profile.code, 0, profile.err);
    assert.ok(profile.mb < 400, `profile: peak RSS ${profile.mb.toFixed(0)} MB`);
    const drift = cliPeakRss(['drift', path.join(ws, 'p.json'), f, '--workspace', ws]);
    assert.equal(drift.code, 0, drift.err);
    assert.ok(drift.mb < 400, `drift: peak RSS ${drift.mb.toFixed(0)} MB`);
  });

  it('a header wider than the limit is one error naming the limit and the setting', async () => {
    const f = path.join(dir, 'w20001.csv');
    fs.writeFileSync(f, `${header(20_001)}\n`);
    await assert.rejects(readTable(f), (e: Error) => {
      assert.match(e.message, /more than 20000 columns.*csv\.maxColumns.*w20001\.csv:1:20001/);
      return true;
    });
  });

  it('a 50 MB one-line header fails fast with the same error, not "Map maximum size exceeded"', () => {
    const f = path.join(dir, 'huge-header.csv');
    const fd = fs.openSync(f, 'w');
    const block = Buffer.from('a,'.repeat(512 * 1024));
    for (let i = 0; i < 50; i++) fs.writeSync(fd, block);
    fs.closeSync(fd);
    const ws = fs.mkdtempSync(path.join(dir, 'ws-'));
    const r = cliPeakRss(['profile', f, '-o', path.join(ws, 'p.json'), '--workspace', ws]);
    assert.equal(r.code, 2);
    assert.match(r.err, /^error: the header has more than 20000 columns/);
    assert.ok(r.mb < 250, `peak RSS ${r.mb.toFixed(0)} MB`);
  });

  it('the limit is configurable (csv.maxColumns) and applies to every command', async () => {
    const ws = fs.mkdtempSync(path.join(dir, 'ws-'));
    fs.writeFileSync(path.join(ws, 'driftcatcher.config.json'), JSON.stringify({ csv: { maxColumns: 10 } }));
    const f = path.join(ws, 'twelve.csv');
    fs.writeFileSync(f, `${header(12)}\n${header(12, (k) => String(k))}\n${header(12, (k) => String(k + 1))}\n`);
    let err = '';
    const code = await runCli(['profile', f, '-o', path.join(ws, 'p.json'), '--workspace', ws], { stdout: () => undefined, stderr: (s) => void (err += s) });
    assert.equal(code, 2);
    assert.match(err, /^error: the header has more than 10 columns/);
    const wide = path.join(dir, 'w25k.csv');
    fs.writeFileSync(wide, `${header(25_000)}\n${header(25_000, () => '1')}\n`);
    const t = await readTable(wide, { maxColumns: 30_000 });
    assert.equal(t.columns.length, 25_000);
  });

  it('the column limit holds for Parquet files and tables too (before: a 25,000-column Parquet profile ran for minutes)', async () => {
    const ws = fs.mkdtempSync(path.join(dir, 'ws-'));
    const inst = await DuckDBInstance.create(':memory:');
    const c = await inst.connect();
    const cols = (n: number) => Array.from({ length: n }, (_, k) => `i + ${k} AS c${k}`).join(', ');
    await c.run(`COPY (SELECT ${cols(10)} FROM range(50) t(i)) TO '${path.join(ws, 'narrow.parquet')}' (FORMAT parquet)`);
    await c.run(`COPY (SELECT ${cols(30)} FROM range(50) t(i)) TO '${path.join(ws, 'wide.parquet')}' (FORMAT parquet)`);
    c.closeSync();
    inst.closeSync();
    const run = async (args: string[]) => {
      let err = '';
      // paths on the command line are relative to the current folder: name them in full
      const full = args.map((a, i) => (i > 0 && /\.(parquet|json)$/.test(a) ? path.join(ws, a) : a));
      const code = await runCli([...full, '--workspace', ws], { stdout: () => undefined, stderr: (s) => void (err += s) });
      return { code, err };
    };
    // (a 20,001-column Parquet file takes DuckDB a minute to write here; the limit is the same code path)
    fs.writeFileSync(path.join(ws, 'driftcatcher.config.json'), JSON.stringify({ csv: { maxColumns: 20 } }));
    const wide = await run(['profile', 'wide.parquet', '-o', 'w.json']);
    assert.equal(wide.code, 2, wide.err);
    assert.match(wide.err, /^error: .*wide\.parquet has 30 columns, more than 20; .*raise csv\.maxColumns/);
    assert.equal((await run(['profile', 'narrow.parquet', '-o', 'n.json'])).code, 0);
    const drift = await run(['drift', 'n.json', 'wide.parquet']);
    assert.equal(drift.code, 2, drift.err);
    assert.match(drift.err, /has 30 columns, more than 20; .*csv\.maxColumns/);
  });

  it('a wide table reads cell for cell as written, across batch growth and later batches', async () => {
    const cols = 3000;
    const rows = 700; // > one batch at 8 Mi cells / 3000 columns? no: 2796 rows fit; growth from 64 rows is exercised
    const f = path.join(dir, 'w3000.csv');
    const lines = [header(cols)];
    for (let r = 0; r < rows; r++) lines.push(Array.from({ length: cols }, (_, c) => (c % 5 === 0 ? `t${(r * 7 + c) % 13}` : String(r * 0.5 + c))).join(','));
    fs.writeFileSync(f, lines.join('\n') + '\n');
    const t = await readTable(f);
    assert.equal(t.rowCount, rows);
    for (const c of [1, 2, 999, 2999]) {
      const col = t.columns[c] as NumericColumn;
      assert.equal(col.kind, 'numeric');
      for (const r of [0, 63, 64, 65, 127, 128, 511, 699]) assert.equal(col.values[r], r * 0.5 + c, `cell ${r},${c}`);
    }
    // small batches: the second and later batches start at full size
    let seen = 0;
    const res = await streamCsv(f, { batchRows: 100 }, (b) => {
      for (let r = 0; r < b.rowCount; r++) assert.equal(b.numbers[7][r], (b.startRow + r) * 0.5 + 7);
      seen += b.rowCount;
    });
    assert.equal(seen, rows);
    assert.equal(res.rows, rows);
    // batches are bounded by cells: 20,000 columns get small batches whatever batchRows asks for
    const w = path.join(dir, 'w20k-rows.csv');
    fs.writeFileSync(w, [header(20_000), ...Array.from({ length: 425 }, (_, r) => header(20_000, () => String(r % 10)))].join('\n'));
    let biggest = 0;
    await streamCsv(w, { batchRows: 65536 }, (b) => void (biggest = Math.max(biggest, b.rowCount)));
    assert.ok(biggest <= Math.floor((8 << 20) / 20_000), `batch of ${biggest} rows`);
  });
});
