import type { Column, Table } from '../../data/table';
import type { FeatureProfile } from '../profile';

/**
 * Rows of both sides as numbers, the way NannyML prepares them for multivariate methods: numeric features as
 * they are (NaN and ±Infinity imputed with the baseline sample's mean), categorical features frequency-encoded
 * (a category's share of the baseline sample; a category the baseline never had is 0, missing is its own
 * category). Features absent from either side, or without a finite baseline value, are left out.
 */
export interface EncodedSides {
  names: string[];
  /** categorical features left out because nearly every value is unique (ids, timestamps) */
  skipped: string[];
  /** column-major: one Float64Array per feature */
  baseline: Float64Array[];
  current: Float64Array[];
}

export function encodeSides(baseline: Table, current: Table, features: FeatureProfile[]): EncodedSides {
  const names: string[] = [];
  const skipped: string[] = [];
  const base: Float64Array[] = [];
  const cur: Float64Array[] = [];
  for (const f of features) {
    const b = baseline.columns.find((c) => c.name === f.name);
    const c = current.columns.find((x) => x.name === f.name);
    if (!b || !c) continue;
    if (f.kind === 'numeric') {
      const bv = asNumbers(b, baseline.rowCount);
      let sum = 0;
      let n = 0;
      for (const v of bv) if (Number.isFinite(v)) (sum += v), n++;
      if (n === 0) continue;
      const mean = sum / n;
      names.push(f.name);
      base.push(impute(bv, mean));
      cur.push(impute(asNumbers(c, current.rowCount), mean));
    } else {
      if (idLike(f)) {
        skipped.push(f.name);
        continue;
      }
      const bk = asKeys(b, baseline.rowCount);
      const freq = new Map<string, number>();
      for (const k of bk) freq.set(k, (freq.get(k) ?? 0) + 1);
      const total = Math.max(1, bk.length);
      const enc = (keys: string[]): Float64Array => Float64Array.from(keys, (k) => (freq.get(k) ?? 0) / total);
      names.push(f.name);
      base.push(enc(bk));
      cur.push(enc(asKeys(c, current.rowCount)));
    }
  }
  return { names, skipped, baseline: base, current: cur };
}

/**
 * A category column whose values are (nearly) all different — an id or a timestamp — says nothing about the
 * joint distribution and would make both sides trivially separable: most rows beyond the kept categories, or
 * no category seen twice.
 */
function idLike(f: Extract<FeatureProfile, { kind: 'categorical' }>): boolean {
  const present = Math.max(1, f.n - f.missing);
  const counts = Object.values(f.categories);
  return f.other / present > 0.5 || (counts.length >= 20 && Math.max(...counts) <= 1);
}

const MISSING = '\u0000missing';

function asNumbers(c: Column, n: number): Float64Array {
  if (c.kind === 'numeric') return c.values;
  return Float64Array.from({ length: n }, (_, i) => (c.codes[i] < 0 ? NaN : Number(c.categories[c.codes[i]])));
}

function asKeys(c: Column, n: number): string[] {
  if (c.kind === 'categorical') return Array.from({ length: n }, (_, i) => (c.codes[i] < 0 ? MISSING : c.categories[c.codes[i]]));
  return Array.from(c.values, (v) => (Number.isNaN(v) ? MISSING : String(v)));
}

function impute(values: Float64Array, fill: number): Float64Array {
  return Float64Array.from(values, (v) => (Number.isFinite(v) ? v : fill));
}
