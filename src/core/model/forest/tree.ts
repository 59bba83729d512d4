import type { Binned } from './binning';
import { Rng } from './rng';

/**
 * One CART classification tree (Gini) grown depth-first on binned data, the way scikit-learn's
 * DepthFirstTreeBuilder does it: bootstrap counts become sample weights, each node draws features without
 * replacement until `mtry` have been visited (continuing past that only while every visited one was constant),
 * and keeps the split with the best Gini proxy. Node/leaf limits count distinct samples, as sklearn's do.
 */
export interface TreeParams {
  maxDepth: number; // Infinity = unlimited
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /** features visited per node */
  mtry: number;
  bootstrap: boolean;
}

/**
 * A tree as flat arrays. Node i is a leaf when feature[i] < 0; then left[i] is its leaf index into
 * `value` (nClasses class fractions per leaf) and right[i] is -1. Otherwise rows with x[feature] ≤ threshold
 * go to left[i], others to right[i]; children always have larger indices than their parent.
 */
export interface TreeArrays {
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float32Array;
  /** total weighted impurity decrease per feature (not normalised) */
  importance: Float64Array;
}

/** Doubling typed-array storage for nodes while a tree grows. */
class NodeStore {
  feature = new Int32Array(256);
  threshold = new Float64Array(256);
  left = new Int32Array(256);
  right = new Int32Array(256);
  value: Float32Array;
  nodes = 0;
  leaves = 0;

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
    }
    return this.nodes++;
  }

  addLeaf(node: number, totals: Float64Array, tOff: number, weight: number): void {
    const k = this.k;
    if ((this.leaves + 1) * k > this.value.length) this.value = grow(this.value, new Float32Array(this.value.length * 2));
    const leaf = this.leaves++;
    for (let c = 0; c < k; c++) this.value[leaf * k + c] = totals[tOff + c] / weight;
    this.feature[node] = -1;
    this.threshold[node] = 0;
    this.left[node] = leaf;
    this.right[node] = -1;
  }
}

function grow<T extends Int32Array | Float64Array | Float32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

function gini(t: Float64Array, off: number, k: number, w: number): number {
  if (w <= 0) return 0;
  let s = 0;
  for (let c = 0; c < k; c++) s += t[off + c] * t[off + c];
  return 1 - s / (w * w);
}

const EPSILON = 2.220446049250313e-16;

