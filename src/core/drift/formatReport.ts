import type { DriftReport, FeatureDrift, MultivariateDrift, QualityFinding } from '../protocol';
import { fmt, fmtSmall } from '../util/format';
import { escapeMarkdown } from '../util/markdown';

/**
 * Human-readable drift reports: 'markdown' (for PR comments, CI summaries) and 'table' (aligned plain text for
 * terminals). Both list the overall figures, then the features most drifted first, then the quality findings.
 */
export type ReportFormat = 'markdown' | 'table';

/** features shown in full; the rest are summarised in one line */
const MAX_ROWS = 40;
/** quality findings of one kind shown one by one; more are summarised in one line naming the columns */
const MAX_FINDINGS_PER_KIND = 5;
const MAX_NAMES = 12;

const KIND_TEXT: Record<QualityFinding['kind'], string> = {
  missing_rate_jump: 'columns whose missing rate jumped',
  out_of_range: 'columns with values outside the baseline range',
  new_categories: 'columns with categories never seen in the baseline',
  constant_column: 'columns that became (or stopped being) constant',
  added_column: 'columns not in the baseline',
  missing_column: 'baseline columns missing from the current data',
  non_numeric_values: 'numeric columns with non-numeric cells',
};

/**
 * The quality findings as lines: a few of each kind in full, the rest of that kind in one line naming them (a wide
 * table can have hundreds of columns that went constant; one line each would bury everything else).
 */
export function qualityLines(findings: QualityFinding[]): string[] {
  const byKind = new Map<QualityFinding['kind'], QualityFinding[]>();
  for (const q of findings) byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), q]);
  const lines: string[] = [];
  for (const [kind, list] of byKind) {
    if (list.length <= MAX_FINDINGS_PER_KIND + 1) {
      lines.push(...list.map((q) => q.message));
      continue;
    }
    const shown = list.slice(0, MAX_FINDINGS_PER_KIND - 1);
    const rest = list.slice(shown.length);
    const names = rest.slice(0, MAX_NAMES).map((q) => `'${q.feature}'`);
    const more = rest.length > MAX_NAMES ? `, … (${rest.length - MAX_NAMES} more)` : '';
    lines.push(...shown.map((q) => q.message), `… and ${rest.length} more ${KIND_TEXT[kind]}: ${names.join(', ')}${more}`);
  }
  return lines;
}

export function formatReport(report: DriftReport, format: ReportFormat): string {
  return format === 'markdown' ? markdown(report) : table(report);
}

function overallLine(r: DriftReport): string {
  const o = r.overall;
  return `severity ${o.severity.toUpperCase()} · PSI mean ${fmt(o.psi_mean)} · max ${fmt(o.psi_max)} · ${o.n_drifted}/${o.total_features} features drifted (${(100 * o.share_drifted).toFixed(1)}%)`;
}

function cells(f: FeatureDrift): string[] {
  return [f.name, f.kind, fmt(f.psi), f.severity, f.test, fmt(f.statistic), fmtSmall(f.p_value), fmt(f.js_distance), fmt(f.wasserstein)];
}

const HEAD = ['feature', 'kind', 'PSI', 'severity', 'test', 'statistic', 'p-value', 'JS dist', 'W1/std'];

function markdown(r: DriftReport): string {
  const esc = escapeMarkdown; // column names, categories and paths come from data
  const lines = [
    '## Drift report',
    '',
    `**${overallLine(r)}**`,
    '',
    `Baseline: ${esc(r.baseline.source)} (${r.baseline.rows} rows) · current: ${esc(r.current.source)} (${r.current.rows} rows) · thresholds: moderate ≥ ${r.thresholds.moderate}, severe > ${r.thresholds.severe}`,
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((_, i) => (i < 2 || i === 3 || i === 4 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...r.features.slice(0, MAX_ROWS).map((f) => `| ${cells(f).map((c, i) => (i === 0 ? esc(c) : c)).join(' | ')} |`),
  ];
  if (r.features.length > MAX_ROWS) lines.push('', `… and ${r.features.length - MAX_ROWS} more features, none more drifted than those above.`);
  if (r.quality.length) {
    lines.push('', '### Data quality', '', ...qualityLines(r.quality).map((l) => `- ${esc(l)}`));
  }
  if (r.multivariate) lines.push('', '### Multivariate drift', '', ...multivariateLines(r.multivariate).map((l) => `- ${esc(l)}`));
  return lines.join('\n') + '\n';
}

function table(r: DriftReport): string {
  const rows = [HEAD, ...r.features.slice(0, MAX_ROWS).map(cells)];
  const widths = HEAD.map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) => row.map((s, c) => (c < 2 || c === 3 || c === 4 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ').trimEnd();
  const lines = [
    overallLine(r),
    `baseline ${r.baseline.source} (${r.baseline.rows} rows) · current ${r.current.source} (${r.current.rows} rows)`,
    '',
    line(rows[0]),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
  ];
  if (r.features.length > MAX_ROWS) lines.push(`… and ${r.features.length - MAX_ROWS} more features`);
  if (r.quality.length) lines.push('', 'Data quality:', ...qualityLines(r.quality).map((l) => `  - ${l}`));
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
      `domain classifier: AUC ${fmt(dc.auc, 3)} [${fmt(dc.auc_low, 3)}, ${fmt(dc.auc_high, 3)}] over ${dc.folds} folds, ${m.rows.baseline} + ${m.rows.current} rows — ${dc.drifted ? 'DRIFTED' : 'the sides look alike'}${top ? `; separated most by ${top}` : ''}`,
    );
  }
  const rc = m.reconstruction;
  if (rc) {
    out.push(
      `PCA reconstruction error: ${fmt(rc.current_error, 3)} (baseline ${fmt(rc.baseline_error, 3)}, normal band [${fmt(rc.lower, 3)}, ${fmt(rc.upper, 3)}], ${rc.components} components, ${(100 * rc.explained_variance).toFixed(0)}% of the variance) — ${rc.drifted ? 'DRIFTED' : 'within the band'}`,
    );
  }
  return [...out, ...m.notes];
}
