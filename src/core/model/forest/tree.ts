import { MISSING_BIN, type Binned } from './binning';
import { clear, HistogramCache, type HistogramStats } from './histCache';
import { Random } from '../../util/random';
import { bestCategoricalSplit, bestNumericSplit, oneVsRestSplit, bestNumericSplitRefined, midpoint, resetBest, type SplitBest, type SplitScratch } from './split';

/**
 * One CART classification tree (Gini) grown depth-first on binned data, the way scikit-learn's
 * DepthFirstTreeBuilder does it: bootstrap counts become sample weights, each node draws features (sampling
 * tickets, see ONE_HOT_CATEGORIES) without replacement until `mtry` have been visited (continuing past that only
 * while every visited one was constant),
 * and keeps the split with the best Gini proxy. Node/leaf limits count distinct samples, as sklearn's do.
 *
 * Missing values (NaN) never drop a row: every numeric split also tries sending them left, and "all values vs
 * missing" is a candidate too (scikit-learn ≥ 1.4); a node that saw no missing value sends them to the child
 * with more samples. Categorical features split into two sets of categories (see split.ts). Numeric features
 * with more distinct values than bins are split on their raw values in nodes of at most `refineRows` rows.
 */
export interface TreeParams {
  maxDepth: number; // Infinity = unlimited
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** tickets visited per node */
  mtry: number;
  bootstrap: boolean;
  /** exact (raw-value) splits of coarse numeric features in nodes of at most this many rows; 0 = never */
  refineRows: number;
  /** build a child's histogram as parent − sibling when possible (the model is the same either way) */
  subtraction: boolean;
  /** what feature sampling draws (mtry counts tickets) */
  tickets: Tickets;
}

/**
 * What feature sampling draws, one ticket at a time: ticket t stands for feature[t] as a whole (code[t] = -1) or,
 * for a categorical feature with few categories, for one category of it (code[t] = its bin) — see samplingTickets.
 */
export interface Tickets {
  feature: Int32Array;
  code: Int32Array;
}

/**
 * Up to this many categories in the training data (missing/other counted as one), a categorical feature is
 * sampled like its one-hot columns: one ticket per category, and a drawn ticket offers that category against the
 * rest. With at most three categories those are all of its two-set partitions anyway, so the splits are the same
 * as the native search's; what changes is how often the feature is drawn: as often as scikit-learn's one-hot
 * pipeline draws it. Measured on penguins (Island: 3 categories), 50 paired stratified splits: +0.52 ± 0.13 point
 * over one ticket per feature, level with the pipeline (−0.03 ± 0.14). Features with more categories keep one
 * ticket and the native partition search: per-category tickets for them made the native search dominate (cars'
 * 12-year column: −5.3 points) and one-vs-rest splits lost the partitions' gain (movies: −0.85 ± 0.26 point).
 */
export const ONE_HOT_CATEGORIES = 3;

/** The sampling tickets of a training set: its features, and the categories of categorical features with few. */
export function samplingTickets(X: Float64Array[], categorical: ArrayLike<number>): Tickets {
  const feature: number[] = [];
  const code: number[] = [];
  const seen = new Uint8Array(256);
  X.forEach((col, f) => {
    let nSeen = 0;
    if (categorical[f]) {
      seen.fill(0);
      for (let i = 0; i < col.length && nSeen <= ONE_HOT_CATEGORIES; i++) {
        const b = col[i] === col[i] ? col[i] : MISSING_BIN;
        if (!seen[b]) nSeen++;
        seen[b] = 1;
      }
    }
    if (!categorical[f] || nSeen > ONE_HOT_CATEGORIES) {
      feature.push(f);
      code.push(-1);
      return;
    }
    for (let b = 0; b < 256; b++) {
      if (!seen[b]) continue;
      feature.push(f);
      code.push(b);
    }
  });
  return { feature: Int32Array.from(feature), code: Int32Array.from(code) };
}

/** What a tree is grown on: the binned matrix, and raw values of coarse numeric features (for refined splits). */
export interface TreeData extends Binned {
  /** per feature: raw values when the feature is numeric and some bin holds several distinct values */
  raw: (Float64Array | undefined)[];
}

/** node flags */
export const MISSING_LEFT = 1;
export const CATEGORICAL = 2;
/** 32-bit words of one categorical split's bitset (one bit per bin code 0..255) */
export const CAT_WORDS = 8;

