import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { LspClient } from './lspClient';
import { bundleServer, rpcError, tempWorkspace, writeFlows } from './fixtures';

/**
 * Data sources through the server, as an editor sends them over raw JSON-RPC: Parquet files, a glob of Parquet
 * parts and a .duckdb table give the report the CSV files give; `where` / `baselineWhere` select rows in the
 * engine; `multivariate` adds the report's multivariate part; setBaseline takes a table; bad sources and paths
 * outside the workspace are one-line errors.
 */

interface Feature {
  name: string;
  psi: number;
  statistic: number;
  p_value: number;
}
interface Report {
  overall: { severity: string; n_drifted: number };
  baseline: { source: string; rows: number };
  current: { source: string; rows: number };
  features: Feature[];
  multivariate?: {
    rows: { baseline: number; current: number };
    domain_classifier: { auc: number; auc_low: number; drifted: boolean; top_features: { name: string }[] };
    reconstruction: { drifted: boolean } | null;
    drifted: boolean;
  };
}

/** the CSV files as Parquet (the current one also in two parts) and as tables of one .duckdb file */
async function writeEngineCopies(ws: string): Promise<void> {
  const db = await DuckDBInstance.create(path.join(ws, 'data', 'warehouse.duckdb'));
  const c = await db.connect();
  const csv = (name: string) => `read_csv('${path.join(ws, 'data', `${name}.csv`)}', header = true, delim = ',', quote = '"')`;
  fs.mkdirSync(path.join(ws, 'data', 'parts'));
  for (const name of ['base', 'drifted']) {
    await c.run(`CREATE TABLE ${name} AS SELECT row_number() OVER () AS rowno, * FROM ${csv(name)}`);
    await c.run(`COPY (SELECT * EXCLUDE (rowno) FROM ${name} ORDER BY rowno) TO '${path.join(ws, 'data', `${name}.parquet`)}' (FORMAT PARQUET)`);
  }
  await c.run(`COPY (SELECT * EXCLUDE (rowno) FROM drifted WHERE rowno <= 500 ORDER BY rowno) TO '${path.join(ws, 'data', 'parts', 'drifted-1.parquet')}' (FORMAT PARQUET)`);
  await c.run(`COPY (SELECT * EXCLUDE (rowno) FROM drifted WHERE rowno > 500 ORDER BY rowno) TO '${path.join(ws, 'data', 'parts', 'drifted-2.parquet')}' (FORMAT PARQUET)`);
  for (const name of ['base', 'drifted']) await c.run(`ALTER TABLE ${name} DROP COLUMN rowno`);
  c.closeSync();
  db.closeSync();
}

function assertSameFeatures(got: Report, want: Report, what: string): void {
  assert.equal(got.current.rows, want.current.rows, `${what}: rows`);
  assert.deepEqual(got.features.map((f) => f.name), want.features.map((f) => f.name), `${what}: features`);
  for (let i = 0; i < want.features.length; i++) {
    const [g, w] = [got.features[i], want.features[i]];
    assert.ok(Math.abs(g.psi - w.psi) <= 1e-12, `${what}: ${w.name} PSI ${g.psi} vs ${w.psi}`);
    assert.equal(g.statistic, w.statistic, `${what}: ${w.name} statistic`);
  }
  assert.equal(got.overall.severity, want.overall.severity, `${what}: severity`);
}

