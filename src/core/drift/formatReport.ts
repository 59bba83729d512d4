import type { DriftReport, FeatureDrift, MultivariateDrift } from '../protocol';

/**
 * Human-readable drift reports: 'markdown' (for PR comments, CI summaries) and 'table' (aligned plain text for
 * terminals). Both list the overall figures, then the features most drifted first, then the quality findings.
 */
export type ReportFormat = 'markdown' | 'table';

/** features shown in full; the rest are summarised in one line */
const MAX_ROWS = 40;

export function formatReport(report: DriftReport, format: ReportFormat): string {
  return format === 'markdown' ? markdown(report) : table(report);
}

function num(x: number | null, digits = 4): string {
  if (x === null || Number.isNaN(x)) return '–';
  if (x !== 0 && Math.abs(x) < 1e-4) return x.toExponential(2);
  return x.toFixed(digits);
}

function overallLine(r: DriftReport): string {
  const o = r.overall;
  return `severity ${o.severity.toUpperCase()} · PSI mean ${num(o.psi_mean)} · max ${num(o.psi_max)} · ${o.n_drifted}/${o.total_features} features drifted (${(100 * o.share_drifted).toFixed(1)}%)`;
}

function cells(f: FeatureDrift): string[] {
  return [f.name, f.kind, num(f.psi), f.severity, f.test, num(f.statistic), num(f.p_value), num(f.js_distance), num(f.wasserstein)];
}

const HEAD = ['feature', 'kind', 'PSI', 'severity', 'test', 'statistic', 'p-value', 'JS dist', 'W1/std'];

function markdown(r: DriftReport): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/</g, '&lt;');
  const lines = [
    '## Drift report',
    '',
    `**${overallLine(r)}**`,
    '',
    `Baseline: \`${r.baseline.source}\` (${r.baseline.rows} rows) · current: \`${r.current.source}\` (${r.current.rows} rows) · thresholds: moderate ≥ ${r.thresholds.moderate}, severe > ${r.thresholds.severe}`,
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((_, i) => (i < 2 || i === 3 || i === 4 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...r.features.slice(0, MAX_ROWS).map((f) => `| ${cells(f).map(esc).join(' | ')} |`),
  ];
  if (r.features.length > MAX_ROWS) lines.push('', `… and ${r.features.length - MAX_ROWS} more features, none more drifted than those above.`);
  if (r.quality.length) {
    lines.push('', '### Data quality', '', ...r.quality.map((q) => `- ${esc(q.message)}`));
  }
  if (r.multivariate) lines.push('', '### Multivariate drift', '', ...multivariateLines(r.multivariate).map((l) => `- ${esc(l)}`));
  return lines.join('\n') + '\n';
}

function table(r: DriftReport): string {
  const rows = [HEAD, ...r.features.slice(0, MAX_ROWS).map(cells)];
  const widths = HEAD.map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const fmt = (row: string[]) => row.map((s, c) => (c < 2 || c === 3 || c === 4 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ').trimEnd();
  const lines = [
    overallLine(r),
    `baseline ${r.baseline.source} (${r.baseline.rows} rows) · current ${r.current.source} (${r.current.rows} rows)`,
    '',
    fmt(rows[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(fmt),
  ];
  if (r.features.length > MAX_ROWS) lines.push(`… and ${r.features.length - MAX_ROWS} more features`);
  if (r.quality.length) lines.push('', 'Data quality:', ...r.quality.map((q) => `  - ${q.message}`));
  if (r.multivariate) lines.push('', 'Multivariate drift:', ...multivariateLines(r.multivariate).map((l) => `  - ${l}`));
  return lines.join('\n') + '\n';
}

/** the multivariate part in a few sentences (domain classifier, PCA reconstruction, notes) */
function multivariateLines(m: MultivariateDrift): string[] {
  const dc = m.domain_classifier;
  const out: string[] = [];
  if (dc.folds > 0) {
    const top = dc.top_features.slice(0, 3).map((f) => `${f.name} (${(100 * f.importance).toFixed(0)}%)`).join(', ');
    out.push(
      `domain classifier: AUC ${num(dc.auc, 3)} [${num(dc.auc_low, 3)}, ${num(dc.auc_high, 3)}] over ${dc.folds} folds, ${m.rows.baseline} + ${m.rows.current} rows — ${dc.drifted ? 'DRIFTED' : 'the sides look alike'}${top ? `; separated most by ${top}` : ''}`,
    );
  }
  const rc = m.reconstruction;
  if (rc) {
    out.push(
      `PCA reconstruction error: ${num(rc.current_error, 3)} (baseline ${num(rc.baseline_error, 3)}, normal band [${num(rc.lower, 3)}, ${num(rc.upper, 3)}], ${rc.components} components, ${(100 * rc.explained_variance).toFixed(0)}% of the variance) — ${rc.drifted ? 'DRIFTED' : 'within the band'}`,
    );
  }
  return [...out, ...m.notes];
}
