import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './helpers';

/**
 * A 2 GB CSV streams through the reader in bounded memory. It needs 2.4 GB free in the temp folder and fails
 * saying so otherwise (set TMPDIR to a folder on a larger disk); `--grep` / `--invert` leave it out on purpose.
 */
describe('data/csvReader on a 2 GB file', function () {
  this.timeout(20 * 60 * 1000);
  let dir: string;
  before(() => (dir = tempDir('dc-big-')));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('streams 2 GB counting every row while RSS stays within 200 MB of the start', async () => {
    const target = 2 * 1024 ** 3;
    const free = fs.statfsSync(dir);
    const need = target * 1.2;
    if (free.bavail * free.bsize < need) {
      throw new Error(`needs ${(need / 1e9).toFixed(1)} GB free in ${path.dirname(dir)}, has ${((free.bavail * free.bsize) / 1e9).toFixed(1)} GB: set TMPDIR to a folder on a larger disk`);
    }
    const rowsPerChunk = 4000;
    const lines: string[] = [];
    for (let i = 0; i < rowsPerChunk; i++) {
      lines.push(`${i},${(i * 1.37).toFixed(3)},${i % 97 === 0 ? 'Infinity' : i * 1000},"q,${i % 5}",${i % 3 ? 'BENIGN' : 'DDoS'}`);
    }
    const chunk = Buffer.from(lines.join('\n') + '\n');
    const file = path.join(dir, 'big.csv');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, ' Destination Port, Flow Duration,Flow Bytes/s,Note, Label\n');
    let written = 0;
    let chunks = 0;
    while (written < target) {
      written += fs.writeSync(fd, chunk);
      chunks++;
    }
    fs.closeSync(fd);
    // measured in a fresh process: the reader's own memory, whatever the suite allocated before
    const out = execFileSync(process.execPath, ['--enable-source-maps', path.join(__dirname, 'bigFileChild.js'), file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const { rows, resRows, bytes, inf, growthMb } = JSON.parse(out) as { rows: number; resRows: number; bytes: number; inf: number; growthMb: number };
    assert.equal(resRows, chunks * rowsPerChunk);
    assert.equal(rows, resRows);
    assert.equal(inf, chunks * Math.ceil(rowsPerChunk / 97));
    assert.ok(bytes > target);
    assert.ok(growthMb < 200, `RSS grew by ${growthMb.toFixed(0)} MB`);
  });
});
