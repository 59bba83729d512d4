import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTable } from '../../../src/core/data/csvReader';
import { CICIDS_FEATURES, generateDemoCsv, WEB_BRUTE_FORCE, writeDemoData, writeDemoStream } from '../../../src/core/data/demoData';
import { loadLabelled } from '../../../src/core/data/labelled';
import type { CategoricalColumn, NumericColumn } from '../../../src/core/data/table';
import { computeDrift } from '../../../src/core/drift/driftReport';
import { buildProfile } from '../../../src/core/drift/profile';
import { tempDir } from './helpers';

describe('data/demoData', function () {
  this.timeout(180000);
  let dir: string;
  before(() => (dir = tempDir()));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is deterministic per seed and carries the real CICIDS2017 header with its padding', async () => {
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    const c = path.join(dir, 'c.csv');
    await generateDemoCsv(a, { rows: 2000, seed: 1 });
    await generateDemoCsv(b, { rows: 2000, seed: 1 });
    await generateDemoCsv(c, { rows: 2000, seed: 2 });
    assert.ok(fs.readFileSync(a).equals(fs.readFileSync(b)));
    assert.ok(!fs.readFileSync(a).equals(fs.readFileSync(c)));
    const header = fs.readFileSync(a, 'utf8').split('\n')[0].split(',');
    assert.equal(header.length, 79);
    assert.equal(CICIDS_FEATURES.length, 78);
    assert.equal(header[0], ' Destination Port');
    assert.equal(header[14], 'Flow Bytes/s');
    assert.equal(header[15], ' Flow Packets/s');
    assert.equal(header[77], ' Idle Min');
    assert.equal(header[78], ' Label');
    const t = await readTable(a);
    const bytes = t.columns[14] as NumericColumn;
    const pkts = t.columns[15] as NumericColumn;
    assert.ok(bytes.nonFinite + bytes.missing > 0, 'Flow Bytes/s has Infinity/NaN cells');
    assert.ok(pkts.nonFinite > 0, 'Flow Packets/s has Infinity cells');
    const label = t.columns[78] as CategoricalColumn;
    const counts = new Map<string, number>();
    for (const k of label.codes) counts.set(label.categories[k], (counts.get(label.categories[k]) ?? 0) + 1);
    assert.ok(counts.get('BENIGN')! > 1000, 'BENIGN is the majority');
    for (const cls of ['DDoS', 'PortScan', 'Bot', WEB_BRUTE_FORCE]) assert.ok(counts.has(cls), cls);
    // heavy tails: the max of the flow duration is far above its median
    const dur = Float64Array.from((t.columns[1] as NumericColumn).values).sort();
    assert.ok(dur[dur.length - 1] > 100 * dur[dur.length >> 1]);
  });

  it('demo batches land in the PSI bands: none < 0.1, moderate 0.1–0.2 on several features, severe > 0.2 on several', async () => {
    const files = await writeDemoData(path.join(dir, 'demo'));
    assert.equal(files.files.length, 6);
    assert.equal(files.holdoutPool.length, 2);
    const base = await readTable(files.baseline);
    const profile = buildProfile(base, { label: 'Label' });
    const psis = async (f: string) => (await computeDrift(profile, f)).features.map((x) => x.psi);
    const none = await psis(files.batches.none);
    const moderate = await psis(files.batches.moderate);
    const severe = await psis(files.batches.severe);
    assert.ok(Math.max(...none) < 0.1, `none: max PSI ${Math.max(...none)}`);
    assert.ok(moderate.filter((p) => p >= 0.1 && p <= 0.2).length >= 5, 'moderate: several features in 0.1–0.2');
    assert.ok(Math.max(...moderate) <= 0.2, `moderate: max PSI ${Math.max(...moderate)}`);
    assert.ok(severe.filter((p) => p > 0.2).length >= 5, 'severe: several features above 0.2');
  });

  it('writes a time-ordered stream whose later batches drift more', async () => {
    const s = await writeDemoStream(path.join(dir, 'stream'), { batches: 4, rows: 1500 });
    assert.deepEqual(s.files.map((f) => path.basename(f)), ['batch_000.csv', 'batch_001.csv', 'batch_002.csv', 'batch_003.csv']);
    assert.equal(s.schedule[0].drift, 0);
    assert.ok(s.schedule[3].concept > s.schedule[1].concept);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'stream', 'stream.json'), 'utf8'));
    assert.equal(manifest.batches.length, 4);
    const d = await loadLabelled(s.files[3], {});
    assert.deepEqual(d.classes, ['BENIGN', 'ATTACK']);
    assert.equal(d.features.length, 78);
  });
});
