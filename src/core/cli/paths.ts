import * as path from 'node:path';
import type { EngineContext } from '../engine';
import type { AnyOperation, Method, ParamsOf, ResultOf } from '../operations';
import { confineSource } from '../sources/uri';
import { lazy } from '../util/lazy';
import type { CliContext } from './command';

// the registry with its schemas is required by the first command that runs an operation, not by `--version` or `--help`
// eslint-disable-next-line @typescript-eslint/no-require-imports
const registry = lazy(() => require('../operations') as typeof import('../operations'));

/**
 * Paths on the command line are relative to the current directory, whatever the workspace (`--workspace` says
 * where the registry and runs live, not where the files named on the command line are).
 */
export function cliPath(cli: Pick<CliContext, 'cwd'>, p: string): string {
  return path.resolve(cli.cwd, p);
}

/** A path as the user sees it in output: relative to the current directory. */
export function shownPath(cli: Pick<CliContext, 'cwd'>, abs: string): string {
  return path.relative(cli.cwd, abs) || '.';
}

/**
 * Run a registry operation from the CLI: its path and data-source fields (the registry's `paths` and `sources`)
 * resolved against the current directory.
 */
export function invoke<M extends Method>(cli: Pick<CliContext, 'cwd'>, ctx: EngineContext, method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
  const resolved: Record<string, unknown> = { ...params };
  const { operations, callOperation } = registry();
  const op = operations[method] as AnyOperation;
  for (const field of op.paths ?? []) {
    const v = resolved[field];
    if (typeof v === 'string') resolved[field] = cliPath(cli, v);
    else if (Array.isArray(v)) resolved[field] = v.map((p) => (typeof p === 'string' ? cliPath(cli, p) : p));
  }
  // data sources: files and globs as paths, the file of a duckdb: URI too; other table URIs as they are
  for (const field of op.sources ?? []) {
    const v = resolved[field];
    if (typeof v === 'string') resolved[field] = confineSource(v, (p) => cliPath(cli, p));
    else if (Array.isArray(v)) resolved[field] = v.map((s) => (typeof s === 'string' ? confineSource(s, (p) => cliPath(cli, p)) : s));
  }
  return callOperation(ctx, method, resolved as ParamsOf<M>);
}

/**
 * How to run this CLI again: `driftcatcher` when it was started through its bin link (npm link, a global install,
 * npx), else `node <cli.js>` relative to the current directory — so every command it suggests works as printed.
 */
export function selfCommand(script: string | undefined, cwd: string): string {
  if (!script || path.basename(script) === 'driftcatcher') return 'driftcatcher';
  const rel = path.relative(cwd, script);
  const shown = rel.startsWith('..') && path.isAbsolute(script) && rel.split(path.sep).filter((s) => s === '..').length > 2 ? script : rel;
  return `node ${/^[\w./@:+-]+$/.test(shown) ? shown : JSON.stringify(shown)}`;
}
