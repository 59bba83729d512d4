import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { writeJsonAtomic } from '../../util/atomicWrite';

/**
 * A demo folder remembers what the demo created in it (`.driftcatcher-demo.json`), so the next `driftcatcher demo`
 * into the same folder starts from a clean slate — removing only what a demo made, never files that were there
 * before it or added since by hand.
 */
const MARKER = '.driftcatcher-demo.json';
const MarkerSchema = z.object({ created: z.array(z.string()) });

/** Remove what the previous demo created in `dir`; returns the removed top-level names (none without a marker). */
export function clearPreviousDemo(dir: string): string[] {
  const file = path.join(dir, MARKER);
  if (!fs.existsSync(file)) return [];
  const parsed = MarkerSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) return [];
  const removed: string[] = [];
  for (const name of parsed.data.created) {
    // top-level names only: a marker can never point outside the folder
    if (name !== path.basename(name) || name === '.' || name === '..' || name === MARKER) continue;
    const p = path.join(dir, name);
    if (!fs.existsSync(p)) continue;
    fs.rmSync(p, { recursive: true, force: true });
    removed.push(name);
  }
  fs.rmSync(file, { force: true });
  return removed;
}

/** Record what the demo created: everything in `dir` now that was not there before it started. */
export function recordDemo(dir: string, before: string[]): void {
  if (!fs.existsSync(dir)) return;
  const existed = new Set(before);
  const created = fs.readdirSync(dir).filter((n) => !existed.has(n) && n !== MARKER).sort();
  writeJsonAtomic(path.join(dir, MARKER), { created });
}
