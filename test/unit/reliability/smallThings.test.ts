import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { captureCli, type CliResult } from '../cli/capture';
import { writeFlows } from '../model/trainFixtures';
import { fakeVersion } from '../model/registryFixtures';

function cli(ws: string, args: string[]): Promise<CliResult> {
  return captureCli([...args, '--workspace', ws]);
}

describe('small things an adversarial run found', function () {
  this.timeout(60_000);

  it('training on 10 rows warns that the metrics rest on a 2-row test split, and says so in the result', async () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-tiny-'));
    writeFlows(path.join(ws, 'tiny.csv'), { rows: 10, seed: 3 });
    const r = await cli(ws, ['train', '--base-data', path.join(ws, 'tiny.csv'), '--trees', '3', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const result = JSON.parse(r.out);
    assert.equal(result.test_rows, 2);
    assert.match(result.warnings.join('\n'), /too few rows per class to trust the metrics: 'BENIGN' has \d+, 'DDoS' has \d+ \(at least 30 per class/);
    assert.match(result.warnings.join('\n'), /test split of only 2 rows/);
    assert.match(r.err, /^warning: too few rows per class/m);
    // enough data: no warning
    // 1,000 rows: after the holdout ledger's share and the 20 % test split, well over the 100 test rows trusted metrics need
    writeFlows(path.join(ws, 'enough.csv'), { rows: 1000, seed: 4 });
    const ok = JSON.parse((await cli(ws, ['train', '--base-data', path.join(ws, 'enough.csv'), '--trees', '3', '--format', 'json'])).out);
    assert.equal(ok.warnings, undefined);
    assert.ok(ok.test_rows >= 100, `test split of ${ok.test_rows} rows`); // some rows may be set aside as holdout
  });

  it('`models` says when production points at a version that is not in the registry', async () => {
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-missing-prod-'));
    await fakeVersion(ws, { passed: true });
    fs.writeFileSync(path.join(ws, '.driftcatcher', 'production.json'), JSON.stringify({ version: 'v7', stack: ['v1', 'v7'] }));
    const r = await cli(ws, ['models']);
    assert.equal(r.code, 0);
    assert.match(r.err, /^warning: production points at v7, which is not in the registry \(.*v7 is missing\)/m);
    assert.match(r.out, /^v1 /m);
  });

  it('no code draws randomness from Math.random (webview nonces, tokens and ids must be unguessable; data sampling is seeded)', () => {
    // compiled tests run from out/test/unit/reliability; the sources are four levels up
    const src = path.resolve(__dirname, '../../../../src');
    assert.ok(fs.existsSync(path.join(src, 'extension', 'dashboard.ts')), `sources not found at ${src}`);
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ts|tsx|js|mjs)$/.test(e.name)) {
          fs.readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
            if (/\bMath\.random\b/.test(line.replace(/\/\/.*$/, ''))) offenders.push(`${path.relative(src, p)}:${i + 1}`);
          });
        }
      }
    };
    walk(src);
    assert.deepEqual(offenders, []);
  });
});
