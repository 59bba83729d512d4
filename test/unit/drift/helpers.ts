import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { uniform } from '../../../src/core/util/random';

/** seeded test data (the engine's own generator) */
export const rng = uniform;

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
