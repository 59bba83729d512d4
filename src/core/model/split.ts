import { Random, shuffle } from '../util/random';

/**
 * The stratified, seeded train/test split: within each class the row indices are shuffled with a seeded
 * generator and the first round(fraction·n) go to the test set, so every class keeps its share and the same
 * seed always picks the same rows.
 */

function byClass(y: Int32Array, nClasses: number): Int32Array[] {
  const counts = new Int32Array(nClasses);
  for (const c of y) counts[c]++;
  const out = Array.from(counts, (n) => new Int32Array(n));
  const fill = new Int32Array(nClasses);
  for (let i = 0; i < y.length; i++) out[y[i]][fill[y[i]]++] = i;
  return out;
}

/**
 * Split rows into train and test sets, stratified by class. A class with at least two rows gets at least one
 * test row and keeps at least one training row. Both index sets come back sorted (row order preserved).
 */
export function stratifiedSplit(y: Int32Array, nClasses: number, testFraction: number, seed: number): { train: Int32Array; test: Int32Array } {
  const rng = new Random(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const idx of byClass(y, nClasses)) {
    shuffle(idx, rng);
    let nTest = Math.round(idx.length * testFraction);
    if (idx.length >= 2) nTest = Math.min(Math.max(nTest, 1), idx.length - 1);
    else nTest = 0;
    for (let k = 0; k < idx.length; k++) (k < nTest ? test : train).push(idx[k]);
  }
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
}
