import type { Binned } from './binning';
import type { SplitScratch } from './split';

/**
 * Class histograms of a feature at a node, with LightGBM's subtraction trick: a child's histogram is its
 * parent's minus its sibling's, so only the smaller of two siblings needs a pass over its rows. Histograms
 * computed in nodes of at least MIN_ROWS rows are kept (up to BUDGET_BYTES per tree) until both children have
 * searched their splits. A random forest draws its features per node, so the trick applies when a child draws a
 * feature its parent drew too — every time with maxFeatures 'all', a share of about mtry / features with 'sqrt'.
 */
const MIN_ROWS = 512;
const BUDGET_BYTES = 32 << 20;

export interface HistogramStats {
  /** rows scanned to build histograms */
  rowsScanned: number;
  /** histograms obtained by subtraction (or reused), and built from rows */
  subtracted: number;
  built: number;
}

export class HistogramCache {
  /** node id → feature → hist (256·k class weights) followed by cnt (256 distinct-sample counts) */
  private readonly entries = new Map<number, Map<number, Int32Array>>();
  private readonly ranges = new Map<number, { start: number; end: number }>();
  private readonly pool: Int32Array[] = [];
  private readonly size: number;
  private readonly maxLive: number;
  private live = 0;
  private nextId = 0;
  readonly stats: HistogramStats = { rowsScanned: 0, subtracted: 0, built: 0 };

  constructor(
    private readonly k: number,
    enabled = true,
  ) {
    this.size = 256 * (k + 1);
    this.maxLive = enabled ? Math.floor(BUDGET_BYTES / (this.size * 4)) : 0;
  }

  newNodeId(): number {
    return this.nextId++;
  }

  registerChildren(leftId: number, lStart: number, lEnd: number, rightId: number, rStart: number, rEnd: number): void {
    this.ranges.set(leftId, { start: lStart, end: lEnd });
    this.ranges.set(rightId, { start: rStart, end: rEnd });
  }

  /**
   * Fills s.hist, s.cnt and s.occ (occupied bins, any order) for feature f over the node's rows; returns the
   * number of occupied bins. Uses the parent's cached histogram when it has one.
   */
  histogram(
    f: number,
    nodeId: number,
    parentId: number,
    siblingId: number,
    data: Binned,
    idx: Int32Array,
    start: number,
    end: number,
    y: Int32Array,
    weight: Int32Array,
    s: SplitScratch,
  ): number {
    const nNode = end - start;
    if (this.maxLive === 0) {
      this.stats.rowsScanned += nNode;
      this.stats.built++;
      return fill(f, data, idx, start, end, y, weight, s, this.k);
    }
    const own = this.get(nodeId, f);
    if (own) {
      this.stats.subtracted++;
      return this.load(own, null, s);
    }
    const par = parentId >= 0 ? this.get(parentId, f) : undefined;
    let nOcc: number;
    if (par) {
      let sib = this.get(siblingId, f);
      const range = this.ranges.get(siblingId);
      if (!sib && range && this.live < this.maxLive && range.end - range.start + this.size / 4 < nNode) {
        // the sibling is smaller: build its histogram, keep it for the sibling, subtract
        const sn = fill(f, data, idx, range.start, range.end, y, weight, s, this.k);
        this.stats.rowsScanned += range.end - range.start;
        sib = this.store(siblingId, f, s, sn);
        clear(s, sn, this.k);
        if (!sib) {
          // over budget: no room to keep it, build this node's directly
          nOcc = fill(f, data, idx, start, end, y, weight, s, this.k);
          this.stats.rowsScanned += nNode;
          this.stats.built++;
          return nOcc;
        }
      }
      if (sib) {
        this.stats.subtracted++;
        nOcc = this.load(par, sib, s);
      } else {
        nOcc = fill(f, data, idx, start, end, y, weight, s, this.k);
        this.stats.rowsScanned += nNode;
        this.stats.built++;
      }
    } else {
      nOcc = fill(f, data, idx, start, end, y, weight, s, this.k);
      this.stats.rowsScanned += nNode;
      this.stats.built++;
    }
    if (nNode >= MIN_ROWS) this.store(nodeId, f, s, nOcc);
    return nOcc;
  }

  /** Drops every histogram kept for a node (its children have searched their splits, or it has none). */
  release(nodeId: number): void {
    const m = this.entries.get(nodeId);
    if (m) {
      for (const buf of m.values()) this.pool.push(buf);
      this.live -= m.size;
      this.entries.delete(nodeId);
    }
    this.ranges.delete(nodeId);
  }

  private get(nodeId: number, f: number): Int32Array | undefined {
    return nodeId >= 0 ? this.entries.get(nodeId)?.get(f) : undefined;
  }

  private store(nodeId: number, f: number, s: SplitScratch, nOcc: number): Int32Array | undefined {
    if (this.live >= this.maxLive) return undefined;
    const buf = this.pool.pop() ?? new Int32Array(this.size);
    buf.fill(0);
    const k = this.k;
    const cntOff = 256 * k;
    for (let j = 0; j < nOcc; j++) {
      const b = s.occ[j];
      for (let c = 0; c < k; c++) buf[b * k + c] = s.hist[b * k + c];
      buf[cntOff + b] = s.cnt[b];
    }
    let m = this.entries.get(nodeId);
    if (!m) this.entries.set(nodeId, (m = new Map()));
    m.set(f, buf);
    this.live++;
    return buf;
  }

  /** scratch = a − b (b may be null); returns the occupied bins */
  private load(a: Int32Array, b: Int32Array | null, s: SplitScratch): number {
    const k = this.k;
    const cntOff = 256 * k;
    let nOcc = 0;
    for (let bin = 0; bin < 256; bin++) {
      const n = a[cntOff + bin] - (b ? b[cntOff + bin] : 0);
      if (n === 0) continue;
      s.cnt[bin] = n;
      s.occ[nOcc++] = bin;
      for (let c = 0; c < k; c++) s.hist[bin * k + c] = a[bin * k + c] - (b ? b[bin * k + c] : 0);
    }
    return nOcc;
  }
}

/** Class histogram of feature f over idx[start, end) into the (clear) scratch; returns the occupied bins. */
export function fill(f: number, data: Binned, idx: Int32Array, start: number, end: number, y: Int32Array, weight: Int32Array, s: SplitScratch, k: number): number {
  const { hist, cnt, occ } = s;
  const bins = data.bins;
  const base = f * data.n;
  let nOcc = 0;
  for (let i = start; i < end; i++) {
    const r = idx[i];
    const b = bins[base + r];
    hist[b * k + y[r]] += weight[r];
    if (cnt[b]++ === 0) occ[nOcc++] = b;
  }
  return nOcc;
}

/** Zeroes the scratch bins a histogram occupied. */
export function clear(s: SplitScratch, nOcc: number, k: number): void {
  for (let j = 0; j < nOcc; j++) {
    const b = s.occ[j];
    s.cnt[b] = 0;
    for (let c = 0; c < k; c++) s.hist[b * k + c] = 0;
  }
}
