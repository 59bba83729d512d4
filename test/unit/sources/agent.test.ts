import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runAgent } from '../../../src/core/agent/runAgent';
import { simulate } from '../../../src/core/agent/twin';
import { listDecisions } from '../../../src/core/agent/decisionLog';
import { loadConfig, stateDir, type ConfigInput } from '../../../src/core/config';
import { readTable } from '../../../src/core/data/csvReader';
import type { EngineContext } from '../../../src/core/engine';
import { createHoldout } from '../../../src/core/model/holdout';
import { deploy } from '../../../src/core/model/deploy';
import { readLedger } from '../../../src/core/model/ledger';
import { getVersion } from '../../../src/core/model/registry';
import { validate } from '../../../src/core/model/validate';
import { trainModel } from '../../../src/core/pipeline/training';
import type { AgentResult, Decision } from '../../../src/core/protocol';
import { uniform } from '../../../src/core/util/random';
import { captureCli } from '../cli/capture';
import { assertSameReport, loadColumns, tmpDir, VEGA, writeDuckdb } from './fixtures';

/**
 * The agent and the digital twin on any source: the drift check reads the source (pushed down, with --where), the
 * label-free estimate reads its rows sampled through the same source code, a retrain samples it as training does.
 * On the same rows, a CSV, a Parquet file and a DuckDB table give the same report, the same decision context and the
 * same decision.
 */

function ctxFor(ws: string, overrides: ConfigInput = {}): EngineContext {
  return { workspace: ws, config: loadConfig(ws, overrides, {}) };
}

function copyDir(from: string, to: string): string {
  fs.cpSync(from, to, { recursive: true });
  return to;
}

/** a decision with the batch's name (which differs by source) replaced, and the id and time left out */
function comparable(d: Decision, names: string[]): unknown {
  let text = JSON.stringify({ ...d, id: undefined, created_at: undefined });
  for (const n of names) text = text.split(JSON.stringify(n).slice(1, -1)).join('BATCH');
  return JSON.parse(text);
}

