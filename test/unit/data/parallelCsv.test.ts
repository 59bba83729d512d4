import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemoCsv } from '../../../src/core/data/demoData';
import { readTable } from '../../../src/core/data/csvReader';
import { driftStateParallel, driftStateSequential, readTableParallel } from '../../../src/core/data/parallelCsv';
import type { AccumulatorState } from '../../../src/core/drift/driftReport';
import { buildProfile } from '../../../src/core/drift/profile';

/**
 * Parsing one CSV in byte ranges on several threads gives the sequential pass's counts exactly (the sums of
 * values beyond the sketch to 1e-12 relative: only their order differs) — also when a cut falls inside a quoted
 * field that spans lines (detected, read again sequentially), with CRLF line ends, and for a broken file (the
 * sequential error, with its true line number).
 */
describe('data/parallelCsv', function () {
  this.timeout(180_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-parallel-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  function assertSameState(got: AccumulatorState, want: AccumulatorState): void {
    assert.equal(got.rows, want.rows);
    assert.deepEqual(got.header, want.header);
    for (const [name, w] of Object.entries(want.numeric)) {
      const g = got.numeric[name];
      assert.deepEqual([g.psi, g.cells, g.ties, g.min, g.max, g.outside, g.text], [w.psi, w.cells, w.ties, w.min, w.max, w.outside, w.text], name);
      for (const k of ['below', 'above'] as const) assert.ok(Math.abs(g[k] - w[k]) <= 1e-12 * Math.max(1, Math.abs(w[k])), `${name} ${k}`);
    }
    for (const [name, w] of Object.entries(want.categorical)) {
      const g = got.categorical[name];
      assert.deepEqual(g.counts, w.counts, name);
      assert.deepEqual(new Map(g.newCategories), new Map(w.newCategories), name);
      assert.equal(g.distinct.length, w.distinct.length, name);
    }
  }

  it('gives the sequential counts on a CICIDS-like file, for 2 to 5 threads', async () => {
    const base = path.join(dir, 'base.csv');
    const cur = path.join(dir, 'cur.csv');
    await generateDemoCsv(base, { rows: 3000, seed: 1 });
    await generateDemoCsv(cur, { rows: 20_000, seed: 2, drift: 0.6 });
    const profile = buildProfile(await readTable(base), { label: 'Label' });
    const want = await driftStateSequential(cur, profile);
    for (const threads of [2, 3, 5]) assertSameState(await driftStateParallel(cur, profile, { threads, minBytes: 0 }), want);
    assert.ok(want.rows > 19_000);
  });

  it('detects cuts inside quoted multi-line fields and CRLF rows', async () => {
    const lines = ['id,note,value'];
    for (let i = 0; i < 4000; i++) lines.push(i % 7 === 0 ? `${i},"line one\nline, two\n${i}",${i * 0.5}` : `${i},plain ${i % 13},${i * 0.5}`);
    const lf = path.join(dir, 'quoted.csv');
    const crlf = path.join(dir, 'crlf.csv');
    fs.writeFileSync(lf, lines.join('\n') + '\n');
    fs.writeFileSync(crlf, lines.join('\r\n') + '\r\n');
    const profile = buildProfile(await readTable(lf), { label: null });
    for (const file of [lf, crlf]) {
      const want = await driftStateSequential(file, profile);
      assert.equal(want.rows, 4000);
      for (const threads of [2, 3, 4, 7]) assertSameState(await driftStateParallel(file, profile, { threads, minBytes: 0 }), want);
    }
  });

  it('reports a broken row as the sequential reader does', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 5000; i++) lines.push(i === 4321 ? `${i}` : `${i},${i % 3}`);
    const file = path.join(dir, 'broken.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const profile = buildProfile(await readTable(path.join(dir, 'quoted.csv')), { label: null });
    await assert.rejects(driftStateParallel(file, profile, { threads: 3, minBytes: 0 }), /row has 1 column, expected 2 \(as in the header\) \(.*broken\.csv:4323\)/);
  });

  it('reads a table in byte ranges cell for cell as the sequential reader (generated, quoted multi-line, CRLF, real files)', async () => {
    const demo = path.join(dir, 'table-demo.csv');
    await generateDemoCsv(demo, { rows: 6000, seed: 3, drift: 0.3 });
    const vega = ['birdstrikes.csv', 'seattle-weather.csv', 'zipcodes.csv', 'disasters.csv'].map((f) => path.resolve(__dirname, '../../../../node_modules/vega-datasets/data', f));
    for (const file of [demo, path.join(dir, 'quoted.csv'), path.join(dir, 'crlf.csv'), ...vega]) {
      const want = await readTable(file);
      for (const threads of [2, 3]) assert.deepEqual(await readTableParallel(file, { threads, minBytes: 0 }), want, `${path.basename(file)}, ${threads} threads`);
    }
  });

  it('reports a broken row in a table read as the sequential reader does', async () => {
    await assert.rejects(readTableParallel(path.join(dir, 'broken.csv'), { threads: 3, minBytes: 0 }), /row has 1 column, expected 2 \(as in the header\) \(.*broken\.csv:4323\)/);
  });
});
