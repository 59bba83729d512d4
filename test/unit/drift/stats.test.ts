import { strict as assert } from 'node:assert';
import { kolmogorovQ, chiSquareSurvival } from '../../../src/core/drift/stats';
import { ksFromCells } from '../../../src/core/drift/ks';
import { chi2Homogeneity } from '../../../src/core/drift/chi2';
import { jensenShannonDistance } from '../../../src/core/drift/jensenShannon';
import { wassersteinFromCells } from '../../../src/core/drift/wasserstein';
import { numericProfile } from '../../../src/core/drift/numericProfile';
import { linspace, quantileSorted } from '../../../src/core/drift/quantile';
import { lowerBound } from '../../../src/core/drift/quantile';
import { runOracle } from '../../oracles/oracle';
import { normal, rng } from './helpers';

/** Current-sample summaries as computeDrift builds them: counts per sketch cell and the exact tail sums. */
function cellsOf(grid: number[], xs: number[]) {
  const cells = new Float64Array(grid.length + 1);
  const ties = new Float64Array(grid.length);
  let below = 0;
  let above = 0;
  for (const v of xs) {
    const j = lowerBound(grid, v);
    cells[j]++;
    if (grid[j] === v) ties[j]++;
    if (v < grid[0]) below += grid[0] - v;
    else if (v > grid[grid.length - 1]) above += v - grid[grid.length - 1];
  }
  return { cells, ties, below, above };
}

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

/** our KS and W1 from the sketch, beside scipy's ks_2samp / wasserstein_distance on the raw samples */
function ksAndWassersteinVsScipy(base: number[], cur: number[]) {
  const prof = numericProfile('x', base);
  const { cells, ties, below, above } = cellsOf(prof.sketch.values, cur);
  const ks = ksFromCells(prof.sketch, cells, ties, base.length);
  const w = wassersteinFromCells(prof.sketch.values, prof.sketch, cells, ties, { below, above }, prof.std!);
  const scipy = runOracle<{ ks: { statistic: number }; wasserstein: number; a: { std_ddof1: number } }>('stats', 'two_sample', { a: base, b: cur });
  return { prof, ks, w, ref: { d: scipy.ks.statistic, w: scipy.wasserstein, std: scipy.a.std_ddof1 } };
}

