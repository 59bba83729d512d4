import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDrift } from '../../../src/core/pipeline/drift';
import { localRuns } from '../../../src/core/tracking/queries';
import { makeCtx, tempDir } from './helpers';

function csv(file: string, rows: number, shift: number): void {
  const lines = [' Flow Duration, Total Fwd Packets, Label'];
  for (let i = 0; i < rows; i++) lines.push(`${(i % 50) + shift},${(i * 7) % 13},${i % 4 ? 'BENIGN' : 'DDoS'}`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

describe('tracking hooks in the engine', () => {
  let ws: string;
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('every drift check is tracked in drift_monitoring with the report\'s numbers', async () => {
    ws = tempDir();
    csv(path.join(ws, 'base.csv'), 400, 0);
    csv(path.join(ws, 'cur.csv'), 300, 30);
    const report = await checkDrift(makeCtx(ws), { baseline: 'base.csv', current: 'cur.csv' });
    const runs = localRuns(ws, 'drift_monitoring');
    assert.equal(runs.length, 1);
    assert.equal(runs[0].metrics.overall_psi, report.overall.psi_mean);
    assert.equal(runs[0].metrics.n_drifted_features, report.overall.n_drifted);
    assert.equal(runs[0].tags.data_source, report.current.source);
  });
});