/**
 * A tree as flat arrays. Node i is a leaf when feature[i] < 0; then left[i] is its leaf index into `value`
 * (nClasses class fractions per leaf) and right[i] is -1. A numeric node sends x ≤ threshold[i] to left[i] and
 * larger values to right[i]; NaN goes left when flags[i] has MISSING_LEFT. A categorical node (flags[i] has
 * CATEGORICAL) sends code c (NaN: 255) left when bit c of catBits[threshold[i] * 8 ..] is set. Children always
 * have larger indices than their parent.
 */
export interface TreeArrays {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  flags: Uint8Array;
  catBits: Int32Array;
  value: Float32Array;
  /** total weighted impurity decrease per feature (not normalised) */
  importance: Float64Array;
  /** how the histograms were obtained (for measurement; not part of the model) */
  stats?: HistogramStats;
}

/** Doubling typed-array storage for nodes while a tree grows. */
class NodeStore {
  feature = new Int32Array(256);
  threshold = new Float64Array(256);
  left = new Int32Array(256);
  right = new Int32Array(256);
  flags = new Uint8Array(256);
  catBits = new Int32Array(8 * CAT_WORDS);
  value: Float32Array;
  nodes = 0;
  leaves = 0;
  catSplits = 0;

  constructor(private readonly k: number) {
    this.value = new Float32Array(256 * k);
  }

  addNode(): number {
    if (this.nodes === this.feature.length) {
      const cap = this.nodes * 2;
      this.feature = grow(this.feature, new Int32Array(cap));
      this.threshold = grow(this.threshold, new Float64Array(cap));
      this.left = grow(this.left, new Int32Array(cap));
      this.right = grow(this.right, new Int32Array(cap));
      this.flags = grow(this.flags, new Uint8Array(cap));
    }
    return this.nodes++;
  }

  addCatSet(bits: Int32Array): number {
    if ((this.catSplits + 1) * CAT_WORDS > this.catBits.length) this.catBits = grow(this.catBits, new Int32Array(this.catBits.length * 2));
    this.catBits.set(bits, this.catSplits * CAT_WORDS);
    return this.catSplits++;
  }

  addLeaf(node: number, totals: Float64Array, weight: number): void {
    const k = this.k;
    if ((this.leaves + 1) * k > this.value.length) this.value = grow(this.value, new Float32Array(this.value.length * 2));
    const leaf = this.leaves++;
    for (let c = 0; c < k; c++) this.value[leaf * k + c] = totals[c] / weight;
    this.feature[node] = -1;
    this.threshold[node] = 0;
    this.left[node] = leaf;
    this.right[node] = -1;
    this.flags[node] = 0;
  }
}

function grow<T extends Int32Array | Float64Array | Float32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

export function gini(t: Float64Array, off: number, k: number, w: number): number {
  if (w <= 0) return 0;
  let s = 0;
  for (let c = 0; c < k; c++) s += t[off + c] * t[off + c];
  return 1 - s / (w * w);
}

const EPSILON = 2.220446049250313e-16;

/**
 * Rows per occupied bin from which a small node searches raw values: spread over many bins, the quantile bins
 * already separate its rows almost as finely as the values do (measured in the tests: same accuracy, a third of
 * the time on wide tables).
 */
const REFINE_CROWDING = 8;

/** Per-node DFS stack with the class totals and the known-constant tickets of each pending node. */
class NodeStack {
  cap = 64;
  start = new Int32Array(64);
  end = new Int32Array(64);
  depth = new Int32Array(64);
  parent = new Int32Array(64);
  isLeft = new Uint8Array(64);
  /** id of the pending node (for the histogram cache) and of its sibling (-1: none) */
  id = new Int32Array(64);
  sibling = new Int32Array(64);
  parentId = new Int32Array(64);
  totals: Float64Array;
  /** known-constant tickets: constOff[e] .. constOff[e] + constLen[e] in the arena (LIFO like the stack) */
  constOff = new Int32Array(64);
  constLen = new Int32Array(64);
  arena = new Int32Array(1024);
  sp = 0;

  constructor(private readonly k: number) {
    this.totals = new Float64Array(64 * k);
  }

