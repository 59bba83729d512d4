import * as assert from 'node:assert/strict';
import { LabelVault } from '../../../src/core/evaluate/labelVault';

describe('evaluate: LabelVault', () => {
  const labels = [Int32Array.from([0, 1]), Int32Array.from([1, 1, 0]), Int32Array.from([0, 0])];

  it('releases batch 0 (the training data) and nothing else until it is scored', () => {
    const v = new LabelVault(labels);
    assert.deepEqual(Array.from(v.labels(0)), [0, 1]);
    assert.throws(() => v.labels(1), /label leakage: the labels of batch 1/);
    assert.throws(() => v.labels(2), /label leakage/);
  });

  it('scores predictions against the labels, then releases them', () => {
    const v = new LabelVault(labels);
    const s = v.score(1, Int32Array.from([1, 0, 0]));
    assert.deepEqual(s, { batch: 1, rows: 3, correct: 2, accuracy: 2 / 3 });
    assert.deepEqual(Array.from(v.labels(1)), [1, 1, 0]);
    assert.deepEqual(v.events, [
      { kind: 'score', batch: 1 },
      { kind: 'labels', batch: 1 },
    ]);
  });

  it('refuses out-of-order, repeated and mis-sized scoring', () => {
    const v = new LabelVault(labels);
    assert.throws(() => v.score(2, Int32Array.from([0, 0])), /batch 2 scored before batch 1/);
    assert.throws(() => v.score(0, Int32Array.from([0, 1])), /already scored or is training data/);
    assert.throws(() => v.score(1, Int32Array.from([0])), /1 predictions for 3 rows/);
    v.score(1, Int32Array.from([1, 1, 0]));
    assert.throws(() => v.score(1, Int32Array.from([1, 1, 0])), /already scored/);
    assert.throws(() => v.labels(3), /no batch 3/);
  });
});
