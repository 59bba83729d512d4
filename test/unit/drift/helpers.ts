import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { mulberry32 } from '../../../src/core/data/random';

/** Debian's python with numpy/pandas/scipy (the anchors' interpreter). */
export const PYTHON = '/usr/bin/python3';
export const ANCHORS = path.resolve(__dirname, '../../../../../shared/anchors');
export const SEED_DRIFT = fs.existsSync(path.join(ANCHORS, 'seed_drift.py')) ? path.join(ANCHORS, 'seed_drift.py') : '/work/shared/anchors/seed_drift.py';

/** Runs python code that prints one JSON value; `input` is passed as JSON on stdin. */
export function py<T>(code: string, input: unknown = null): T {
  const r = spawnSync(PYTHON, ['-c', code], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

/** seeded test data (the engine's own mulberry32) */
export const rng = mulberry32;

export function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

export function tmpDir(prefix = 'dc-drift-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeCsv(file: string, header: string[], rows: (string | number)[][]): string {
  fs.writeFileSync(file, [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
  return file;
}
