import { loadConfig } from '../../config';
import type { EngineContext } from '../../engine';
import type { ClassificationMetrics, ModelVersion } from '../../protocol';
import { DriftCatcherError } from '../../util/errors';
import { createProgressBar } from '../../util/progressBar';
import type { CliContext } from '../command';

/** Helpers shared by the model commands (train, holdout, validate, deploy, rollback, models, predict). */

/** The engine context for a CLI run: config from the workspace, progress and log lines on stderr. */
export function engineContextFor(cli: CliContext, overrides: Parameters<typeof loadConfig>[1] = {}): EngineContext {
  const bar = createProgressBar({ isTTY: cli.interactive, columns: process.stderr.columns, write: cli.stderr });
  return {
    workspace: cli.workspace,
    config: loadConfig(cli.workspace, overrides),
    progress: cli.interactive ? bar : undefined,
    log: (m) => {
      bar.clear();
      cli.stderr(`${m}\n`);
    },
  };
}

/** Clear a progress line before printing the result. */
export function endProgress(cli: CliContext): void {
  if (cli.interactive) cli.stderr('\r\x1b[K');
}

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

export function numberFlag(cli: CliContext, name: string, check: (n: number) => boolean, what: string): number | undefined {
  const s = stringFlag(cli, name);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || !check(n)) throw new DriftCatcherError(`--${name} must be ${what} (got '${s}')`, 'BAD_INPUT');
  return n;
}

export const fmt = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined ? '—' : x.toFixed(digits));

export function metricsLine(m: ClassificationMetrics): string {
  return `accuracy ${fmt(m.accuracy)}  precision ${fmt(m.precision)}  recall ${fmt(m.recall)}  f1 ${fmt(m.f1)}  roc_auc ${fmt(m.roc_auc)}`;
}

export function versionLine(m: ModelVersion): string {
  return `${m.version} (${m.status})  ${metricsLine(m.metrics)}`;
}

/** A plain text table with left-aligned columns. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
