import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * A temporary name beside `file` in the same folder (so a rename onto it is atomic), unique to this process and
 * call: `.NAME.PID.RANDOM.EXT` — hidden, and named after what it will become.
 */
export function siblingTempPath(file: string, ext = 'tmp'): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.${ext}`);
}

/**
 * Write a file so that readers see the old content or the new one, never a torn one:
 * temp file in the same folder, fsync, rename over the target, fsync the folder.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): void {
  writeAtomicWith(file, mode, (fd) => fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data));
}

/** writeFileAtomic's protocol around a writer that fills the temp file itself (in pieces, for large content). */
function writeAtomicWith(file: string, mode: number | undefined, fill: (fd: number) => void): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = siblingTempPath(file);
  try {
    const fd = fs.openSync(tmp, 'w', mode ?? 0o666);
    try {
      fill(fd);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/** bytes of JSON text gathered before a write: bounds memory whatever the size of the document */
const JSON_CHUNK_BYTES = 1 << 20;

/**
 * writeJsonAtomic for a document with one large array (a wide profile's features: tens of MB as one string):
 * the other fields are written as writeJsonAtomic would, the array one compact element per line, piece by piece,
 * so memory holds one element's text at a time. JSON.parse reads the file back to the same value.
 */
export function writeJsonAtomicByLines<T extends object>(file: string, value: T, arrayKey: keyof T & string): void {
  const rows = value[arrayKey];
  if (!Array.isArray(rows)) throw new TypeError(`writeJsonAtomicByLines: "${arrayKey}" is not an array`);
  const rest = JSON.stringify({ ...value, [arrayKey]: [] }, null, 2);
  const slot = `\n  ${JSON.stringify(arrayKey)}: []`;
  const at = rest.indexOf(slot);
  if (at < 0) throw new TypeError(`writeJsonAtomicByLines: "${arrayKey}" is not a top-level field`);
  writeAtomicWith(file, undefined, (fd) => {
    let buf: string[] = [rest.slice(0, at + slot.length - 1)];
    let size = 0;
    const push = (s: string): void => {
      buf.push(s);
      size += s.length;
      if (size < JSON_CHUNK_BYTES) return;
      fs.writeSync(fd, Buffer.from(buf.join(''), 'utf8'));
      buf = [];
      size = 0;
    };
    rows.forEach((row, i) => push(`${i ? ',' : ''}\n    ${JSON.stringify(row)}`));
    push(`${rows.length ? '\n  ' : ''}]${rest.slice(at + slot.length)}\n`);
    fs.writeSync(fd, Buffer.from(buf.join(''), 'utf8'));
  });
}

/** Copy a file atomically (used for baselines and cache objects). */
export function copyFileAtomic(src: string, dest: string, mode?: number): void {
  const dir = path.dirname(dest);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = siblingTempPath(dest);
  try {
    fs.copyFileSync(src, tmp);
    if (mode !== undefined) fs.chmodSync(tmp, mode);
    const fd = fs.openSync(tmp, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, dest);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(dir);
}

function fsyncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    /* some file systems refuse fsync on directories; the rename is still atomic */
  }
}

export function readJsonFile<T = unknown>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}
