/**
 * Number parsing shared by the CSV reader (slow path) and anyone turning a cell string into a number.
 * Accepted: plain decimals with optional sign, fraction and exponent, surrounding blanks,
 * `Infinity`/`inf` (any case, optional sign) → ±Infinity, `NaN`/`nan`/empty → NaN (missing).
 * Anything else is text.
 */

export type CellKind = 0 /* number */ | 1 /* missing */ | 2 /* text */;
export const CELL_NUMBER = 0;
export const CELL_MISSING = 1;
export const CELL_TEXT = 2;

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Result written to `out[0]`; returns what kind of cell `s` is. */
export function classifyCell(s: string, out: Float64Array): CellKind {
  const t = s.trim();
  if (t.length === 0) {
    out[0] = NaN;
    return CELL_MISSING;
  }
  if (DECIMAL.test(t)) {
    out[0] = Number(t);
    return CELL_NUMBER;
  }
  const lower = t.toLowerCase();
  let body = lower;
  let sign = 1;
  if (lower[0] === '-' || lower[0] === '+') {
    body = lower.slice(1);
    if (lower[0] === '-') sign = -1;
  }
  if (body === 'inf' || body === 'infinity') {
    out[0] = sign * Infinity;
    return CELL_NUMBER;
  }
  if (body === 'nan') {
    out[0] = NaN;
    return CELL_MISSING;
  }
  out[0] = NaN;
  return CELL_TEXT;
}

/** Exact powers of ten (all representable in a double up to 1e22): the Clinger fast path. */
export const POW10 = new Float64Array(23);
for (let i = 0; i < 23; i++) POW10[i] = Number(`1e${i}`);
