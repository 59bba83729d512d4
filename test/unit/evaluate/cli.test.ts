import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { captureCli, type CliResult } from '../cli/capture';

/** The public CLI of issue 8: `demo-stream DIR` then `evaluate DIR`, JSON and files, errors as one line. */
/** run in the workspace folder: paths on the command line are relative to the current directory */
function cli(args: string[]): Promise<CliResult> {
  return captureCli(args, { cwd: args[args.indexOf('--workspace') + 1] });
}

describe('CLI demo-stream / evaluate', function () {
  this.timeout(120_000);
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-evaluate-cli-'));
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('writes a stream, evaluates it as JSON and writes the report files', async () => {
    const s = await cli(['demo-stream', 'stream', '--batches', '4', '--rows', '400', '--workspace', ws]);
    assert.equal(s.code, 0, s.err);
    assert.deepEqual(fs.readdirSync(path.join(ws, 'stream')).filter((f) => f.endsWith('.csv')), ['batch_000.csv', 'batch_001.csv', 'batch_002.csv', 'batch_003.csv']);

    const e = await cli(['evaluate', 'stream', '--policies', 'never,always', '--trees', '5', '--cost-per-retrain', '0.01', '--format', 'json', '--output', 'report', '--workspace', ws]);
    assert.equal(e.code, 0, e.err);
    const r = JSON.parse(e.out) as { summary: Array<{ policy: string; batches: number; retrains: number; mean_accuracy: number; cost_adjusted: number }> };
    assert.deepEqual(r.summary.map((p) => [p.policy, p.batches, p.retrains]), [['never', 3, 0], ['always', 3, 3]]);
    const always = r.summary[1];
    assert.ok(Math.abs(always.cost_adjusted - (always.mean_accuracy - 0.03)) < 1e-12, 'accuracy minus 0.01 per retrain');
    for (const f of ['evaluate.json', 'evaluate.md', 'evaluate.svg']) assert.ok(fs.statSync(path.join(ws, 'report', f)).size > 0, f);
    assert.match(fs.readFileSync(path.join(ws, 'report', 'evaluate.svg'), 'utf8'), /^<svg[\s\S]*<\/svg>\s*$/);
    // the evaluation never touches the workspace's registry or tracking
    assert.equal(fs.existsSync(path.join(ws, '.driftcatcher')), false);
    assert.equal(fs.existsSync(path.join(ws, 'mlruns')), false);
  });

  it('bad input: exit 2 with one error line', async () => {
    const missing = await cli(['evaluate', 'nowhere', '--workspace', ws]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^error: .*nowhere/);
    assert.equal(missing.err.trim().split('\n').length, 1);
    const policy = await cli(['evaluate', 'stream', '--policies', 'sometimes', '--workspace', ws]);
    assert.equal(policy.code, 2);
    assert.match(policy.err, /^error: .*sometimes/);
    const fmt = await cli(['evaluate', 'stream', '--format', 'table', '--workspace', ws]);
    assert.equal(fmt.code, 2);
    assert.match(fmt.err, /^error: --format must be json or markdown/);
  });
});
