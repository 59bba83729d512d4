import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * File globs for data sources: `*` and `?` within one path segment, `[abc]` / `[a-z]` character classes and `**`
 * for any number of folders. Matches are files only, sorted, hidden entries (`.x`) skipped unless the pattern
 * names them. Relative patterns resolve against `base`.
 */
export function isGlob(text: string): boolean {
  return /[*?[]/.test(text);
}

export function expandGlob(pattern: string, base: string): string[] {
  const abs = path.resolve(base, pattern);
  const segments = abs.split(path.sep);
  // the static prefix: segments before the first one with a wildcard
  let i = 0;
  while (i < segments.length && !isGlob(segments[i])) i++;
  const root = segments.slice(0, i).join(path.sep) || path.sep;
  const rest = segments.slice(i);
  const out: string[] = [];
  walk(root, rest, out);
  return [...new Set(out)].sort();
}

function walk(dir: string, rest: string[], out: string[]): void {
  if (rest.length === 0) return;
  const [seg, ...tail] = rest;
  if (seg === '**') {
    walk(dir, tail, out); // zero folders
    for (const e of entries(dir)) if (e.isDirectory() && !e.name.startsWith('.')) walk(path.join(dir, e.name), rest, out);
    return;
  }
  const re = segmentRegex(seg);
  for (const e of entries(dir)) {
    if (e.name.startsWith('.') && !seg.startsWith('.')) continue;
    if (!re.test(e.name)) continue;
    const p = path.join(dir, e.name);
    if (tail.length === 0) {
      if (isFile(p)) out.push(p);
    } else if (isDir(p)) walk(p, tail, out);
  }
}

function entries(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** One path segment's pattern as an anchored regex. */
export function segmentRegex(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let cls = seg.slice(i + 1, close);
      if (cls.startsWith('!')) cls = '^' + cls.slice(1);
      re += `[${cls.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
