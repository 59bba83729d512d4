import { sortFloat64 } from '../util/sortFloat64';
import { linspace, lowerBound, quantileSorted, upperBound } from './quantile';
import { psiEdges } from './psi';

/**
 * A numeric feature's baseline profile from its values (see profile.ts for the fields). Apart from profile.ts, which
 * validates profile files with zod, so that the CSV worker threads can profile columns (drift/parallelProfile.ts)
 * with a small bundle.
 */

/** sketch resolution: order statistics at k/SKETCH_POINTS, k = 0..SKETCH_POINTS (deduplicated) */
export const SKETCH_POINTS = 500;

// returns profile.ts's NumericProfile (inferred here: profile.ts imports this module, and imports may not cycle)
export function numericProfile(name: string, values: ArrayLike<number>, keep: Int32Array | null = null) {
  const n = keep ? keep.length : values.length;
  const finite = new Float64Array(n);
  let m = 0;
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const v = values[keep ? keep[k] : k];
    if (Number.isFinite(v)) {
      finite[m++] = v;
      sum += v;
    }
  }
  const sorted = sortFloat64(finite.subarray(0, m));
  const mean = m ? sum / m : null;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (sorted[i] - mean!) ** 2;
  const deciles = m ? linspace(0, 1, 11).map((q) => quantileSorted(sorted, q)) : [];
  const edges = psiEdges(sorted);
  // PSI bin counts straight from the sorted values: bin i holds edges[i-1] <= v < edges[i]
  const expected: number[] = [];
  let prev = 0;
  for (const e of edges) {
    const below = lowerBound(sorted, e);
    expected.push(below - prev);
    prev = below;
  }
  expected.push(m - prev, n - m);
  return {
    ...numericSummary(name, n, m, mean, ss, sorted),
    deciles,
    expected_dist: seedHistogram(sorted, deciles),
    psi: { edges, expected: expected.map((c) => c / Math.max(n, 1)) },
    sketch: sketch(sorted),
  };
}

/**
 * A numeric profile's first fields from n rows, m of them finite (sorted ascending: the first and last are enough),
 * their mean and sum of squared deviations — in the order profile files list them. Shared with the profiles SQL
 * engines compute (sources/sql/profileQueries.ts).
 */
export function numericSummary(name: string, n: number, m: number, mean: number | null, ss: number, sorted: ArrayLike<number>) {
  return {
    name,
    kind: 'numeric' as const,
    n,
    missing: n - m,
    missing_rate: n ? (n - m) / n : 0,
    mean,
    std: m > 1 ? Math.sqrt(ss / (m - 1)) : m === 1 ? 0 : null,
    min: m ? sorted[0] : null,
    max: m ? sorted[m - 1] : null,
  };
}

/** The seed's `np.histogram(finite, bins=deciles) / total`: bins [e_i, e_{i+1}), the last one closed. */
function seedHistogram(sorted: Float64Array, deciles: number[]): number[] {
  if (deciles.length < 2) return [];
  const counts: number[] = [];
  for (let i = 0; i + 1 < deciles.length; i++) {
    const hi = i + 2 === deciles.length ? upperBound(sorted, deciles[i + 1]) : lowerBound(sorted, deciles[i + 1]);
    counts.push(hi - lowerBound(sorted, deciles[i]));
  }
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => c / Math.max(total, 1));
}

/**
 * Order statistics at k/SKETCH_POINTS, deduplicated, with the exact baseline CDF at each point, F_b(x) = #{v ≤ x}/m,
 * and just before it, F_b(x−) = #{v < x}/m.
 */
function sketch(sorted: Float64Array): { values: number[]; cdf: number[]; cdf_left: number[] } {
  const m = sorted.length;
  const values: number[] = [];
  const cdf: number[] = [];
  const cdf_left: number[] = [];
  if (!m) return { values, cdf, cdf_left };
  for (let k = 0; k <= SKETCH_POINTS; k++) {
    const v = sorted[Math.round((k * (m - 1)) / SKETCH_POINTS)];
    if (values.length && values[values.length - 1] === v) continue;
    values.push(v);
    cdf.push(upperBound(sorted, v) / m);
    cdf_left.push(lowerBound(sorted, v) / m);
  }
  return { values, cdf, cdf_left };
}