describe('drift statistics against scipy / hand-derived values', () => {
  it('numpy-exact quantiles and linspace', () => {
    const r = rng(7);
    const xs = Array.from({ length: 997 }, () => normal(r) * 1e3);
    const sorted = Float64Array.from(xs).sort();
    const l = runOracle<{ values: number[] }>('stats', 'linspace', { start: 0.1, stop: 0.9, num: 9 }).values;
    const q = runOracle<{ values: number[] }>('stats', 'quantiles', { x: xs, q: l }).values;
    assert.deepEqual(linspace(0.1, 0.9, 9), l);
    assert.deepEqual(linspace(0.1, 0.9, 9).map((p) => quantileSorted(sorted, p)), q, 'bit-identical deciles');
  });

  it('Kolmogorov survival function and χ² survival match scipy', () => {
    const lambdas = [0.3, 0.5, 0.8, 1, 1.36, 1.63, 2, 3];
    const chis: [number, number][] = [[1, 1], [3.84, 1], [10, 4], [0.5, 7], [100, 50], [30, 10], [1e-3, 2]];
    const ref = {
      k: runOracle<{ values: number[] }>('stats', 'kolmogorov', { x: lambdas }).values,
      c: runOracle<{ values: number[] }>('stats', 'chi2_sf', { points: chis }).values,
    };
    lambdas.forEach((l, i) => close(kolmogorovQ(l), ref.k[i], 1e-12, `Q(${l})`));
    chis.forEach(([x, df], i) => close(chiSquareSurvival(x, df), ref.c[i], 1e-10 * Math.max(1, ref.c[i]) + 1e-14, `chi2.sf(${x}, ${df})`));
    // hand check: Q(λ) for λ = 1.358 is the classic 5% critical value
    close(kolmogorovQ(1.358), 0.05, 5e-4, 'Q(1.358)');
  });

  it('KS and Wasserstein are exact when the data lie on the sketch grid (discrete feature)', () => {
    const r = rng(3);
    const base = Array.from({ length: 4000 }, () => Math.floor(r() * 12));
    const cur = Array.from({ length: 3000 }, () => Math.floor(r() * 10) + 3); // shifted, 13 and 14 unseen (above range)
    const { prof, ks, w, ref } = ksAndWassersteinVsScipy(base, cur);
    close(ks.statistic, ref.d, 1e-12, 'KS D');
    close(prof.std!, ref.std, 1e-12, 'std');
    close(w, ref.w / ref.std, 1e-12, 'W1/std');
    assert.ok(ks.p_value < 1e-10, 'a 3-step shift on thousands of rows is significant');
  });

  it('KS and Wasserstein are close to scipy on continuous data (grid approximation)', () => {
    const r = rng(11);
    const base = Array.from({ length: 5000 }, () => normal(r));
    const cur = Array.from({ length: 4000 }, () => normal(r) * 1.3 + 0.2);
    const { prof, ks, w, ref } = ksAndWassersteinVsScipy(base, cur);
    assert.ok(ks.statistic <= ref.d + 1e-12 && ks.statistic >= ref.d - 2 / 500, `KS ${ks.statistic} vs ${ref.d}`);
    // inside a sketch cell F_b rises by ΔB and F_c by ΔC, so the true F_b − F_c strays from the linear interpolation
    // by at most max(ΔB, ΔC): W1's error is at most Σ width × max(ΔB, ΔC); the tails outside the grid are exact
    const grid = prof.sketch.values;
    const { cells, ties } = cellsOf(grid, cur);
    let bound = 0;
    for (let j = 0; j < grid.length - 1; j++) {
      const riseB = prof.sketch.cdf_left[j + 1] - prof.sketch.cdf[j];
      const riseC = (cells[j + 1] - ties[j + 1]) / cur.length;
      bound += (grid[j + 1] - grid[j]) * Math.max(riseB, riseC);
    }
    close(w, ref.w / ref.std, bound / prof.std!, 'W1/std within the interpolation bound');
    assert.ok(bound / prof.std! < 0.2 * (ref.w / ref.std), `the bound (${bound / prof.std!}) is a small part of W1`);
  });

  it('KS p-value uses the effective sample size (hand-derived)', () => {
    // grid 0,1 with F_b = 0.5, 1; current all at 1: D = 0.5, n_b = n_c = 100 -> n_e = 50
    const ks = ksFromCells({ cdf: [0.5, 1], cdf_left: [0, 0.5] }, [0, 100, 0], [0, 100], 100);
    assert.equal(ks.statistic, 0.5);
    const lambda = (Math.sqrt(50) + 0.12 + 0.11 / Math.sqrt(50)) * 0.5;
    close(ks.p_value, kolmogorovQ(lambda), 1e-15, 'p');
    assert.ok(ks.p_value < 1e-4);
  });

  it('χ² homogeneity matches scipy chi2_contingency (no correction), unseen cells included', () => {
    const base = [500, 300, 200, 0, 10];
    const cur = [400, 350, 150, 90, 10]; // 4th cell: a category the baseline never had
    const scipy = runOracle<{ statistic: number; pvalue: number; dof: number }>('stats', 'chi2_contingency', { table: [base, cur] });
    const ref = { s: scipy.statistic, p: scipy.pvalue, df: scipy.dof };
    const r = chi2Homogeneity(base, cur);
    close(r.statistic, ref.s, 1e-9, 'chi2');
    close(r.p_value, ref.p, 1e-12, 'p');
    assert.equal(r.df, ref.df);
    // cells empty in both samples do not count as degrees of freedom
    assert.equal(chi2Homogeneity([5, 0, 5], [5, 0, 5]).df, 1);
    assert.equal(chi2Homogeneity([5, 0, 5], [5, 0, 5]).statistic, 0);
  });

  it('Jensen–Shannon distance matches scipy (base 2) and its bounds', () => {
    const p = [0.1, 0.4, 0.5, 0];
    const q = [0.3, 0.3, 0.2, 0.2];
    const ref = runOracle<{ distance: number }>('stats', 'jensenshannon', { p, q, base: 2 }).distance;
    close(jensenShannonDistance(p, q), ref, 1e-12, 'JS');
    assert.equal(jensenShannonDistance([1, 2, 3], [2, 4, 6]), 0, 'counts are normalised');
    close(jensenShannonDistance([1, 0], [0, 1]), 1, 1e-15, 'disjoint = 1');
  });
});
