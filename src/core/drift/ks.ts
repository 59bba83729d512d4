import { kolmogorovQ } from './stats';

/**
 * Two-sample Kolmogorov–Smirnov test without keeping the current sample: the baseline is summarised by a sketch
 * (sorted unique grid points x_j with the baseline's exact ECDF F_b(x_j)), and the current sample by its counts per
 * grid cell (cell j holds values in (x_{j-1}, x_j]; cell 0 everything ≤ x_0; the last cell everything > x_last).
 *
 * `ties[j]` counts the current values equal to x_j, so both CDFs are known at x_j and just before it (x_j−).
 *
 * D = max_j max(|F_b(x_j) − F_c(x_j)|, |F_b(x_j−) − F_c(x_j−)|), i.e. the KS statistic evaluated on the grid. It is
 * exact when every value lies on the grid and otherwise a lower bound that errs by at most the largest cell's
 * probability mass (≈ 1/(grid size) for continuous features).
 *
 * p-value: the asymptotic Kolmogorov distribution with the effective sample size n_e = n_b·n_c/(n_b + n_c) and
 * Stephens' small-sample correction, Q((√n_e + 0.12 + 0.11/√n_e) · D) (Numerical Recipes §14.3). Good for n_e ≳ 4;
 * with the row counts drift checks see it is indistinguishable from the exact distribution.
 */
export interface KsResult {
  statistic: number;
  p_value: number;
}

/** The baseline side: F_b at each grid point and just before it. */
export interface GridCdf {
  cdf: ArrayLike<number>;
  cdf_left: ArrayLike<number>;
}

/** `cellCounts` has grid.length + 1 cells as described above, `ties` grid.length entries. */
export function ksFromCells(base: GridCdf, cellCounts: ArrayLike<number>, ties: ArrayLike<number>, nBaseline: number): KsResult {
  let nCurrent = 0;
  for (let j = 0; j < cellCounts.length; j++) nCurrent += cellCounts[j];
  if (nBaseline === 0 || nCurrent === 0) return { statistic: 0, p_value: 1 };
  let cum = 0;
  let d = 0;
  for (let j = 0; j < base.cdf.length; j++) {
    cum += cellCounts[j];
    const right = Math.abs(base.cdf[j] - cum / nCurrent);
    const left = Math.abs(base.cdf_left[j] - (cum - ties[j]) / nCurrent);
    d = Math.max(d, right, left);
  }
  return { statistic: d, p_value: ksPValue(d, nBaseline, nCurrent) };
}

export function ksPValue(d: number, n1: number, n2: number): number {
  const ne = (n1 * n2) / (n1 + n2);
  const sq = Math.sqrt(ne);
  return kolmogorovQ((sq + 0.12 + 0.11 / sq) * d);
}
