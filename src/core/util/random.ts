/**
 * The engine's one seeded PRNG: sfc32 (128-bit state, passes PractRand and BigCrush; faster than uniform's
 * 32-bit state, whose period and equidistribution are too small for millions of bootstrap draws), seeded through
 * splitmix32 from (seed, stream). Forest trees, samplers, splits and the demo generator all draw from it, so one
 * seed reproduces a whole run. Not for cryptography (tokens and nonces use node:crypto).
 */

/** The stream used when none is given; numbered streams (a tree's index, a worker's) are non-negative. */
const MAIN_STREAM = -1;

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** the second Box-Muller value, kept for the next normal() */
  private spare: number | undefined;

  /**
   * `stream` numbers independent sequences under one seed: a tree is the same whichever thread builds it and in
   * whatever order, because its generator depends on (forest seed, tree index) only.
   */
  constructor(seed = 42, stream = MAIN_STREAM) {
    let s = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(stream | 0, 0x85ebca6b) ^ 0x2545f491) >>> 0;
    const splitmix32 = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = splitmix32();
    this.b = splitmix32();
    this.c = splitmix32();
    this.d = splitmix32();
    // the first outputs of a fresh sfc32 state are poorly mixed
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** uniform 32-bit unsigned integer */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** uniform in [0, 1), 32-bit resolution */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** uniform integer in [0, n), n ≤ 2^32 (the bias, at most n / 2^32, is far below sampling noise for our n) */
  int(n: number): number {
    return Math.floor((this.nextUint32() / 4294967296) * n);
  }

  /** normal draw (Box-Muller, the second value kept for the next call) */
  normal(mean = 0, std = 1): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return mean + std * s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }
}

/** A plain `() => number` in [0, 1) over a seed's main stream, for code that takes a function. */
export function uniform(seed: number): () => number {
  const r = new Random(seed);
  return () => r.next();
}

/** Fisher-Yates in place; returns the same array. */
export function shuffle<T extends { length: number; [i: number]: unknown }>(a: T, rng: Random): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
