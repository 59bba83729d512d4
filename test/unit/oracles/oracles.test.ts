import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findPython, OracleError, oracleNumber, runOracle } from '../../oracles/oracle';

/**
 * The oracles the other tests compare against: their CLI contract (JSON in/out, exit codes), a missing module or
 * interpreter reported with the command that installs it, and one hand-derived PSI so the reference itself is checked.
 */
describe('test oracles (test/oracles)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-oracles-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('psi.py computes the hand-derived PSI of a file whose current values all left the baseline range', () => {
    // baseline 1…10: deciles 1.9 … 9.1, one row per bin (10 % each); current all 100 → only the open top bin
    const base = path.join(dir, 'base.csv');
    const cur = path.join(dir, 'cur.csv');
    fs.writeFileSync(base, ' x ,Label\n' + Array.from({ length: 10 }, (_, i) => `${i + 1},BENIGN`).join('\n') + '\n');
    fs.writeFileSync(cur, ' x ,Label\n' + Array.from({ length: 5 }, () => '100,BENIGN').join('\n') + '\n,\n');
    const r = runOracle<{ psi: Record<string, number>; rows_baseline: number; rows_current: number; label: string }>('psi', 'drift', {
      baseline: base,
      current: cur,
    });
    const expected = 9 * (1e-4 - 0.1) * Math.log(1e-4 / 0.1) + (1 - 0.1) * Math.log(1 / 0.1);
    assert.deepEqual(Object.keys(r.psi), ['x'], 'header names stripped, label not a feature');
    assert.equal(r.label, 'Label');
    assert.equal(r.rows_current, 5, 'the row without a label is dropped');
    assert.ok(Math.abs(r.psi.x - expected) < 1e-12, `${r.psi.x} vs ${expected}`);
    assert.ok(r._process.cpu_s > 0 && r._process.peak_rss_mb > 0, 'every result reports its process usage');
  });

  it('a bad request is a one-line error naming the field', () => {
    assert.throws(() => runOracle('stats', 'two_sample', { a: [1, 2] }), (e: Error) => e instanceof OracleError && /request field 'b' is required/.test(e.message) && !e.message.includes('\n'));
    assert.throws(() => runOracle('stats', 'no_such_command', {}), /unknown command 'no_such_command' \(commands: .*two_sample/);
    assert.throws(() => runOracle('psi', 'read', { file: path.join(dir, 'absent.csv') }), /cannot read .*absent\.csv/);
  });

  it('a missing Python module fails with the apt-get command that installs it', () => {
    // the same interpreter without its site packages (-S) has no numpy/scipy: what a bare machine looks like
    const python = findPython('stats');
    const bare = path.join(dir, 'python3-bare');
    fs.writeFileSync(bare, `#!/bin/sh\nexec '${python}' -S "$@"\n`, { mode: 0o755 });
    assert.throws(
      () => findPython('stats', { ...process.env, DRIFTCATCHER_PYTHON: bare }),
      (e: Error) => /numpy, scipy missing .*apt-get install -y python3-numpy python3-scipy — or sudo bash \.ci\/run --install-only/.test(e.message),
    );
  });

  it('no python3 at all fails with the apt-get command', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: dir };
    delete env.DRIFTCATCHER_PYTHON;
    assert.throws(() => findPython('psi', env), /python3 not found on PATH .*apt-get install -y python3/);
  });

  it('encodes NaN and ±Infinity, which JSON lacks, and oracleNumber decodes them', () => {
    const undefinedJs = runOracle<{ distance: number | null }>('stats', 'jensenshannon', { p: [0, 0], q: [0, 0] });
    assert.equal(undefinedJs.distance, null, 'scipy answers NaN for two empty distributions');
    assert.deepEqual(['Infinity', '-Infinity', null, 2].map((v) => oracleNumber(v)), [Infinity, -Infinity, NaN, 2]);
  });
});
