import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Column } from '../data/table';

/**
 * Write columns as a CSV atomically (temp file + rename), in row chunks so memory stays flat.
 * `rows` picks which rows of the columns to write, in that order (default: all). Text is quoted when needed.
 */
export async function writeColumnsCsv(file: string, columns: Column[], rows?: Int32Array): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const n = rows ? rows.length : columns.length ? (columns[0].kind === 'numeric' ? columns[0].values.length : columns[0].codes.length) : 0;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, columns.map((c) => csvField(c.name)).join(',') + '\n');
    const CHUNK = 4096;
    for (let start = 0; start < n; start += CHUNK) {
      const lines: string[] = [];
      for (let k = start; k < Math.min(n, start + CHUNK); k++) {
        const i = rows ? rows[k] : k;
        lines.push(columns.map((c) => cell(c, i)).join(','));
      }
      fs.writeSync(fd, lines.join('\n') + '\n');
      if (start % (CHUNK * 16) === 0) await new Promise((r) => setImmediate(r)); // stay responsive in the server
    }
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

function cell(c: Column, i: number): string {
  if (c.kind === 'numeric') {
    const v = c.values[i];
    return Number.isNaN(v) ? '' : String(v); // ±Infinity prints as Infinity, which the reader parses back
  }
  const code = c.codes[i];
  return code < 0 ? '' : csvField(c.categories[code]);
}

export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
