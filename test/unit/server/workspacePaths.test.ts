import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { WorkspacePaths } from '../../../src/core/server/workspacePaths';
import { DriftCatcherError } from '../../../src/core/util/errors';

describe('server/workspacePaths', () => {
  let root: string;
  let ws: string;
  let other: string;
  let outside: string;
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dc-paths-')));
    ws = path.join(root, 'ws');
    other = path.join(root, 'other-folder');
    outside = path.join(root, 'outside');
    for (const d of [ws, other, outside]) fs.mkdirSync(d);
    fs.writeFileSync(path.join(ws, 'a.csv'), 'x\n1\n');
    fs.symlinkSync(outside, path.join(ws, 'escape'));
    fs.symlinkSync(path.join(outside, 'new.json'), path.join(ws, 'dangling.json'));
    fs.symlinkSync(path.join(ws, 'a.csv'), path.join(ws, 'inner-link.csv'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const refused = (fn: () => unknown): void =>
    assert.throws(fn, (e: unknown) => e instanceof DriftCatcherError && e.code === 'OUTSIDE_WORKSPACE' && /outside the workspace/.test(e.message));

  it('resolves relative paths against the first folder and accepts every folder', () => {
    const paths = new WorkspacePaths([ws, other]);
    assert.equal(paths.resolve('a.csv'), path.join(ws, 'a.csv'));
    assert.equal(paths.resolve(path.join(other, 'b.csv')), path.join(other, 'b.csv'));
    assert.equal(paths.resolve('sub/dir/out.json'), path.join(ws, 'sub', 'dir', 'out.json'));
    assert.equal(paths.resolve('inner-link.csv'), path.join(ws, 'a.csv'));
  });

  it('refuses .. escapes, absolute paths elsewhere, symlinks out, and dangling symlinks pointing out', () => {
    const paths = new WorkspacePaths([ws]);
    refused(() => paths.resolve('../outside/x.csv'));
    refused(() => paths.resolve('/etc/passwd'));
    refused(() => paths.resolve('escape/x.csv'));
    refused(() => paths.resolve('escape/not/yet/there.json'));
    refused(() => paths.resolve('dangling.json'));
    refused(() => paths.resolve(path.join(ws + '-sibling', 'x.csv')));
  });

  it('names the field in the message', () => {
    const paths = new WorkspacePaths([ws]);
    assert.throws(() => paths.resolve('/etc/passwd', 'baseline'), /: baseline: \/etc\/passwd is outside the workspace/);
  });
});
