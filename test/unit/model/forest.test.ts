import * as assert from 'node:assert/strict';
import { trainForest, Forest, type ForestOptions } from '../../../src/core/model/forest';
import { CancelledError, DriftCatcherError } from '../../../src/core/util/errors';
import { Random } from '../../../src/core/util/random';
import { generateFlows, sliceRows } from './forestFixtures';

/** n rows, `nf` uniform features; the label is a function of the first two (others are noise). */
function synthetic(n: number, nf: number, seed: number, label: (a: number, b: number) => number) {
  const rng = new Random(seed, 1);
  const X = Array.from({ length: nf }, () => new Float64Array(n));
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < nf; f++) X[f][i] = rng.nextUint32() / 4294967296;
    y[i] = label(X[0][i], X[1][i]);
  }
  return { X, y };
}

function accuracy(pred: Int32Array, y: Int32Array): number {
  let ok = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) ok++;
  return ok / y.length;
}

const flows = generateFlows(1200, 3, 20);
const binaryY = Int32Array.from(flows.y, (c) => (c === 0 ? 0 : 1));

describe('forest: training', () => {
  it('builds the same model whatever the thread count (byte-identical JSON)', async () => {
    const opts: ForestOptions = { nTrees: 12, seed: 7 };
    const one = await trainForest(flows.X, binaryY, 2, { ...opts, threads: 1 });
    const two = await trainForest(flows.X, binaryY, 2, { ...opts, threads: 2 });
    const three = await trainForest(flows.X, binaryY, 2, { ...opts, threads: 3 });
    const j1 = JSON.stringify(one.toJSON());
    assert.equal(JSON.stringify(two.toJSON()), j1);
    assert.equal(JSON.stringify(three.toJSON()), j1);
    // and the seed does matter
    const other = await trainForest(flows.X, binaryY, 2, { ...opts, seed: 8, threads: 2 });
    assert.notEqual(JSON.stringify(other.toJSON()), j1);
  });

  it('learns a simple rule to high accuracy', async () => {
    const train = synthetic(3000, 6, 1, (a, b) => (a + b > 1 ? 1 : 0));
    const test = synthetic(1000, 6, 2, (a, b) => (a + b > 1 ? 1 : 0));
    const f = await trainForest(train.X, train.y, 2, { nTrees: 30, threads: 2 });
    assert.ok(accuracy(f.predict(test.X), test.y) > 0.95);
    // importances sum to 1 and put the two informative features first
    const imp = f.featureImportances();
    assert.ok(Math.abs(imp.reduce((s, v) => s + v, 0) - 1) < 1e-9);
    const ranked = Array.from(imp.keys()).sort((p, q) => imp[q] - imp[p]);
    assert.deepEqual(ranked.slice(0, 2).sort(), [0, 1]);
  });

  it('handles several classes: probabilities sum to 1 and predict is their argmax', async () => {
    const label = (a: number, b: number): number => (a < 0.33 ? 0 : b < 0.5 ? 1 : a < 0.66 ? 2 : 3);
    const train = synthetic(3000, 5, 3, label);
    const test = synthetic(800, 5, 4, label);
    const f = await trainForest(train.X, train.y, 4, { nTrees: 25, threads: 1 });
    assert.equal(f.nClasses, 4);
    const proba = f.predictProba(test.X);
    const pred = f.predict(test.X);
    assert.equal(proba.length, 800 * 4);
    for (let i = 0; i < 800; i++) {
      const row = proba.subarray(i * 4, i * 4 + 4);
      assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-6, `row ${i} sums to 1`);
      assert.equal(pred[i], row.indexOf(Math.max(...row)));
    }
    assert.ok(accuracy(pred, test.y) > 0.93);
    const seen = new Set(pred);
    assert.equal(seen.size, 4);
  });

  it('honours maxDepth and minSamplesLeaf', async () => {
    const stumps = await trainForest(flows.X, binaryY, 2, { nTrees: 5, maxDepth: 1, threads: 1 });
    assert.equal(stumps.toJSON().nodes, 5 * 3);
    const deep = await trainForest(flows.X, binaryY, 2, { nTrees: 5, threads: 1 });
    const coarse = await trainForest(flows.X, binaryY, 2, { nTrees: 5, minSamplesLeaf: 20, threads: 1 });
    assert.ok(coarse.toJSON().nodes < deep.toJSON().nodes / 3);
  });

  it('without bootstrap and with all features every tree is the same exact CART tree', async () => {
    // ≤ 255 distinct values per feature, so binning is exact and the training rows are fitted perfectly
    const X = [Float64Array.from({ length: 600 }, (_, i) => (i * 37) % 200), Float64Array.from({ length: 600 }, (_, i) => (i * 11) % 150)];
    const y = Int32Array.from({ length: 600 }, (_, i) => ((X[0][i] > 90) !== (X[1][i] < 40) ? 1 : 0));
    const f = await trainForest(X, y, 2, { nTrees: 3, bootstrap: false, maxFeatures: 'all', threads: 1 });
    const j = f.toJSON();
    assert.equal(j.nodes % 3, 0);
    assert.ok(f.predictProba(X).every((p) => p === 0 || p === 1));
    assert.equal(accuracy(f.predict(X), y), 1);
  });

  it('reports progress once per tree', async () => {
    const seen: string[] = [];
    await trainForest(flows.X, binaryY, 2, { nTrees: 6, threads: 2, onProgress: (d, t) => seen.push(`${d}/${t}`) });
    assert.deepEqual(seen, ['1/6', '2/6', '3/6', '4/6', '5/6', '6/6']);
  });

  for (const threads of [1, 2]) {
    it(`stops with CancelledError when aborted mid-way (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
      const ac = new AbortController();
      let last = 0;
      const run = trainForest(flows.X, binaryY, 2, {
        nTrees: 50,
        threads,
        signal: ac.signal,
        onProgress: (d) => {
          last = d;
          if (d === 2) ac.abort();
        },
      });
      await assert.rejects(run, CancelledError);
      assert.ok(last < 50);
    });
  }

  it('refuses bad input with a message', async () => {
    const cat = [{ name: 'c', kind: 'categorical' as const, categories: ['a', 'b'] }];
    await assert.rejects(trainForest([Float64Array.of(0, 1, 2)], Int32Array.of(0, 1, 0), 2, { inputs: cat }), (e: unknown) => e instanceof DriftCatcherError && /row 2: category code 2 outside 0\.\.1/.test(e.message));
    await assert.rejects(trainForest([Float64Array.of(0, 1.5, 1)], Int32Array.of(0, 1, 0), 2, { inputs: cat }), /category code 1\.5/);
    const ok = [Float64Array.of(1, 2, 3)];
    await assert.rejects(trainForest(ok, Int32Array.of(0, 2, 0), 2), /expected 0\.\.1/);
    await assert.rejects(trainForest(ok, Int32Array.of(0, 1), 2), /labels have 2/);
    await assert.rejects(trainForest(ok, Int32Array.of(0, 1, 0), 2, { maxFeatures: 0 }), /maxFeatures/);
    const f = await trainForest(ok, Int32Array.of(0, 1, 0), 2, { nTrees: 2, threads: 1 });
    assert.throws(() => f.predict([Float64Array.of(1), Float64Array.of(2)]), /expects 1 feature/);
  });

  it('trains on one class only (every tree a single leaf)', async () => {
    const f = await trainForest(sliceRows(flows.X, 0, 50), new Int32Array(50), 2, { nTrees: 3, threads: 1 });
    assert.equal(f.toJSON().nodes, 3);
    assert.deepEqual(Array.from(f.predictProba(sliceRows(flows.X, 0, 1))), [1, 0]);
    assert.ok(f.featureImportances().every((v) => v === 0));
  });

  it('round-trips through JSON with identical predictions', async () => {
    const f = await trainForest(flows.X, binaryY, 2, { nTrees: 8, threads: 1 });
    const g = Forest.fromJSON(JSON.parse(JSON.stringify(f.toJSON())));
    assert.deepEqual(g.predictProba(flows.X), f.predictProba(flows.X));
    assert.deepEqual(g.featureImportances(), f.featureImportances());
    assert.equal(g.nTrees, 8);
  });
});
