import { isAscii } from 'node:buffer';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import Module from 'node:module';
import { writeFileAtomic } from './atomicWrite';

/**
 * Loads a CommonJS bundle as `require` would, but compiled through vm.Script with a V8 code cache: the CLI
 * bundle is several MB, and compiling it is most of a short command's start-up (Node 20 has no module compile
 * cache). The cache is a file beside the bundle — as trusted as the bundle itself, since whoever can write one can
 * write the other — tagged with the bundle's size, mtime and inode, the Node version and the architecture, and
 * with a SHA-256 of the V8 data (V8 checks its own version and flags, not that its data is intact). Anything else
 * (no cache, another bundle or Node, a damaged or unreadable file, V8 rejecting the data) compiles from source as
 * usual and writes a fresh cache when the process exits; a cache that cannot be written is silently skipped.
 *
 * A cache holds the functions compiled by the runs that wrote it, and a command initialises only the modules it
 * uses: so the cache also lists the commands (keys) it was made by, and the first run of another command writes it
 * again, with that command's functions added to those it loaded from the cache.
 */

/** how the bundle starts (esbuild.js CJS_WRAPPER) */
const WRAPPER = '(function (exports, require, module, __filename, __dirname) {';
const MAGIC = Buffer.from('DCV8CC02');
const HASH_BYTES = 32;

export interface CachedBundle {
  /** the bundle's module.exports */
  exports: Record<string, unknown>;
  /** whether V8 used a cache file */
  usedCache: boolean;
  /**
   * Writes the cache file now (after the code ran: lazily compiled functions are in it) when it was missing or not
   * used, or was made by runs none of which ran `key` (what this process ran, e.g. the command's name).
   */
  saveCache(key?: string): void;
}

/** The cache file of `bundle` (beside it). */
export function cacheFileOf(bundle: string): string {
  return `${bundle}.v8cache`;
}

/**
 * Requires `bundle` (an absolute path) through a V8 code cache; `parent` is the loading module. The bundle is built
 * already wrapped as Node wraps a module, `(function (exports, require, module, __filename, __dirname) {…})`
 * (esbuild.js), so its text is compiled as read: no wrapped copy of several MB next to it.
 */
export function requireCached(bundle: string, parent?: NodeJS.Module): CachedBundle {
  const st = fs.statSync(bundle);
  const source = readSource(bundle);
  if (!source.startsWith(WRAPPER)) throw new Error(`${bundle} is not a wrapped CommonJS bundle (see esbuild.js)`);
  const tag = cacheTag(st);
  const cacheFile = cacheFileOf(bundle);
  const cache = readCache(cacheFile, tag);
  const cached = cache?.data;
  // no importModuleDynamically: on Node 20 an import() in code from a cache fails whatever is given, so the bundle
  // has none (esbuild.js refuses to build one) and an import() fails the same way with or without a cache
  const script = new vm.Script(source, { filename: bundle, cachedData: cached });
  const usedCache = cached !== undefined && script.cachedDataRejected === false;
  const dir = path.dirname(bundle);
  const mod = new Module(bundle, parent);
  mod.filename = bundle;
  const req = Module.createRequire(bundle);
  const fn = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: NodeJS.Module, f: string, d: string) => void;
  fn.call(mod.exports, mod.exports, req, mod, bundle, dir);
  mod.loaded = true;
  const keys = usedCache ? (cache?.keys ?? []) : [];
  let saved = false;
  return {
    exports: mod.exports as Record<string, unknown>,
    usedCache,
    saveCache: (key) => {
      if (saved || (usedCache && (key === undefined || keys.includes(key)))) return;
      saved = true;
      writeCache(cacheFile, tag, key === undefined || keys.includes(key) ? keys : [...keys, key], () => script.createCachedData());
    },
  };
}

/**
 * The bundle's text. esbuild writes ASCII (esbuild.js makes sure), and an ASCII file decoded as Latin-1 is the same
 * string as decoded as UTF-8, at a tenth of the time (a copy instead of a decode); any other byte: UTF-8, as require.
 */
function readSource(bundle: string): string {
  const bytes = fs.readFileSync(bundle);
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/** what a cache must have been made for: this bundle file as it is now, this Node on this architecture */
function cacheTag(st: fs.Stats): Buffer {
  return Buffer.from(JSON.stringify([process.version, process.arch, st.size, st.mtimeMs, st.ino]));
}

/**
 * The V8 data of a cache file made for `tag` and the keys of the runs that wrote it, or undefined (missing, another
 * tag, damaged). Layout: MAGIC, tag length (u32 LE), tag, keys length (u32 LE), keys (JSON), SHA-256 of keys and
 * data, data.
 */
function readCache(file: string, tag: Buffer): { data: Buffer; keys: string[] } | undefined {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const head = MAGIC.length + 4;
  if (buf.length < head || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const tagLen = buf.readUInt32LE(MAGIC.length);
  const keysAt = head + tagLen + 4;
  if (buf.length < keysAt || !buf.subarray(head, head + tagLen).equals(tag)) return undefined;
  const keysLen = buf.readUInt32LE(head + tagLen);
  const hashAt = keysAt + keysLen;
  const dataAt = hashAt + HASH_BYTES;
  if (buf.length < dataAt) return undefined;
  const keysJson = buf.subarray(keysAt, hashAt);
  const data = buf.subarray(dataAt);
  const hash = crypto.createHash('sha256').update(keysJson).update(data).digest();
  if (!hash.equals(buf.subarray(hashAt, dataAt))) return undefined;
  let keys: unknown;
  try {
    keys = JSON.parse(keysJson.toString('utf8'));
  } catch {
    return undefined;
  }
  return Array.isArray(keys) && keys.every((k) => typeof k === 'string') ? { data, keys } : undefined;
}

/** Writes a cache file whole (writeFileAtomic: a reader never sees half a file); a folder it cannot write to is no error. */
function writeCache(file: string, tag: Buffer, keys: string[], makeData: () => Buffer): void {
  try {
    // a read-only install: not even the V8 data is made, on every run
    fs.accessSync(path.dirname(file), fs.constants.W_OK);
  } catch {
    return;
  }
  const data = makeData();
  const keysJson = Buffer.from(JSON.stringify(keys));
  const len = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  const hash = crypto.createHash('sha256').update(keysJson).update(data).digest();
  try {
    writeFileAtomic(file, Buffer.concat([MAGIC, len(tag.length), tag, len(keysJson.length), keysJson, hash, data]), 0o644);
  } catch {
    // read-only install: every run compiles from source, as without a cache
  }
}
