import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTable } from '../../../src/core/data/csvReader';
import { writeCsv } from '../../../src/core/data/csvWriter';
import type { CategoricalColumn, NumericColumn } from '../../../src/core/data/table';
import { createProgressBar } from '../../../src/core/util/progressBar';
import { tempDir } from './helpers';

describe('data/csvWriter and progress bar', () => {
  let dir: string;
  before(() => (dir = tempDir()));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('round-trips numbers (incl. ±Infinity, NaN as empty) and text needing quotes, atomically', async () => {
    const f = path.join(dir, 'out.csv');
    const nums = Float64Array.from([1.5, -Infinity, NaN, 1e-300, 0.1 + 0.2]);
    const texts = ['plain', 'a,b', 'say "hi"', 'two\nlines', ' Web Attack \ufffd Brute Force'];
    await writeCsv(f, [' Flow Bytes/s', 'note, quoted'], [nums, texts]);
    assert.deepEqual(fs.readdirSync(dir), ['out.csv'], 'no temp file left');
    const t = await readTable(f);
    assert.deepEqual(t.columns.map((c) => c.name), ['Flow Bytes/s', 'note, quoted']);
    const back = (t.columns[0] as NumericColumn).values;
    assert.deepEqual(Array.from(back), Array.from(nums));
    const c = t.columns[1] as CategoricalColumn;
    assert.deepEqual(Array.from(c.codes, (k) => c.categories[k]), texts);
  });

  it('refuses columns of different lengths without touching the target', async () => {
    const f = path.join(dir, 'keep.csv');
    fs.writeFileSync(f, 'old\n');
    await assert.rejects(writeCsv(f, ['a', 'b'], [Float64Array.from([1]), ['x', 'y']]), /has 2 values, expected 1/);
    assert.equal(fs.readFileSync(f, 'utf8'), 'old\n');
  });

  it('progress bar draws only on a TTY, only when what it shows changes, and clears its line', () => {
    let out = '';
    const tty = { isTTY: true, columns: 80, write: (s: string) => void (out += s) };
    const bar = createProgressBar(tty);
    bar(50, 'reading a.csv');
    bar(50.4, 'reading a.csv');
    bar(100, 'reading a.csv');
    bar(undefined, 'training');
    bar.clear();
    assert.equal((out.match(/\r/g) ?? []).length, 4, 'three draws and one clear');
    assert.match(out, /\[#+-+\]  50% reading a\.csv/);
    assert.match(out, /\[#+\] 100% reading a\.csv/);
    assert.match(out, /\r\x1b\[2Ktraining\r\x1b\[2K$/);
    let piped = '';
    const pipe = createProgressBar({ isTTY: false, write: (s: string) => void (piped += s) });
    pipe(1, 'x');
    pipe.clear();
    assert.equal(piped, '');
  });
});
