import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTable } from '../../../src/core/data/csvReader';
import { buildProfile } from '../../../src/core/drift/profile';
import { computeDrift } from '../../../src/core/drift/driftReport';
import { runOracle } from '../../oracles/oracle';
import { normal, rng, tmpDir, writeCsv } from './helpers';

/**
 * PSI parity with the original pandas/numpy pipeline (test/oracles/psi.py, open-ends bins) to 1e-9, on files
 * with heavy tails, Infinity/NaN/empty cells, repeated deciles, values outside the baseline range, a constant
 * and an all-missing column, padded header names and rows without a label.
 */
const HEADER = [' Flow Duration', ' Fwd Packets', 'Flow Bytes/s', ' Flag Count', ' Constant', ' All Missing', ' Tiny Ints', ' Label'];

function makeRows(seed: number, n: number, shift: number): (string | number)[][] {
  const r = rng(seed);
  const rows: (string | number)[][] = [];
  for (let i = 0; i < n; i++) {
    const u = r();
    const dur = Math.round(Math.exp(8 + 3 * normal(r) + shift) * 1000) / 1000; // heavy tail
    const pkts = Math.floor(-Math.log(1 - r()) * (3 + 5 * shift)); // many repeated small integers
    const bytes = u < 0.02 ? 'Infinity' : u < 0.04 ? 'NaN' : u < 0.05 ? '' : (normal(r) * 1e5 + 1e6 * (1 + shift)).toFixed(4);
    const flag = r() < 0.85 - 0.3 * shift ? 0 : 1; // deciles repeat: 0,0,…,1
    const tiny = shift > 0 && r() < 0.1 ? -50 - Math.floor(r() * 100) : Math.floor(r() * 3); // out of range below
    const label = r() < 0.01 ? '' : r() < 0.7 ? 'BENIGN' : 'DDoS';
    rows.push([dur, pkts, bytes, flag, 7, '', tiny, label]);
  }
  return rows;
}

describe('PSI parity with the pandas/numpy pipeline (oracle psi.py)', function () {
  this.timeout(120_000);
  const dir = tmpDir();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [name, shift] of [
    ['no drift', 0],
    ['moderate drift', 0.3],
    ['severe drift', 1],
  ] as const) {
    it(`matches to 1e-9 (${name})`, async () => {
      const base = writeCsv(path.join(dir, `base-${shift}.csv`), HEADER, makeRows(1, 3000, 0));
      const cur = writeCsv(path.join(dir, `cur-${shift}.csv`), HEADER, makeRows(2 + shift * 10, 2000, shift));
      const reference = runOracle<{ psi: Record<string, number>; rows_baseline: number; rows_current: number }>('psi', 'drift', { baseline: base, current: cur });

      const profile = buildProfile(await readTable(base), { label: 'Label' });
      const report = await computeDrift(profile, cur);
      assert.equal(profile.rows, reference.rows_baseline, 'baseline rows after dropping missing labels');
      assert.equal(report.current.rows, reference.rows_current, 'current rows after dropping missing labels');
      const ours = Object.fromEntries(report.features.map((f) => [f.name, f.psi]));
      assert.deepEqual(Object.keys(ours).sort(), Object.keys(reference.psi).sort());
      for (const [feature, expected] of Object.entries(reference.psi)) {
        assert.ok(Math.abs(ours[feature] - expected) <= 1e-9, `${feature}: ours ${ours[feature]} vs pandas ${expected}`);
      }
      if (shift === 1) assert.ok(Math.max(...Object.values(ours)) > 0.2, 'the severe case really drifts');
    });
  }
});
