import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';
import { DriftCatcherError } from '../util/errors';
import { yamlScalar } from '../tracking/yaml';

/**
 * DVC 3's on-disk formats (dvc/output.py, dvc-data's hashfile), so that `dvc pull` / `dvc checkout` / `dvc status`
 * work on what DriftCatcher writes without DVC installed:
 *   <file>.dvc                       outs: - md5, size, hash: md5, path (relative to the .dvc file)
 *   .dvc/cache/files/md5/ab/cdef…    the bytes, named by their plain MD5, read-only
 *   <remote>/files/md5/ab/cdef…      the same layout on a local-path remote
 *   .dvc/config                      configobj INI: [core] remote = name, ['remote "name"'] url = …
 */
export interface DvcOut {
  md5: string;
  size: number;
  path: string;
}

export const DVC_DIR = '.dvc';
/** what `dvc init` writes into .dvc/.gitignore */
export const DVC_GITIGNORE = '/config.local\n/tmp\n/cache\n';
export const DVCIGNORE_HEADER =
  '# Add patterns of files dvc should ignore, which could improve\n# the performance. Learn more at\n# https://dvc.org/doc/user-guide/dvcignore\n';

export function renderDvcFile(out: DvcOut): string {
  return `outs:\n- md5: ${out.md5}\n  size: ${out.size}\n  hash: md5\n  path: ${yamlScalar(out.path)}\n`;
}

/** Reads the single-output .dvc files DVC (2 or 3) and DriftCatcher write. */
export function parseDvcFile(text: string, where = '.dvc file'): DvcOut & { hash?: string } {
  const field = (k: string) => {
    const m = new RegExp(`^(?:- |  )${k}:\\s*(.*?)\\s*$`, 'm').exec(text);
    return m?.[1];
  };
  const md5 = field('md5');
  const size = field('size');
  const p = field('path');
  if (!md5 || !/^[0-9a-f]{32}$/.test(md5) || p === undefined) {
    throw new DriftCatcherError(`${where} is not a DVC file with an md5 output (expected "outs: - md5: … path: …")`, 'BAD_INPUT', { file: where });
  }
  const unquote = (s: string) => (s.startsWith("'") && s.endsWith("'") ? s.slice(1, -1).replace(/''/g, "'") : s.startsWith('"') ? (JSON.parse(s) as string) : s);
  return { md5, size: size === undefined ? -1 : Number(size), path: unquote(p), hash: field('hash') };
}

/** DVC 3's object path: files/md5/<first 2 hex>/<other 30> under a cache or remote root */
export function objectPath(root: string, md5: string): string {
  return path.join(root, 'files', 'md5', md5.slice(0, 2), md5.slice(2));
}

export function cacheDir(workspace: string): string {
  return path.join(workspace, DVC_DIR, 'cache');
}

type IniSections = Map<string, Map<string, string>>;

/** configobj as DVC writes it: `[section]` or `['remote "name"']`, then indented `key = value` lines */
export function parseDvcConfig(text: string): IniSections {
  const sections: IniSections = new Map();
  let cur: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const sec = /^\[\s*(?:'(.*)'|"(.*)"|(.*?))\s*\]$/.exec(line);
    if (sec) {
      const name = sec[1] ?? sec[2] ?? sec[3];
      cur = sections.get(name) ?? new Map();
      sections.set(name, cur);
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (kv && cur) cur.set(kv[1].trim(), kv[2].replace(/^(['"])(.*)\1$/, '$2'));
  }
  return sections;
}

/** the default remote (core.remote) and its url, config.local overriding config, as DVC merges them */
export function defaultRemote(workspace: string): { name: string; url: string } | undefined {
  const dir = path.join(workspace, DVC_DIR);
  const merged: IniSections = new Map();
  for (const f of ['config', 'config.local']) {
    const file = path.join(dir, f);
    if (!fs.existsSync(file)) continue;
    for (const [name, kv] of parseDvcConfig(fs.readFileSync(file, 'utf8'))) {
      merged.set(name, new Map([...(merged.get(name) ?? []), ...kv]));
    }
  }
  const name = merged.get('core')?.get('remote');
  if (!name) return undefined;
  const url = merged.get(`remote "${name}"`)?.get('url');
  return url ? { name, url } : undefined;
}

/** a remote url DriftCatcher can push to without DVC: a folder (relative urls are relative to .dvc/) */
export function localRemotePath(workspace: string, url: string): string | undefined {
  if (url.startsWith('file://')) return new URL(url).pathname;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[a-z0-9]+:/i.test(url) && !/^[a-z]:[\\/]/i.test(url)) return undefined;
  return path.resolve(workspace, DVC_DIR, url);
}

/**
 * What `dvc init` creates (plus `core.no_scm` outside git). Returns the files it created, to be committed.
 */
export function initDvcDir(workspace: string, inGit: boolean): string[] {
  const created: string[] = [];
  const dir = path.join(workspace, DVC_DIR);
  const put = (file: string, text: string) => {
    if (fs.existsSync(file)) return;
    writeFileAtomic(file, text);
    created.push(file);
  };
  put(path.join(dir, 'config'), inGit ? '' : '[core]\n    no_scm = True\n');
  put(path.join(dir, '.gitignore'), DVC_GITIGNORE);
  put(path.join(workspace, '.dvcignore'), DVCIGNORE_HEADER);
  return created;
}
