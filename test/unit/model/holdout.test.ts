import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHoldout } from '../../../src/core/model/holdout';
import { DriftCatcherError } from '../../../src/core/util/errors';
import { ctxFor, tempWorkspace } from './registryFixtures';
import { writeFlows } from './trainFixtures';

function labelsOf(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').pop()!);
}

describe('holdout builder', () => {
  function setup(): string {
    const ws = tempWorkspace('dc-holdout-');
    writeFlows(path.join(ws, 'data', 'a.csv'), { rows: 600, seed: 2, dirtyRows: 6 });
    writeFlows(path.join(ws, 'data', 'b.csv'), { rows: 300, seed: 3, classes: ['BENIGN', 'DDoS', 'PortScan'] });
    fs.writeFileSync(path.join(ws, 'data', 'notes.txt'), 'not a csv');
    return ws;
  }

  it('samples the fraction of every file, stratified by label, cleaned and shuffled', async () => {
    const ws = setup();
    const r = await createHoldout(ctxFor(ws), { dataDir: 'data', output: 'h.csv', sampleFraction: 0.2 });
    // a.csv: 594 clean rows (198 DDoS, 396 BENIGN) -> 119; b.csv: 300 rows (200/50/50) -> 60
    assert.equal(r.rows, 119 + 60);
    assert.equal(r.labels['PortScan'], 10);
    assert.ok(Math.abs(r.labels['DDoS'] - (40 + 10)) <= 1, JSON.stringify(r.labels));
    const text = fs.readFileSync(path.join(ws, 'h.csv'), 'utf8');
    assert.ok(!/NaN|Infinity/.test(text), 'dirty rows are dropped');
    const labels = labelsOf(path.join(ws, 'h.csv'));
    assert.equal(labels.length, r.rows);
    // shuffled across files: PortScan rows (only in b.csv, written second) are not all at the end
    const firstPortScan = labels.indexOf('PortScan');
    assert.ok(firstPortScan >= 0 && firstPortScan < r.rows - 10, `first PortScan at ${firstPortScan}`);
  });

  it('is deterministic: the same folder gives the same file', async () => {
    const ws = setup();
    await createHoldout(ctxFor(ws), { dataDir: 'data', output: 'h1.csv' });
    await createHoldout(ctxFor(ws), { dataDir: 'data', output: 'h2.csv' });
    assert.equal(fs.readFileSync(path.join(ws, 'h1.csv'), 'utf8'), fs.readFileSync(path.join(ws, 'h2.csv'), 'utf8'));
    const other = ctxFor(ws);
    other.config.training.seed = 7;
    await createHoldout(other, { dataDir: 'data', output: 'h3.csv' });
    assert.notEqual(fs.readFileSync(path.join(ws, 'h1.csv'), 'utf8'), fs.readFileSync(path.join(ws, 'h3.csv'), 'utf8'));
  });

  it('refuses a bad fraction and an empty folder', async () => {
    const ws = tempWorkspace('dc-holdout-');
    fs.mkdirSync(path.join(ws, 'empty'));
    await assert.rejects(createHoldout(ctxFor(ws), { dataDir: 'empty', output: 'h.csv' }), (e: unknown) => e instanceof DriftCatcherError && /no CSV files in empty/.test(e.message));
    await assert.rejects(createHoldout(ctxFor(ws), { dataDir: 'empty', output: 'h.csv', sampleFraction: 1.5 }), /sample fraction must be in \(0, 1\]/);
  });
});
