/**
 * Wasserstein-1 (earth mover's) distance W1 = ∫ |F_b(x) − F_c(x)| dx between the baseline and the current
 * distributions, from the same summaries the KS test uses (baseline sketch grid with exact F_b, current counts per
 * grid cell), divided by the baseline's standard deviation so that it is comparable across features.
 *
 * Inside the grid the integral is a left Riemann sum over the cells with both CDFs taken at the cell's left grid
 * point (exact when both samples live on the grid points; otherwise off by at most the cell width times the cell
 * mass). Outside the grid it is exact: F_b is 0 below x_0 and 1 above x_last, so those parts equal
 * E[(x_0 − v)⁺] and E[(v − x_last)⁺] of the current sample, which the streaming pass sums exactly (`below`,
 * `above`). A constant baseline (std 0) is not normalised.
 */
export function wassersteinFromCells(
  grid: ArrayLike<number>,
  cdf: ArrayLike<number>,
  cellCounts: ArrayLike<number>,
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
    w += (grid[j + 1] - grid[j]) * Math.abs(cdf[j] - cum / n);
  }
  return baselineStd > 0 ? w / baselineStd : w;
}
