import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The README's install line is what a person runs by hand; `.ci/run` is what CI runs: they must name the same packages. */

const REPO = path.resolve(__dirname, '../../..');

/** the packages of `.ci/run`'s APT_PACKAGES=( … ) list, one per line with a comment */
function ciPackages(script: string): string[] {
  const list = /APT_PACKAGES=\(\n([\s\S]*?)\n\)/.exec(script);
  if (!list) throw new Error('.ci/run has no APT_PACKAGES=( … ) list');
  return list[1].split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
}

/** the packages of the README's first `sudo apt-get install -y …` command (continued over `\` lines) */
function readmePackages(readme: string): string[] {
  const cmd = /sudo apt-get install -y ((?:[^\n]*\\\n)*[^\n]*)/.exec(readme);
  if (!cmd) throw new Error('README has no `sudo apt-get install -y` line');
  return cmd[1].replace(/\\\n/g, ' ').split(/\s+/).filter(Boolean);
}

describe('README', () => {
  it('installs by hand the same Debian packages as .ci/run', () => {
    const ci = ciPackages(fs.readFileSync(path.join(REPO, '.ci/run'), 'utf8'));
    const readme = readmePackages(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8'));
    assert.ok(ci.length > 5, `read ${ci.length} package(s) from .ci/run`);
    assert.deepEqual([...readme].sort(), [...ci].sort());
  });

  it('the comparison sees a package missing from the README', () => {
    const ci = ciPackages('APT_PACKAGES=(\n  git   # why\n  postgresql  # why\n)\n');
    const readme = readmePackages('```sh\n  sudo apt-get install -y git \\\n    ripgrep\n```\n');
    assert.deepEqual(ci, ['git', 'postgresql']);
    assert.deepEqual(readme, ['git', 'ripgrep']);
    assert.notDeepEqual(readme.sort(), ci.sort());
  });
});
