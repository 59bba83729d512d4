import { strict as assert } from 'node:assert';
import { Random, shuffle } from '../../../src/core/util/random';
import { proportionalQuota, stratifiedSample, StratifiedReservoir } from '../../../src/core/data/sampling';

describe('data/sampling and random', () => {
  it('the PRNG is deterministic per seed and roughly uniform / normal', () => {
    const a = new Random(7);
    const b = new Random(7);
    const xs = Array.from({ length: 20000 }, () => a.next());
    assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b.next()));
    assert.notDeepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => new Random(8).next()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    assert.ok(Math.abs(mean - 0.5) < 0.01, `mean ${mean}`);
    const ns = Array.from({ length: 20000 }, () => a.normal());
    const m = ns.reduce((s, x) => s + x, 0) / ns.length;
    const sd = Math.sqrt(ns.reduce((s, x) => s + (x - m) ** 2, 0) / ns.length);
    assert.ok(Math.abs(m) < 0.03 && Math.abs(sd - 1) < 0.03, `normal ${m} ${sd}`);
    const perm = shuffle(Array.from({ length: 50 }, (_, i) => i), new Random(1));
    assert.deepEqual([...perm].sort((p, q) => p - q), Array.from({ length: 50 }, (_, i) => i));
    assert.notDeepEqual(perm, Array.from({ length: 50 }, (_, i) => i));
  });

  it('proportional quotas add up to the cap and never exceed a class', () => {
    assert.deepEqual(proportionalQuota([900, 90, 10], 100), [90, 9, 1]);
    assert.deepEqual(proportionalQuota([5, 5], 100), [5, 5]);
    const q = proportionalQuota([333, 333, 334], 10);
    assert.equal(q.reduce((a, b) => a + b, 0), 10);
  });

  it('stratified reservoir keeps the class mix exactly and samples uniformly within a class', () => {
    // 10,000 rows: class 1 is 5 % and sits at the end of the stream (a plain head cut would miss it)
    const y = new Int32Array(10000);
    y.fill(1, 9500);
    const idx = stratifiedSample(y, 1000, 3);
    assert.equal(idx.length, 1000);
    assert.equal(Array.from(idx).filter((i) => y[i] === 1).length, 50);
    for (let k = 1; k < idx.length; k++) assert.ok(idx[k] > idx[k - 1], 'ascending, no duplicates');
    // uniform within class 0: the kept rows spread over the whole range (each tenth holds ~95)
    const deciles = new Array(10).fill(0);
    for (const i of idx) if (y[i] === 0) deciles[Math.floor(i / 950)]++;
    for (const d of deciles) assert.ok(d > 60 && d < 130, `decile count ${d}`);
    assert.deepEqual(Array.from(stratifiedSample(y, 1000, 3)), Array.from(idx), 'deterministic');
    assert.notDeepEqual(Array.from(stratifiedSample(y, 1000, 4)), Array.from(idx));
  });

  it('a stream shorter than the cap is kept whole', () => {
    const r = new StratifiedReservoir(10, 1);
    for (let i = 0; i < 7; i++) r.offer(i % 2, i);
    assert.deepEqual(r.result(), [0, 1, 2, 3, 4, 5, 6]);
  });
});
