import { MISSING_BIN } from './binning';

/**
 * Best-split search of one feature at one node, from its class histogram over bins (bin 255 = missing). The
 * score is sklearn's Gini proxy Σ_c left_c² / w_left + Σ_c right_c² / w_right (larger is better); a candidate
 * needs at least minSamplesLeaf distinct samples on each side.
 *
 * Numeric: every boundary between occupied bins, with the missing rows sent right and (when there are any)
 * left, plus "every value left, missing right" — scikit-learn ≥ 1.4's candidates.
 *
 * Categorical (LightGBM / HistGradientBoosting style): the occupied categories (missing included) are ordered by
 * a class statistic and the best prefix of that order is the left set. With two classes, ordering by the share of
 * class 1 finds the best Gini partition of all 2^(m-1) (Breiman et al. 1984). With more classes no single order
 * is guaranteed optimal: up to EXHAUSTIVE_CATEGORIES categories we try every partition; above, one order per class
 * (one-vs-rest share, up to MAX_ORDERINGS of the node's most frequent classes), keeping the best prefix over all of
 * them (measured against exhaustive search in the tests).
 */

/** node-local scratch, cleared by the caller after each feature */
export interface SplitScratch {
  /** class weights per bin: hist[b * k + c] */
  hist: Int32Array;
  /** distinct samples per bin */
  cnt: Int32Array;
  /** the occupied bins (any order), first nOcc entries */
  occ: Uint8Array;
  left: Float64Array;
  keys: Float64Array;
  order: Uint8Array;
  /** refined splits: node rows and their raw values */
  rows: Int32Array;
  rowKeys: Float64Array;
}

export interface SplitBest {
  proxy: number;
  feature: number;
  /** 0 binned numeric, 1 raw-value numeric, 2 categorical */
  kind: number;
  /** binned numeric: left = bins ≤ bin; next = the first occupied bin to the right */
  bin: number;
  next: number;
  /** raw-value numeric */
  threshold: number;
  missingLeft: boolean;
  /** numeric: every value left, only missing right */
  allVsMissing: boolean;
  /** the node had missing values at this feature */
  sawMissing: boolean;
  /** class weights going left */
  left: Float64Array;
  /** distinct samples going left */
  nLeft: number;
  /** categorical: the left set (bit per bin code) */
  catBits: Int32Array;
}

/** one-vs-rest orders scanned for a multi-class categorical split */
export const MAX_ORDERINGS = 16;
/** up to this many categories at a node, a multi-class split tries every partition (at most 127) */
export const EXHAUSTIVE_CATEGORIES = 8;

export function resetBest(b: SplitBest): void {
  b.proxy = -Infinity;
  b.feature = -1;
  b.kind = 0;
  b.sawMissing = false;
}

/** Gini proxy of a split; `add` (may be null) is added to the left side (the missing rows). */
export function evaluateSplit(left: Float64Array, add: Int32Array | null, addOff: number, totals: Float64Array, wNode: number, k: number): number {
  let wL = 0;
  let sqL = 0;
  let sqR = 0;
  for (let c = 0; c < k; c++) {
    const l = add ? left[c] + add[addOff + c] : left[c];
    const r = totals[c] - l;
    wL += l;
    sqL += l * l;
    sqR += r * r;
  }
  const wR = wNode - wL;
  if (wL <= 0 || wR <= 0) return -Infinity;
  return sqL / wL + sqR / wR;
}

function record(best: SplitBest, proxy: number, f: number, kind: number, left: Float64Array, add: Int32Array | null, addOff: number, k: number, nLeft: number): void {
  best.proxy = proxy;
  best.feature = f;
  best.kind = kind;
  best.nLeft = nLeft;
  for (let c = 0; c < k; c++) best.left[c] = add ? left[c] + add[addOff + c] : left[c];
}

/**
 * The candidates at one boundary of a numeric feature (`nLeft` distinct samples, class weights `left`, below it):
 * missing values right (at the last boundary: every value left, only missing right) and, when the node has missing
 * values and this is not the last boundary, missing values left. Records the better one in `best` if it improves it
 * (the caller adds where the boundary is); returns whether it did.
 */
