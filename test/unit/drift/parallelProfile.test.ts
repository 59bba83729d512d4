import { strict as assert } from 'node:assert';
import { toNumeric } from '../../../src/core/data/tableBuilder';
import type { Column, Table } from '../../../src/core/data/table';
import { buildProfileConsumingTable } from '../../../src/core/drift/parallelProfile';
import { buildProfile, type BuildProfileOptions } from '../../../src/core/drift/profile';
import { normal, rng } from './helpers';

/**
 * Profiling a baseline on two threads (half the numeric columns in a CSV worker) gives the profile buildProfile
 * makes in one, field for field: with a label that is missing on some rows, a dropped column, a text column, ties,
 * -0, infinities and NaN; and the columns sent to the worker are moved, not copied.
 */
describe('drift/parallel profile', function () {
  this.timeout(60_000);
  const ROWS = 60_000;

  /** the same table each call */
  function table(): Table {
    const r = rng(5);
    const columns: Column[] = [];
    for (let c = 0; c < 24; c++) {
      const values = Float64Array.from({ length: ROWS }, () => {
        const u = r();
        if (u < 0.01) return NaN;
        if (u < 0.012) return u < 0.011 ? Infinity : -Infinity;
        if (u < 0.02) return -0;
        return c % 3 === 0 ? Math.round(normal(r) * 4) : normal(r) * 10 ** (c % 5);
      });
      columns.push(toNumeric(`f${c}`, values));
    }
    columns.push(toNumeric('id', Float64Array.from({ length: ROWS }, (_, i) => i)));
    columns.push({ kind: 'categorical', name: 'proto', codes: Int32Array.from({ length: ROWS }, () => Math.floor(r() * 3) - (r() < 0.05 ? 1 : 0)), categories: ['tcp', 'udp', 'icmp'], missing: 0 });
    columns.push(toNumeric('label', Float64Array.from({ length: ROWS }, () => (r() < 0.03 ? NaN : Math.floor(r() * 2)))));
    return { source: 'base.csv', rowCount: ROWS, columns };
  }

  const strip = (p: { created_at: string }) => ({ ...p, created_at: '' });

  for (const opts of [
    { label: 'label', dropColumns: ['id'] },
    { label: null, dropColumns: [] },
  ] as BuildProfileOptions[]) {
    it(`equals buildProfile (label ${opts.label})`, async () => {
      const alone = buildProfile(table(), opts);
      const t = table();
      const both = await buildProfileConsumingTable(t, { ...opts, threads: 2 });
      assert.ok(both);
      assert.deepEqual(strip(both), strip(alone));
      // the worker's half of the numeric features was transferred to it
      const moved = t.columns.filter((c) => c.kind === 'numeric' && c.values.length === 0).map((c) => c.name);
      assert.ok(moved.length >= 10, `moved: ${moved.join(', ')}`);
      if (opts.label) assert.ok(!moved.includes('label') && !moved.includes('id'), 'the label and dropped columns stay');
    });
  }

  it('profiles a table in this thread with one thread', async () => {
    const t = table();
    const p = await buildProfileConsumingTable(t, { label: 'label', threads: 1 });
    assert.deepEqual(strip(p!), strip(buildProfile(table(), { label: 'label' })));
    assert.ok(t.columns.every((c) => c.kind !== 'numeric' || c.values.length === ROWS), 'nothing moved');
  });
});
