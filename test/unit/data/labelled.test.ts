import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATASETS, resolveDataset } from '../../../src/core/data/datasetConfig';
import { concatLabelled, loadLabelled, takeRows } from '../../../src/core/data/labelled';
import { rejection, tempDir, writeTemp } from './helpers';

describe('data/labelled', () => {
  let dir: string;
  before(() => (dir = tempDir()));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const csv = [
    'Flow ID, a, b ,txt, Label',
    'x1,1,10,u,BENIGN',
    'x2,2,Infinity,v,DDoS',
    'x3,3,30,w,PortScan',
    'x4,4,NaN,w,BENIGN',
    'x5,5,50,u,',
    'x6,6,60,v,BENIGN',
  ].join('\n');

  it('keeps every labelled row: missing and infinite values stay, text columns become categorical features', async () => {
    const f = writeTemp(dir, csv);
    const d = await loadLabelled(f, { dataset: DATASETS.CICIDS2017 });
    assert.deepEqual(d.features, ['a', 'b', 'txt']);
    assert.deepEqual(
      d.inputs.map((i) => [i.name, i.kind, i.kind === 'categorical' ? i.categories : null]),
      [
        ['a', 'numeric', null],
        ['b', 'numeric', null],
        ['txt', 'categorical', ['v', 'w', 'u']],
      ],
    );
    assert.equal(d.labelColumn, 'Label');
    assert.equal(d.rows, 5);
    assert.equal(d.droppedRows, 1, 'only the row without a label');
    assert.deepEqual(Array.from(d.X[0]), [1, 2, 3, 4, 6]);
    assert.deepEqual(Array.from(d.X[1]), [10, Infinity, 30, NaN, 60]);
    assert.deepEqual(Array.from(d.X[2]), [2, 0, 1, 1, 0]);
    assert.deepEqual(d.classes, ['BENIGN', 'ATTACK']);
    assert.deepEqual(Array.from(d.y), [0, 1, 1, 0, 0]);
    assert.equal(d.sources[0].rows, 5);
    assert.match(d.sources[0].sha256, /^[0-9a-f]{64}$/);
    // every column is kept in the table, and the plan says how each is used
    assert.deepEqual(d.table.map((c) => [c.name, c.kind]), [['Flow ID', 'categorical'], ['a', 'numeric'], ['b', 'numeric'], ['txt', 'categorical']]);
    assert.deepEqual(d.columns.map((c) => [c.name, c.kind]), [['Flow ID', 'excluded'], ['a', 'numeric'], ['b', 'numeric'], ['txt', 'categorical']]);
    assert.match(d.columns[0].reason!, /drop/);
  });

  it('encodes with given inputs (a model\'s) and names the missing columns', async () => {
    const f = writeTemp(dir, csv);
    const inputs = [
      { name: 'b', kind: 'numeric' as const },
      { name: 'txt', kind: 'categorical' as const, categories: ['w', 'zz'] },
    ];
    const d = await loadLabelled(f, { inputs });
    assert.deepEqual(d.features, ['b', 'txt']);
    assert.deepEqual(Array.from(d.X[0]), [10, Infinity, 30, NaN, 60]);
    assert.deepEqual(Array.from(d.X[1]), [NaN, NaN, 0, 0, NaN], 'categories the model does not know read as missing/other');
    const e = await rejection(loadLabelled(f, { inputs: [{ name: 'a', kind: 'numeric' }, { name: 'zz', kind: 'numeric' }, { name: 'yy', kind: 'numeric' }] }));
    assert.match(e.message, /missing feature columns "zz", "yy"/);
  });

  it('an all-missing column is not a feature (and says so); a constant column is', async () => {
    const f = writeTemp(dir, 'a,empty,k,label\n1,,0,x\n2,,0,y\n3,,0,x\n');
    const d = await loadLabelled(f);
    assert.deepEqual(d.features, ['a', 'k']);
    assert.equal(d.rows, 3);
    assert.deepEqual(d.columns.find((c) => c.name === 'empty'), { name: 'empty', kind: 'excluded', reason: 'no values' });
    assert.deepEqual(d.notices, ["left out (no values): 'empty'"]);
  });

  it('label missing or with one class: LABEL errors', async () => {
    const none = await rejection(loadLabelled(writeTemp(dir, 'a,b\n1,2\n')));
    assert.equal(none.code, 'LABEL');
    const one = await rejection(loadLabelled(writeTemp(dir, 'a,Label\n1,BENIGN\n2,BENIGN\n')));
    assert.equal(one.code, 'LABEL');
    assert.match(one.message, /only one class \("BENIGN"\)/);
  });

  it('caps each file with a stratified sample, deterministic by seed, in file order', async () => {
    const lines = ['v,Label'];
    for (let i = 0; i < 2000; i++) lines.push(`${i},${i % 10 === 0 ? 'DDoS' : 'BENIGN'}`);
    const f = writeTemp(dir, lines.join('\n'));
    const d = await loadLabelled(f, { maxRows: 200, seed: 5 });
    assert.equal(d.rows, 200);
    assert.equal(Array.from(d.y).filter((v) => v === 1).length, 20);
    const v = Array.from(d.X[0]);
    assert.deepEqual(v, [...v].sort((a, b) => a - b));
    assert.deepEqual(Array.from((await loadLabelled(f, { maxRows: 200, seed: 5 })).X[0]), v);
  });

  it('several files concatenate; takeRows and concatLabelled select and merge', async () => {
    const f1 = writeTemp(dir, 'a,b,Label\n1,2,BENIGN\n3,4,DDoS\n');
    const f2 = writeTemp(dir, 'b,a,Label\n20,10,PortScan\n40,30,BENIGN\n');
    const d = await loadLabelled([f1, f2]);
    assert.deepEqual(Array.from(d.X[0]), [1, 3, 10, 30]);
    assert.deepEqual(d.classes, ['BENIGN', 'ATTACK']);
    assert.deepEqual(Array.from(d.y), [0, 1, 1, 0]);
    assert.equal(d.sources.length, 2);
    const t = takeRows(d, Int32Array.from([3, 0]));
    assert.deepEqual(Array.from(t.X[1]), [40, 2]);
    assert.deepEqual(Array.from(t.y), [0, 0]);
    const a = await loadLabelled(f1);
    const b = await loadLabelled(f2);
    const c = concatLabelled(a, b);
    assert.deepEqual(c.classes, ['BENIGN', 'ATTACK']);
    assert.deepEqual(Array.from(c.y), [0, 1, 1, 0]);
    assert.deepEqual(Array.from(c.X[1]), [2, 4, 20, 40]);
  });

  it('a real binary table names its classes from its labels (vega-datasets seattle-weather), never ATTACK/BENIGN', async () => {
    const weather = path.resolve(__dirname, '../../../../node_modules/vega-datasets/data/seattle-weather.csv');
    const byDefault = await loadLabelled(weather, { label: 'weather' });
    // rain is the most frequent label: the negative class; sun, fog, drizzle and snow merge into the positive one
    assert.deepEqual(byDefault.classes, ['rain', 'not rain']);
    const rainy = await loadLabelled(weather, { dataset: resolveDataset('seattle', { seattle: { label: 'weather', positiveClass: 'rain', task: 'binary' } }) });
    assert.deepEqual(rainy.classes, ['not rain', 'rain']);
    const raw = fs.readFileSync(weather, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',').at(-1));
    assert.equal(rainy.y.reduce((a, v) => a + v, 0), raw.filter((w) => w === 'rain').length);
    // two batches with different merged positives combine under the data's own name
    const a = await loadLabelled(writeTemp(dir, 'x,weather\n1,rain\n2,sun\n3,fog\n4,rain\n'), { label: 'weather' });
    const b = await loadLabelled(writeTemp(dir, 'x,weather\n1,rain\n2,snow\n3,rain\n'), { label: 'weather', inputs: a.inputs });
    assert.deepEqual(concatLabelled(a, b).classes, ['rain', 'not rain']);
  });
});