describe('sources: the agent and the digital twin on a Parquet file or a table', function () {
  this.timeout(300_000);
  const dir = tmpDir('dc-srcagent-');
  const weather = fs.readFileSync(path.join(VEGA, 'seattle-weather.csv'), 'utf8').trim().split('\n');
  /** a workspace with a model trained on 2012–2013, validated and deployed; the 2014–2015 batch as CSV, Parquet and a table */
  const seed = path.join(dir, 'seed');
  const curCsv = path.join(dir, 'weather-2014-15.csv');
  const curParquet = path.join(dir, 'weather-2014-15.parquet');
  const duckdbFile = path.join(dir, 'weather.duckdb');
  const table = `duckdb:${duckdbFile}?table=weather`;

  before(async () => {
    fs.mkdirSync(seed);
    const [header, ...body] = weather;
    fs.writeFileSync(path.join(seed, 'base.csv'), [header, ...body.filter((l) => /^201[23]/.test(l))].join('\n') + '\n');
    fs.writeFileSync(curCsv, [header, ...body.filter((l) => /^201[45]/.test(l))].join('\n') + '\n');
    await writeDuckdb(duckdbFile, 'weather', loadColumns(await readTable(curCsv)), [{ file: curParquet }]);
    const ctx = ctxFor(seed, { label: 'weather', training: { trees: 20 } });
    await createHoldout(ctx, { dataDir: path.join(seed, 'base.csv'), output: path.join(seed, 'holdout.csv') });
    const v1 = await trainModel(ctx, { baseData: 'base.csv' });
    assert.equal((await validate(ctx, { version: v1.version, holdout: 'holdout.csv' })).passed, true);
    await deploy(ctx, { version: v1.version });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a CSV, the same rows as Parquet and as a DuckDB table: the same drift report, decision context and decision', async () => {
    const runs: { name: string; r: AgentResult; ws: string }[] = [];
    for (const [name, source] of [
      ['csv', curCsv],
      ['parquet', curParquet],
      ['duckdb', table],
    ] as const) {
      // each in its own copy: the decision log of one run is evidence for the next
      const ws = copyDir(seed, path.join(dir, `ws-${name}`));
      runs.push({ name, ws, r: await runAgent(ctxFor(ws, { label: 'weather' }), { current: source, autonomy: 'suggest' }) });
    }
    const [csv, ...others] = runs;
    const names = ['weather-2014-15.csv', curCsv, curParquet, table];
    const contextOf = (ws: string) => {
      const [rec] = listDecisions(ws);
      return JSON.parse(JSON.stringify({ ...rec.context, inputs: undefined, time: undefined, realised: { ...rec.context.realised, source: undefined } }));
    };
    const want = contextOf(csv.ws);
    assert.ok(want.estimate && want.estimate.current_rows === 730, 'the label-free estimate ran on the 730 rows');
    assert.equal(want.estimate.realised_rows, 730, 'and the batch carried its labels');
    for (const o of others) {
      assertSameReport(o.r.report!, csv.r.report!, o.name);
      assert.equal(o.r.report!.current.rows, 730, o.name);
      assert.deepEqual(contextOf(o.ws), want, `${o.name}: decision context`);
      assert.deepEqual(comparable(o.r.decision, names), comparable(csv.r.decision, names), `${o.name}: decision`);
      assert.deepEqual(o.r.plan.steps.map((s) => s.tool), csv.r.plan.steps.map((s) => s.tool));
      const [rec] = listDecisions(o.ws);
      assert.equal(rec.context.inputs.current, o.name === 'parquet' ? curParquet : table, 'the log names the source');
      assert.equal(rec.context.realised?.source, o.name === 'parquet' ? curParquet : table);
    }
    assert.match(others[1].r.plan.goal, /^Keep monitoring: no retrain for duckdb:.*weather\.duckdb\?table=weather$/);
  });

  it('the digital twin on a Parquet file: the CSV\'s decision, production byte-identical, the sample only in the sandbox', async () => {
    const wsCsv = copyDir(seed, path.join(dir, 'twin-csv'));
    const wsPq = copyDir(seed, path.join(dir, 'twin-parquet'));
    const a = await simulate(ctxFor(wsCsv, { label: 'weather' }), { current: curCsv });
    const b = await simulate(ctxFor(wsPq, { label: 'weather' }), { current: path.relative(wsPq, curParquet) });
    assert.equal(b.production_unchanged, true);
    assert.deepEqual(comparable(b.decision, ['weather-2014-15.csv', curCsv, curParquet]), comparable(a.decision, ['weather-2014-15.csv', curCsv, curParquet]));
    assert.deepEqual(b.would_change, a.would_change);
    assert.ok(!fs.existsSync(path.join(stateDir(wsPq), 'samples')), 'no sample written into the workspace');
  });

  it('a retrain from a table with --where: drift, estimate and retrain read the selected rows; the lineage names them', async () => {
    // a labelled stream whose second half moved (every feature shifted): the agent retrains on it
    const ws = tmpDir('dc-srcagent-retrain-');
    const r = uniform(5);
    const rows = (n: number, shift: number) =>
      Array.from({ length: n }, () => {
        const attack = r() < 0.4;
        return [(attack ? 5 : 1) + r() * 3 + shift, r() * 10 + shift, r() * 10 + shift * 2, attack ? 'DDoS' : 'BENIGN'] as const;
      });
    const header = 'duration,fwd,bwd,Label';
    fs.writeFileSync(path.join(ws, 'base.csv'), [header, ...rows(600, 0).map((x) => x.join(','))].join('\n') + '\n');
    fs.writeFileSync(path.join(ws, 'holdout.csv'), [header, ...rows(200, 0).map((x) => x.join(','))].join('\n') + '\n');
    const stream = [...rows(400, 0).map((x) => [...x, 1]), ...rows(300, 8).map((x) => [...x, 2])];
    const flowsDb = path.join(ws, 'flows.duckdb');
    await writeDuckdb(flowsDb, 'flows', [
      ...['duration', 'fwd', 'bwd'].map((name, c) => ({ name, numeric: true, values: stream.map((x) => x[c] as number) })),
      { name: 'Label', numeric: false, values: stream.map((x) => x[3] as string) },
      { name: 'day', numeric: true, values: stream.map((x) => x[4] as number) },
    ]);
    const overrides: ConfigInput = { training: { trees: 8 }, dataset: 'CICIDS2017', validation: { metrics: { balanced_accuracy: { min_absolute_change: 0 } } } };
    const ctx = ctxFor(ws, overrides);
    const v1 = await trainModel(ctx, { baseData: 'base.csv', holdout: 'holdout.csv' });
    await deploy(ctx, { version: v1.version });

    const source = 'duckdb:flows.duckdb?table=flows';
    const where = 'day = 2';
    const res = await runAgent(ctx, { current: source, where, autonomy: 'autonomous', yes: true });
    const shown = `duckdb:${flowsDb}?table=flows where ${where}`;
    assert.equal(res.report!.current.rows, 300, 'the drift check read the selected rows');
    assert.equal(res.report!.current.source, shown);
    assert.ok(['RETRAIN', 'RETRAIN_URGENT'].includes(res.decision.action), res.decision.rationale);
    assert.equal(res.plan.status, 'completed', res.plan.error);
    const retrain = res.plan.steps.find((s) => s.tool === 'retrain_model')!;
    assert.deepEqual(retrain.args.newData, [`duckdb:${flowsDb}?table=flows`]);
    assert.equal(retrain.args.where, where);
    const v2 = getVersion(ws, (retrain.result as { version: string }).version);
    const [base, added] = v2.lineage;
    assert.equal(base.path, `.driftcatcher/models/${v1.version}/baseline.csv`, "production's combined training data");
    assert.equal(added.path, shown);
    // all 300 selected rows sampled (under the cap), the ledger's held-out share set aside for the gate
    assert.ok(readLedger(ws)!.batches.some((b) => b.rows === 300 && b.rows - b.holdout_rows === added.rows), JSON.stringify(readLedger(ws)!.batches));
    const [rec] = listDecisions(ws);
    assert.equal(rec.context.estimate?.current_rows, 300, 'the estimate read the selected rows');
    assert.equal(rec.context.inputs.current, shown);
  });

  it('the CLI and bad input: agent/simulate take --where for a table, refuse it for a CSV, name the source when it is wrong', async () => {
    const ws = copyDir(seed, path.join(dir, 'cli'));
    const ok = await captureCli(['agent', curParquet, '--where', "date >= '2015-01-01'", '--autonomy', 'suggest', '--format', 'json', '--workspace', ws], { cwd: ws });
    assert.equal(ok.code, 0, ok.err);
    const out = JSON.parse(ok.out) as { decision: Decision };
    assert.match(out.decision.rationale, /./);
    assert.equal(listDecisions(ws)[0].context.estimate?.current_rows, 365);
    const sim = await captureCli(['simulate', table, '--where', "weather = 'rain'", '--workspace', ws], { cwd: ws });
    assert.equal(sim.code, 0, sim.err);
    assert.match(sim.out, /production files byte-identical after the simulation: yes/);

    const csvWhere = await captureCli(['agent', curCsv, '--where', 'x > 1', '--workspace', ws], { cwd: ws });
    assert.equal(csvWhere.code, 2);
    assert.match(csvWhere.err, /^error: current data .*weather-2014-15\.csv: --where applies to Parquet files and tables; to select CSV rows, pick the files \(a glob\)\n$/);
    const badWhere = await captureCli(['simulate', table, '--where', 'no_such_column > 1', '--workspace', ws], { cwd: ws });
    assert.notEqual(badWhere.code, 0);
    assert.match(badWhere.err, /^error: duckdb:.*weather\.duckdb\?table=weather: --where is not a valid predicate for this table: .*no_such_column/);
    assert.equal(badWhere.err.split('\n').filter(Boolean).length, 1, badWhere.err);
  });
});
