/** The bins of a feature's baseline-vs-current histogram, as the dashboard draws them (browser-safe: no imports). */
import type { FeatureDrift } from '../core/protocol';

/** categories shown by name in a histogram; the rest are summed into "other" */
export const TOP_CATEGORIES = 15;

/** labels and the two share vectors of a feature's histogram (categorical: top categories by share, then "other") */
export function histogramBins(f: FeatureDrift): { labels: string[]; expected: number[]; actual: number[]; other?: number } {
  const b = f.bins!;
  if (b.categories && b.categories.length === b.expected.length) {
    const order = b.categories.map((_, i) => i).sort((i, j) => Math.max(b.expected[j], b.actual[j]) - Math.max(b.expected[i], b.actual[i]));
    const top = order.slice(0, TOP_CATEGORIES);
    const rest = order.slice(TOP_CATEGORIES);
    const sum = (v: number[], idx: number[]) => idx.reduce((a, i) => a + v[i], 0);
    const labels = top.map((i) => b.categories![i]);
    const expected = top.map((i) => b.expected[i]);
    const actual = top.map((i) => b.actual[i]);
    if (rest.length) {
      labels.push(`other (${rest.length} categories)`);
      expected.push(sum(b.expected, rest));
      actual.push(sum(b.actual, rest));
    }
    return { labels, expected, actual, other: rest.length || undefined };
  }
  // numeric: interior edges e, bins (-∞,e0) [e0,e1) … [e_last,∞), plus a last "missing / ±∞" bin
  const e = b.edges ?? [];
  const withMissing = e.length + 2 === b.expected.length;
  const n = (x: number) => (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-2) ? x.toExponential(1) : Number(x.toFixed(2)).toString());
  const labels =
    !withMissing && e.length + 1 !== b.expected.length
      ? b.expected.map((_, i) => `bin ${i + 1}`)
      : b.expected.map((_, i) =>
          withMissing && i === e.length + 1 ? 'missing / ±∞' : e.length === 0 ? 'all values' : i === 0 ? `< ${n(e[0])}` : i === e.length ? `≥ ${n(e[i - 1])}` : `${n(e[i - 1])} – ${n(e[i])}`,
        );
  return { labels, expected: b.expected, actual: b.actual };
}

