import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { copyFileAtomic, writeFileAtomic } from '../util/atomicWrite';
import { DriftCatcherError } from '../util/errors';
import { hashFile } from '../util/hash';
import { cacheDir, DVC_DIR, localRemotePath, defaultRemote, objectPath, parseDvcFile, renderDvcFile, type DvcOut } from './dvcFormat';

/** DVC's cache and remote objects are read-only (dvc-data `protect`) */
export const OBJECT_MODE = 0o444;

export interface AddResult extends DvcOut {
  dvcFile: string;
  gitignore: string;
  /** data rows (lines after the header) */
  rows: number;
}

/**
 * `dvc add FILE` without DVC: one streaming pass copies the bytes into a temp file under .dvc/tmp while computing
 * their MD5 and line count, then renames the temp into the cache object (so a crash never leaves a half-written
 * object), writes `<file>.dvc` atomically and adds `/<file>` to the folder's .gitignore.
 */
export async function builtinAdd(workspace: string, file: string, signal?: AbortSignal): Promise<AddResult> {
  const tmpDir = path.join(workspace, DVC_DIR, 'tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, `add.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const md5 = createHash('md5');
  const counter = new RowCounter();
  try {
    await pipeline(
      fs.createReadStream(file, { highWaterMark: 1 << 20 }),
      new Transform({
        transform(chunk: Buffer, _enc, cb) {
          md5.update(chunk);
          counter.add(chunk);
          cb(null, chunk);
        },
      }),
      fs.createWriteStream(tmp, { mode: 0o644 }),
      { signal },
    );
    const hex = md5.digest('hex');
    const object = objectPath(cacheDir(workspace), hex);
    if (fs.existsSync(object)) {
      fs.rmSync(tmp, { force: true }); // same bytes already cached
    } else {
      const fd = fs.openSync(tmp, 'r');
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      fs.chmodSync(tmp, OBJECT_MODE);
      fs.mkdirSync(path.dirname(object), { recursive: true });
      fs.renameSync(tmp, object);
    }
    fs.chmodSync(object, OBJECT_MODE);
    const { size } = counter;
    const rows = counter.rows();
    const dvcFile = `${file}.dvc`;
    writeFileAtomic(dvcFile, renderDvcFile({ md5: hex, size, path: path.basename(file) }));
    const gitignore = addGitignoreLine(path.dirname(file), `/${path.basename(file)}`);
    return { md5: hex, size, path: path.basename(file), dvcFile, gitignore, rows };
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** adds a line to <dir>/.gitignore once (DVC's own behaviour for tracked outputs) */
export function addGitignoreLine(dir: string, line: string): string {
  const file = path.join(dir, '.gitignore');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const lines = text.split(/\r?\n/);
  if (!lines.includes(line)) writeFileAtomic(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${line}\n`);
  return file;
}

/**
 * `dvc push` to the default remote when it is a folder: objects copied in DVC's remote layout, read-only.
 * Returns a notice when there is nothing DriftCatcher can push to.
 */
export function builtinPush(workspace: string, md5: string): { pushed?: string; notice?: string } {
  const remote = defaultRemote(workspace);
  if (!remote) return {};
  const dest = localRemotePath(workspace, remote.url);
  if (!dest) return { notice: `DVC remote '${remote.name}' (${remote.url}) is not a folder; run \`dvc push\` to upload the baseline` };
  const target = objectPath(dest, md5);
  if (!fs.existsSync(target)) copyFileAtomic(objectPath(cacheDir(workspace), md5), target, OBJECT_MODE);
  return { pushed: target };
}

/**
 * `dvc checkout` of one .dvc file: the workspace file is materialised from the cache (fetched from a folder remote
 * when the cache lacks it), written atomically and checked byte-for-byte against the recorded MD5.
 */
export async function builtinCheckout(workspace: string, dvcFile: string): Promise<DvcOut> {
  const out = parseDvcFile(fs.readFileSync(dvcFile, 'utf8'), dvcFile);
  const object = objectPath(cacheDir(workspace), out.md5);
  if (!fs.existsSync(object)) {
    const remote = defaultRemote(workspace);
    const from = remote && localRemotePath(workspace, remote.url);
    if (from && fs.existsSync(objectPath(from, out.md5))) {
      copyFileAtomic(objectPath(from, out.md5), object, OBJECT_MODE); // `dvc fetch`
    } else {
      throw new DriftCatcherError(
        `the baseline ${out.md5} is neither in the DVC cache nor in a folder remote; run \`dvc pull ${path.relative(workspace, dvcFile)}\``,
        'NOT_FOUND',
        { file: dvcFile },
      );
    }
  }
  const target = path.join(path.dirname(dvcFile), out.path);
  copyFileAtomic(object, target, 0o644);
  const got = await hashFile(target, 'md5');
  if (got !== out.md5) throw new DriftCatcherError(`the cache object for ${out.path} is corrupt (md5 ${got}, expected ${out.md5})`, 'INTERNAL', { file: object });
  return out;
}

/** data rows of a CSV: lines after the header (a last line without newline counts) */
class RowCounter {
  size = 0;
  private newlines = 0;
  private last = 0x0a;
  add(chunk: Buffer): void {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) this.newlines++;
    this.size += chunk.length;
    if (chunk.length) this.last = chunk[chunk.length - 1];
  }
  rows(): number {
    return Math.max(0, this.newlines + (this.size > 0 && this.last !== 0x0a ? 1 : 0) - 1);
  }
}

export async function countRows(file: string): Promise<number> {
  const c = new RowCounter();
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) c.add(chunk);
  return c.rows();
}
