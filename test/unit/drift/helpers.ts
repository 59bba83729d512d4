import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

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

/** mulberry32: a small deterministic PRNG for test data */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
