/**
 * Quantisation of every feature into one byte per cell, done once per forest (LightGBM-style). Split search
 * then works on bin codes.
 *
 * Numeric features: at most 255 bins (codes 0..254) of distinct values grouped so every bin holds about n / 255
 * rows; ±Infinity are ordinary values (the extremes). Each bin remembers the smallest and largest raw value it
 * holds, so a split "bin ≤ b" becomes the raw threshold midway between bin b's largest value and the next
 * occupied bin's smallest value — prediction runs on raw floats, and features with ≤ 255 distinct values split
 * exactly where scikit-learn would. Above EDGE_SAMPLE rows the edges come from a sample of rows; every bin still
 * records the true extremes of the rows it received.
 *
 * Categorical features arrive as category codes 0..254 (the encoder keeps the most frequent categories); the code
 * is the bin. NaN — a missing cell, or for categoricals also "other" — is bin 255 (MISSING_BIN) for every feature.
 */
import { Random } from '../../util/random';
import { DriftCatcherError } from '../../util/errors';

export const MAX_BINS = 255;
/** the bin of NaN (missing, and for categorical features the "other" category) */
export const MISSING_BIN = 255;
/** most categories a categorical feature may have (codes 0..254) */
export const MAX_CATEGORIES = 255;

export interface Binned {
  /** rows */
  n: number;
  nFeatures: number;
  /** feature-major codes: bins[f * n + i] */
  bins: Uint8Array;
  /** per feature f, its bins are binOffset[f] .. binOffset[f+1]-1 in binMin/binMax (none for categorical features) */
  binOffset: Int32Array;
  binMin: Float64Array;
  binMax: Float64Array;
  /** 1 for a categorical feature */
  categorical: Uint8Array;
}

/** Bin edges of one numeric feature: distinct non-NaN values grouped greedily so every bin holds about n / maxBins rows. */
export function featureBins(col: Float64Array, maxBins: number, sample: Int32Array | null): Float64Array {
  const m = sample ? sample.length : col.length;
  const sorted = new Float64Array(m);
  let n = 0;
  for (let j = 0; j < m; j++) {
    const v = sample ? col[sample[j]] : col[j];
    if (v === v) sorted[n++] = v;
  }
  const s = sorted.subarray(0, n).sort();
  // distinct values and their counts, in place
  const vals = new Float64Array(n);
  const counts = new Int32Array(n);
  let d = 0;
  for (let i = 0; i < n; ) {
    const v = s[i];
    let j = i + 1;
    while (j < n && s[j] === v) j++;
    vals[d] = v;
    counts[d++] = j - i;
    i = j;
  }
  if (d <= maxBins) return vals.slice(0, d);
  const max: number[] = [];
  let remainingRows = n;
  let acc = 0;
  for (let i = 0; i < d; i++) {
    acc += counts[i];
    const binsLeft = maxBins - max.length;
    const distinctLeft = d - i - 1;
    const close = binsLeft === 1 ? i === d - 1 : acc >= remainingRows / binsLeft || distinctLeft < binsLeft;
    if (close || i === d - 1) {
      max.push(vals[i]);
      remainingRows -= acc;
      acc = 0;
    }
  }
  return Float64Array.from(max);
}

/** Above this many rows, bin edges come from a fixed random sample of rows (sorting every column is the cost). */
export const EDGE_SAMPLE = 50_000;

/** The rows whose values fix the bin edges (null: all of them). The same for every feature and every run. */
export function edgeSample(n: number): Int32Array | null {
  if (n <= EDGE_SAMPLE) return null;
  const rng = new Random(0x5eed, 0);
  const sample = new Int32Array(EDGE_SAMPLE);
  for (let i = 0; i < EDGE_SAMPLE; i++) sample[i] = rng.int(n);
  return sample;
}

/** One feature's codes written into `out` (length n); returns the per-bin [min, max] of the values each bin received. */
export function binFeature(
  col: Float64Array,
  categorical: boolean,
  sample: Int32Array | null,
  out: Uint8Array,
  maxBins = MAX_BINS,
): { min: Float64Array; max: Float64Array } {
  const n = col.length;
  if (categorical) {
    for (let i = 0; i < n; i++) {
      const v = col[i];
      if (v !== v) out[i] = MISSING_BIN;
      else if (v >= 0 && v < MAX_CATEGORIES && Math.floor(v) === v) out[i] = v;
      else throw new DriftCatcherError(`categorical feature codes must be integers 0..${MAX_CATEGORIES - 1} or NaN, got ${v}`);
    }
    return { min: new Float64Array(0), max: new Float64Array(0) };
  }
  const upperEdges = featureBins(col, maxBins, sample);
  const last = upperEdges.length - 1;
  // edges padded with +Infinity to a power of two: a fixed-step (branch-light) search
  let size = 1;
  while (size < upperEdges.length) size *= 2;
  const upper = new Float64Array(size).fill(Infinity);
  upper.set(upperEdges);
  // the values each bin really holds (with sampled edges, rows outside the sample may widen a bin)
  const lowest = new Float64Array(Math.max(0, last + 1)).fill(Infinity);
  const highest = new Float64Array(Math.max(0, last + 1)).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const x = col[i];
    if (x !== x) {
      out[i] = MISSING_BIN;
      continue;
    }
    // first bin whose largest value is ≥ x (the last bin for anything above)
    let lo = 0;
    for (let step = size >> 1; step > 0; step >>= 1) if (upper[lo + step - 1] < x) lo += step;
    if (lo > last) lo = last;
    out[i] = lo;
    if (x < lowest[lo]) lowest[lo] = x;
    if (x > highest[lo]) highest[lo] = x;
  }
  return { min: lowest, max: highest };
}

/** Assembles per-feature bin ranges (in feature order) into the Binned offsets and arrays. */
export function assembleBinned(n: number, bins: Uint8Array, ranges: { min: Float64Array; max: Float64Array }[], categorical: Uint8Array): Binned {
  const nFeatures = ranges.length;
  const binOffset = new Int32Array(nFeatures + 1);
  for (let f = 0; f < nFeatures; f++) binOffset[f + 1] = binOffset[f] + ranges[f].min.length;
  const binMin = new Float64Array(binOffset[nFeatures]);
  const binMax = new Float64Array(binOffset[nFeatures]);
  ranges.forEach((r, f) => {
    binMin.set(r.min, binOffset[f]);
    binMax.set(r.max, binOffset[f]);
  });
  return { n, nFeatures, bins, binOffset, binMin, binMax, categorical };
}

/** Bins every feature in this thread (the trainer bins wide tables feature-parallel in its workers instead). */
export function binFeatures(X: Float64Array[], categorical?: ArrayLike<number | boolean>, maxBins = MAX_BINS, bins?: Uint8Array): Binned {
  const nFeatures = X.length;
  const n = nFeatures ? X[0].length : 0;
  const sample = edgeSample(n);
  const out = bins ?? new Uint8Array(nFeatures * n);
  const cat = Uint8Array.from({ length: nFeatures }, (_, f) => (categorical?.[f] ? 1 : 0));
  const ranges = X.map((col, f) => binFeature(col, cat[f] === 1, sample, out.subarray(f * n, (f + 1) * n), maxBins));
  return assembleBinned(n, out, ranges, cat);
}
