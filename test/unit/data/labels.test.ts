import { strict as assert } from 'node:assert';
import { DATASETS } from '../../../src/core/data/datasetConfig';
import { detectLabel, mapLabels } from '../../../src/core/data/labels';
import type { CategoricalColumn } from '../../../src/core/data/table';
import { DriftCatcherError } from '../../../src/core/util/errors';

const G = DATASETS.Generic;

function throwsLabel(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof DriftCatcherError && e.code === 'LABEL' && re.test(e.message));
}

describe('data/labels', () => {
  it('detects explicit > dataset > guesses (exact, then ignoring case)', () => {
    assert.equal(detectLabel(['a', 'Label', 'target'], G, 'target'), 'target');
    assert.equal(detectLabel(['a', 'Label', 'target'], G), 'Label');
    assert.equal(detectLabel(['a', 'class', 'y'], G), 'class');
    assert.equal(detectLabel(['a', 'CLASS'], G), 'CLASS');
    assert.equal(detectLabel(['outcome', 'label'], { name: 'x', label: 'outcome' }), 'outcome');
  });

  it('missing label: LABEL error naming the columns seen', () => {
    throwsLabel(() => detectLabel(['f1', 'f2'], G), /no label column found.*"f1", "f2"/);
    throwsLabel(() => detectLabel(['f1', 'Label'], G, 'kind'), /label column "kind" not found.*"f1", "Label"/);
  });

  it('binary by default: BENIGN → 0, every attack → 1, positive named ATTACK when merged', () => {
    const m = mapLabels(['DDoS', 'BENIGN', 'PortScan', 'BENIGN'], G);
    assert.deepEqual(m.classes, ['BENIGN', 'ATTACK']);
    assert.deepEqual(Array.from(m.y), [1, 0, 1, 0]);
    const single = mapLabels(['DDoS', 'BENIGN', ' BENIGN '], G);
    assert.deepEqual(single.classes, ['BENIGN', 'DDoS']);
    assert.deepEqual(Array.from(single.y), [1, 0, 0]);
  });

  it('merged positive class named from the data: "not <negative>", ATTACK only against BENIGN', () => {
    const m = mapLabels(['rain', 'sun', 'fog', 'rain'], G);
    assert.deepEqual(m.classes, ['rain', 'not rain']);
    assert.deepEqual(Array.from(m.y), [0, 1, 1, 0]);
    assert.deepEqual(mapLabels(['rain', 'sun', 'fog'], { name: 'w', positiveClass: 'rain' }).classes, ['not rain', 'rain']);
    assert.deepEqual(mapLabels(['ok', 'late', 'lost', 'ok'], { name: 'd', negativeClass: 'ok' }).classes, ['ok', 'not ok']);
  });

  it('negative class: configured, else the most frequent, numeric labels by smallest value', () => {
    assert.deepEqual(mapLabels(['ok', 'bad', 'bad'], G).classes, ['bad', 'ok']);
    assert.deepEqual(mapLabels(['ok', 'bad', 'bad'], { name: 'g', negativeClass: 'ok' }).classes, ['ok', 'bad']);
    const num = mapLabels(['1', '1', '0', '1'], G);
    assert.deepEqual(num.classes, ['0', '1']);
    assert.deepEqual(Array.from(num.y), [1, 1, 0, 1]);
    throwsLabel(() => mapLabels(['a', 'b'], { name: 'g', negativeClass: 'zzz' }), /"zzz" does not occur/);
  });

  it('multi-class keeps every class, negative first, from a categorical column too', () => {
    const col: CategoricalColumn = { kind: 'categorical', name: 'Label', codes: Int32Array.from([0, 1, 2, -1, 1]), categories: ['PortScan', 'BENIGN', 'DDoS'], missing: 1 };
    const m = mapLabels(col, { name: 'c', multiClass: true });
    assert.deepEqual(m.classes, ['BENIGN', 'DDoS', 'PortScan']);
    assert.deepEqual(Array.from(m.y), [2, 0, 1, -1, 0]);
  });

  it('one class: LABEL error saying which class; fine when mapping onto a model\'s classes', () => {
    throwsLabel(() => mapLabels(['BENIGN', 'BENIGN'], G), /only one class \("BENIGN"\)/);
    const m = mapLabels(['BENIGN', 'BENIGN'], G, { classes: ['BENIGN', 'ATTACK'] });
    assert.deepEqual(Array.from(m.y), [0, 0]);
    throwsLabel(() => mapLabels(['Bot'], G, { classes: ['BENIGN', 'DDoS', 'PortScan'], multiClass: true }), /"Bot" are not among/);
  });
});
