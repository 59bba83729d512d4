import type { RowBatch } from '../data/table';

/**
 * Row identity for the holdout ledger: a 53-bit hash of a row's cells, so "this row was held out" can be checked
 * in any file that holds the row — a copy, a different column order, a different batch. Columns are taken in
 * order of their trimmed names (column order does not matter) and the dataset's dropColumns (ids, timestamps)
 * are left out, so identical records are one identity. A numeric cell hashes its float64 bits (`1.0` and `1` are
 * the same value), a text cell its characters, an empty cell a marker. Collisions: about n²/2⁵⁴, i.e. 1 in 20,000
 * for a million distinct rows — a collision can only move a row to the held-out side, never leak one.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Which columns of a header take part in the row identity, in hashing order. */
export function hashedColumns(header: string[], drop: Iterable<string> = []): Int32Array {
  const dropped = new Set([...drop].map((d) => d.trim()));
  const idx = header.map((_, i) => i).filter((i) => !dropped.has(header[i].trim()));
  idx.sort((a, b) => {
    const x = header[a].trim();
    const y = header[b].trim();
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  return Int32Array.from(idx);
}

/** The identity of row i of a batch, over `columns` (from hashedColumns). */
export function rowHash(b: RowBatch, i: number, columns: Int32Array): number {
  let h1 = 0x9747b28c;
  let h2 = 0x5bd1e995;
  for (let c = 0; c < columns.length; c++) {
    const col = columns[c];
    const text = b.texts[col]?.[i];
    if (text !== undefined) {
      h1 = mix(h1, 0x7e57);
      h2 = mix(h2, text.length);
      for (let k = 0; k < text.length; k++) {
        const ch = text.charCodeAt(k);
        h1 = mix(h1, ch);
        h2 = mix(h2, ch ^ 0x5a5a);
      }
      continue;
    }
    const v = b.numbers[col][i];
    if (v !== v) {
      h1 = mix(h1, 0x4e614e);
      h2 = mix(h2, 0x4e614e);
      continue;
    }
    f64[0] = v === 0 ? 0 : v; // -0 and 0 are one value
    h1 = mix(h1, u32[0]);
    h1 = mix(h1, u32[1]);
    h2 = mix(h2, u32[1] ^ 0x2545f491);
    h2 = mix(h2, u32[0]);
  }
  h1 = finish(h1 ^ columns.length);
  h2 = finish(h2 ^ columns.length);
  return (h1 >>> 11) * 4294967296 + (h2 >>> 0); // 21 + 32 bits: an exact integer in a double
}

/**
 * The side of a row: held out when a seeded hash of its identity falls below `fraction`. A pure function of
 * (identity, seed, fraction), so identical rows share a side in every file, and each class keeps its share of
 * held-out rows up to binomial noise (stratified in expectation).
 */
export function isHeldOut(hash: number, seed: number, fraction: number): boolean {
  const hi = Math.floor(hash / 4294967296);
  const lo = hash >>> 0;
  let h = mix(seed | 0, lo);
  h = mix(h, hi);
  return (finish(h ^ 8) >>> 0) / 4294967296 < fraction;
}
