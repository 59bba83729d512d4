/**
 * Small seeded PRNG (mulberry32) so sampling, forests and demo data are reproducible from one seed.
 * Not for cryptography.
 */
export class Random {
  private state: number;
  private spare: number | undefined;

  constructor(seed = 42) {
    this.state = seed >>> 0;
  }

  /** uniform in [0, 1) */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** standard normal (Box-Muller, the second value kept for the next call) */
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

  /** a new generator whose stream does not overlap this one in practice (for per-tree / per-file seeds) */
  fork(): Random {
    return new Random(Math.floor(this.next() * 4294967296));
  }
}

export function mulberry32(seed: number): () => number {
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

/** standard normal draw from an rng */
export function normal(rng: Random, mean = 0, std = 1): number {
  return rng.normal(mean, std);
}