function numericBoundary(
  best: SplitBest,
  f: number,
  kind: number,
  left: Float64Array,
  hist: Int32Array,
  k: number,
  totals: Float64Array,
  wNode: number,
  nLeft: number,
  nNode: number,
  nMiss: number,
  minLeaf: number,
  last: boolean,
): boolean {
  const missOff = MISSING_BIN * k;
  const nRight = nNode - nLeft;
  let improved = false;
  if (nLeft >= minLeaf && nRight >= minLeaf) {
    const proxy = evaluateSplit(left, null, 0, totals, wNode, k);
    if (proxy > best.proxy) {
      record(best, proxy, f, kind, left, null, 0, k, nLeft);
      best.missingLeft = false;
      best.allVsMissing = last;
      best.sawMissing = nMiss > 0;
      improved = true;
    }
  }
  if (!last && nMiss > 0 && nLeft + nMiss >= minLeaf && nRight - nMiss >= minLeaf) {
    const proxy = evaluateSplit(left, hist, missOff, totals, wNode, k);
    if (proxy > best.proxy) {
      record(best, proxy, f, kind, left, hist, missOff, k, nLeft + nMiss);
      best.missingLeft = true;
      best.allVsMissing = false;
      best.sawMissing = true;
      improved = true;
    }
  }
  return improved;
}

/** Numeric feature from its histogram; returns whether it improved `best`. */
export function bestNumericSplit(
  f: number,
  nOcc: number,
  k: number,
  totals: Float64Array,
  wNode: number,
  nNode: number,
  minLeaf: number,
  s: SplitScratch,
  best: SplitBest,
): boolean {
  const { hist, cnt, occ, left, order } = s;
  const nMiss = cnt[MISSING_BIN];
  // occupied non-missing bins in ascending order
  let m = 0;
  if (nOcc * 8 < 256) {
    for (let j = 0; j < nOcc; j++) if (occ[j] !== MISSING_BIN) order[m++] = occ[j];
    order.subarray(0, m).sort();
  } else {
    for (let b = 0; b < MISSING_BIN; b++) if (cnt[b] > 0) order[m++] = b;
  }
  left.fill(0);
  let nLeft = 0;
  let improved = false;
  for (let j = 0; j < m; j++) {
    const b = order[j];
    for (let c = 0; c < k; c++) left[c] += hist[b * k + c];
    nLeft += cnt[b];
    const last = j === m - 1;
    if (last && nMiss === 0) break;
    if (numericBoundary(best, f, 0, left, hist, k, totals, wNode, nLeft, nNode, nMiss, minLeaf, last)) {
      best.bin = b;
      best.next = last ? -1 : order[j + 1];
      improved = true;
    }
  }
  return improved;
}

/**
 * One category (bin `code`; the missing/other bin too) against every other category of the feature — the split a
 * one-hot column gives. Rows without the category go left, so do categories the node never saw. Returns whether it
 * improved `best`.
 */
export function oneVsRestSplit(f: number, code: number, nOcc: number, k: number, totals: Float64Array, wNode: number, nNode: number, minLeaf: number, s: SplitScratch, best: SplitBest): boolean {
  const { hist, cnt, left } = s;
  const nLeft = nNode - cnt[code];
  if (nLeft < minLeaf || nNode - nLeft < minLeaf) return false;
  for (let c = 0; c < k; c++) left[c] = totals[c] - hist[code * k + c];
  const proxy = evaluateSplit(left, null, 0, totals, wNode, k);
  if (!(proxy > best.proxy)) return false;
  record(best, proxy, f, 2, left, null, 0, k, nLeft);
  best.catBits.fill(-1);
  best.catBits[code >> 5] &= ~(1 << (code & 31));
  best.sawMissing = cnt[MISSING_BIN] > 0;
  return true;
}

/** Categorical feature from its histogram (missing is one more category); returns whether it improved `best`. */
export function bestCategoricalSplit(
  f: number,
  nOcc: number,
  k: number,
  totals: Float64Array,
  wNode: number,
  nNode: number,
  minLeaf: number,
  s: SplitScratch,
  best: SplitBest,
): boolean {
  const { hist, cnt, occ, left, keys, order } = s;
  const m = nOcc;
  if (k > 2 && m <= EXHAUSTIVE_CATEGORIES) return exhaustiveCategoricalSplit(f, m, k, totals, wNode, nNode, minLeaf, s, best);
  // which classes give an order: class 1 for two classes; else the node's most frequent classes
  const classes: number[] = [];
  if (k === 2) classes.push(1);
  else {
    for (let c = 0; c < k; c++) if (totals[c] > 0) classes.push(c);
    classes.sort((a, b) => totals[b] - totals[a] || a - b);
    classes.length = Math.min(classes.length, MAX_ORDERINGS);
  }
  let improved = false;
  for (const cls of classes) {
    // key: the category's share of class `cls`, then its bin (a stable tie-break), packed in one double
    for (let j = 0; j < m; j++) {
      const b = occ[j];
      let w = 0;
      for (let c = 0; c < k; c++) w += hist[b * k + c];
      const share = w > 0 ? hist[b * k + cls] / w : 0;
      keys[j] = Math.floor(share * 2 ** 40) * 256 + b;
    }
    keys.subarray(0, m).sort();
    for (let j = 0; j < m; j++) order[j] = keys[j] % 256;
    left.fill(0);
    let nLeft = 0;
    for (let j = 0; j < m - 1; j++) {
      const b = order[j];
      for (let c = 0; c < k; c++) left[c] += hist[b * k + c];
      nLeft += cnt[b];
      if (nLeft < minLeaf || nNode - nLeft < minLeaf) continue;
      const proxy = evaluateSplit(left, null, 0, totals, wNode, k);
      if (proxy > best.proxy) {
        record(best, proxy, f, 2, left, null, 0, k, nLeft);
        best.catBits.fill(0);
        for (let t = 0; t <= j; t++) best.catBits[order[t] >> 5] |= 1 << (order[t] & 31);
        best.sawMissing = cnt[MISSING_BIN] > 0;
        improved = true;
      }
    }
  }
  if (improved && k > 2) flipSearch(m, k, totals, wNode, nNode, minLeaf, s, best);
  return improved;
}

