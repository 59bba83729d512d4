/**
 * Quantiles exactly as numpy computes them (`np.quantile(a, q)`, default method 'linear'), so that PSI bin
 * edges match the seed's to the last bit: virtual index (n-1)·q, neighbours floor/floor+1 (clamped at the end),
 * and numpy's `_lerp`, which interpolates from the upper neighbour when the fraction is ≥ 0.5.
 */

/** `sorted` must be ascending and free of NaN. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const vi = (n - 1) * q;
  if (vi >= n - 1) return sorted[n - 1];
  if (vi <= 0) return sorted[0];
  const lo = Math.floor(vi);
  const t = vi - lo;
  const a = sorted[lo];
  const b = sorted[lo + 1];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** `np.linspace(start, stop, num)`: i·step + start with the last point set to stop, as numpy does. */
export function linspace(start: number, stop: number, num: number): number[] {
  if (num === 1) return [start];
  const step = (stop - start) / (num - 1);
  const out: number[] = [];
  for (let i = 0; i < num; i++) out.push(i * step + start);
  out[num - 1] = stop;
  return out;
}

/** Sorted, unique copy (numpy `np.unique` on floats without NaN). */
export function uniqueSorted(values: number[]): number[] {
  const s = [...values].sort((x, y) => x - y);
  return s.filter((v, i) => i === 0 || v !== s[i - 1]);
}

/** Index of the first element > v (numpy searchsorted side='right'). */
export function upperBound(sorted: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element ≥ v (numpy searchsorted side='left'). */
export function lowerBound(sorted: ArrayLike<number>, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
