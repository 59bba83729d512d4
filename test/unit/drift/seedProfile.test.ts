import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loadProfile } from '../../../src/core/drift/profile';
import { computeDrift } from '../../../src/core/drift/driftReport';
import { normal, PYTHON, rng, SEED_DRIFT, tmpDir, writeCsv } from './helpers';

/**
 * A seed training_stats.json (feature -> mean, std, min, max, deciles, expected_dist) loads as a profile. When the
 * current data stay inside the baseline range and have no missing values, the open-ended bins and the seed's own
 * histogram agree, so our PSI must equal seed_drift.py --seed-exact.
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
    const code = `
import json, sys, numpy as np, pandas as pd
df = pd.read_csv(sys.argv[1]); out = {}
for f in ['smooth', 'steps']:
    x = df[f].to_numpy(dtype=float); q = np.quantile(x, np.linspace(0, 1, 11)); h, _ = np.histogram(x, bins=q)
    out[f] = {"mean": float(x.mean()), "std": float(x.std()), "min": float(x.min()), "max": float(x.max()),
              "deciles": q.tolist(), "expected_dist": (h / h.sum()).tolist()}
json.dump(out, open(sys.argv[2], "w"))`;
    const g = spawnSync(PYTHON, ['-c', code, base, stats], { encoding: 'utf8' });
    assert.equal(g.status, 0, g.stderr);
    const r = spawnSync(PYTHON, [SEED_DRIFT, base, cur, '--seed-exact'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const anchor = JSON.parse(r.stdout) as { psi: Record<string, number> };

    const profile = loadProfile(stats);
    assert.deepEqual(profile.features.map((f) => f.name), ['smooth', 'steps']);
    const report = await computeDrift(profile, cur);
    for (const f of report.features) assert.ok(Math.abs(f.psi - anchor.psi[f.name]) < 1e-9, `${f.name}: ${f.psi} vs ${anchor.psi[f.name]}`);
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
