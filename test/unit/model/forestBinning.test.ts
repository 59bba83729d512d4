import * as assert from 'node:assert/strict';
import { binFeatures, EDGE_SAMPLE, MAX_BINS, type Binned } from '../../../src/core/model/forest/binning';
import { Random } from '../../../src/core/util/random';

/** Every row's value lies inside its bin's recorded [min, max], and bins are ordered and disjoint. */
function checkConsistent(b: Binned, X: Float64Array[]): void {
  for (let f = 0; f < b.nFeatures; f++) {
    const o = b.binOffset[f];
    const nb = b.binOffset[f + 1] - o;
    assert.ok(nb >= 1 && nb <= MAX_BINS);
    for (let j = 0; j < nb; j++) {
      assert.ok(b.binMin[o + j] <= b.binMax[o + j]);
      if (j > 0) assert.ok(b.binMax[o + j - 1] < b.binMin[o + j], `feature ${f} bins ${j - 1}/${j} overlap`);
    }
    for (let i = 0; i < b.n; i++) {
      const bin = b.bins[f * b.n + i];
      assert.ok(bin < nb);
      assert.ok(X[f][i] >= b.binMin[o + bin] && X[f][i] <= b.binMax[o + bin], `feature ${f} row ${i}`);
    }
  }
}

describe('forest: binning', () => {
  const rng = new Random(3, 3);
  const u = (): number => rng.nextUint32() / 4294967296;

  it('gives every distinct value its own bin when there are at most 255', () => {
    const col = Float64Array.from({ length: 3000 }, () => Math.floor(u() * 40) * 0.5);
    const b = binFeatures([col]);
    const distinct = new Set(col).size;
    assert.equal(b.binOffset[1], distinct);
    for (let j = 0; j < distinct; j++) assert.equal(b.binMin[j], b.binMax[j]);
    checkConsistent(b, [col]);
  });

  it('groups many distinct values into ≤ 255 balanced bins, keeping heavy ties in one bin', () => {
    const col = Float64Array.from({ length: 20000 }, () => (u() < 0.5 ? 0 : Math.exp(u() * 10)));
    const b = binFeatures([col]);
    assert.equal(b.binOffset[1], MAX_BINS);
    assert.equal(b.binMin[0], 0);
    assert.equal(b.binMax[0], 0); // the zeros (half the rows) form a bin of their own
    const counts = new Int32Array(MAX_BINS);
    for (const v of b.bins) counts[v]++;
    assert.ok(Math.max(...counts.subarray(1)) < 3 * (10000 / 254), 'the other bins are balanced');
    checkConsistent(b, [col]);
  });

  it('samples the edges on large inputs and still records each bin’s true extremes', () => {
    const n = EDGE_SAMPLE + 20000;
    const col = Float64Array.from({ length: n }, () => u() * 1000);
    col[n - 1] = 5000; // above anything the sample may have seen
    col[n - 2] = -5; // below
    const b = binFeatures([col]);
    checkConsistent(b, [col]);
    assert.equal(b.binMax[b.binOffset[1] - 1], 5000);
    assert.equal(b.binMin[0], -5);
  });
});
