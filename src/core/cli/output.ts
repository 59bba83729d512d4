import type { ClassificationMetrics, ModelVersion } from '../protocol';
import type { CliContext } from './command';
import { fmt } from '../util/format';

/** Printing results: progress line cleared first, metrics and versions on one line, plain text tables. */

/** Clear a progress line before printing the result. */
export function endProgress(cli: CliContext): void {
  if (cli.interactive) cli.stderr('\r\x1b[K');
}

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
