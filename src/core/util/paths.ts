import * as fs from 'node:fs';
import * as path from 'node:path';
import { DriftCatcherError } from './errors';

/** An input file named in params, resolved against the workspace; a clear NOT_FOUND when it does not exist. */
export function resolveInput(ws: string, p: string, what: string): string {
  const abs = path.resolve(ws, p);
  // an absolute path is named once; a relative one also as resolved
  if (!fs.existsSync(abs)) throw new DriftCatcherError(`${what} ${p} does not exist`, 'NOT_FOUND', path.isAbsolute(p) ? undefined : { file: abs });
  return abs;
}

/** An output file named in params, resolved against the workspace (its folder is created when written). */
export function resolveOutput(ws: string, p: string): string {
  return path.resolve(ws, p);
}

/** Whether `file` is `dir` or lies inside it (lexically; callers that must not follow symlinks resolve first). */
export function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A file as people read it in titles and messages: relative to the workspace when inside it, else absolute. */
export function workspaceRelative(ws: string, file: string): string {
  const abs = path.resolve(ws, file);
  return isInside(ws, abs) ? path.relative(ws, abs) || '.' : abs;
}
