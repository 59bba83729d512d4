import { strict as assert } from 'node:assert';
import { sortFloat64 } from '../../../src/core/util/sortFloat64';
import { normal, rng } from './helpers';

/**
 * The radix sort the baseline profile sorts its columns with gives V8's typed-array sort bit for bit: −0 before +0,
 * subnormals, infinities, huge magnitudes, heavy ties, integer columns (passes skipped), views into a larger buffer;
 * NaN and short arrays go to the native sort.
 */
describe('util/sortFloat64', () => {
  const r = rng(3);
  const specials = [0, -0, 5e-324, -5e-324, 2.2250738585072014e-308, -2.2250738585072014e-308, Infinity, -Infinity, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1, 0.1, -0.1];

  function draw(n: number, kind: string): Float64Array {
    return Float64Array.from({ length: n }, () => {
      const u = r();
      if (kind === 'ints') return Math.round(normal(r) * 1000);
      if (kind === 'few') return Math.floor(u * 5) * 0.25;
      if (kind === 'specials') return u < 0.5 ? specials[Math.floor(r() * specials.length)] : normal(r) * 10 ** Math.floor(r() * 40 - 20);
      return normal(r) * 1e6;
    });
  }

  function sameBits(got: Float64Array, want: Float64Array, what: string): void {
    assert.equal(got.length, want.length, what);
    assert.ok(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength)), what);
  }

  for (const kind of ['normal', 'ints', 'few', 'specials']) {
    it(`sorts ${kind} values as Float64Array#sort does`, () => {
      for (const n of [0, 1, 511, 512, 513, 5000, 60_000]) {
        const a = draw(n, kind);
        const want = Float64Array.from(a).sort();
        const got = sortFloat64(a);
        assert.equal(got, a, 'in place');
        sameBits(got, want, `${kind}, ${n} values`);
      }
    });
  }

  it('sorts a view into a larger buffer and leaves the rest alone', () => {
    const whole = draw(10_000, 'specials');
    const before = Float64Array.from(whole);
    const view = whole.subarray(1234, 8765);
    const want = Float64Array.from(view).sort();
    sortFloat64(view);
    sameBits(view, want, 'the view');
    sameBits(whole.subarray(0, 1234), before.subarray(0, 1234), 'before the view');
    sameBits(whole.subarray(8765), before.subarray(8765), 'after the view');
  });

  it('sorts equal values and values that differ only in -0 / +0', () => {
    sameBits(sortFloat64(new Float64Array(2000).fill(7.5)), new Float64Array(2000).fill(7.5), 'all equal');
    const zeros = Float64Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? -0 : 0));
    sameBits(sortFloat64(Float64Array.from(zeros)), Float64Array.from(zeros).sort(), '-0 before +0');
  });

  it('leaves arrays with NaN to the native sort (NaN last)', () => {
    const a = draw(4000, 'normal');
    a[17] = NaN;
    a[3999] = NaN;
    const want = Float64Array.from(a).sort();
    sameBits(sortFloat64(a), want, 'with NaN');
    assert.ok(Number.isNaN(a[3998]) && Number.isNaN(a[3999]));
  });
});
