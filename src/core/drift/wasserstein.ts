import type { GridCdf } from './ks';

/**
 * Wasserstein-1 (earth mover's) distance W1 = ∫ |F_b(x) − F_c(x)| dx between the baseline and the current
 * distributions, from the same summaries the KS test uses (baseline sketch grid with exact F_b, current counts per
 * grid cell), divided by the baseline's standard deviation so that it is comparable across features.
 *
 * Inside the grid, the difference d(x) = F_b(x) − F_c(x) is known at each grid point and just before it (ties
 * are counted); between two grid points it is taken as linear from d(x_j) to d(x_{j+1}−) and integrated exactly.
 * That is exact when both samples live on the grid points (d is then constant between them) and a trapezoid-like
 * approximation for continuous features. Outside the grid it is exact: F_b is 0 below x_0 and 1 above x_last, so those parts equal
 * E[(x_0 − v)⁺] and E[(v − x_last)⁺] of the current sample, which the streaming pass sums exactly (`below`,
 * `above`). A constant baseline (std 0) is not normalised.
 */
export function wassersteinFromCells(
  grid: ArrayLike<number>,
  base: GridCdf,
  cellCounts: ArrayLike<number>,
  ties: ArrayLike<number>,
  tails: { below: number; above: number },
  baselineStd: number,
): number {
  let n = 0;
  for (let j = 0; j < cellCounts.length; j++) n += cellCounts[j];
  if (n === 0 || grid.length === 0) return 0;
  let w = (tails.below + tails.above) / n;
  let cum = 0;
  for (let j = 0; j < grid.length - 1; j++) {
    cum += cellCounts[j];
    const a = base.cdf[j] - cum / n;
    const b = base.cdf_left[j + 1] - (cum + cellCounts[j + 1] - ties[j + 1]) / n;
    w += (grid[j + 1] - grid[j]) * integralAbsLinear(a, b);
  }
  return baselineStd > 0 ? w / baselineStd : w;
}

/** ∫₀¹ |a + (b − a)t| dt */
function integralAbsLinear(a: number, b: number): number {
  if (a * b >= 0) return (Math.abs(a) + Math.abs(b)) / 2;
  return (a * a + b * b) / (2 * (Math.abs(a) + Math.abs(b)));
}
