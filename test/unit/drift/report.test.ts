import { strict as assert } from 'node:assert';
import type { RowBatch, Table } from '../../../src/core/data/table';
import { buildProfile } from '../../../src/core/drift/profile';
import { DriftAccumulator, DEFAULT_THRESHOLDS, severityOf } from '../../../src/core/drift/driftReport';
import { normal, rng } from './helpers';

type Cell = number | string | undefined;

/** A RowBatch as the CSV reader produces it, from rows of cells (strings that are not numbers become texts). */
function batch(header: string[], rows: Cell[][]): RowBatch {
  const numbers = header.map(() => new Float64Array(rows.length).fill(NaN));
  const texts: (Array<string | undefined> | null)[] = header.map(() => null);
  rows.forEach((row, i) =>
    row.forEach((v, c) => {
      if (typeof v === 'number') numbers[c][i] = v;
      else if (typeof v === 'string') (texts[c] ??= new Array(rows.length))[i] = v;
    }),
  );
  return { header, startRow: 0, rowCount: rows.length, numbers, texts, bytesRead: 0, totalBytes: 0 };
}

function table(header: string[], rows: Cell[][]): Table {
  return {
    rowCount: rows.length,
    columns: header.map((name, c) => {
      const cells = rows.map((r) => r[c]);
      if (cells.every((v) => typeof v !== 'string')) {
        const values = Float64Array.from(cells.map((v) => (v === undefined ? NaN : (v as number))));
        return { kind: 'numeric' as const, name, values, missing: values.filter(Number.isNaN).length, nonFinite: 0 };
      }
      const categories = [...new Set(cells.filter((v): v is string => typeof v === 'string'))];
      const codes = Int32Array.from(cells.map((v) => (typeof v === 'string' ? categories.indexOf(v) : -1)));
      return { kind: 'categorical' as const, name, codes, categories, missing: codes.filter((x) => x < 0).length };
    }),
  };
}

describe('drift report', () => {
  const r = rng(5);
  const header = ['a', 'b', 'c', 'proto', 'gone', 'Label'];
  const baseRows: Cell[][] = Array.from({ length: 2000 }, () => [
    normal(r),
    normal(r),
    normal(r) * 10,
    r() < 0.6 ? 'tcp' : 'udp',
    r(),
    r() < 0.5 ? 'BENIGN' : 'DDoS',
  ]);
  const profile = buildProfile(table(header, baseRows), { label: 'Label' });

  it('levels: < moderate none, moderate..severe moderate, > severe severe', () => {
    assert.equal(severityOf(0.0999, DEFAULT_THRESHOLDS), 'none');
    assert.equal(severityOf(0.1, DEFAULT_THRESHOLDS), 'moderate');
    assert.equal(severityOf(0.2, DEFAULT_THRESHOLDS), 'moderate');
    assert.equal(severityOf(0.2001, DEFAULT_THRESHOLDS), 'severe');
    assert.equal(severityOf(0.3, { moderate: 0.5, severe: 1 }), 'none', 'configurable');
  });

  it('sorts features by drift, marks drifted ones and compares only the common columns', () => {
    // current: 'a' shifted a lot, 'b' a little, 'c' unchanged, 'gone' missing, 'extra' added, 'proto' gains a new category
    const curHeader = ['extra', 'Label', 'c', 'b', 'a', 'proto'];
    const curRows: Cell[][] = Array.from({ length: 1500 }, () => [
      1,
      'BENIGN',
      normal(r) * 10,
      normal(r) + 0.35,
      normal(r) + 2,
      r() < 0.5 ? 'tcp' : r() < 0.5 ? 'udp' : 'icmp',
    ]);
    const acc = new DriftAccumulator(profile);
    acc.add(batch(curHeader, curRows.slice(0, 700)));
    acc.add(batch(curHeader, curRows.slice(700)));
    const rep = acc.finish(DEFAULT_THRESHOLDS);
    assert.deepEqual(rep.features.map((f) => f.name).slice(0, 1), ['a']);
    for (let i = 1; i < rep.features.length; i++) assert.ok(rep.features[i - 1].psi >= rep.features[i].psi, 'sorted by PSI');
    const by = Object.fromEntries(rep.features.map((f) => [f.name, f]));
    assert.deepEqual(Object.keys(by).sort(), ['a', 'b', 'c', 'proto']);
    assert.equal(by.a.severity, 'severe');
    assert.equal(by.a.drifted, true);
    assert.equal(by.c.severity, 'none');
    assert.equal(by.c.drifted, false);
    assert.equal(by.a.test, 'ks');
    assert.ok(by.a.p_value < 1e-10 && by.c.p_value > 1e-3, `KS p-values ${by.a.p_value} ${by.c.p_value}`);
    assert.equal(by.proto.test, 'chi2');
    assert.equal(by.proto.kind, 'categorical');
    assert.ok(by.proto.p_value < 1e-10);
    assert.equal(rep.overall.total_features, 4);
    assert.equal(rep.overall.n_drifted, rep.features.filter((f) => f.drifted).length);
    assert.equal(rep.overall.share_drifted, rep.overall.n_drifted / 4);
    assert.equal(rep.overall.psi_max, by.a.psi);
    assert.equal(rep.overall.severity, 'severe', 'the most drifted feature decides the overall severity');
    assert.ok(Math.abs(rep.overall.psi_mean - rep.features.reduce((s, f) => s + f.psi, 0) / 4) < 1e-15);
    const kinds = rep.quality.map((q) => `${q.kind}:${q.feature}`);
    assert.ok(kinds.includes('missing_column:gone'), kinds.join());
    assert.ok(kinds.includes('added_column:extra'), kinds.join());
    assert.ok(kinds.includes('new_categories:proto'), kinds.join());
    assert.ok(!kinds.some((k) => k.endsWith(':Label')), 'the label is not a feature');
    assert.match(rep.quality.find((q) => q.kind === 'new_categories')!.message, /"icmp"/);
  });

  it('reports missing-rate jumps, out-of-range shares, constant and non-numeric columns; skips unlabelled rows', () => {
    const curRows: Cell[][] = Array.from({ length: 1000 }, (_, i) => [
      i % 4 === 0 ? undefined : normal(r), // 25% missing
      i % 10 === 0 ? 100 : normal(r), // 10% far outside the range
      5, // constant
      i % 2 ? 'oops' : 'tcp',
      i % 3 === 0 ? 'n/a' : r(), // text in a numeric feature
      i < 100 ? undefined : 'BENIGN', // 100 rows without label
    ]);
    const acc = new DriftAccumulator(profile);
    acc.add(batch(header, curRows));
    const rep = acc.finish(DEFAULT_THRESHOLDS);
    assert.equal(rep.current.rows, 900);
    const find = (kind: string, f: string) => rep.quality.find((q) => q.kind === kind && q.feature === f);
    assert.ok(find('missing_rate_jump', 'a'));
    assert.ok(Math.abs(find('out_of_range', 'b')!.value! - 90 / 900) < 1e-12);
    assert.ok(find('constant_column', 'c'));
    assert.ok(find('non_numeric_values', 'gone'));
    assert.ok(!find('missing_rate_jump', 'b'), 'no false alarm');
    const a = rep.features.find((f) => f.name === 'a')!;
    assert.ok(Math.abs(a.missing_rate_current - rep.features.find((f) => f.name === 'a')!.bins!.actual.at(-1)!) < 1e-15);
  });
});