  push(start: number, end: number, depth: number, parent: number, isLeft: number, consts: Int32Array, nConst: number): number {
    if (this.sp === this.cap) {
      const cap = (this.cap *= 2);
      this.start = grow(this.start, new Int32Array(cap));
      this.end = grow(this.end, new Int32Array(cap));
      this.depth = grow(this.depth, new Int32Array(cap));
      this.parent = grow(this.parent, new Int32Array(cap));
      this.isLeft = grow(this.isLeft, new Uint8Array(cap));
      this.id = grow(this.id, new Int32Array(cap));
      this.sibling = grow(this.sibling, new Int32Array(cap));
      this.parentId = grow(this.parentId, new Int32Array(cap));
      this.totals = grow(this.totals, new Float64Array(cap * this.k));
      this.constOff = grow(this.constOff, new Int32Array(cap));
      this.constLen = grow(this.constLen, new Int32Array(cap));
    }
    const e = this.sp++;
    const off = e === 0 ? 0 : this.constOff[e - 1] + this.constLen[e - 1];
    if (off + nConst > this.arena.length) this.arena = grow(this.arena, new Int32Array(Math.max(off + nConst, this.arena.length * 2)));
    this.arena.set(consts.subarray(0, nConst), off);
    this.start[e] = start;
    this.end[e] = end;
    this.depth[e] = depth;
    this.parent[e] = parent;
    this.isLeft[e] = isLeft;
    this.constOff[e] = off;
    this.constLen[e] = nConst;
    return e;
  }
}