/**
 * From the best prefix of the orders, move single categories across while that improves the split (a local search:
 * the orders find a good partition, one category on the wrong side is what they most often miss).
 */
function flipSearch(m: number, k: number, totals: Float64Array, wNode: number, nNode: number, minLeaf: number, s: SplitScratch, best: SplitBest): void {
  const { hist, cnt, occ, left, order } = s;
  // ascending bins, so ties resolve the same however the histogram was built
  for (let j = 0; j < m; j++) order[j] = occ[j];
  order.subarray(0, m).sort();
  const bits = best.catBits;
  const inLeft = (b: number): boolean => ((bits[b >> 5] >>> (b & 31)) & 1) === 1;
  for (let round = 0; round < m; round++) {
    let bestJ = -1;
    let bestProxy = best.proxy;
    for (let j = 0; j < m; j++) {
      const b = order[j];
      const sign = inLeft(b) ? -1 : 1;
      const nLeft = best.nLeft + sign * cnt[b];
      if (nLeft < minLeaf || nNode - nLeft < minLeaf) continue;
      for (let c = 0; c < k; c++) left[c] = best.left[c] + sign * hist[b * k + c];
      const proxy = evaluateSplit(left, null, 0, totals, wNode, k);
      // strictly better by more than rounding: the search ends
      if (proxy > bestProxy * (1 + 1e-12)) {
        bestProxy = proxy;
        bestJ = j;
      }
    }
    if (bestJ < 0) return;
    const b = order[bestJ];
    const sign = inLeft(b) ? -1 : 1;
    for (let c = 0; c < k; c++) best.left[c] += sign * hist[b * k + c];
    best.nLeft += sign * cnt[b];
    best.proxy = bestProxy;
    bits[b >> 5] ^= 1 << (b & 31);
  }
}

/**
 * Few categories, several classes: every partition into two sets (2^(m-1) − 1 of them, in Gray-code order so each
 * step moves one category), so the split is the best one, not the best of the orders.
 */
function exhaustiveCategoricalSplit(f: number, m: number, k: number, totals: Float64Array, wNode: number, nNode: number, minLeaf: number, s: SplitScratch, best: SplitBest): boolean {
  const { hist, cnt, occ, left, order } = s;
  // ascending bins: the enumeration (and so the tie-break) does not depend on how the histogram was built
  for (let j = 0; j < m; j++) order[j] = occ[j];
  order.subarray(0, m).sort();
  left.fill(0);
  let nLeft = 0;
  let mask = 0;
  let improved = false;
  // category m-1 stays right: a partition and its mirror image are the same split
  for (let g = 1; g < 1 << (m - 1); g++) {
    const bit = 31 - Math.clz32(g & -g); // the bit Gray code g flips
    const b = order[bit];
    const sign = mask & (1 << bit) ? -1 : 1;
    mask ^= 1 << bit;
    for (let c = 0; c < k; c++) left[c] += sign * hist[b * k + c];
    nLeft += sign * cnt[b];
    if (nLeft < minLeaf || nNode - nLeft < minLeaf) continue;
    const proxy = evaluateSplit(left, null, 0, totals, wNode, k);
    if (proxy > best.proxy) {
      record(best, proxy, f, 2, left, null, 0, k, nLeft);
      best.catBits.fill(0);
      for (let j = 0; j < m - 1; j++) if (mask & (1 << j)) best.catBits[order[j] >> 5] |= 1 << (order[j] & 31);
      best.sawMissing = cnt[MISSING_BIN] > 0;
      improved = true;
    }
  }
  return improved;
}

