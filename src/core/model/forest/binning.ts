/**
 * Quantisation of every feature into at most 255 bins, done once per forest (LightGBM-style). Split search
 * then works on one byte per cell. Each bin remembers the smallest and largest raw value it holds, so a
 * split "bin ≤ b" becomes the raw threshold midway between bin b's largest value and the next occupied
 * bin's smallest value — prediction runs on raw floats, and features with ≤ 255 distinct values split
 * exactly where scikit-learn would.
 */
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
function featureBins(col: Float64Array, maxBins: number): { min: number[]; max: number[] } {
  const sorted = Float64Array.from(col).sort();
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

export function binFeatures(X: Float64Array[], maxBins = MAX_BINS): Binned {
  const nFeatures = X.length;
  const n = nFeatures ? X[0].length : 0;
  const bins = new Uint8Array(nFeatures * n);
  const binOffset = new Int32Array(nFeatures + 1);
  const allMin: number[] = [];
  const allMax: number[] = [];
  for (let f = 0; f < nFeatures; f++) {
    const col = X[f];
    const { min, max } = featureBins(col, maxBins);
    binOffset[f] = allMin.length;
    for (let b = 0; b < min.length; b++) {
      allMin.push(min[b]);
      allMax.push(max[b]);
    }
    const upper = Float64Array.from(max);
    const last = upper.length - 1;
    const base = f * n;
    for (let i = 0; i < n; i++) {
      const x = col[i];
      // first bin whose largest value is ≥ x
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (upper[mid] < x) lo = mid + 1;
        else hi = mid;
      }
      bins[base + i] = lo;
    }
  }
  binOffset[nFeatures] = allMin.length;
  return { n, nFeatures, bins, binOffset, binMin: Float64Array.from(allMin), binMax: Float64Array.from(allMax) };
}
