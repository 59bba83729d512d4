import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../server/lspClient';
import { tempWorkspace, writeFlows } from '../server/fixtures';
import { ServiceUnderTest, until } from './serviceProcess';

/**
 * `driftcatcher watch DIR…` as a real daemon: each new batch goes through the agent once, the state survives a
 * restart (no batch twice, one that arrived while it was down is processed), SIGTERM exits 0, a bad cron string
 * is a one-line error.
 */
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

function state(ws: string): Record<string, { status: string; action?: string; plan_id?: string }> {
  const f = path.join(ws, '.driftcatcher', 'watch-state.json');
  return fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')).batches : {};
}

function decisions(ws: string): number {
  const d = path.join(ws, '.driftcatcher', 'decisions');
  return fs.existsSync(d) ? fs.readdirSync(d).filter((f) => f.endsWith('.json')).length : 0;
}

describe('watch: the headless daemon as a process', function () {
  this.timeout(240_000);
  let ws: string;

  before(function () {
    this.timeout(180_000);
    execFileSync(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, stdio: 'inherit' });
    ws = tempWorkspace('dc-watchd-');
    writeFlows(path.join(ws, 'data', 'base.csv'), 2000, { seed: 1 });
    writeFlows(path.join(ws, 'data', 'holdout.csv'), 600, { seed: 2 });
    writeFlows(path.join(ws, 'incoming', 'already-there.csv'), 300, { seed: 9 });
    execFileSync(process.execPath, [CLI, 'train', '--base-data', 'data/base.csv', '--holdout', 'data/holdout.csv', '--workspace', ws], { stdio: 'pipe', cwd: ws });
    execFileSync(process.execPath, [CLI, 'deploy', '--workspace', ws], { stdio: 'pipe' });
  });

  it('processes each new batch once, across a restart, and stops on SIGTERM with exit 0', async () => {
    let d = new ServiceUnderTest(['watch', 'incoming', '--interval', '1', '--http', '127.0.0.1:0', '--workspace', ws, '--grace', '10'], {}, ws);
    const url = await d.url();
    await d.waitFor(/watching .*incoming for new CSV batches/);
    writeFlows(path.join(ws, 'incoming', 'b1.csv'), 400, { seed: 3, shift: 1 });
    await until(() => state(ws)['incoming/b1.csv']?.status === 'done' || undefined, 90_000, 'b1 processed');
    assert.equal(state(ws)['incoming/already-there.csv'].status, 'skipped');
    const status = (await (await fetch(`${url}/watch`)).json()) as { batches: Record<string, number>; folders: string[] };
    assert.equal(status.batches.done, 1);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /^driftcatcher_watch_batches_total\{outcome="done"\} 1$/m);
    assert.deepEqual(await d.stop(), { code: 0, signal: null });
    const after1 = decisions(ws);
    assert.equal(after1, 1);

    writeFlows(path.join(ws, 'incoming', 'b2.csv'), 400, { seed: 4 }); // arrives while nothing watches
    // started from the workspace's parent folder: the folder argument is relative to the current directory
    d = new ServiceUnderTest(['watch', path.join(path.basename(ws), 'incoming'), '--interval', '1', '--workspace', ws], {}, path.dirname(ws));
    await until(() => state(ws)['incoming/b2.csv']?.status === 'done' || undefined, 90_000, 'b2 processed after the restart');
    await new Promise((r) => setTimeout(r, 2500)); // a few scan intervals: b1 must not come back
    assert.equal(decisions(ws), 2);
    assert.deepEqual(await d.stop(), { code: 0, signal: null });
    assert.match(d.log, /stopped/);
  });

  it('a bad cron string, a missing folder argument, a second daemon: one-line errors, exit 2', async () => {
    const bad = spawnSync(process.execPath, [CLI, 'watch', 'incoming', '--schedule', '61 * * * *', '--workspace', ws], { encoding: 'utf8', cwd: ws });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^error: --schedule '61 \* \* \* \*' is not a cron schedule: .+\n$/);
    const none = spawnSync(process.execPath, [CLI, 'watch', '--workspace', ws], { encoding: 'utf8' });
    assert.equal(none.status, 2);
    assert.match(none.stderr, /^error: watch needs at least one folder/);
    const first = new ServiceUnderTest(['watch', 'incoming', '--workspace', ws], {}, ws);
    try {
      await first.waitFor(/watching/);
      const second = spawnSync(process.execPath, [CLI, 'watch', 'incoming', '--workspace', ws], { encoding: 'utf8', cwd: ws });
      assert.equal(second.status, 2);
      assert.match(second.stderr, /^error: another process already watches .* \(pid \d+\); stop it first\n$/);
    } finally {
      assert.equal((await first.stop()).code, 0);
    }
  });
});
