/**
 * Multivariate drift (report field `multivariate`) in words: the domain classifier's AUC with its interval, the PCA
 * reconstruction error against its normal band, and why a part is missing. Used by the dashboard's section
 * (multivariateView.ts); browser-safe, no imports at run time.
 */
import type { MultivariateDrift } from '../core/protocol';

const f3 = (x: number | null | undefined): string => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(3) : '—');

/** "joint drift: the sides can be told apart (domain classifier) and the reconstruction error left its band" */
export function multivariateVerdict(m: MultivariateDrift): string {
  const dc = m.domain_classifier.drifted;
  const rc = m.reconstruction?.drifted ?? false;
  if (!m.drifted) return 'no multivariate drift: the two samples cannot be told apart and their joint structure holds';
  const why = [dc ? 'a classifier tells current rows from baseline rows' : '', rc ? 'the PCA reconstruction error left its normal band' : ''].filter(Boolean);
  return `multivariate drift: ${why.join(', and ')}`;
}

/** "ROC AUC 0.734 (95% interval 0.701–0.767, 5 folds): drifted (interval above 0.5, AUC ≥ 0.55)" */
export function domainClassifierLine(m: MultivariateDrift): string {
  const d = m.domain_classifier;
  const rule = d.drifted ? 'the sides are told apart (interval above 0.5 and AUC ≥ 0.55)' : 'the sides look alike (drift needs the interval above 0.5 and AUC ≥ 0.55)';
  return `ROC AUC ${f3(d.auc)} (95% interval ${f3(d.auc_low)}–${f3(d.auc_high)}, ${d.folds}-fold cross-validation): ${rule}`;
}

/** "current 1.420 vs baseline 1.010, normal band 0.950–1.080 (4 components, 71.0% of the variance)", or why none */
export function reconstructionLine(m: MultivariateDrift): string {
  const r = m.reconstruction;
  if (!r) return 'no PCA reconstruction error (see the notes)';
  const band = `normal band ${f3(r.lower)}–${f3(r.upper)}`;
  const where = r.current_error > r.upper ? 'above the band' : r.current_error < r.lower ? 'below the band' : 'inside the band';
  return `current error ${f3(r.current_error)} vs baseline ${f3(r.baseline_error)}, ${band}: ${where} (${r.components} component${r.components === 1 ? '' : 's'}, ${(r.explained_variance * 100).toFixed(1)}% of the baseline's variance)`;
}

/** "5,000 baseline and 4,200 current rows sampled, 14 features, 3.1 s" */
export function sampleLine(m: MultivariateDrift): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `${n(m.rows.baseline)} baseline and ${n(m.rows.current)} current rows sampled, ${m.features.length} feature${m.features.length === 1 ? '' : 's'}, ${m.seconds.toFixed(1)} s`;
}

/** the features that separate the sides most, with their share of the classifier's importance, most first */
export function separatingFeatures(m: MultivariateDrift, top = 10): { name: string; importance: number }[] {
  return [...m.domain_classifier.top_features].sort((a, b) => b.importance - a.importance).slice(0, top);
}
