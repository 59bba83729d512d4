import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BaselineProfile } from '../../../src/core/drift/profile';
import type { DialectName } from '../../../src/core/sources/sql/dialect';
import { dialectFor } from '../../../src/core/sources/sql/dialects';
import { newCategoriesSql, planDrift } from '../../../src/core/sources/sql/driftQueries';
import { checkPredicate } from '../../../src/core/sources/sql/predicate';
import { fromClause, readAsKey, readAsNumber } from '../../../src/core/sources/sql/columns';

/**
 * Golden SQL: the statements a drift check sends, per dialect, for one small profile — a numeric feature read
 * from a numeric column, one read from a text column (CSV number rules), a categorical feature with a category
 * that needs quoting, a label, and a --where — and the stratified sample training draws. Spark SQL and Trino cannot run here, so their SQL is pinned by these
 * files (reviewed by hand); DuckDB, ClickHouse and PostgreSQL run the same plans against real engines in the
 * other tests. Regenerate after an intended change with DC_UPDATE_GOLDEN=1 and review the diff.
 */
const GOLDEN = path.resolve(__dirname, '../../../../test/unit/sources/golden');

const profile: BaselineProfile = {
  format: 'driftcatcher.profile',
  version: 1,
  created_at: '2024-01-01T00:00:00.000Z',
  source: 'events',
  dataset: 'Generic',
  label: 'label',
  rows: 100,
  columns: ['amount', 'score', 'country', 'label', 'ts'],
  labels: { fraud: 10, ok: 90 },
  features: [
    {
      name: 'amount', kind: 'numeric', n: 100, missing: 2, missing_rate: 0.02, mean: 12.5, std: 3.25, min: -1.5, max: 99.25,
      deciles: [-1.5, 2, 4, 6, 8, 10, 12, 14, 16, 18, 99.25], expected_dist: new Array(10).fill(0.1),
      psi: { edges: [1e-7, 2, 4.5], expected: [0.2, 0.3, 0.2, 0.28, 0.02] },
      sketch: { values: [-1.5, 0.1, 2, 7.25, 99.25], cdf: [0.01, 0.1, 0.3, 0.8, 1], cdf_left: [0, 0.05, 0.2, 0.75, 0.98] },
    },
    {
      name: 'score', kind: 'numeric', n: 100, missing: 0, missing_rate: 0, mean: 0.5, std: 0.1, min: 0, max: 1,
      deciles: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1], expected_dist: new Array(10).fill(0.1),
      psi: { edges: [0.25, 0.75], expected: [0.25, 0.5, 0.25, 0] },
      sketch: { values: [0, 0.5, 1], cdf: [0.1, 0.6, 1], cdf_left: [0, 0.5, 0.9] },
    },
    { name: 'country', kind: 'categorical', n: 100, missing: 1, missing_rate: 0.01, categories: { DE: 50, "Côte d'Ivoire": 30 }, other: 19 },
  ],
};
const columns = (d: ReturnType<typeof dialectFor>) =>
  [
    ['amount', d.name === 'clickhouse' ? 'Nullable(Float64)' : d.name === 'postgresql' ? 'double precision' : 'DOUBLE'],
    ['score', d.name === 'clickhouse' ? 'String' : d.name === 'postgresql' ? 'text' : 'VARCHAR'],
    ['country', d.name === 'clickhouse' ? 'String' : d.name === 'postgresql' ? 'text' : 'VARCHAR'],
    ['label', d.name === 'clickhouse' ? 'String' : d.name === 'postgresql' ? 'text' : 'VARCHAR'],
    ['ts', d.name === 'clickhouse' ? 'DateTime' : 'TIMESTAMP'],
  ].map(([name, type]) => ({ name, type, cls: d.classify(type) }));

function render(name: DialectName): string {
  const d = dialectFor(name);
  const where = checkPredicate("ts >= '2024-02-01' AND ts < '2024-03-01'", 'events');
  const plan = planDrift(d, d.relation('analytics.events'), 'events', columns(d), profile, where);
  const out = [`-- ${name}: drift accumulators of the golden profile (${plan.groups.length} group)`];
  for (const g of plan.groups) {
    out.push('-- scalars', g.scalarSql + ';', '-- bucket counts', g.hist.sql + ';');
    for (const f of g.features) if (f.kind === 'categorical') out.push(`-- new categories of ${f.p.name}`, newCategoriesSql(d, f, g.from) + ';');
  }
  const stats = d.orderStats([{ v: 'f0', finite: 98, ranks: [0, 9, 48, 97] }], plan.groups[0].from);
  out.push('-- order statistics (profiling)', stats.sql + ';');
  // training sample: label "label", two classes over a cap, each class its quota in seeded row-hash order
  const cols = columns(d);
  const reads = [readAsNumber(d, cols[0], 'events').value, readAsNumber(d, cols[1], 'events').value, readAsKey(d, cols[2], 'events').key, readAsKey(d, cols[3], 'events').key];
  const inner = fromClause(d.relation('analytics.events'), [...reads.map((r, i) => `${r} AS s${i}`), `${readAsKey(d, cols[3], 'events').key} AS lk`], [`(${where})`]);
  const names = reads.map((_, i) => `s${i}`);
  const quotas = [
    { key: d.str('fraud'), quota: 12 },
    { key: d.str('ok'), quota: 88 },
  ];
  out.push('-- stratified training sample', ...d.stratifiedSample(names, inner, 'lk', quotas, d.sampleOrder(names, 42)).map((q) => q + ';'), '');
  return out.join('\n');
}

describe('sources: golden SQL per dialect', () => {
  for (const name of ['duckdb', 'clickhouse', 'postgresql', 'spark', 'trino'] as const) {
    it(`${name} statements match golden/${name}.sql`, () => {
      const file = path.join(GOLDEN, `${name}.sql`);
      const sql = render(name);
      if (process.env.DC_UPDATE_GOLDEN === '1') fs.writeFileSync(file, sql);
      assert.ok(fs.existsSync(file), `${file} is missing: run the test with DC_UPDATE_GOLDEN=1 once and review it`);
      assert.equal(sql, fs.readFileSync(file, 'utf8'));
    });
  }

  it('quotes names and literals for each dialect', () => {
    assert.equal(dialectFor('spark').ident('a`b'), '`a``b`');
    assert.equal(dialectFor('clickhouse').str("it's \\ here"), "'it\\'s \\\\ here'");
    assert.equal(dialectFor('postgresql').relation('public.my"t'), '"public"."my""t"');
    assert.equal(dialectFor('trino').num(0.1), '1e-1');
    assert.equal(dialectFor('duckdb').num(-0), '0e0');
    assert.equal(dialectFor('spark').num(1e21), "CAST('1e+21' AS DOUBLE)");
  });
});
