import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTable } from '../../../src/core/data/csvReader';
import { hashedColumns, isHeldOut, rowHash } from '../../../src/core/model/rowHash';
import { ledgerDir, readLedger } from '../../../src/core/model/ledger';
import { createHoldout } from '../../../src/core/model/holdout';
import { train } from '../../../src/core/model/train';
import { validate } from '../../../src/core/model/validate';
import { versionDir } from '../../../src/core/model/registry';
import { streamCsv } from '../../../src/core/data/csvReader';
import { ctxFor, tempWorkspace } from './registryFixtures';
import { writeFlows } from './trainFixtures';

/** Row identities of a CSV, as the ledger computes them. */
async function identities(file: string): Promise<number[]> {
  const out: number[] = [];
  await streamCsv(file, {}, (b) => {
    const cols = hashedColumns(b.header);
    for (let i = 0; i < b.rowCount; i++) out.push(rowHash(b, i, cols));
  });
  return out;
}

describe('holdout ledger', () => {
  it('row identity ignores column order and number spelling, and sees every cell', async () => {
    const ws = tempWorkspace('dc-ledger-');
    fs.writeFileSync(path.join(ws, 'a.csv'), 'x,y,Label\n1.0,abc,A\n2,abd,A\n2,abd,B\n');
    fs.writeFileSync(path.join(ws, 'b.csv'), 'Label,y,x\nA,abc,1\n');
    const a = await identities(path.join(ws, 'a.csv'));
    const b = await identities(path.join(ws, 'b.csv'));
    assert.equal(a[0], b[0]);
    assert.equal(new Set(a).size, 3);
    assert.ok(Number.isSafeInteger(a[0]) && a[0] >= 0);
  });

  it('holds out about the configured share of each class, the same rows every time', () => {
    const n = 200_000;
    let held = 0;
    for (let h = 0; h < n; h++) if (isHeldOut(h * 7919 + 12345, 42, 0.15)) held++;
    // binomial: sd = sqrt(n p (1-p)) ≈ 160
    assert.ok(Math.abs(held - 0.15 * n) < 800, `${held}`);
    assert.equal(isHeldOut(123456789, 42, 0.15), isHeldOut(123456789, 42, 0.15));
  });

  it('training never reads a held-out row, and every batch is split once', async function () {
    this.timeout(60_000);
    const ws = tempWorkspace('dc-ledger-');
    writeFlows(path.join(ws, 'data', 'base.csv'), { rows: 1200, seed: 1 });
    writeFlows(path.join(ws, 'data', 'day2.csv'), { rows: 600, seed: 2, shift: 0.5 });
    // the same rows again under another name and column order: the ledger knows them by identity
    const t = await readTable(path.join(ws, 'data', 'day2.csv'));
    const names = t.columns.map((c) => c.name);
    const lines = fs.readFileSync(path.join(ws, 'data', 'day2.csv'), 'utf8').trim().split('\n').slice(1);
    fs.writeFileSync(path.join(ws, 'data', 'copy.csv'), [[...names].reverse().join(','), ...lines.map((l) => l.split(',').reverse().join(','))].join('\n') + '\n');
    const ctx = ctxFor(ws);

    const r = await train(ctx, { baseData: 'data/base.csv', newData: ['data/day2.csv'], trees: 5 });
    const ledger = readLedger(ws)!;
    assert.equal(ledger.fraction, 0.15);
    assert.deepEqual(ledger.batches.map((b) => b.source), ['data/base.csv', 'data/day2.csv']);
    const held = ledger.batches.reduce((s, b) => s + b.holdout_rows, 0);
    assert.ok(held > 0.1 * 1800 && held < 0.2 * 1800, `${held}`);

    // baseline.csv of the version holds training rows only: no identity in common with any held-out file
    const heldIds = new Set<number>();
    for (const b of ledger.batches) for (const h of await identities(path.join(ledgerDir(ws), b.file))) heldIds.add(h);
    // the baseline.csv is written with the mapped label, so compare on the source rows: train again on the copy
    const r2 = await train(ctx, { baseData: 'data/copy.csv', trees: 5 });
    const meta = JSON.parse(fs.readFileSync(path.join(versionDir(ws, r2.version), 'meta.json'), 'utf8'));
    const copyHeld = (await identities(path.join(ws, 'data', 'copy.csv'))).filter((h) => heldIds.has(h)).length;
    assert.ok(copyHeld > 0);
    assert.equal(meta.holdout_split.skipped_rows, copyHeld, 'every held-out row of the copy was skipped');
    assert.equal(readLedger(ws)!.batches.length, 3, 'the copy is a new file (recorded), its rows keep their side');
    assert.ok(r.rows <= 1800 - held);

    // a derived file (a version's baseline.csv) is read whole and never split
    const base2 = path.relative(ws, path.join(versionDir(ws, r.version), 'baseline.csv'));
    const r3 = await train(ctx, { baseData: base2, trees: 5 });
    const meta3 = JSON.parse(fs.readFileSync(path.join(versionDir(ws, r3.version), 'meta.json'), 'utf8'));
    assert.equal(meta3.holdout_split.skipped_rows, 0);
    assert.equal(readLedger(ws)!.batches.length, 3);
  });

  it('validate defaults to the newest batches\' held-out rows; a holdout built from training rows is refused for overlap', async function () {
    this.timeout(60_000);
    const ws = tempWorkspace('dc-ledger-');
    writeFlows(path.join(ws, 'data', 'base.csv'), { rows: 1500, seed: 1 });
    const ctx = ctxFor(ws);
    const r = await train(ctx, { baseData: 'data/base.csv', trees: 10 });
    const v = await validate(ctx, {});
    assert.deepEqual(v.holdout.batches, ['data/base.csv']);
    assert.deepEqual(v.overlap?.candidate, { rows: 0, unverified: 0 });
    assert.equal(v.passed, true, JSON.stringify(v.checks));

    // the old way: sample the training file itself
    const rows = fs.readFileSync(path.join(ws, 'data', 'base.csv'), 'utf8').trim().split('\n');
    fs.writeFileSync(path.join(ws, 'leaky.csv'), [rows[0], ...rows.slice(1, 301)].join('\n') + '\n');
    const leaky = await validate(ctx, { version: r.version, holdout: 'leaky.csv' });
    const o = leaky.checks.find((c) => c.kind === 'overlap')!;
    assert.equal(leaky.passed, false);
    assert.ok(o.value > 200, `overlap ${o.value}`); // ≈ 85 % of 300 rows were training rows
    assert.equal(leaky.overlap?.candidate.rows, o.value);
  });

  it('holdout: the ledger\'s held-out rows of a folder; its fraction cannot change later', async () => {
    const ws = tempWorkspace('dc-ledger-');
    writeFlows(path.join(ws, 'pool', 'a.csv'), { rows: 600, seed: 2 });
    writeFlows(path.join(ws, 'pool', 'b.csv'), { rows: 300, seed: 3, classes: ['BENIGN', 'DDoS', 'PortScan'] });
    const ctx = ctxFor(ws);
    const h = await createHoldout(ctx, { dataDir: 'pool', output: 'h.csv', sampleFraction: 0.3 });
    assert.ok(h.rows > 0.2 * 900 && h.rows < 0.4 * 900, `${h.rows}`);
    assert.ok(h.labels.PortScan > 0);
    const again = await createHoldout(ctx, { dataDir: 'pool', output: 'h2.csv' });
    assert.equal(fs.readFileSync(path.join(ws, 'h.csv'), 'utf8'), fs.readFileSync(path.join(ws, 'h2.csv'), 'utf8'));
    assert.equal(again.rows, h.rows);
    await assert.rejects(createHoldout(ctx, { dataDir: 'pool', output: 'h3.csv', sampleFraction: 0.2 }), /holds out 0\.3 of every batch .* cannot change it/);
  });
});
