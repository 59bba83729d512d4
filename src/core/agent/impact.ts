import type { DriftReport, ModelVersion } from '../protocol';
import { chiSquareSurvival } from '../drift/stats';

/**
 * Drift weighed by what it can do to the model. A feature's drift counts when it is both large (PSI ≥ the moderate
 * threshold) and beyond what sampling alone produces at this many rows: under no drift, n_eff·PSI is about
 * χ²-distributed with (bins − 1) degrees of freedom (n_eff = n_b·n_c/(n_b + n_c)), so PSI's no-drift spread is
 * χ²₍₀.₉₉₎/n_eff — 0.08 for 300 rows of 11 bins, 0.0005 for 50,000. Each counted feature weighs its share of the
 * model's impurity importance (uniform when the model records none; 0 for a column the model does not use), so a
 * drifted column the model ignores moves nothing, and a categorical feature the model uses counts like any other.
 */
export interface FeatureImpact {
  name: string;
  psi: number;
  /** PSI that sampling alone exceeds with 1 % probability at this batch size */
  noise_psi: number;
  significant: boolean;
  importance: number;
}

export interface DriftImpact {
  /** Σ importance × PSI over significantly drifted features */
  weighted_psi: number;
  /** share of the model's importance that sits on significantly drifted features */
  weighted_share_drifted: number;
  significant_drifted: number;
  importance_known: boolean;
  /** the features that mattered most (importance × PSI), at most 5 */
  top: FeatureImpact[];
}

/** PSI's 1−alpha no-drift quantile for `bins` bins at these sizes. */
export function psiNoiseLevel(bins: number, nBase: number, nCur: number, alpha = 0.01): number {
  const df = Math.max(1, bins - 1);
  const nEff = nBase > 0 && nCur > 0 ? (nBase * nCur) / (nBase + nCur) : 0;
  if (nEff === 0) return Infinity;
  let lo = 0;
  let hi = df + 20 * Math.sqrt(2 * df) + 50;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (chiSquareSurvival(mid, df) > alpha) lo = mid;
    else hi = mid;
  }
  return hi / nEff;
}

export function driftImpact(report: DriftReport, production: ModelVersion | undefined, moderate: number): DriftImpact {
  const used = production?.columns?.filter((c) => c.kind !== 'excluded');
  const known = Boolean(used && used.length && used.some((c) => c.importance > 0));
  const weight = new Map<string, number>();
  if (known) for (const c of used!) weight.set(c.name.trim(), c.importance);
  const uniform = 1 / Math.max(1, report.features.length);
  const nb = report.baseline.rows;
  const nc = report.current.rows;
  const features: FeatureImpact[] = report.features.map((f) => {
    const noise = psiNoiseLevel(f.bins?.expected.length ?? 11, nb, nc);
    const importance = known ? (weight.get(f.name.trim()) ?? 0) : uniform;
    return { name: f.name, psi: f.psi, noise_psi: noise, significant: f.psi >= moderate && f.psi > noise, importance };
  });
  let weighted = 0;
  let share = 0;
  let count = 0;
  for (const f of features) {
    if (!f.significant) continue;
    count++;
    weighted += f.importance * f.psi;
    share += f.importance;
  }
  const top = features
    .filter((f) => f.significant)
    .sort((a, b) => b.importance * b.psi - a.importance * a.psi)
    .slice(0, 5);
  return { weighted_psi: weighted, weighted_share_drifted: Math.min(1, share), significant_drifted: count, importance_known: known, top };
}
