import { readLedger } from '../../../src/core/model/ledger';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { trainModel as train } from '../../../src/core/pipeline/training';
import { listVersions, versionDir } from '../../../src/core/model/registry';
import { loadProfile } from '../../../src/core/drift/profile';
import { DriftCatcherError } from '../../../src/core/util/errors';
import { hashFile } from '../../../src/core/util/hash';
import { loadForest } from '../../../src/core/model/forest';
import { ctxFor, tempWorkspace } from './registryFixtures';
import { writeFlows } from './trainFixtures';

async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof DriftCatcherError && e.code === code && pattern.test(e.message));
}

describe('training pipeline', () => {
  it('trains a candidate version with metrics, profile, baseline CSV and lineage; keeps rows with NaN/Infinity', async () => {
    const ws = tempWorkspace('dc-train-');
    writeFlows(path.join(ws, 'base.csv'), { rows: 600, dirtyRows: 8 });
    writeFlows(path.join(ws, 'new.csv'), { rows: 300, seed: 9, shift: 0.3 });
    const ctx = ctxFor(ws);
    ctx.config.training.maxRowsPerNewFile = 200;
    const seen: number[] = [];
    ctx.progress = (pct) => pct !== undefined && seen.push(pct);
    const r = await train(ctx, { baseData: 'base.csv', newData: ['new.csv'], trees: 10 });
    assert.equal(r.version, 'v1');
    // the holdout ledger keeps its held-out rows (dirty ones included) out of training; no other row is dropped
    const heldBase = readLedger(ws)!.batches[0].holdout_rows;
    assert.ok(heldBase > 50, `${heldBase} held out`);
    assert.equal(r.dropped_rows, 0);
    assert.equal(r.rows, 600 - heldBase + 200);
    assert.ok(r.metrics.accuracy > 0.9, `accuracy ${r.metrics.accuracy}`);
    assert.ok(r.metrics.roc_auc !== null && r.metrics.roc_auc > 0.9);
    assert.ok(Math.abs(r.metrics.rows - 0.2 * r.rows) <= 2, `test rows ${r.metrics.rows} of ${r.rows}`);
    assert.deepEqual(seen.slice(-1), [100]);

    const dir = versionDir(ws, 'v1');
    for (const f of ['model.json', 'profile.json', 'meta.json', 'baseline.csv']) assert.ok(fs.existsSync(path.join(dir, f)), f);
    const [meta] = listVersions(ws);
    assert.equal(meta.status, 'candidate');
    assert.deepEqual(meta.features, ['Flow Duration', 'Total Fwd Packets', 'Noise']);
    assert.deepEqual(meta.classes, ['BENIGN', 'DDoS']);
    assert.deepEqual(
      meta.lineage.map((l) => [l.path, l.rows]),
      [
        ['base.csv', 600 - heldBase],
        ['new.csv', 200],
      ],
    );
    assert.equal(meta.lineage[0].sha256, await hashFile(path.join(ws, 'base.csv')));
    const profile = loadProfile(path.join(dir, 'profile.json'));
    assert.equal(profile.rows, r.rows);
    const csvLines = fs.readFileSync(path.join(dir, 'baseline.csv'), 'utf8').trim().split('\n');
    assert.equal(csvLines.length, r.rows + 1);
    // the dirty cells are kept as they were (4 Infinity, 4 empty): in the baseline, or in the ledger's held-out rows
    const heldLines = fs
      .readdirSync(path.join(ws, '.driftcatcher', 'holdout'))
      .filter((f) => f.endsWith('.csv'))
      .flatMap((f) => fs.readFileSync(path.join(ws, '.driftcatcher', 'holdout', f), 'utf8').trim().split('\n').slice(1));
    const count = (re: RegExp): number => csvLines.filter((l) => re.test(l)).length + heldLines.filter((l) => re.test(l)).length;
    assert.equal(count(/^Infinity,/), 4);
    assert.equal(count(/^,/), 4);
  });

  it('records each feature\'s importance (the forest\'s, normalised) and the imbalance metrics in meta.json', async () => {
    const ws = tempWorkspace('dc-train-');
    writeFlows(path.join(ws, 'base.csv'), { rows: 600 });
    const r = await train(ctxFor(ws), { baseData: 'base.csv', trees: 10 });
    const meta = listVersions(ws)[0];
    const forest = loadForest(path.join(versionDir(ws, r.version), 'model.json'));
    const imp = forest.featureImportances();
    assert.deepEqual(
      meta.columns?.map((c) => [c.name, c.kind, c.importance]),
      meta.features.map((f, j) => [f, 'numeric', imp[j]]),
    );
    const total = meta.columns!.reduce((a, c) => a + c.importance, 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `importances sum to ${total}`);
    // the informative features matter more than the noise column
    const byName = new Map(meta.columns!.map((c) => [c.name, c.importance]));
    assert.ok(byName.get('Noise')! < byName.get('Flow Duration')!, JSON.stringify(meta.columns));
    for (const m of [r.metrics, meta.metrics]) {
      assert.ok(m.balanced_accuracy > 0.8 && m.macro_f1 > 0.8 && m.balanced_accuracy > m.majority_baseline.balanced_accuracy, JSON.stringify(m));
      assert.deepEqual(m.per_class.map((c) => c.class), ['BENIGN', 'DDoS']);
      assert.equal(m.per_class[0].support + m.per_class[1].support, m.rows);
      // BENIGN is two thirds of the training rows: the constant predictor's accuracy is about that, its F1 0
      assert.equal(m.majority_baseline.class, 'BENIGN');
      assert.ok(Math.abs(m.majority_baseline.accuracy - 2 / 3) < 0.02, String(m.majority_baseline.accuracy));
      assert.equal(m.majority_baseline.f1, 0);
    }
  });

  it('caps the base data stratified at maxBaselineRows', async () => {
    const ws = tempWorkspace('dc-train-');
    writeFlows(path.join(ws, 'base.csv'), { rows: 900 });
    const ctx = ctxFor(ws);
    ctx.config.training.maxBaselineRows = 300;
    const r = await train(ctx, { baseData: 'base.csv', trees: 5 });
    assert.equal(r.rows, 300);
    const profile = loadProfile(path.join(versionDir(ws, r.version), 'profile.json'));
    assert.ok(Math.abs((profile.labels['DDoS'] ?? 0) - 100) <= 5, JSON.stringify(profile.labels)); // held-out rows left first
  });

  it('gives clear errors for a missing label column, one class only, and all rows NaN', async () => {
    const ws = tempWorkspace('dc-train-');
    const ctx = ctxFor(ws);
    fs.writeFileSync(path.join(ws, 'nolabel.csv'), 'a,b\n1,2\n3,4\n');
    await rejectsWith(train(ctx, { baseData: 'nolabel.csv', trees: 2 }), 'LABEL', /no label column found.*nolabel\.csv/);
    await rejectsWith(train(ctx, { baseData: 'nolabel.csv', label: 'Target', trees: 2 }), 'LABEL', /label column "Target" not found/);
    fs.writeFileSync(path.join(ws, 'one.csv'), 'a,b,Label\n1,2,BENIGN\n3,4,BENIGN\n');
    await rejectsWith(train(ctx, { baseData: 'one.csv', trees: 2 }), 'LABEL', /only one class.*BENIGN.*one\.csv/);
    fs.writeFileSync(path.join(ws, 'nolabels.csv'), 'a,b,Label\n1,2,\n1,3,\n');
    await rejectsWith(train(ctx, { baseData: 'nolabels.csv', trees: 2 }), 'BAD_INPUT', /no usable rows.*label column "Label" is empty.*nolabels\.csv/);
    fs.writeFileSync(path.join(ws, 'empty.csv'), 'a,b,Label\n,,BENIGN\n,,DDoS\n');
    await rejectsWith(train(ctx, { baseData: 'empty.csv', trees: 2 }), 'BAD_INPUT', /no feature columns.*empty\.csv/);
    await rejectsWith(train(ctx, { baseData: 'absent.csv', trees: 2 }), 'NOT_FOUND', /base data absent\.csv does not exist/);
    assert.equal(listVersions(ws).length, 0, 'no version is created by a failed training');
  });

  it('leaves no partial version when cancelled', async () => {
    const ws = tempWorkspace('dc-train-');
    writeFlows(path.join(ws, 'base.csv'), { rows: 600 });
    const ctx = ctxFor(ws);
    const ac = new AbortController();
    ctx.signal = ac.signal;
    ctx.progress = (_pct, msg) => {
      if (msg.startsWith('trained')) ac.abort();
    };
    await rejectsWith(train(ctx, { baseData: 'base.csv', trees: 20 }), 'CANCELLED', /cancelled/);
    assert.equal(listVersions(ws).length, 0);
    const left = fs.existsSync(path.join(ws, '.driftcatcher', 'models')) ? fs.readdirSync(path.join(ws, '.driftcatcher', 'models')) : [];
    assert.deepEqual(left, []);
  });
});