/**
 * Numeric feature on its raw values, for a small node whose rows share bins that hold several distinct values:
 * the rows are placed in bin order (a counting sort over the node's histogram), rows inside a multi-valued bin
 * sorted by value, and every boundary between distinct values is a candidate (missing rows right and left, plus
 * "every value vs missing") — the exact CART search, at the cost of one pass over the node's rows. The scratch
 * holds the node's histogram of this feature (s.cnt[255] missing rows, s.hist[255·k..] their class weights).
 */
export function bestNumericSplitRefined(
  col: Float64Array,
  f: number,
  nOcc: number,
  multiValued: (bin: number) => boolean,
  bins: Uint8Array,
  base: number,
  idx: Int32Array,
  start: number,
  end: number,
  y: Int32Array,
  weight: Int32Array,
  k: number,
  totals: Float64Array,
  wNode: number,
  nNode: number,
  minLeaf: number,
  s: SplitScratch,
  best: SplitBest,
): 'constant' | 'split' | 'none' {
  const { rows, rowKeys: vals, left, hist, cnt, occ, order, keys } = s;
  const nMiss = cnt[MISSING_BIN];
  // occupied value bins ascending, and where each starts in rows[]
  let nb = 0;
  for (let j = 0; j < nOcc; j++) if (occ[j] !== MISSING_BIN) order[nb++] = occ[j];
  order.subarray(0, nb).sort();
  const pos = keys; // reused: next free slot per bin
  let m = 0;
  for (let j = 0; j < nb; j++) {
    pos[order[j]] = m;
    m += cnt[order[j]];
  }
  if (m === 0) return 'constant';
  for (let i = start; i < end; i++) {
    const r = idx[i];
    const b = bins[base + r];
    if (b === MISSING_BIN) continue;
    const p = pos[b]++;
    rows[p] = r;
    vals[p] = col[r];
  }
  for (let j = 0, from = 0; j < nb; j++) {
    const c = cnt[order[j]];
    if (c > 1 && multiValued(order[j])) sortPairs(vals, rows, from, from + c - 1);
    from += c;
  }
  if (vals[0] === vals[m - 1] && nMiss === 0) return 'constant';
  left.fill(0);
  let improved = false;
  for (let j = 0; j < m; j++) {
    const r = rows[j];
    left[y[r]] += weight[r];
    const last = j === m - 1;
    if (!last && vals[j + 1] === vals[j]) continue;
    if (last && nMiss === 0) break;
    if (numericBoundary(best, f, 1, left, hist, k, totals, wNode, j + 1, nNode, nMiss, minLeaf, last)) {
      best.threshold = last ? Infinity : midpoint(vals[j], vals[j + 1]);
      improved = true;
    }
  }
  return improved ? 'split' : 'none';
}

/** sklearn's threshold between two adjacent distinct values (with its guard against rounding up to `hi`). */
export function midpoint(lo: number, hi: number): number {
  const t = lo / 2 + hi / 2;
  return t === hi || !Number.isFinite(t) ? lo : t;
}

/** In-place sort of keys[lo..hi] ascending, carrying payload along (quicksort, insertion sort below 16). */
function sortPairs(keys: Float64Array, payload: Int32Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const mid = (lo + hi) >> 1;
    // median of three as pivot
    if (keys[mid] < keys[lo]) swap(keys, payload, mid, lo);
    if (keys[hi] < keys[lo]) swap(keys, payload, hi, lo);
    if (keys[hi] < keys[mid]) swap(keys, payload, hi, mid);
    const pivot = keys[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (keys[i] < pivot) i++;
      while (keys[j] > pivot) j--;
      if (i <= j) swap(keys, payload, i++, j--);
    }
    // recurse into the smaller side, loop on the larger (bounded stack)
    if (j - lo < hi - i) {
      sortPairs(keys, payload, lo, j);
      lo = i;
    } else {
      sortPairs(keys, payload, i, hi);
      hi = j;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const kv = keys[i];
    const pv = payload[i];
    let j = i - 1;
    while (j >= lo && keys[j] > kv) {
      keys[j + 1] = keys[j];
      payload[j + 1] = payload[j];
      j--;
    }
    keys[j + 1] = kv;
    payload[j + 1] = pv;
  }
}

function swap(keys: Float64Array, payload: Int32Array, a: number, b: number): void {
  const t = keys[a];
  keys[a] = keys[b];
  keys[b] = t;
  const p = payload[a];
  payload[a] = payload[b];
  payload[b] = p;
}
