import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { captureCli, type CliResult } from '../cli/capture';
import { normal, rng, tmpDir, writeCsv } from './helpers';

/** The public CLI contract of `profile` and `drift` (issue 2): JSON keys, exit codes 0/1/2, one error line. */
/** Tracked runs go to a scratch workspace, never into the folder the tests run from. */
const scratchWorkspace = tmpDir();

function cli(args: string[]): Promise<CliResult> {
  return captureCli(args.includes('--workspace') ? args : [...args, '--workspace', scratchWorkspace]);
}

describe('CLI profile / drift', function () {
  this.timeout(60_000);
  const dir = tmpDir();
  const header = [' Flow Duration', ' Total Fwd Packets', 'Flow Bytes/s', ' Label'];
  const rows = (seed: number, n: number, shift: number) => {
    const r = rng(seed);
    return Array.from({ length: n }, () => [
      (Math.exp(5 + normal(r) + shift)).toFixed(3),
      Math.floor(r() * 10),
      r() < 0.02 ? 'Infinity' : (normal(r) * 100 + 1000).toFixed(2),
      r() < 0.8 ? 'BENIGN' : 'DDoS',
    ]);
  };
  const base = writeCsv(path.join(dir, 'base.csv'), header, rows(1, 1500, 0));
  const same = writeCsv(path.join(dir, 'same.csv'), header, rows(2, 1000, 0));
  const drifted = writeCsv(path.join(dir, 'drifted.csv'), header, rows(3, 1000, 2));
  const profileFile = path.join(dir, 'out', 'profile.json');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('profile writes a JSON profile that drift accepts in place of the CSV', async () => {
    const p = await cli(['profile', base, '-o', profileFile, '--label', 'Label']);
    assert.equal(p.code, 0, p.err);
    const prof = JSON.parse(fs.readFileSync(profileFile, 'utf8'));
    assert.equal(prof.format, 'driftcatcher.profile');
    assert.deepEqual(prof.features.map((f: { name: string }) => f.name), ['Flow Duration', 'Total Fwd Packets', 'Flow Bytes/s']);
    assert.equal(prof.features[0].deciles.length, 11);
    assert.equal(prof.features[0].expected_dist.length, 10);
    const fromCsv = await cli(['drift', base, drifted, '--format', 'json']);
    const fromJson = await cli(['drift', profileFile, drifted, '--format', 'json']);
    assert.equal(fromJson.code, 0, fromJson.err);
    assert.deepEqual(JSON.parse(fromJson.out), JSON.parse(fromCsv.out));
  });

  it('--format json prints exactly the documented keys', async () => {
    const d = await cli(['drift', base, drifted, '--format', 'json']);
    assert.equal(d.code, 0, d.err);
    const j = JSON.parse(d.out);
    assert.deepEqual(Object.keys(j), ['overall', 'features', 'quality']);
    assert.deepEqual(Object.keys(j.overall), ['psi_mean', 'psi_max', 'n_drifted', 'share_drifted', 'severity']);
    for (const f of j.features) assert.deepEqual(Object.keys(f), ['name', 'kind', 'psi', 'test', 'statistic', 'p_value', 'severity', 'drifted']);
    assert.equal(j.features[0].name, 'Flow Duration', 'the shifted feature comes first');
    assert.equal(j.features[0].severity, 'severe');
    assert.ok(Array.isArray(j.quality));
  });

  it('exit 1 when --fail-on is reached, 0 otherwise', async () => {
    const severe = await cli(['drift', base, drifted, '--fail-on', 'moderate', '--format', 'json']);
    assert.equal(JSON.parse(severe.out).overall.severity === 'none', false);
    assert.equal(severe.code, 1);
    const calm = await cli(['drift', base, same, '--fail-on', 'moderate']);
    assert.equal(calm.code, 0, calm.out);
    assert.match(calm.out, /severity NONE/);
    const md = await cli(['drift', base, drifted, '--format', 'markdown']);
    assert.match(md.out, /^## Drift report/);
    assert.match(md.out, /\| Flow Duration \| numeric \|/);
  });

  it('errors exit 2 with one error line naming file, line and column, no stack', async () => {
    const ragged = path.join(dir, 'ragged.csv');
    fs.writeFileSync(ragged, `${header.join(',')}\n1,2,3,BENIGN\n4,5,BENIGN\n`);
    const e = await cli(['drift', base, ragged]);
    assert.equal(e.code, 2);
    assert.equal(e.err.trim().split('\n').length, 1, e.err);
    assert.match(e.err, /^error: .*ragged\.csv:3(:\d+)?/);
    assert.doesNotMatch(e.err, /\n\s+at /);
    const missing = await cli(['drift', base, path.join(dir, 'nope.csv')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^error: .*nope\.csv/);
    const badLabel = await cli(['profile', base, '-o', profileFile, '--label', 'Nope']);
    assert.equal(badLabel.code, 2);
    assert.match(badLabel.err, /^error: label column "Nope" not found.*base\.csv/);
    const badProfile = path.join(dir, 'bad.json');
    fs.writeFileSync(badProfile, '{"hello": 1}');
    const bp = await cli(['drift', badProfile, same]);
    assert.equal(bp.code, 2);
    assert.match(bp.err, /^error: not a DriftCatcher profile.*bad\.json/);
    const flag = await cli(['drift', base, same, '--fail-on', 'sometimes']);
    assert.equal(flag.code, 2);
    assert.match(flag.err, /^error: --fail-on must be moderate or severe/);
  });

  it('without a baseline, uses the production profile or says what to do', async () => {
    const ws = path.join(dir, 'ws');
    fs.mkdirSync(ws);
    const none = await cli(['drift', same, '--workspace', ws]);
    assert.equal(none.code, 2);
    assert.match(none.err, /^error: no baseline given, none chosen and no model in production: .*driftcatcher baseline use FILE/);
  });

  it('baseline use FILE makes it the baseline of later checks; use --production goes back; show says which', async () => {
    const ws = path.join(dir, 'ws-choice');
    fs.mkdirSync(ws);
    const use = await cli(['baseline', 'use', base, '--workspace', ws]);
    assert.equal(use.code, 0, use.err);
    assert.match(use.out, /^drift baseline: .*base\.csv \(\d+ rows, \d+ features, chosen /);
    const checked = await cli(['drift', same, '--workspace', ws, '--format', 'table']);
    assert.equal(checked.code, 0, checked.err);
    assert.match(checked.out, /^baseline \S*base\.csv/m);
    const shown = await cli(['baseline', 'show', '--workspace', ws, '--format', 'json']);
    assert.equal(JSON.parse(shown.out).kind, 'file');
    const back = await cli(['baseline', 'use', '--production', '--workspace', ws]);
    assert.equal(back.code, 0, back.err);
    assert.match(back.out, /^drift baseline: none \(no model in production/);
    const missing = await cli(['baseline', 'use', '--workspace', ws]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^error: baseline use needs a FILE, or --production/);
  });
});
