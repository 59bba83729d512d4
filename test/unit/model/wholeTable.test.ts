import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { captureCli, type CliResult } from '../cli/capture';
import { readTable } from '../../../src/core/data/csvReader';
import { loadProfile } from '../../../src/core/drift/profile';
import { readLedger } from '../../../src/core/model/ledger';
import { listVersions, versionDir } from '../../../src/core/model/registry';
import { Random } from '../../../src/core/util/random';
import { tempWorkspace } from './registryFixtures';

/**
 * The whole table through the CLI: text columns are categorical features, missing values keep their rows, ids and
 * empty columns are left out with one notice, and every column stays in the profile, the baseline and the report.
 */
function cli(ws: string, args: string[]): Promise<CliResult> {
  return captureCli([...args, '--workspace', ws], { cwd: ws });
}

const csvCell = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Customers: churn depends on the plan (a text column), the tenure and on whether the usage is known. */
function writeCustomers(file: string, rows: number, seed: number, opts: { unseenPlan?: boolean } = {}): void {
  const r = new Random(seed, 1);
  const plans = ['basic', 'plus, annual', 'pro "team"', 'multi\nline', 'family'];
  const lines = ['customer_id,plan,tenure,usage,empty,is_business,Country,Churn'];
  for (let i = 0; i < rows; i++) {
    const p = opts.unseenPlan && i % 5 === 0 ? 'brand-new plan' : plans[r.int(plans.length)];
    const tenure = r.int(60);
    const usageKnown = r.int(10) > 1;
    const usage = usageKnown ? (r.nextUint32() / 2 ** 32) * 100 : NaN;
    const business = r.int(2);
    const risky = p === 'basic' || p === 'multi\nline';
    const churn = (risky && tenure < 30) || !usageKnown ? 'yes' : r.int(20) === 0 ? 'yes' : 'no';
    const usageCell = usageKnown ? usage.toFixed(2) : i % 2 ? '' : 'Infinity';
    lines.push([`C${seed}-${i}`, csvCell(p), tenure, usageCell, '', business, ['DE', 'FR', 'US'][r.int(3)], churn].join(','));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

describe('the whole table (CLI)', function () {
  this.timeout(300_000);
  let ws: string;
  before(() => {
    ws = tempWorkspace('dc-whole-');
    fs.mkdirSync(path.join(ws, 'data'));
    writeCustomers(path.join(ws, 'data', 'base.csv'), 1500, 1);
    writeCustomers(path.join(ws, 'data', 'batch.csv'), 400, 2, { unseenPlan: true });
    fs.writeFileSync(
      path.join(ws, 'driftcatcher.config.json'),
      JSON.stringify({ dataset: 'customers', datasets: { customers: { positiveClass: 'yes', categorical: ['is_business'], drop: ['Country'] } }, training: { trees: 30 } }),
    );
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('train: categorical features, no row dropped, the feature list says how each column is used', async () => {
    const r = await cli(ws, ['train', '--base-data', 'data/base.csv']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /label column: 'Churn' \(detected; choose another with --label\)/);
    // the holdout ledger keeps its held-out rows out of training; every other row is trained on
    const held = readLedger(ws)!.batches[0].holdout_rows;
    assert.ok(held > 100 && held < 400, `${held} held out`);
    assert.match(r.err, new RegExp(`left out \\(too many distinct values to be categories\\): 'customer_id' \\(${1500 - held} distinct\\)`));
    assert.match(r.err, /left out \(no values\): 'empty'/);
    const out = JSON.parse(r.out) as { rows: number; dropped_rows: number; metrics: { accuracy: number; balanced_accuracy: number; majority_baseline: { accuracy: number } } };
    assert.equal(out.rows, 1500 - held);
    assert.equal(out.dropped_rows, 0);
    assert.ok(out.metrics.accuracy > 0.9 && out.metrics.accuracy > out.metrics.majority_baseline.accuracy + 0.1, JSON.stringify(out.metrics));
    const meta = listVersions(ws)[0];
    assert.deepEqual(meta.classes, ['no', 'yes']);
    assert.deepEqual(meta.features, ['plan', 'tenure', 'usage', 'is_business']);
    const kinds = Object.fromEntries(meta.columns!.map((c) => [c.name, [c.kind, c.categories ?? null]]));
    assert.deepEqual(kinds, {
      customer_id: ['excluded', null],
      plan: ['categorical', 5],
      tenure: ['numeric', null],
      usage: ['numeric', null],
      empty: ['excluded', null],
      is_business: ['categorical', 2],
      Country: ['excluded', null],
    });
    assert.match(meta.columns!.find((c) => c.name === 'Country')!.reason!, /listed in "drop" of the dataset config 'customers'/);
    const imp = Object.fromEntries(meta.columns!.map((c) => [c.name, c.importance]));
    assert.ok(imp.plan > 0.1 && imp.usage > 0.1 && imp.tenure > 0.1, JSON.stringify(imp));
  });

  it('every column stays in the profile and the candidate baseline, odd category values intact', async () => {
    const dir = versionDir(ws, 'v1');
    const profile = loadProfile(path.join(dir, 'profile.json'));
    assert.deepEqual(profile.columns, ['customer_id', 'plan', 'tenure', 'usage', 'empty', 'is_business', 'Country', 'Churn']);
    assert.deepEqual(
      profile.features.map((f) => [f.name, f.kind]),
      [['customer_id', 'categorical'], ['plan', 'categorical'], ['tenure', 'numeric'], ['usage', 'numeric'], ['empty', 'numeric'], ['is_business', 'numeric'], ['Country', 'categorical']].filter(([n]) => n !== 'Country'),
    );
    const base = await readTable(path.join(ws, 'data', 'base.csv'));
    const saved = await readTable(path.join(dir, 'baseline.csv'));
    assert.deepEqual(saved.columns.map((c) => c.name), base.columns.map((c) => c.name));
    const plans = (t: typeof base): string[] => {
      const c = t.columns.find((x) => x.name === 'plan')!;
      assert.equal(c.kind, 'categorical');
      return Array.from(c.codes, (k) => c.categories[k]);
    };
    // the baseline holds the training rows, the ledger the held-out ones: together, the file's values exactly
    const ledgerDir = path.join(ws, '.driftcatcher', 'holdout');
    const heldOut = await readTable(path.join(ledgerDir, fs.readdirSync(ledgerDir).find((f) => f.endsWith('.csv'))!));
    assert.deepEqual([...plans(saved), ...plans(heldOut)].sort(), plans(base).sort(), 'commas, quotes and newlines survive');
    assert.ok(plans(saved).includes('multi\nline') && plans(saved).includes('pro "team"') && plans(saved).includes('plus, annual'));
  });

  it('predict scores every row, unseen categories and missing values included; drift reports the text columns', async () => {
    const deploy = await cli(ws, ['holdout', '--data-dir', 'data', '--output', 'holdout.csv', '--label', 'Churn']);
    assert.equal(deploy.code, 0, deploy.err);
    const v = await cli(ws, ['validate', '--holdout', 'holdout.csv']);
    assert.equal(v.code, 0, v.err + v.out);
    assert.equal((await cli(ws, ['deploy'])).code, 0);
    const p = await cli(ws, ['predict', 'data/batch.csv', '-o', 'pred.csv', '--format', 'json']);
    assert.equal(p.code, 0, p.err);
    const pred = await readTable(path.join(ws, 'pred.csv'));
    assert.equal(pred.rowCount, 400);
    const d = await cli(ws, ['drift', 'data/batch.csv', '--format', 'json']);
    assert.ok(d.code === 0 || d.code === 1, d.err);
    const report = JSON.parse(d.out) as { features: { name: string; kind: string }[]; quality: { kind: string; feature: string }[] };
    assert.ok(report.features.some((f) => f.name === 'plan' && f.kind === 'categorical'), 'the text column is compared');
    assert.ok(!report.quality.some((q) => q.kind === 'added_column'), JSON.stringify(report.quality));
    assert.ok(report.quality.some((q) => q.kind === 'new_categories' && q.feature === 'plan'), 'the unseen plan is a finding');
    // the agent decides from the same report: the text column's drift weighs in its evidence
    const a = await cli(ws, ['agent', 'data/batch.csv', '--autonomy', 'suggest', '--format', 'json']);
    assert.equal(a.code, 0, a.err);
    const decision = (JSON.parse(a.out) as { decision: { rationale: string; evidence: { impact: { top: { name: string }[] } } } }).decision;
    assert.ok(decision.evidence.impact.top.some((t) => t.name === 'plan'), JSON.stringify(decision.evidence.impact));
  });

  it('multi-class from the CLI (--task) and an unknown --dataset', async () => {
    const multi = await cli(ws, ['train', '--base-data', 'data/base.csv', '--task', 'multiclass', '--dataset', 'generic', '--label', 'plan']);
    assert.equal(multi.code, 0, multi.err);
    assert.deepEqual(listVersions(ws).find((m) => m.version === 'v2')!.classes.length, 5);
    const bad = await cli(ws, ['train', '--base-data', 'data/base.csv', '--dataset', 'loans']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /^error: unknown dataset 'loans'; known datasets: customers, CICIDS2017, Generic/);
    const task = await cli(ws, ['train', '--base-data', 'data/base.csv', '--task', 'regression']);
    assert.equal(task.code, 2);
    assert.match(task.err, /--task must be binary or multiclass/);
  });
});
