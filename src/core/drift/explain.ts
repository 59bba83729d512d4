import type { DriftExplanation, DriftReport, FeatureDrift, FeatureExplanation } from '../protocol';
import { fmtCompact, fmtSmall, pct } from '../util/format';

/**
 * Drift in words: the features that moved most, what each statistic says about them, and which bins or categories
 * moved. For people and for AI agents (the MCP `explain_drift` tool, VS Code's language-model tools), so every
 * sentence is built from the report's numbers alone — nothing is guessed.
 */

export interface ExplainOptions {
  /** how many features to explain (most drifted first); default 5 */
  top?: number;
  /** the production model's importance per feature (0..1, summing to 1), when known */
  importance?: ReadonlyMap<string, number>;
  /** where the importance comes from, e.g. "production model v3" */
  importanceSource?: string;
}

/** bins/categories listed per feature */
const MAX_SHIFTS = 3;

export function explainDrift(report: DriftReport, opts: ExplainOptions = {}): DriftExplanation {
  const top = Math.max(1, Math.min(opts.top ?? 5, report.features.length || 1));
  const ranked = rank(report.features, opts.importance);
  const o = report.overall;
  const drifted = report.features.filter((f) => f.drifted);
  const overall =
    `${o.n_drifted} of ${o.total_features} features drifted (${share(o.share_drifted)}); overall severity ${o.severity} ` +
    `(PSI max ${fmtCompact(o.psi_max)}, mean ${fmtCompact(o.psi_mean)}; moderate ≥ ${report.thresholds.moderate}, severe > ${report.thresholds.severe}). ` +
    `Baseline ${report.baseline.source} (${report.baseline.rows} rows) vs current ${report.current.source} (${report.current.rows} rows).`;
  const weighted =
    opts.importance && drifted.length
      ? `Drifted features carry ${share(drifted.reduce((s, f) => s + (opts.importance?.get(f.name) ?? 0), 0))} of the ${opts.importanceSource ?? 'model'}'s importance.`
      : undefined;
  return {
    overall: weighted ? `${overall} ${weighted}` : overall,
    severity: o.severity,
    features: ranked.slice(0, top).map((f) => explainFeature(f, report, opts.importance?.get(f.name))),
    more_features: Math.max(0, report.features.length - top),
    quality: report.quality.map((q) => q.message),
    baseline: report.baseline.source,
    current: report.current.source,
    created_at: report.created_at,
    ...(opts.importanceSource ? { importance_source: opts.importanceSource } : {}),
  };
}

/**
 * Most drifted first, as the report orders them; with importances, a drifted feature the model leans on comes
 * before an equally drifted one it ignores (severity first, then PSI × (importance + a floor so unused features
 * still rank by PSI among themselves)).
 */
function rank(features: FeatureDrift[], importance?: ReadonlyMap<string, number>): FeatureDrift[] {
  if (!importance) return features;
  const level = { severe: 2, moderate: 1, none: 0 } as const;
  const score = (f: FeatureDrift) => f.psi * ((importance.get(f.name) ?? 0) + 0.05);
  return [...features].sort((a, b) => level[b.severity] - level[a.severity] || score(b) - score(a));
}

