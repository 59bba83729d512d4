/**
 * Quantisation of every feature into at most 255 bins, done once per forest (LightGBM-style). Split search
 * then works on one byte per cell. Each bin remembers the smallest and largest raw value it holds, so a
 * split "bin ≤ b" becomes the raw threshold midway between bin b's largest value and the next occupied
 * bin's smallest value — prediction runs on raw floats, and features with ≤ 255 distinct values split
 * exactly where scikit-learn would. Above EDGE_SAMPLE rows the edges come from a sample of rows; every
 * bin still records the true extremes of the rows it received.
 */
import { Rng } from './rng';

export const MAX_BINS = 255;

export interface Binned {
  /** rows */
  n: number;
  nFeatures: number;
  /** feature-major codes: bins[f * n + i] */
  bins: Uint8Array;
  /** per feature f, its bins are binOffset[f] .. binOffset[f+1]-1 in binMin/binMax */
  binOffset: Int32Array;
  binMin: Float64Array;
  binMax: Float64Array;
}

/** Bin edges of one feature: distinct values grouped greedily so every bin holds about n / maxBins rows. */
function featureBins(col: Float64Array, maxBins: number, sample: Int32Array | null): { min: number[]; max: number[] } {
  let sorted: Float64Array;
  if (sample) {
    sorted = new Float64Array(sample.length);
    for (let j = 0; j < sample.length; j++) sorted[j] = col[sample[j]];
  } else sorted = Float64Array.from(col);
  sorted.sort();
  const n = sorted.length;
  // distinct values and their counts
  const vals: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < n; ) {
    const v = sorted[i];
    let j = i + 1;
    while (j < n && sorted[j] === v) j++;
    vals.push(v);
    counts.push(j - i);
    i = j;
  }
  if (vals.length <= maxBins) return { min: vals, max: vals.slice() };
  const min: number[] = [];
  const max: number[] = [];
  let remainingRows = n;
  let acc = 0;
  let start = 0;
  for (let d = 0; d < vals.length; d++) {
    acc += counts[d];
    const binsLeft = maxBins - min.length;
    const distinctLeft = vals.length - d - 1;
    const close = binsLeft === 1 ? d === vals.length - 1 : acc >= remainingRows / binsLeft || distinctLeft < binsLeft;
    if (close || d === vals.length - 1) {
      min.push(vals[start]);
      max.push(vals[d]);
      remainingRows -= acc;
      acc = 0;
      start = d + 1;
    }
  }
  return { min, max };
}

/** Above this many rows, bin edges come from a fixed random sample of rows (sorting every column is the cost). */
export const EDGE_SAMPLE = 50_000;

export function binFeatures(X: Float64Array[], maxBins = MAX_BINS): Binned {
  const nFeatures = X.length;
  const n = nFeatures ? X[0].length : 0;
  let sample: Int32Array | null = null;
  if (n > EDGE_SAMPLE) {
    const rng = new Rng(0x5eed, 0);
    sample = new Int32Array(EDGE_SAMPLE);
    for (let i = 0; i < EDGE_SAMPLE; i++) sample[i] = rng.int(n);
  }
  const bins = new Uint8Array(nFeatures * n);
  const binOffset = new Int32Array(nFeatures + 1);
  const allMin: number[] = [];
  const allMax: number[] = [];
  for (let f = 0; f < nFeatures; f++) {
    const col = X[f];
    const { max } = featureBins(col, maxBins, sample);
    const last = max.length - 1;
    // edges padded with +Infinity to a power of two: a fixed-step (branch-light) search
    let size = 1;
    while (size < max.length) size *= 2;
    const upper = new Float64Array(size).fill(Infinity);
    upper.set(max);
    // the values each bin really holds (with sampled edges, rows outside the sample may widen a bin)
    const lowest = new Float64Array(max.length).fill(Infinity);
    const highest = new Float64Array(max.length).fill(-Infinity);
    const base = f * n;
    for (let i = 0; i < n; i++) {
      const x = col[i];
      // first bin whose largest value is ≥ x (the last bin for anything above)
      let lo = 0;
      for (let step = size >> 1; step > 0; step >>= 1) lo = upper[lo + step - 1] < x ? lo + step : lo;
      if (lo > last) lo = last;
      bins[base + i] = lo;
      if (x < lowest[lo]) lowest[lo] = x;
      if (x > highest[lo]) highest[lo] = x;
    }
    binOffset[f] = allMin.length;
    for (let b = 0; b <= last; b++) {
      allMin.push(lowest[b]);
      allMax.push(highest[b]);
    }
  }
  binOffset[nFeatures] = allMin.length;
  return { n, nFeatures, bins, binOffset, binMin: Float64Array.from(allMin), binMax: Float64Array.from(allMax) };
}
