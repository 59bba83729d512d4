import { Random } from '../util/random';

/**
 * One-pass stratified reservoir sampling. Each class keeps a uniform reservoir (Algorithm R) of up to `cap`
 * rows; at the end each class is cut to its proportional share of `cap` (largest remainders), so the sample
 * has the stream's class mix and every row of a class had the same chance. Memory: classes × cap slots.
 */
export class StratifiedReservoir {
  private readonly rng: Random;
  /** per class: kept row ids (caller's numbering) */
  private readonly kept = new Map<number, number[]>();
  private readonly seen = new Map<number, number>();
  private total = 0;

  constructor(
    readonly cap: number,
    seed = 42,
  ) {
    if (!(cap >= 1)) throw new RangeError('reservoir cap must be at least 1');
    this.rng = new Random(seed);
  }

  /**
   * Offers a row of class `cls`. Returns the slot it takes in that class's reservoir (the caller stores the row
   * there, replacing what was in the slot), or -1 when it is not kept.
   */
  offer(cls: number, rowId: number): number {
    this.total++;
    const n = (this.seen.get(cls) ?? 0) + 1;
    this.seen.set(cls, n);
    let k = this.kept.get(cls);
    if (!k) this.kept.set(cls, (k = []));
    if (k.length < this.cap) {
      k.push(rowId);
      return k.length - 1;
    }
    const j = this.rng.int(n);
    if (j < this.cap) {
      k[j] = rowId;
      return j;
    }
    return -1;
  }

  get rowsSeen(): number {
    return this.total;
  }

  /** Row ids of the final sample, in ascending order (stream order), at most `cap` in total. */
  result(): number[] {
    const classes = [...this.seen.keys()].sort((a, b) => a - b);
    const quota = proportionalQuota(classes.map((c) => this.seen.get(c)!), this.cap);
    const out: number[] = [];
    classes.forEach((c, i) => {
      const k = this.kept.get(c)!;
      if (k.length <= quota[i]) out.push(...k);
      else {
        // a uniform subset of a uniform sample is uniform
        const idx = k.slice();
        for (let j = 0; j < quota[i]; j++) {
          const t = j + this.rng.int(idx.length - j);
          const tmp = idx[j];
          idx[j] = idx[t];
          idx[t] = tmp;
        }
        out.push(...idx.slice(0, quota[i]));
      }
    });
    return out.sort((a, b) => a - b);
  }
}

/** Splits `cap` over classes in proportion to `counts` (largest remainders); never more than a class has. */
export function proportionalQuota(counts: number[], cap: number): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= cap) return counts.slice();
  const exact = counts.map((n) => (n * cap) / total);
  const q = exact.map((x) => Math.floor(x));
  let left = cap - q.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    if (q[i] < counts[i]) {
      q[i]++;
      left--;
    }
  }
  return q;
}

/** Stratified reservoir over an in-memory label vector: the row indices to keep (ascending). */
export function stratifiedSample(y: ArrayLike<number>, cap: number, seed = 42): Int32Array {
  if (y.length <= cap) return Int32Array.from({ length: y.length }, (_, i) => i);
  const res = new StratifiedReservoir(cap, seed);
  for (let i = 0; i < y.length; i++) res.offer(y[i], i);
  return Int32Array.from(res.result());
}