export function buildTree(data: Binned, y: Int32Array, k: number, p: TreeParams, seed: number, treeIndex: number): TreeArrays {
  const { n, nFeatures: F, bins, binOffset, binMin, binMax } = data;
  const rng = new Rng(seed, treeIndex);

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

  // per-node scratch
  const hist = new Int32Array(256 * k); // weights are integer draw counts
  const cnt = new Int32Array(256);
  const occ = new Uint8Array(256);
  const left = new Float64Array(k);
  const bestLeft = new Float64Array(k);
  const features = new Int32Array(F);
  for (let f = 0; f < F; f++) features[f] = f;

  // explicit DFS stack: start, end, depth, parent (or -1), isLeft; class totals and known-constant flags per entry
  let cap = 64;
  let sStart = new Int32Array(cap);
  let sEnd = new Int32Array(cap);
  let sDepth = new Int32Array(cap);
  let sParent = new Int32Array(cap);
  let sIsLeft = new Uint8Array(cap);
  let sTotals = new Float64Array(cap * k);
  let sConst = new Uint8Array(cap * F);
  let sp = 0;
  const push = (start: number, end: number, depth: number, parent: number, isLeft: number): number => {
    if (sp === cap) {
      cap *= 2;
      sStart = grow(sStart, new Int32Array(cap));
      sEnd = grow(sEnd, new Int32Array(cap));
      sDepth = grow(sDepth, new Int32Array(cap));
      sParent = grow(sParent, new Int32Array(cap));
      sIsLeft = grow(sIsLeft, new Uint8Array(cap));
      sTotals = grow(sTotals, new Float64Array(cap * k));
      sConst = grow(sConst, new Uint8Array(cap * F));
    }
    sStart[sp] = start;
    sEnd[sp] = end;
    sDepth[sp] = depth;
    sParent[sp] = parent;
    sIsLeft[sp] = isLeft;
    return sp++;
  };

  const root = push(0, m, 0, -1, 0);
  sTotals.fill(0, 0, k);
  for (let j = 0; j < m; j++) sTotals[root * k + y[idx[j]]] += weight[idx[j]];
  sConst.fill(0, 0, F);

  const nodeTotals = new Float64Array(k);
  const nodeConst = new Uint8Array(F);

  while (sp > 0) {
    sp--;
    const start = sStart[sp];
    const end = sEnd[sp];
    const depth = sDepth[sp];
    const parent = sParent[sp];
    const isLeft = sIsLeft[sp];
    for (let c = 0; c < k; c++) nodeTotals[c] = sTotals[sp * k + c];
    for (let f = 0; f < F; f++) nodeConst[f] = sConst[sp * F + f];

    const node = store.addNode();
    if (parent >= 0) {
      if (isLeft) store.left[parent] = node;
      else store.right[parent] = node;
    }
    const nNode = end - start;
    let wNode = 0;
    for (let c = 0; c < k; c++) wNode += nodeTotals[c];
    const impurity = gini(nodeTotals, 0, k, wNode);

    let bestF = -1;
    let bestBin = -1;
    let bestNext = -1;
    let bestProxy = -Infinity;
    if (
      !(depth >= p.maxDepth || nNode < p.minSamplesSplit || nNode < 2 * p.minSamplesLeaf || impurity <= EPSILON)
    ) {
      // features[0 .. drawnConst) are known constants already drawn, sklearn's Fisher-Yates variant
      let remaining = F;
      let visited = 0;
      let nonConst = 0;
      while (remaining > 0 && (visited < p.mtry || nonConst === 0)) {
        const j = rng.int(remaining);
        const f = features[j];
        features[j] = features[remaining - 1];
        features[remaining - 1] = f;
        remaining--;
        visited++;
        if (nodeConst[f]) continue;

        // class histogram over the node's rows, noting which bins are occupied
        const base = f * n;
        let nOcc = 0;
        for (let i = start; i < end; i++) {
          const s = idx[i];
          const b = bins[base + s];
          hist[b * k + y[s]] += weight[s];
          if (cnt[b]++ === 0) occ[nOcc++] = b;
        }
        if (nOcc === 1) {
          nodeConst[f] = 1;
          const b = occ[0];
          cnt[b] = 0;
          for (let c = 0; c < k; c++) hist[b * k + c] = 0;
          continue;
        }
        nonConst++;
        // small nodes spread over many bins: visit only the occupied ones, in order
        const sparse = nOcc * 8 < 256;
        if (sparse) occ.subarray(0, nOcc).sort();
        let minB = 255;
        let maxB = 0;
        if (!sparse) {
          for (let j = 0; j < nOcc; j++) {
            if (occ[j] < minB) minB = occ[j];
            if (occ[j] > maxB) maxB = occ[j];
          }
        } else {
          minB = occ[0];
          maxB = occ[nOcc - 1];
        }
        // scan splits between consecutive occupied bins: left = bins ≤ prev
        for (let c = 0; c < k; c++) left[c] = hist[minB * k + c];
        let nLeft = cnt[minB];
        let prev = minB;
        // occupied bins after minB: from the sorted list, or by walking the range
        for (let j = 1, b = minB + 1; sparse ? j < nOcc : b <= maxB; j++, b++) {
          if (sparse) b = occ[j];
          const nb = cnt[b];
          if (nb === 0) continue;
          const nRight = nNode - nLeft;
          if (nLeft >= p.minSamplesLeaf && nRight >= p.minSamplesLeaf) {
            let wL = 0;
            let sqL = 0;
            let sqR = 0;
            for (let c = 0; c < k; c++) {
              const l = left[c];
              const r = nodeTotals[c] - l;
              wL += l;
              sqL += l * l;
              sqR += r * r;
            }
            const wR = wNode - wL;
            const proxy = sqL / wL + sqR / wR;
            if (proxy > bestProxy) {
              bestProxy = proxy;
              bestF = f;
              bestBin = prev;
              bestNext = b;
              bestLeft.set(left);
            }
          }
          for (let c = 0; c < k; c++) left[c] += hist[b * k + c];
          nLeft += nb;
          prev = b;
        }
        for (let j = 0; j < nOcc; j++) {
          const b = occ[j];
          cnt[b] = 0;
          for (let c = 0; c < k; c++) hist[b * k + c] = 0;
        }
      }
    }

    if (bestF < 0) {
      store.addLeaf(node, nodeTotals, 0, wNode);
      continue;
    }

    // raw threshold midway between the two occupied bins (sklearn's midpoint rule, incl. its rounding guard)
    const lo = binMax[binOffset[bestF] + bestBin];
    const hi = binMin[binOffset[bestF] + bestNext];
    let thr = lo / 2 + hi / 2;
    if (thr === hi || !Number.isFinite(thr)) thr = lo;
    store.feature[node] = bestF;
    store.threshold[node] = thr;

    // stable partition of idx[start, end), left rows first: rows stay in ascending order inside every node,
    // so the histogram loops above read each feature column front to back (cache friendly)
    const base = bestF * n;
    let mid = start;
    let nr = 0;
    for (let i = start; i < end; i++) {
      const s = idx[i];
      if (bins[base + s] <= bestBin) idx[mid++] = s;
      else spill[nr++] = s;
    }
    idx.set(spill.subarray(0, nr), mid);

    let wL = 0;
    for (let c = 0; c < k; c++) wL += bestLeft[c];
    const wR = wNode - wL;
    // right totals into nodeTotals (parent totals no longer needed)
    for (let c = 0; c < k; c++) nodeTotals[c] -= bestLeft[c];
    importance[bestF] += wNode * impurity - wL * gini(bestLeft, 0, k, wL) - wR * gini(nodeTotals, 0, k, wR);

    // push right first so the left subtree is built (and numbered) first
    const r = push(mid, end, depth + 1, node, 0);
    for (let c = 0; c < k; c++) sTotals[r * k + c] = nodeTotals[c];
    sConst.set(nodeConst, r * F);
    const l = push(start, mid, depth + 1, node, 1);
    for (let c = 0; c < k; c++) sTotals[l * k + c] = bestLeft[c];
    sConst.set(nodeConst, l * F);
  }

  return {
    feature: store.feature.slice(0, store.nodes),
    threshold: store.threshold.slice(0, store.nodes),
    left: store.left.slice(0, store.nodes),
    right: store.right.slice(0, store.nodes),
    value: store.value.slice(0, store.leaves * k),
    importance,
  };
}
