import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh temp folder per test file; removed in `after`. */
export function tempDir(prefix = 'dc-data-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

let n = 0;
/** Writes `content` (string = UTF-8, Buffer = raw bytes) to a new file in dir and returns its path. */
export function writeTemp(dir: string, content: string | Buffer, name?: string): string {
  const f = path.join(dir, name ?? `t${n++}.csv`);
  fs.writeFileSync(f, content);
  return f;
}

/** Resolves to the thrown error (fails the test when nothing is thrown). */
export async function rejection(p: Promise<unknown>): Promise<Error & { code?: string; where?: { line?: number; column?: number } }> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

export const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures');
