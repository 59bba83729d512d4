import * as fs from 'node:fs';
import * as path from 'node:path';
import { DriftCatcherError } from '../util/errors';

/** An input file named in params, resolved against the workspace; a clear NOT_FOUND when it does not exist. */
export function resolveInput(ws: string, p: string, what: string): string {
  const abs = path.resolve(ws, p);
  if (!fs.existsSync(abs)) throw new DriftCatcherError(`${what} ${p} does not exist`, 'NOT_FOUND', { file: abs });
  return abs;
}

/** An output file named in params, resolved against the workspace (its folder is created when written). */
export function resolveOutput(ws: string, p: string): string {
  return path.resolve(ws, p);
}
