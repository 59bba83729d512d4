/** Numbers and counts for people, one way everywhere in the engine's text output. */

/** Fixed digits; `missing` ('—') for a missing or non-finite value. */
export function fmt(x: number | null | undefined, digits = 4, missing = '—'): string {
  return x === null || x === undefined || !Number.isFinite(x) ? missing : x.toFixed(digits);
}

/** A share as a percentage: `0.125` → `12.5%`. */
export function pct(share: number, digits = 1): string {
  return `${(100 * share).toFixed(digits)}%`;
}

/**
 * A statistic that can be tiny (p-values): fixed digits down to 1e-4, then scientific; an exact 0 (the true value
 * is below the smallest double) is shown as such rather than as a misleading `0.0000`.
 */
export function fmtSmall(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '—';
  if (x === 0) return '< 1e-300';
  return Math.abs(x) < 1e-4 ? x.toExponential(2) : x.toFixed(digits);
}

/**
 * A measured value in prose, hovers and bin labels: `digits` significant digits (whole numbers keep all theirs),
 * scientific below 1e-3 and from 1e6 on; `—` when missing, `Infinity`/`NaN` as such.
 */
export function fmtCompact(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x) || x === 0) return String(x);
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e6) return x.toExponential(2);
  return a >= 10 ** digits ? String(Math.round(x)) : String(Number(x.toPrecision(digits)));
}

/** `1 category`, `2 categories`, `1 row`, `3 rows` */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
