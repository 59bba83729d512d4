import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** Debian's python3 with python3-sklearn (what .ci/run installs). */
export const PYTHON = '/usr/bin/python3';
/** test/oracles/ of this repository (tests run from out/test/unit/model) */
export const ORACLES = path.resolve(__dirname, '../../../../test/oracles');

/**
 * Runs test/oracles/<script> with `input` as JSON on stdin and parses the JSON it prints. A missing python or
 * scikit-learn is a failure that names the install command, never a skip.
 */
export function oracle<T>(script: string, input: unknown, args: string[] = []): T {
  const r = spawnSync(PYTHON, [path.join(ORACLES, script), ...args], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : r.stderr.trim().split('\n').slice(-1)[0];
    const hint = /No module named|ENOENT/.test(why) ? ' (install: apt-get install -y python3-sklearn python3-pandas)' : '';
    throw new Error(`oracle ${script} failed: ${why}${hint}`);
  }
  return JSON.parse(r.stdout) as T;
}
