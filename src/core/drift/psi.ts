import { linspace, quantileSorted, uniqueSorted } from './quantile';

/**
 * Population Stability Index, exactly as the original pandas/numpy pipeline computes it (test/oracles/psi.py, open-ends bins):
 * - interior edges = the unique deciles 10%..90% of the baseline's finite values (numpy 'linear' quantiles);
 * - a value's bin = searchsorted(edges, v, side='right'), so the two outer bins are open to -∞/+∞ and values
 *   outside the baseline's range still count;
 * - NaN and ±∞ go to one extra "missing" bin (last);
 * - proportions = counts / all rows (missing included), floored at 1e-4;
 * - PSI = Σ (a - e) · ln(a / e).
 */
export const PSI_FLOOR = 1e-4;

/** The baseline's PSI edges; `sortedFinite` is ascending and holds only finite values. */
export function psiEdges(sortedFinite: ArrayLike<number>): number[] {
  if (sortedFinite.length === 0) return [];
  return uniqueSorted(linspace(0.1, 0.9, 9).map((q) => quantileSorted(sortedFinite, q)));
}

export function proportions(counts: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i];
  const out: number[] = [];
  for (let i = 0; i < counts.length; i++) out.push(counts[i] / Math.max(total, 1));
  return out;
}

/** PSI of two proportion vectors of the same bins. */
export function psi(expected: ArrayLike<number>, actual: ArrayLike<number>): number {
  if (expected.length !== actual.length) throw new Error(`psi: ${expected.length} expected bins vs ${actual.length} actual bins`);
  let sum = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i], PSI_FLOOR);
    const a = Math.max(actual[i], PSI_FLOOR);
    sum += (a - e) * Math.log(a / e);
  }
  return sum;
}
