import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { captureCli, type CliResult } from './capture';
import { selfCommand } from '../../../src/core/cli/paths';
import { clearPreviousDemo, recordDemo } from '../../../src/core/cli/demo/marker';
import { newNotes } from '../../../src/core/cli/demo/steps';
import { writeFlows } from '../model/trainFixtures';

/** What a new user meets in the first hour: paths, suggested commands, a repeated demo, the repository stays clean. */

const REPO = path.resolve(__dirname, '../../../..');

const cli = (args: string[], env: { cwd: string; self?: string }): Promise<CliResult> => captureCli(args, env);

describe('CLI: the first hour', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-first-hour-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads paths relative to the current directory, also with --workspace', async () => {
    fs.mkdirSync(path.join(dir, 'data'));
    fs.mkdirSync(path.join(dir, 'ws'));
    writeFlows(path.join(dir, 'data', 'base.csv'), { rows: 300, seed: 1 });
    writeFlows(path.join(dir, 'data', 'cur.csv'), { rows: 200, seed: 2, shift: 2 });
    const r = await cli(['drift', 'data/base.csv', 'data/cur.csv', '--workspace', 'ws', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).overall.severity, 'severe');
    // the workspace is where the run is tracked; nothing is written beside the data
    assert.ok(fs.existsSync(path.join(dir, 'ws', 'mlruns')));
    assert.ok(!fs.existsSync(path.join(dir, 'mlruns')) && !fs.existsSync(path.join(dir, 'data', 'mlruns')));

    // a data source as a glob: relative to the current directory too
    const glob = await cli(['drift', 'data/base.csv', 'data/cu*.csv', '--workspace', 'ws', '--format', 'json'], { cwd: dir });
    assert.equal(glob.code, 0, glob.err);
    assert.equal(JSON.parse(glob.out).overall.severity, 'severe');

    const p = await cli(['profile', 'data/base.csv', '-o', 'out/profile.json', '--workspace', 'ws'], { cwd: dir });
    assert.equal(p.code, 0, p.err);
    assert.ok(fs.existsSync(path.join(dir, 'out', 'profile.json')));
    assert.match(p.out, / -> out\/profile\.json\n$/, 'the written file is shown relative to the current directory');

    const missing = await cli(['drift', 'data/base.csv', 'cur.csv', '--workspace', 'data'], { cwd: dir });
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^error: current data cur\.csv does not exist/);
  });

  it('prints every command it suggests the way the user runs it', async () => {
    assert.equal(selfCommand('/usr/local/bin/driftcatcher', '/home/ana'), 'driftcatcher');
    assert.equal(selfCommand('/repo/dist/cli.js', '/repo'), 'node dist/cli.js');
    assert.equal(selfCommand('/repo/dist/cli.js', '/repo/demo-data'), 'node ../dist/cli.js');
    assert.equal(selfCommand('/my repo/dist/cli.js', '/'), 'node "my repo/dist/cli.js"');

    const self = 'node dist/cli.js';
    const unknown = await cli(['nope'], { cwd: dir, self });
    assert.match(unknown.err, /run 'node dist\/cli\.js --help'/);
    const help = await cli(['--help'], { cwd: dir, self });
    assert.match(help.out, /usage: node dist\/cli\.js <command>/);
    // the engine's own suggestions too ("run: driftcatcher validate …")
    const ws = path.join(dir, 'ws-models');
    fs.mkdirSync(ws);
    const models = await cli(['models', '--workspace', ws], { cwd: dir, self });
    assert.equal(models.out, 'no models yet (run: node dist/cli.js train --base-data B.csv)\n');
    assert.ok(!/driftcatcher (train|drift|validate|models)/.test(unknown.err + help.out + models.out));
  });

  it('train and models count the same rows: all of the cleaned training data, train + test split', async () => {
    const ws = path.join(dir, 'ws-train');
    fs.mkdirSync(ws);
    writeFlows(path.join(dir, 'labelled.csv'), { rows: 400, seed: 3, dirtyRows: 5 });
    const t = await cli(['train', '--base-data', 'labelled.csv', '--trees', '3', '--workspace', ws], { cwd: dir });
    assert.equal(t.code, 0, t.err);
    const trained = JSON.parse(t.out) as { rows: number; train_rows: number; test_rows: number; dropped_rows: number };
    assert.equal(trained.train_rows + trained.test_rows, trained.rows);
    const m = await cli(['models', '--workspace', ws], { cwd: dir });
    assert.match(m.out, new RegExp(`\\b${trained.rows} \\(${trained.train_rows} \\+ ${trained.test_rows}\\)`), m.out);
  });

  it('train --holdout exits 1 when the gate refuses the candidate', async () => {
    const ws = path.join(dir, 'ws-gate');
    fs.mkdirSync(ws);
    // a gate no model passes: accuracy must be at most 0.5
    fs.writeFileSync(path.join(ws, 'driftcatcher.config.json'), JSON.stringify({ validation: { metrics: { accuracy: { threshold: 0.5, greater_is_better: false } } } }));
    writeFlows(path.join(dir, 'gate-train.csv'), { rows: 400, seed: 5 });
    writeFlows(path.join(dir, 'gate-holdout.csv'), { rows: 200, seed: 6 });
    const t = await cli(['train', '--base-data', 'gate-train.csv', '--holdout', 'gate-holdout.csv', '--trees', '3', '--workspace', ws], { cwd: dir });
    assert.equal(t.code, 1, t.err);
    assert.equal((JSON.parse(t.out) as { validation: { passed: boolean } }).validation.passed, false);
  });

  it('a second demo into the same folder starts from a clean slate, keeping what was there before', () => {
    const demo = path.join(dir, 'demo');
    fs.mkdirSync(demo);
    fs.writeFileSync(path.join(demo, 'mine.txt'), 'not the demo\n');
    const before = fs.readdirSync(demo);
    for (const f of ['baseline.csv', 'mlruns', '.driftcatcher']) fs.mkdirSync(path.join(demo, f), { recursive: true });
    recordDemo(demo, before);
    fs.writeFileSync(path.join(demo, 'added-later.txt'), 'by hand\n');
    assert.deepEqual(clearPreviousDemo(demo).sort(), ['.driftcatcher', 'baseline.csv', 'mlruns']);
    assert.deepEqual(fs.readdirSync(demo).sort(), ['added-later.txt', 'mine.txt']);
    assert.deepEqual(clearPreviousDemo(demo), [], 'no marker: nothing is removed');
  });

  it('notes under a demo step add facts; repeats of what the step printed are left out', () => {
    const lines = ['v1: 19909 rows (15927 train + 3982 test; 91 dropped as NaN/Infinity), 29.8 s', 'accuracy 0.9684, f1 0.9442'];
    const notes = ['dropped 91 row(s) with NaN or Infinity features', 'trained v1: accuracy 0.9684, f1 0.9442 in 29.8 s', 'flows_day1.csv: 2390 of 8000 rows', 'deployed v1', 'deployed v1'];
    assert.deepEqual(newNotes(notes, lines), ['flows_day1.csv: 2390 of 8000 rows']);
    assert.deepEqual(newNotes(['deployed v2'], lines), ['deployed v2']);
  });

  it('running the CLI in the repository root leaves nothing untracked', () => {
    for (const f of ['mlruns/0/meta.yaml', '.driftcatcher/production.json']) {
      // exit 0: git ignores it
      execFileSync('git', ['check-ignore', '-q', '--no-index', f], { cwd: REPO });
    }
  });
});