function explainFeature(f: FeatureDrift, r: DriftReport, importance: number | undefined): FeatureExplanation {
  const shifts = binShifts(f);
  const details: string[] = [
    `PSI ${fmtCompact(f.psi)}: ${psiMeaning(f.psi, r.thresholds)}.`,
    f.test === 'ks'
      ? `Kolmogorov–Smirnov D ${fmtCompact(f.statistic)}: the two distributions' CDFs differ by at most ${share(f.statistic)} (p ${pval(f.p_value)}).`
      : `χ² ${fmtCompact(f.statistic)} on the category counts (p ${pval(f.p_value)}): ${f.p_value < r.thresholds.p_value ? 'the category mix changed' : 'no significant change in the category mix'}.`,
    `Jensen–Shannon distance ${fmtCompact(f.js_distance)} (0 identical … 1 disjoint).`,
  ];
  if (f.wasserstein !== null) details.push(`Wasserstein distance ${fmtCompact(f.wasserstein)} baseline standard deviations: how far values moved on average.`);
  if (Math.abs(f.missing_rate_current - f.missing_rate_baseline) >= 0.01) {
    details.push(`Missing values: ${share(f.missing_rate_baseline)} in the baseline, ${share(f.missing_rate_current)} now.`);
  }
  if (importance !== undefined) details.push(`Importance in the model: ${share(importance)}${importance < 0.01 ? ' — the model barely uses it' : ''}.`);
  const moved = shifts[0];
  const summary =
    `${f.name} (${f.kind}): ${f.severity === 'none' ? 'no drift' : `${f.severity} drift`}, PSI ${fmtCompact(f.psi)}` +
    (moved ? `; ${moved.bin} went from ${share(moved.baseline)} to ${share(moved.current)} of rows` : '') +
    '.';
  return {
    name: f.name,
    kind: f.kind,
    severity: f.severity,
    psi: f.psi,
    test: f.test,
    statistic: f.statistic,
    p_value: f.p_value,
    js_distance: f.js_distance,
    wasserstein: f.wasserstein,
    ...(importance !== undefined ? { importance } : {}),
    summary,
    details,
    shifts,
  };
}

/** the bins (numeric ranges) or categories whose share of rows moved most, largest first */
function binShifts(f: FeatureDrift): FeatureExplanation['shifts'] {
  const b = f.bins;
  if (!b) return [];
  const labels = b.categories ? categoryLabels(b.categories, b.expected.length) : rangeLabels(b.edges ?? [], b.expected.length);
  return b.expected
    .map((e, i) => ({ bin: labels[i], baseline: e, current: b.actual[i] ?? 0 }))
    .filter((s) => Math.abs(s.current - s.baseline) >= 0.005)
    .sort((x, y) => Math.abs(y.current - y.baseline) - Math.abs(x.current - x.baseline))
    .slice(0, MAX_SHIFTS);
}

/** the report lists the baseline's categories, then its "(other/new)" and "(missing)" bins: the last two by position */
function categoryLabels(categories: string[], n: number): string[] {
  const real = n - 2;
  return Array.from({ length: n }, (_, i) => (i < real ? `category "${categories[i]}"` : i === real ? 'other or new categories' : 'missing values'));
}

/** interior edges e0 < e1 < … (numpy searchsorted, side='right'): bins (−∞, e0), [e0, e1), …, [ek, +∞), then missing */
function rangeLabels(edges: number[], n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    if (i > edges.length) return 'missing values';
    if (edges.length === 0) return 'all values';
    if (i === 0) return `values < ${fmtCompact(edges[0])}`;
    if (i === edges.length) return `values ≥ ${fmtCompact(edges[edges.length - 1])}`;
    return `values in [${fmtCompact(edges[i - 1])}, ${fmtCompact(edges[i])})`;
  });
}

function psiMeaning(psi: number, t: DriftReport['thresholds']): string {
  if (psi > t.severe) return `above the severe threshold ${t.severe}: the feature's distribution changed substantially`;
  if (psi >= t.moderate) return `between the moderate (${t.moderate}) and severe (${t.severe}) thresholds: a noticeable shift`;
  return `below the moderate threshold ${t.moderate}: stable`;
}

/** `= 0.0123`, `= 3.23e-12`, or `< 1e-300` for a p-value that underflowed to 0 */
const pval = (p: number): string => (p === 0 ? fmtSmall(p) : `= ${fmtSmall(p)}`);
/** shares in prose: one decimal for small ones (`4.5%`), whole percent otherwise (`45%`) */
const share = (x: number): string => pct(x, Math.abs(x) < 0.1 ? 1 : 0);
