import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { captureCli, type CliResult } from '../cli/capture';
import { BASELINE_FILE } from '../../../src/core/versioning/baseline';
import { FileTracker } from '../../../src/core/tracking/fileStore';
import { sh, tempWorkspace, writeCsv } from './helpers';

/** run in the workspace folder: paths on the command line are relative to the current directory */
function cli(...argv: string[]): Promise<CliResult> {
  return captureCli(argv, { cwd: argv[argv.indexOf('--workspace') + 1] });
}

describe('cli: baseline and runs', () => {
  let ws: string;
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('baseline version / history / restore', async () => {
    ws = tempWorkspace();
    const a = writeCsv(path.join(ws, BASELINE_FILE), 10, 1);
    const v1 = await cli('baseline', 'version', BASELINE_FILE, '--model', 'v1', '--workspace', ws, '--format', 'json');
    assert.equal(v1.code, 0, v1.err);
    const rev1 = JSON.parse(v1.out).rev as string;
    assert.match(rev1, /^[0-9a-f]{40}$/);
    writeCsv(path.join(ws, BASELINE_FILE), 20, 2);
    assert.equal((await cli('baseline', 'version', '--workspace', ws)).code, 0);

    const h = await cli('baseline', 'history', '--workspace', ws, '--format', 'json');
    assert.deepEqual(JSON.parse(h.out).map((v: { rows: number }) => v.rows), [20, 10]);
    const table = await cli('baseline', 'history', '--workspace', ws);
    assert.match(table.out, new RegExp(`^${rev1.slice(0, 8)} .* v1 +10 `, 'm'));

    const r = await cli('baseline', 'restore', rev1.slice(0, 8), '--workspace', ws);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^restored baseline [0-9a-f]{8}: 10 rows/);
    assert.ok(fs.readFileSync(path.join(ws, BASELINE_FILE)).equals(a));
    assert.match(sh(ws, 'git', 'log', '-1', '--format=%s'), /^Restore baseline/);
  });

  it('baseline errors: missing sub-command, missing REV, unknown REV (exit 2, one error line)', async () => {
    ws = tempWorkspace();
    for (const argv of [['baseline'], ['baseline', 'restore'], ['baseline', 'restore', 'nope'], ['baseline', 'frobnicate']]) {
      const r = await cli(...argv, '--workspace', ws);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.err, /^error: [^\n]+\n$/);
    }
  });

  it('runs lists tracked runs as a table or JSON, filtered by experiment', async () => {
    ws = tempWorkspace(false);
    const t = new FileTracker(path.join(ws, 'mlruns'));
    await t.logRun({ experiment: 'drift_monitoring', name: 'd1', metrics: { overall_psi: 0.2 } });
    await t.logRun({ experiment: 'Model Training', name: 't1', metrics: { accuracy: 0.9 } });
    const j = await cli('runs', '--experiment', 'drift_monitoring', '--format', 'json', '--workspace', ws);
    assert.equal(j.code, 0, j.err);
    const runs = JSON.parse(j.out);
    assert.deepEqual(runs.map((r: { name: string }) => r.name), ['d1']);
    assert.equal(runs[0].metrics.overall_psi, 0.2);
    const table = await cli('runs', '--workspace', ws);
    assert.match(table.out, /Model Training +t1 +FINISHED/);
    assert.match(table.out, /mlflow ui --backend-store-uri /);
  });
});
