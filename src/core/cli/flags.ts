import { DriftCatcherError } from '../util/errors';
import type { CliContext } from './command';

/** Reading a command's flags: the last value of a repeated flag, numbers checked, one error line when wrong. */

export function wantsJson(cli: CliContext): boolean {
  const f = cli.flags.format;
  if (f === undefined || f === 'table' || f === 'markdown') return false;
  if (f === 'json') return true;
  throw new DriftCatcherError(`--format must be json, table or markdown (got '${String(f)}')`, 'BAD_INPUT');
}

export function stringFlag(cli: CliContext, name: string, required: true): string;
export function stringFlag(cli: CliContext, name: string, required?: false): string | undefined;
export function stringFlag(cli: CliContext, name: string, required = false): string | undefined {
  const v = cli.flags[name];
  const s = Array.isArray(v) ? v[v.length - 1] : v;
  if (typeof s === 'string' && s.length > 0) return s;
  if (required) throw new DriftCatcherError(`--${name} is required`, 'BAD_INPUT');
  return undefined;
}

/** every string value of a flag (a repeated flag gives several; a boolean or absent flag none) */
export function flagStrings(v: CliContext['flags'][string]): string[] {
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

export function numberFlag(cli: CliContext, name: string, check: (n: number) => boolean, what: string): number | undefined {
  const s = stringFlag(cli, name);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || !check(n)) throw new DriftCatcherError(`--${name} must be ${what} (got '${s}')`, 'BAD_INPUT');
  return n;
}