describe('engine server over raw stdio: data sources', function () {
  this.timeout(300_000);
  let c: LspClient;
  let ws: string;
  let csvReport: Report;

  before(async function () {
    bundleServer();
    ws = tempWorkspace('dc-server-sources-');
    writeFlows(path.join(ws, 'data', 'base.csv'), 1500, { seed: 1 });
    writeFlows(path.join(ws, 'data', 'drifted.csv'), 1000, { seed: 3, shift: 1 });
    await writeEngineCopies(ws);
    c = new LspClient();
    await c.initialize(ws);
    csvReport = await c.request<Report>('driftcatcher/checkDrift', { baseline: 'data/base.csv', current: 'data/drifted.csv' });
    assert.equal(csvReport.overall.severity, 'severe');
  });
  after(async () => {
    await c?.shutdown();
    if (ws) fs.rmSync(ws, { recursive: true, force: true });
  });

  it('Parquet files, a glob of Parquet parts and a .duckdb table give the report the CSV files give', async () => {
    const cases: [string, string][] = [
      ['data/base.parquet', 'data/drifted.parquet'],
      ['data/base.parquet', 'data/parts/*.parquet'],
      ['data/base.csv', 'data/parts'],
      ['duckdb:data/warehouse.duckdb?table=base', 'duckdb:data/warehouse.duckdb?table=drifted'],
    ];
    for (const [baseline, current] of cases) {
      const r = await c.request<Report>('driftcatcher/checkDrift', { baseline, current });
      assertSameFeatures(r, csvReport, `${baseline} → ${current}`);
      assert.equal(r.baseline.rows, 1500);
    }
    const glob = await c.request<Report>('driftcatcher/checkDrift', { baseline: 'data/base.parquet', current: 'data/parts/*.parquet' });
    assert.match(glob.current.source, /parts\/\*\.parquet \(2 files\)$/);
  });

  it('where and baselineWhere select rows in the engine; multivariate adds its part to the report', async () => {
    const port80 = fs.readFileSync(path.join(ws, 'data', 'drifted.csv'), 'utf8').trim().split('\n').slice(1).filter((l) => l.split(',').at(-2) === '80').length;
    assert.ok(port80 > 100 && port80 < 1000, String(port80));
    const r = await c.request<Report>('driftcatcher/checkDrift', {
      baseline: 'data/base.parquet',
      baselineWhere: '"Destination Port" <> 80',
      current: 'data/drifted.parquet',
      where: '"Destination Port" = 80',
      multivariate: true,
    });
    assert.equal(r.current.rows, port80);
    assert.match(r.current.source, /where "Destination Port" = 80$/);
    assert.ok(r.baseline.rows < 1500 && r.baseline.rows > 500, String(r.baseline.rows));
    const m = r.multivariate;
    assert.ok(m, 'multivariate part');
    assert.deepEqual(m.rows, { baseline: r.baseline.rows, current: port80 });
    assert.ok(m.domain_classifier.drifted && m.domain_classifier.auc_low > 0.9, JSON.stringify(m.domain_classifier));
    assert.ok(m.drifted);

    const plain = await c.request<Report>('driftcatcher/checkDrift', { baseline: 'data/base.parquet', current: 'data/drifted.parquet' });
    assert.equal(plain.multivariate, undefined, 'only when asked (or configured)');
  });

  it('setBaseline takes a table source; checks without a baseline then use it', async () => {
    const choice = await c.request<{ kind: string; source: string; rows: number }>('driftcatcher/setBaseline', { baseline: 'duckdb:data/warehouse.duckdb?table=base' });
    assert.equal(choice.kind, 'file');
    assert.equal(choice.rows, 1500);
    assert.match(choice.source, /warehouse\.duckdb\?table=base$/);
    const r = await c.request<Report>('driftcatcher/checkDrift', { current: 'data/parts/*.parquet' });
    assertSameFeatures(r, csvReport, 'chosen table baseline');
    await c.request('driftcatcher/setBaseline', {});
  });

  it('runAgent and simulate take a table or Parquet source with where; files outside the workspace are refused', async () => {
    writeFlows(path.join(ws, 'holdout.csv'), 300, { seed: 2 });
    const v1 = await c.request<{ version: string }>('driftcatcher/train', { baseData: 'data/base.csv', holdout: 'holdout.csv', trees: 10 });
    await c.request('driftcatcher/deploy', { version: v1.version });
    const where = '"Destination Port" = 80';
    const r = await c.request<{ decision: { action: string }; plan: { goal: string }; report: Report }>('driftcatcher/runAgent', {
      current: 'duckdb:data/warehouse.duckdb?table=drifted',
      where,
      autonomy: 'suggest',
    });
    assert.match(r.report.current.source, /warehouse\.duckdb\?table=drifted where "Destination Port" = 80$/);
    assert.ok(r.report.current.rows > 100 && r.report.current.rows < 1000, String(r.report.current.rows));
    assert.match(r.plan.goal, /warehouse\.duckdb\?table=drifted where "Destination Port" = 80$/);
    const sim = await c.request<{ production_unchanged: boolean; report: Report }>('driftcatcher/simulate', { current: 'data/drifted.parquet' });
    assert.equal(sim.production_unchanged, true);
    assertSameFeatures(sim.report, await c.request<Report>('driftcatcher/checkDrift', { current: 'data/drifted.csv' }), 'simulate on Parquet');
    const outside = tempWorkspace('dc-outside-agent-');
    try {
      for (const method of ['driftcatcher/runAgent', 'driftcatcher/simulate']) {
        const err = await rpcError(c.request(method, { current: `duckdb:../${path.basename(outside)}/x.duckdb?table=t` }));
        assert.equal((err.data as { code?: string } | undefined)?.code, 'OUTSIDE_WORKSPACE', `${method}: ${err.message}`);
      }
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('bad sources are one-line errors naming the source; files outside the workspace are refused', async () => {
    const outside = tempWorkspace('dc-outside-');
    fs.copyFileSync(path.join(ws, 'data', 'base.parquet'), path.join(outside, 'secret.parquet'));
    fs.writeFileSync(path.join(ws, 'data', 'corrupt.parquet'), 'PAR1 this is not a parquet file');
    const rel = `../${path.basename(outside)}`;
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ current: path.join(outside, 'secret.parquet') }, 'OUTSIDE_WORKSPACE', /outside the workspace/],
      [{ current: `${rel}/*.parquet` }, 'OUTSIDE_WORKSPACE', /outside the workspace/],
      [{ current: `duckdb:${rel}/x.duckdb?table=t` }, 'OUTSIDE_WORKSPACE', /outside the workspace/],
      [{ current: 'data/none-*.parquet' }, 'NOT_FOUND', /none-\*\.parquet.*matches no \.csv or \.parquet file/],
      [{ current: 'data/corrupt.parquet' }, 'EXTERNAL', /corrupt\.parquet: not a readable Parquet file/],
      [{ current: 'data/drifted.parquet', where: '1=1; DROP TABLE x' }, 'BAD_INPUT', /drifted\.parquet: --where refused: a semicolon would end the statement$/],
      [{ current: 'duckdb:data/warehouse.duckdb?table=nope' }, 'NOT_FOUND', /warehouse\.duckdb\?table=nope.*nope/],
      [{ current: 'data/drifted.csv', where: 'x > 1' }, 'BAD_INPUT', /--where applies to Parquet files and tables/],
    ];
    for (const [params, code, want] of cases) {
      const err = await rpcError(c.request('driftcatcher/checkDrift', { baseline: 'data/base.csv', ...params }));
      const what = JSON.stringify(params);
      assert.match(err.message, want, `${what}: ${err.message}`);
      assert.equal((err.data as { code?: string } | undefined)?.code, code, `${what}: ${err.message}`);
      assert.ok(!err.message.includes('\n'), `${what}: one line`);
      assert.doesNotMatch(err.message, /\bat .*\.js:\d+/, `${what}: no stack trace`);
    }
    fs.rmSync(outside, { recursive: true, force: true });
  });
});