export function buildTree(data: TreeData, y: Int32Array, k: number, p: TreeParams, seed: number, treeIndex: number): TreeArrays {
  const { n, nFeatures: F, bins, binOffset, binMin, binMax, categorical, raw } = data;
  const rng = new Random(seed, treeIndex);

  // bootstrap: draw counts become weights; only drawn rows take part
  const weight = new Int32Array(n);
  if (p.bootstrap) for (let i = 0; i < n; i++) weight[rng.int(n)] += 1;
  else weight.fill(1);
  let m = 0;
  for (let i = 0; i < n; i++) if (weight[i] > 0) m++;
  const idx = new Int32Array(m);
  for (let i = 0, j = 0; i < n; i++) if (weight[i] > 0) idx[j++] = i;

  const store = new NodeStore(k);
  const spill = new Int32Array(m);
  const importance = new Float64Array(F);
  const scratch: SplitScratch = {
    hist: new Int32Array(256 * k),
    cnt: new Int32Array(256),
    occ: new Uint8Array(256),
    left: new Float64Array(k),
    keys: new Float64Array(256),
    order: new Uint8Array(256),
    rows: new Int32Array(Math.max(1, Math.min(m, p.refineRows))),
    rowKeys: new Float64Array(Math.max(1, Math.min(m, p.refineRows))),
  };
  const best: SplitBest = {
    proxy: -Infinity,
    feature: -1,
    kind: 0,
    bin: -1,
    next: -1,
    threshold: 0,
    missingLeft: false,
    allVsMissing: false,
    sawMissing: false,
    left: new Float64Array(k),
    nLeft: 0,
    catBits: new Int32Array(CAT_WORDS),
  };
  const T = p.tickets.feature.length;
  const ticketFeature = p.tickets.feature;
  const ticketCode = p.tickets.code;
  const tickets = new Int32Array(T);
  for (let t = 0; t < T; t++) tickets[t] = t;
  // coarse: some bin holds several distinct values (only these benefit from raw-value splits)
  const coarse = new Uint8Array(F);
  for (let f = 0; f < F; f++) {
    if (!raw[f]) continue;
    for (let b = binOffset[f]; b < binOffset[f + 1]; b++) if (binMin[b] < binMax[b]) coarse[f] = 1;
  }
  const isConst = new Uint8Array(T);
  const nodeConst = new Int32Array(T);
  const cache = new HistogramCache(k, p.subtraction);

  const stack = new NodeStack(k);
  stack.push(0, m, 0, -1, 0, nodeConst, 0);
  stack.totals.fill(0, 0, k);
  for (let j = 0; j < m; j++) stack.totals[y[idx[j]]] += weight[idx[j]];
  stack.id[0] = cache.newNodeId();
  stack.sibling[0] = -1;
  stack.parentId[0] = -1;

  const nodeTotals = new Float64Array(k);

  while (stack.sp > 0) {
    const e = --stack.sp;
    const start = stack.start[e];
    const end = stack.end[e];
    const depth = stack.depth[e];
    const parent = stack.parent[e];
    const isLeft = stack.isLeft[e];
    const nodeId = stack.id[e];
    const siblingId = stack.sibling[e];
    const parentId = stack.parentId[e];
    for (let c = 0; c < k; c++) nodeTotals[c] = stack.totals[e * k + c];
    let nConst = stack.constLen[e];
    nodeConst.set(stack.arena.subarray(stack.constOff[e], stack.constOff[e] + nConst));
    for (let j = 0; j < nConst; j++) isConst[nodeConst[j]] = 1;

    const node = store.addNode();
    if (parent >= 0) {
      if (isLeft) store.left[parent] = node;
      else store.right[parent] = node;
    }
    const nNode = end - start;
    let wNode = 0;
    for (let c = 0; c < k; c++) wNode += nodeTotals[c];
    const impurity = gini(nodeTotals, 0, k, wNode);

    resetBest(best);
    if (!(depth >= p.maxDepth || nNode < p.minSamplesSplit || nNode < 2 * p.minSamplesLeaf || impurity <= EPSILON)) {
      // tickets[0 .. remaining) are still to draw (sklearn's Fisher-Yates variant); known constants count as visited
      let remaining = T;
      let visited = 0;
      let nonConst = 0;
      while (remaining > 0 && (visited < p.mtry || nonConst === 0)) {
        const j = rng.int(remaining);
        const t = tickets[j];
        tickets[j] = tickets[remaining - 1];
        tickets[remaining - 1] = t;
        remaining--;
        visited++;
        if (isConst[t]) continue;
        const f = ticketFeature[t];
        const code = ticketCode[t];

        const nOcc = cache.histogram(f, nodeId, parentId, siblingId, data, idx, start, end, y, weight, scratch);
        if (code >= 0) {
          // one category against the rest (a one-hot column): constant where the node has all or none of it
          const nIn = scratch.cnt[code];
          if (nIn === 0 || nIn === nNode) {
            clear(scratch, nOcc, k);
            isConst[t] = 1;
            nodeConst[nConst++] = t;
            continue;
          }
          oneVsRestSplit(f, code, nOcc, k, nodeTotals, wNode, nNode, p.minSamplesLeaf, scratch, best);
          nonConst++;
          clear(scratch, nOcc, k);
          continue;
        }
        // a small node crowded into few bins (REFINE_CROWDING rows per occupied bin or more), one of which holds
        // several distinct values: the bins are too coarse here, search the raw values
        let refine = false;
        const nValued = nNode - scratch.cnt[MISSING_BIN];
        const nValueBins = nOcc - (scratch.cnt[MISSING_BIN] > 0 ? 1 : 0);
        if (coarse[f] && nNode <= p.refineRows && nValued >= REFINE_CROWDING * nValueBins) {
          const lo = binOffset[f];
          for (let j = 0; j < nOcc && !refine; j++) {
            const b = scratch.occ[j];
            refine = b !== MISSING_BIN && scratch.cnt[b] > 1 && binMin[lo + b] < binMax[lo + b];
          }
        }
        if (!refine && nOcc <= 1) {
          clear(scratch, nOcc, k);
          isConst[t] = 1;
          nodeConst[nConst++] = t;
          continue;
        }
        if (refine) {
          const lo = binOffset[f];
          const multi = (b: number): boolean => binMin[lo + b] < binMax[lo + b];
          const r = bestNumericSplitRefined(raw[f]!, f, nOcc, multi, bins, f * n, idx, start, end, y, weight, k, nodeTotals, wNode, nNode, p.minSamplesLeaf, scratch, best);
          if (r === 'constant') {
            clear(scratch, nOcc, k);
            isConst[t] = 1;
            nodeConst[nConst++] = t;
            continue;
          }
        } else if (categorical[f]) {
          bestCategoricalSplit(f, nOcc, k, nodeTotals, wNode, nNode, p.minSamplesLeaf, scratch, best);
        } else {
          bestNumericSplit(f, nOcc, k, nodeTotals, wNode, nNode, p.minSamplesLeaf, scratch, best);
        }
        nonConst++;
        clear(scratch, nOcc, k);
      }
    }
    // the parent's (and the first sibling's) histograms are no longer needed once the second child has searched
    if (!isLeft && parentId >= 0) {
      cache.release(parentId);
      cache.release(siblingId);
    }
    for (let j = 0; j < nConst; j++) isConst[nodeConst[j]] = 0;

    if (best.feature < 0) {
      // a left leaf keeps its histograms for its sibling
      if (!isLeft) cache.release(nodeId);
      store.addLeaf(node, nodeTotals, wNode);
      continue;
    }

    const bf = best.feature;
    store.feature[node] = bf;
    let flags = 0;
    // stable partition of idx[start, end), left rows first: rows stay in ascending order inside every node,
    // so the histogram loops read each feature column front to back (cache friendly)
    const base = bf * n;
    let mid = start;
    let nr = 0;
    if (best.kind === CATEGORICAL) {
      flags = CATEGORICAL;
      // categories this node never saw (and "other" at prediction) follow the larger child
      const bits = best.catBits;
      const goLeftUnseen = best.nLeft * 2 >= nNode;
      const seen = scratch.cnt; // reused as a seen-mask below
      seen.fill(0);
      for (let i = start; i < end; i++) seen[bins[base + idx[i]]] = 1;
      for (let b = 0; b < 256; b++) {
        if (!seen[b] && goLeftUnseen) bits[b >> 5] |= 1 << (b & 31);
      }
      seen.fill(0);
      if ((bits[MISSING_BIN >> 5] >>> (MISSING_BIN & 31)) & 1) flags |= MISSING_LEFT;
      store.threshold[node] = store.addCatSet(bits);
      for (let i = start; i < end; i++) {
        const s = idx[i];
        const b = bins[base + s];
        if ((bits[b >> 5] >>> (b & 31)) & 1) idx[mid++] = s;
        else spill[nr++] = s;
      }
    } else if (best.kind === 1) {
      // a raw-value split (refined in a small node)
      const col = raw[bf]!;
      const missLeft = best.missingLeft;
      store.threshold[node] = best.threshold;
      for (let i = start; i < end; i++) {
        const s = idx[i];
        const x = col[s];
        if (x === x ? x <= best.threshold : missLeft) idx[mid++] = s;
        else spill[nr++] = s;
      }
      flags = missLeft ? MISSING_LEFT : 0;
    } else {
      let thr: number;
      if (best.allVsMissing) thr = Infinity;
      else {
        // raw threshold midway between the two occupied bins (sklearn's midpoint rule, incl. its rounding guard)
        const lo = binMax[binOffset[bf] + best.bin];
        const hi = binMin[binOffset[bf] + best.next];
        thr = midpoint(lo, hi);
      }
      store.threshold[node] = thr;
      const missLeft = best.missingLeft;
      const bb = best.allVsMissing ? MISSING_BIN - 1 : best.bin;
      for (let i = start; i < end; i++) {
        const s = idx[i];
        const b = bins[base + s];
        if (b === MISSING_BIN ? missLeft : b <= bb) idx[mid++] = s;
        else spill[nr++] = s;
      }
      flags = missLeft ? MISSING_LEFT : 0;
    }
    idx.set(spill.subarray(0, nr), mid);
    // a node without missing values at this feature: missing values follow the child with more samples
    if (best.kind !== CATEGORICAL && !best.sawMissing) flags = mid - start > end - mid ? MISSING_LEFT : 0;
    store.flags[node] = flags;

    const bestLeft = best.left;
    let wL = 0;
    for (let c = 0; c < k; c++) wL += bestLeft[c];
    const wR = wNode - wL;
    for (let c = 0; c < k; c++) nodeTotals[c] -= bestLeft[c];
    importance[bf] += wNode * impurity - wL * gini(bestLeft, 0, k, wL) - wR * gini(nodeTotals, 0, k, wR);

    // push right first so the left subtree is built (and numbered) first
    const leftId = cache.newNodeId();
    const rightId = cache.newNodeId();
    const r = stack.push(mid, end, depth + 1, node, 0, nodeConst, nConst);
    for (let c = 0; c < k; c++) stack.totals[r * k + c] = nodeTotals[c];
    stack.id[r] = rightId;
    stack.sibling[r] = leftId;
    stack.parentId[r] = nodeId;
    const l = stack.push(start, mid, depth + 1, node, 1, nodeConst, nConst);
    for (let c = 0; c < k; c++) stack.totals[l * k + c] = bestLeft[c];
    stack.id[l] = leftId;
    stack.sibling[l] = rightId;
    stack.parentId[l] = nodeId;
    cache.registerChildren(leftId, start, mid, rightId, mid, end);
  }

  return {
    feature: store.feature.slice(0, store.nodes),
    threshold: store.threshold.slice(0, store.nodes),
    left: store.left.slice(0, store.nodes),
    right: store.right.slice(0, store.nodes),
    flags: store.flags.slice(0, store.nodes),
    catBits: store.catBits.slice(0, store.catSplits * CAT_WORDS),
    value: store.value.slice(0, store.leaves * k),
    importance,
    stats: cache.stats,
  };
}
