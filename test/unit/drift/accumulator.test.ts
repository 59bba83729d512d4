import { strict as assert } from 'node:assert';
import { DriftAccumulator, placeAmong, pointIndex } from '../../../src/core/drift/driftReport';
import { numericProfile } from '../../../src/core/drift/numericProfile';
import { PROFILE_FORMAT, PROFILE_VERSION, type BaselineProfile } from '../../../src/core/drift/profile';
import { normal, rng } from './helpers';

/**
 * The accumulator's hot path (one search among the PSI edges and sketch points merged, eight rows at a time) against
 * the definitions counted naively: PSI bin = number of edges ≤ v, sketch cell = number of points < v, a tie when v
 * is a point; NaN/±Infinity in the missing bin. Values are drawn to hit edges and points exactly, -0 and 0, and
 * batches of every length modulo 8.
 */
describe('drift/accumulator hot path', () => {
  const r = rng(7);
  /** values with many exact repeats of the baseline's own values (edges and sketch points are among them) */
  function draw(base: number[], n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const u = r();
      out[i] = u < 0.4 ? base[Math.floor(r() * base.length)] : u < 0.45 ? NaN : u < 0.47 ? (r() < 0.5 ? Infinity : -Infinity) : u < 0.5 ? -0 : normal(r) * 3 + 1;
    }
    return out;
  }

  it('places values among sorted points as a linear count does, for every batch length modulo 8', () => {
    for (const np of [0, 1, 2, 3, 7, 64, 501]) {
      const points = Float64Array.from({ length: np }, (_, i) => i * 0.5 - 3);
      for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 15, 16, 17, 130]) {
        const xs = Float64Array.from({ length: n }, () => (r() < 0.3 ? points[Math.floor(r() * np)] ?? 0 : r() * np - 4));
        const out = new Int32Array(n);
        placeAmong(points, xs, n, out);
        for (let i = 0; i < n; i++) assert.equal(out[i], points.filter((p) => p < xs[i]).length, `np ${np} n ${n} v ${xs[i]}`);
      }
    }
  });

  it('merged points give each value the bins of edges and sketch searched apart', () => {
    const edges = [-1, 0, 0.5, 2];
    const grid = [-2, -1, -0, 0.25, 0.5, 1, 3];
    const idx = pointIndex(edges, grid);
    assert.deepEqual([...idx.values], [-2, -1, 0, 0.25, 0.5, 1, 2, 3]);
    for (const v of [-3, -2, -1.5, -1, -0, 0, 0.1, 0.25, 0.5, 0.75, 1, 2, 2.5, 3, 4]) {
      const at = idx.values.filter((p) => p < v).length;
      const tie = at < idx.values.length && idx.values[at] === v;
      assert.equal(tie ? idx.binAt[at] : idx.binBelow[at], edges.filter((e) => e <= v).length, `PSI bin of ${v}`);
      assert.equal(idx.cellBelow[at], grid.filter((g) => g < v).length, `cell of ${v}`);
      assert.equal(tie && idx.onGrid[at] === 1, grid.includes(v), `tie of ${v}`);
    }
  });

  it('counts as the definitions say on random batches', () => {
    const baseValues = Array.from({ length: 3000 }, () => (r() < 0.3 ? Math.round(normal(r) * 2) : normal(r) * 3));
    baseValues[5] = -0;
    const p = numericProfile('x', Float64Array.from(baseValues));
    const profile: BaselineProfile = {
      format: PROFILE_FORMAT,
      version: PROFILE_VERSION,
      created_at: '',
      source: '',
      dataset: 'Generic',
      label: null,
      rows: baseValues.length,
      columns: ['x'],
      labels: {},
      features: [p],
    };
    const acc = new DriftAccumulator(profile);
    const all: number[] = [];
    for (const n of [1, 2, 3, 4, 5, 6, 7, 1000, 1001, 4099]) {
      const xs = draw(baseValues, n);
      all.push(...xs);
      acc.add({ header: ['x'], startRow: 0, rowCount: n, numbers: [xs], texts: [null], bytesRead: 0, totalBytes: 0 });
    }
    const got = acc.state().numeric.x;
    const edges = p.psi.edges;
    const grid = p.sketch.values;
    const psi = new Array<number>(edges.length + 2).fill(0);
    const cells = new Array<number>(grid.length + 1).fill(0);
    const ties = new Array<number>(grid.length).fill(0);
    for (const v of all) {
      if (!Number.isFinite(v)) {
        psi[edges.length + 1]++;
        continue;
      }
      psi[edges.filter((e) => e <= v).length]++;
      cells[grid.filter((g) => g < v).length]++;
      const k = grid.indexOf(v);
      if (k >= 0) ties[k]++;
    }
    assert.deepEqual(got.psi, psi);
    assert.deepEqual(got.cells, cells);
    assert.deepEqual(got.ties, ties);
    assert.ok(ties.reduce((a, b) => a + b, 0) > 500, 'the draw hits sketch points');
  });
});
