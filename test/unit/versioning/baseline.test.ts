import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BASELINE_FILE, baselineHistory, restoreBaseline, versionBaseline } from '../../../src/core/versioning/baseline';
import { builtinAdd } from '../../../src/core/versioning/dvcWriter';
import { DVC_GITIGNORE } from '../../../src/core/versioning/dvcFormat';
import { ctxFor, sh, tempWorkspace, writeCsv } from './helpers';

const noDvc = { useDvcCli: false };

function cacheObject(ws: string, md5: string): string {
  return path.join(ws, '.dvc', 'cache', 'files', 'md5', md5.slice(0, 2), md5.slice(2));
}

describe('versioning/baseline (built-in DVC 3 writer + git)', () => {
  let ws: string;
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('versions data/baseline.csv in DVC 3 layout and commits the .dvc file and .gitignore', async () => {
    ws = tempWorkspace();
    fs.mkdirSync(path.join(ws, 'data'));
    fs.writeFileSync(path.join(ws, 'data', '.gitignore'), '/scratch.csv'); // an existing line without final newline
    fs.writeFileSync(path.join(ws, 'other.txt'), 'a teammate staged this');
    sh(ws, 'git', 'add', 'other.txt');
    const bytes = writeCsv(path.join(ws, BASELINE_FILE), 40);
    const v = await versionBaseline(ctxFor(ws), { modelVersion: 'v1' }, noDvc);

    const md5sum = sh(ws, 'md5sum', BASELINE_FILE).split(' ')[0];
    assert.equal(v.md5, md5sum, 'plain MD5 of the bytes, as md5sum computes it');
    assert.equal(v.size, bytes.length);
    assert.equal(v.rows, 40);
    assert.equal(v.model_version, 'v1');
    assert.equal(v.committed, true);
    assert.equal(
      fs.readFileSync(path.join(ws, 'data', 'baseline.csv.dvc'), 'utf8'),
      `outs:\n- md5: ${md5sum}\n  size: ${bytes.length}\n  hash: md5\n  path: baseline.csv\n`,
    );
    const obj = cacheObject(ws, md5sum);
    assert.ok(fs.readFileSync(obj).equals(bytes), 'cache object holds the exact bytes');
    assert.equal(fs.statSync(obj).mode & 0o777, 0o444, 'cache objects are read-only');
    assert.equal(fs.readFileSync(path.join(ws, 'data', '.gitignore'), 'utf8'), '/scratch.csv\n/baseline.csv\n');
    assert.equal(fs.readFileSync(path.join(ws, '.dvc', '.gitignore'), 'utf8'), DVC_GITIGNORE);
    assert.equal(fs.readFileSync(path.join(ws, '.dvc', 'config'), 'utf8'), '');
    assert.deepEqual(fs.readdirSync(path.join(ws, '.dvc', 'tmp')), [], 'no temp files left');

    assert.equal(sh(ws, 'git', 'rev-parse', 'HEAD').trim(), v.rev);
    assert.match(sh(ws, 'git', 'log', '-1', '--format=%s'), /^Baseline for model v1: data\/baseline.csv \(40 rows/);
    const committed = sh(ws, 'git', 'show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort();
    assert.deepEqual(committed, ['.dvc/.gitignore', '.dvc/config', '.dvcignore', 'data/.gitignore', 'data/baseline.csv.dvc']);
    assert.equal(sh(ws, 'git', 'ls-files', BASELINE_FILE), '', 'the data itself is not in git');
    assert.match(sh(ws, 'git', 'status', '--porcelain'), /^A  other\.txt$/m, "someone else's staged file stays staged, uncommitted");
    // git now ignores the data file
    assert.equal(sh(ws, 'git', 'check-ignore', BASELINE_FILE).trim(), BASELINE_FILE);
  });

  it('history lists versions newest first; restore is byte-identical and recorded', async () => {
    ws = tempWorkspace();
    const file = path.join(ws, BASELINE_FILE);
    const a = writeCsv(file, 30, 1);
    const v1 = await versionBaseline(ctxFor(ws), { modelVersion: 'v1' }, noDvc);
    const b = writeCsv(file, 55, 2);
    const v2 = await versionBaseline(ctxFor(ws), { modelVersion: 'v2' }, noDvc);
    assert.notEqual(v1.md5, v2.md5);
    assert.equal(fs.readFileSync(path.join(ws, 'data', '.gitignore'), 'utf8'), '/baseline.csv\n', 'no duplicate ignore line');

    const history = await baselineHistory(ctxFor(ws));
    assert.deepEqual(
      history.map((h) => [h.rev, h.md5, h.size, h.rows, h.model_version]),
      [
        [v2.rev, v2.md5, b.length, 55, 'v2'],
        [v1.rev, v1.md5, a.length, 30, 'v1'],
      ],
    );

    // the production model is v2 when we roll the data back to v1's baseline
    fs.mkdirSync(path.join(ws, '.driftcatcher', 'models', 'v1'), { recursive: true });
    fs.writeFileSync(path.join(ws, '.driftcatcher', 'production.json'), '{"version":"v1"}');
    fs.writeFileSync(path.join(ws, '.driftcatcher', 'models', 'v1', 'meta.json'), '{"version":"v1","status":"production"}');
    const restored = await restoreBaseline(ctxFor(ws), { rev: v1.rev.slice(0, 10) }, noDvc);
    assert.ok(fs.readFileSync(file).equals(a), 'restored bytes are identical');
    assert.equal(sh(ws, 'md5sum', BASELINE_FILE).split(' ')[0], v1.md5);
    assert.equal(restored.rev, v1.rev);
    assert.equal(restored.rows, 30);
    assert.equal(restored.committed, true);
    assert.match(sh(ws, 'git', 'log', '-1', '--format=%s'), new RegExp(`^Restore baseline data/baseline.csv to ${v1.rev.slice(0, 8)}`));
    assert.equal(sh(ws, 'git', 'status', '--porcelain', '--', 'data'), '', 'the .dvc file is committed, the data ignored');
    const state = JSON.parse(fs.readFileSync(path.join(ws, '.driftcatcher', 'baseline.json'), 'utf8'));
    assert.equal(state.restored_from, v1.rev);
    assert.equal(state.production_model, 'v1');
    assert.equal(JSON.parse(fs.readFileSync(path.join(ws, '.driftcatcher', 'models', 'v1', 'meta.json'), 'utf8')).baseline_version, v1.rev);
    // and forward again
    await restoreBaseline(ctxFor(ws), { rev: v2.rev }, noDvc);
    assert.ok(fs.readFileSync(file).equals(b));
  });

  it('pushes to a local-path remote in DVC layout and restores from it when the cache lost the object', async () => {
    ws = tempWorkspace();
    fs.mkdirSync(path.join(ws, '.dvc'));
    fs.writeFileSync(path.join(ws, '.dvc', 'config'), "[core]\n    remote = storage\n['remote \"storage\"']\n    url = ../remote-store\n");
    const a = writeCsv(path.join(ws, BASELINE_FILE), 12);
    const v1 = await versionBaseline(ctxFor(ws), {}, noDvc);
    const remoteObj = path.join(ws, 'remote-store', 'files', 'md5', v1.md5.slice(0, 2), v1.md5.slice(2));
    assert.equal(v1.pushed, remoteObj);
    assert.ok(fs.readFileSync(remoteObj).equals(a));
    assert.equal(fs.statSync(remoteObj).mode & 0o777, 0o444);
    writeCsv(path.join(ws, BASELINE_FILE), 20, 9);
    await versionBaseline(ctxFor(ws), {}, noDvc);

    fs.rmSync(path.join(ws, '.dvc', 'cache'), { recursive: true, force: true }); // a fresh clone has no cache
    await restoreBaseline(ctxFor(ws), { rev: v1.rev }, noDvc);
    assert.ok(fs.readFileSync(path.join(ws, BASELINE_FILE)).equals(a));
  });

  it('a restore whose data is nowhere fails with an actionable error and leaves the workspace as it was', async () => {
    ws = tempWorkspace();
    writeCsv(path.join(ws, BASELINE_FILE), 5, 1);
    const v1 = await versionBaseline(ctxFor(ws), {}, noDvc);
    const b = writeCsv(path.join(ws, BASELINE_FILE), 8, 2);
    await versionBaseline(ctxFor(ws), {}, noDvc);
    const dvcBefore = fs.readFileSync(path.join(ws, 'data', 'baseline.csv.dvc'), 'utf8');
    fs.rmSync(path.join(ws, '.dvc', 'cache'), { recursive: true, force: true });
    await assert.rejects(restoreBaseline(ctxFor(ws), { rev: v1.rev }, noDvc), /neither in the DVC cache nor in a folder remote; run `dvc pull data\/baseline.csv.dvc`/);
    assert.equal(fs.readFileSync(path.join(ws, 'data', 'baseline.csv.dvc'), 'utf8'), dvcBefore);
    assert.ok(fs.readFileSync(path.join(ws, BASELINE_FILE)).equals(b));
    await assert.rejects(restoreBaseline(ctxFor(ws), { rev: 'no-such-rev' }, noDvc), /'no-such-rev' is not a commit/);
  });

  it('versioning the same bytes again commits nothing and says so', async () => {
    ws = tempWorkspace();
    writeCsv(path.join(ws, BASELINE_FILE), 5);
    const v1 = await versionBaseline(ctxFor(ws), {}, noDvc);
    const again = await versionBaseline(ctxFor(ws), {}, noDvc);
    assert.equal(again.committed, false);
    assert.equal(again.rev, v1.rev);
    assert.match(again.notices.join(), /unchanged/);
    assert.equal((await baselineHistory(ctxFor(ws))).length, 1);
  });

  it('a workspace that is not a git repository gets the DVC files and a clear notice', async () => {
    ws = tempWorkspace(false);
    const logs: string[] = [];
    writeCsv(path.join(ws, BASELINE_FILE), 5);
    const v = await versionBaseline(ctxFor(ws, logs), { modelVersion: 'v1' }, noDvc);
    assert.equal(v.committed, false);
    assert.equal(v.rev, '');
    assert.match(v.notices[0], /is not a git repository: data\/baseline.csv.dvc was written but nothing was committed/);
    assert.deepEqual(logs, v.notices);
    assert.ok(fs.existsSync(path.join(ws, 'data', 'baseline.csv.dvc')));
    assert.match(fs.readFileSync(path.join(ws, '.dvc', 'config'), 'utf8'), /no_scm = True/);
    assert.deepEqual(await baselineHistory(ctxFor(ws)), []);
  });

  it('refuses a file outside the workspace', async () => {
    ws = tempWorkspace();
    await assert.rejects(versionBaseline(ctxFor(ws), { file: '../elsewhere.csv' }, noDvc), /outside the workspace/);
  });

  it('a cancelled add leaves no cache object, no .dvc file and no temp file', async () => {
    ws = tempWorkspace();
    const file = path.join(ws, BASELINE_FILE);
    writeCsv(file, 50);
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(builtinAdd(ws, file, ac.signal));
    assert.ok(!fs.existsSync(`${file}.dvc`));
    assert.ok(!fs.existsSync(path.join(ws, '.dvc', 'cache')));
    assert.deepEqual(fs.readdirSync(path.join(ws, '.dvc', 'tmp')), []);
  });

  it('uses the real dvc CLI when it is on PATH (dvc init, add, remote default, push)', async function () {
    ws = tempWorkspace();
    const bin = path.join(ws, '.fakebin');
    const log = path.join(ws, 'dvc-calls.log');
    fs.mkdirSync(bin);
    // a stand-in dvc that records its arguments and writes what `dvc add` writes
    fs.writeFileSync(
      path.join(bin, 'dvc'),
      `#!/bin/sh
echo "$@" >> "${log}"
case "$1" in
  init) mkdir -p .dvc && : > .dvc/config && printf '/config.local\\n/tmp\\n/cache\\n' > .dvc/.gitignore && : > .dvcignore ;;
  add) f="$2"; m=$(md5sum "$f" | cut -d' ' -f1); s=$(wc -c < "$f"); printf 'outs:\\n- md5: %s\\n  size: %s\\n  hash: md5\\n  path: %s\\n' "$m" $s "$(basename "$f")" > "$f.dvc"; echo "/$(basename "$f")" >> "$(dirname "$f")/.gitignore" ;;
  remote) echo storage ;;
esac
`,
      { mode: 0o755 },
    );
    writeCsv(path.join(ws, BASELINE_FILE), 7);
    const oldPath = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${oldPath}`;
    try {
      const v = await versionBaseline(ctxFor(ws), { modelVersion: 'v3' }, {});
      assert.equal(v.pushed, 'storage');
      assert.equal(v.committed, true);
      assert.equal(v.md5, sh(ws, 'md5sum', BASELINE_FILE).split(' ')[0]);
    } finally {
      process.env.PATH = oldPath;
    }
    assert.deepEqual(fs.readFileSync(log, 'utf8').trim().split('\n'), ['init', 'add data/baseline.csv', 'remote default', 'push data/baseline.csv.dvc']);
  });
});
