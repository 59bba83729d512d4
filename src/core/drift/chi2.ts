import { chiSquareSurvival } from './stats';

/**
 * Categorical drift test: Pearson's χ² test of homogeneity on the 2 × k table (baseline counts, current counts)
 * over the baseline's categories plus one "other/new" cell for categories the baseline never had (and the
 * missing cell). Cells empty in both samples are dropped; df = (non-empty cells − 1).
 * A two-sample test, so a category that is new in the current data is a finite, large contribution rather than
 * a division by a zero expected count.
 */
export interface Chi2Result {
  statistic: number;
  p_value: number;
  df: number;
}

export function chi2Homogeneity(baseline: ArrayLike<number>, current: ArrayLike<number>): Chi2Result {
  if (baseline.length !== current.length) throw new Error(`chi2: ${baseline.length} baseline cells vs ${current.length} current cells`);
  let nb = 0;
  let nc = 0;
  for (let i = 0; i < baseline.length; i++) {
    nb += baseline[i];
    nc += current[i];
  }
  if (nb === 0 || nc === 0) return { statistic: 0, p_value: 1, df: 0 };
  const n = nb + nc;
  let stat = 0;
  let cells = 0;
  for (let i = 0; i < baseline.length; i++) {
    const col = baseline[i] + current[i];
    if (col === 0) continue;
    cells++;
    const eb = (nb * col) / n;
    const ec = (nc * col) / n;
    stat += (baseline[i] - eb) ** 2 / eb + (current[i] - ec) ** 2 / ec;
  }
  const df = cells - 1;
  return { statistic: stat, p_value: df > 0 ? chiSquareSurvival(stat, df) : 1, df };
}
