import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadProfile } from '../../../src/core/drift/profile';
import { computeDrift } from '../../../src/core/drift/driftReport';
import { runOracle } from '../../oracles/oracle';
import { normal, rng, tmpDir, writeCsv } from './helpers';

/**
 * The original pipeline's training_stats.json (feature -> mean, std, min, max, deciles, expected_dist) loads as a
 * profile. When the current data stay inside the baseline range and have no missing values, the open-ended bins and
 * the pipeline's own histogram agree, so our PSI must equal the oracle's histogram-mode PSI (test/oracles/psi.py).
 */
describe('seed training_stats.json profiles', function () {
  this.timeout(60_000);
  const dir = tmpDir();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('converts deciles/expected_dist (repeated deciles included) to the open-ended PSI bins', async () => {
    const header = ['smooth', 'steps', 'Label'];
    const mk = (seed: number, n: number, shift: number) => {
      const r = rng(seed);
      return Array.from({ length: n }, () => [
        Math.min(3.5, Math.max(-3.5, normal(r) + shift)).toFixed(5),
        Math.min(4, Math.floor(-Math.log(1 - r()) * (1 + shift))),
        'BENIGN',
      ]);
    };
    const baseRows = mk(1, 2000, 0);
    baseRows.push(['-3.5', 0, 'BENIGN'], ['3.5', 4, 'BENIGN']); // the current stays inside [min, max]
    const base = writeCsv(path.join(dir, 'base.csv'), header, baseRows);
    const cur = writeCsv(path.join(dir, 'cur.csv'), header, mk(2, 1500, 0.5));
    const stats = path.join(dir, 'training_stats.json');
    runOracle('psi', 'training_stats', { file: base, output: stats });
    const reference = runOracle<{ psi: Record<string, number> }>('psi', 'drift', { baseline: base, current: cur, bins: 'histogram' });

    const profile = loadProfile(stats);
    assert.deepEqual(profile.features.map((f) => f.name), ['smooth', 'steps']);
    const report = await computeDrift(profile, cur);
    for (const f of report.features) assert.ok(Math.abs(f.psi - reference.psi[f.name]) < 1e-9, `${f.name}: ${f.psi} vs ${reference.psi[f.name]}`);
    assert.ok(report.features.every((f) => f.psi > 0.01), 'the shift is visible');
  });

  it('refuses a file that is neither, saying what was expected', () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ x: { mean: 1 } }));
    assert.throws(() => loadProfile(bad), /not a DriftCatcher profile .*training_stats\.json.*bad\.json/);
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, JSON.stringify({ format: 'driftcatcher.profile', version: 1 }));
    assert.throws(() => loadProfile(broken), /invalid profile at created_at/);
  });
});
