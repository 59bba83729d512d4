import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../../src/core/config';
import { DATASETS, listDatasets, requireDatasetColumns, resolveDataset } from '../../../src/core/data/datasetConfig';
import { callOperation } from '../../../src/core/operations';
import { Methods } from '../../../src/core/protocol';
import { effectiveValidation } from '../../../src/core/model/gate';
import { labelChoice, mapLabels, MAX_CLASSES } from '../../../src/core/data/labels';
import { loadLabelled } from '../../../src/core/data/labelled';
import { DriftCatcherError } from '../../../src/core/util/errors';
import { rejection, tempDir, writeTemp } from './helpers';

/** Dataset configs a user writes in driftcatcher.config.json, label detection and class mapping. */
describe('data/dataset configs', () => {
  let dir: string;
  before(() => (dir = tempDir()));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const config = (ws: string, json: unknown): string => {
    fs.mkdirSync(ws, { recursive: true });
    fs.writeFileSync(path.join(ws, 'driftcatcher.config.json'), JSON.stringify(json));
    return ws;
  };

  it('built-in names resolve case-insensitively; an unknown name lists the known ones', () => {
    assert.equal(resolveDataset('cicids2017').name, 'CICIDS2017');
    assert.equal(resolveDataset('generic').name, 'Generic');
    assert.equal(resolveDataset(undefined).name, 'Generic');
    assert.throws(
      () => resolveDataset('loans', { credit: {} }),
      (e: unknown) => e instanceof DriftCatcherError && e.code === 'BAD_INPUT' && /unknown dataset 'loans'; known datasets: credit, CICIDS2017, Generic/.test(e.message),
    );
  });

  it('lists what the dataset setting accepts: the workspace\'s own first, built-in ones it does not shadow, the one in use', async () => {
    const ws = config(path.join(dir, 'listed'), { dataset: 'WEATHER', datasets: { weather: { label: 'weather', positiveClass: 'rain', task: 'binary' }, generic: { task: 'multiclass' } } });
    const cfg = loadConfig(ws, {}, {});
    const list = listDatasets(cfg);
    assert.deepEqual(list, {
      current: 'weather',
      datasets: [
        { name: 'weather', builtin: false, label: 'weather', task: 'binary', positiveClass: 'rain' },
        { name: 'generic', builtin: false, task: 'multiclass' },
        { name: 'CICIDS2017', builtin: true, label: 'Label', task: 'binary' },
      ],
    });
    assert.deepEqual(await callOperation({ workspace: ws, config: cfg }, Methods.listDatasets, {}), list);
    assert.equal(listDatasets(loadConfig(config(path.join(dir, 'none'), {}), {}, {})).datasets.map((d) => d.name).join(','), 'CICIDS2017,Generic');
    assert.throws(() => loadConfig(ws, { dataset: 'rainfall' }, {}), /unknown dataset 'rainfall'; known datasets: weather, generic, CICIDS2017/);
  });

  it('a user dataset from driftcatcher.config.json: label, positive class, task, categorical, drop, time column, gate', () => {
    const ws = config(path.join(dir, 'ws1'), {
      dataset: 'Credit',
      datasets: {
        credit: { label: 'default', positiveClass: 'yes', task: 'binary', categorical: ['grade'], drop: ['id'], timeColumn: 'issued', validation: { recall: 0.6 } },
      },
    });
    const c = loadConfig(ws, {}, {});
    const d = resolveDataset(c.dataset, c.datasets);
    assert.deepEqual(
      { ...d },
      { name: 'credit', label: 'default', positiveClass: 'yes', multiClass: false, categorical: ['grade'], dropColumns: ['id'], timeColumn: 'issued', validation: { recall: 0.6 } },
    );
    assert.equal(effectiveValidation(c).recall, 0.6, "the dataset's gate floors apply");
    assert.equal(effectiveValidation(c).accuracy, undefined);
    // the workspace's own validation wins over the dataset's
    assert.equal(effectiveValidation(loadConfig(ws, { validation: { recall: 0.7 } }, {})).recall, 0.7);
    // --dataset (an override) picks another one; an unknown one is refused at once
    assert.equal(effectiveValidation(loadConfig(ws, { dataset: 'cicids2017' }, {})).recall, 0.85);
    assert.throws(() => loadConfig(ws, { dataset: 'nope' }, {}), /unknown dataset 'nope'; known datasets: credit, CICIDS2017, Generic/);
  });

  it('bad entries: a clear one-line error (unknown key, wrong type, a column both categorical and dropped)', () => {
    const bad = (datasets: unknown): string => {
      const ws = config(path.join(dir, `bad-${Math.random().toString(36).slice(2)}`), { dataset: 'x', datasets });
      try {
        loadConfig(ws, {}, {});
      } catch (e) {
        assert.ok(e instanceof DriftCatcherError);
        assert.ok(!e.message.includes('\n'), 'one line');
        return e.message;
      }
      assert.fail('expected an error');
    };
    assert.match(bad({ x: { lable: 'y' } }), /invalid configuration: unknown key \"datasets\.x\.lable\" \(known there: label, /);
    assert.match(bad({ x: { task: 'regression' } }), /invalid configuration: datasets\.x\.task/);
    assert.match(bad({ x: { categorical: 'grade' } }), /datasets\.x\.categorical/);
    assert.match(bad({ x: { categorical: ['a', 'b'], drop: ['b'] } }), /dataset 'x': 'b' listed in both "categorical" and "drop"/);
    assert.match(bad({ x: { label: 'y', drop: ['y'] } }), /the label 'y' cannot also be listed/);
  });

  it('a dataset naming a column the data lacks: an error naming it and the columns there are', async () => {
    const d = resolveDataset('x', { x: { categorical: ['grade', 'region'], drop: ['id'] } });
    assert.throws(() => requireDatasetColumns(d, ['grade', 'income', 'y']), /dataset 'x' names columns 'region', 'id', which the file does not have \(it has 'grade', 'income', 'y'\)/);
    requireDatasetColumns(DATASETS.CICIDS2017, ['a', 'Label']); // a built-in's columns are defaults, absent is fine
    const f = writeTemp(dir, 'grade,income,y\nA,1,0\nB,2,1\n');
    const e = await rejection(loadLabelled(f, { dataset: d }));
    assert.match(e.message, /names columns 'region', 'id'/);
  });

  it('label detection: the seed\'s names, then common ones ignoring case, and says it detected it', () => {
    const g = DATASETS.Generic;
    assert.deepEqual(labelChoice(['a', 'Churn', 'b'], g), { name: 'Churn', how: 'detected' });
    assert.deepEqual(labelChoice(['STATUS', 'x'], g), { name: 'STATUS', how: 'detected' });
    assert.deepEqual(labelChoice(['Outcome', 'label'], g), { name: 'label', how: 'detected' }, 'the seed\'s exact names come first');
    assert.deepEqual(labelChoice(['x', 'default'], resolveDataset('c', { c: { label: 'x' } })), { name: 'x', how: 'dataset' });
    assert.deepEqual(labelChoice(['x', 'default'], g, 'x'), { name: 'x', how: 'given' });
    assert.throws(() => labelChoice(['a', 'b'], g), /no label column found \(looked for Label, label, target, class, y, outcome, status, churn/);
  });

  it('positive class: that class against all others; multiclass keeps every class; too many classes is refused', () => {
    const labels = ['yes', 'no', 'maybe', 'yes', 'no'];
    const bin = mapLabels(labels, resolveDataset('c', { c: { positiveClass: 'yes' } }));
    assert.deepEqual(bin.classes, ['not yes', 'yes']);
    assert.deepEqual(Array.from(bin.y), [1, 0, 0, 1, 0]);
    const two = mapLabels(['yes', 'no', 'no'], resolveDataset('c', { c: { positiveClass: 'yes' } }));
    assert.deepEqual(two.classes, ['no', 'yes']);
    assert.throws(() => mapLabels(labels, resolveDataset('c', { c: { positiveClass: 'Yes' } })), /positive class "Yes" does not occur/);
    const multi = mapLabels(labels, resolveDataset('c', { c: { task: 'multiclass' } }));
    assert.deepEqual(multi.classes, ['no', 'maybe', 'yes']);
    // a label with 50 classes is fine; one with more than MAX_CLASSES distinct values is a target or an id
    const fifty = Array.from({ length: 500 }, (_, i) => `c${i % 50}`);
    assert.equal(mapLabels(fifty, DATASETS.Generic, { multiClass: true }).classes.length, 50);
    const many = Array.from({ length: 500 }, (_, i) => String(i * 1.5));
    assert.throws(() => mapLabels(many, DATASETS.Generic), new RegExp(`500 distinct values \\(at most ${MAX_CLASSES} classes\\)`));
  });
});
