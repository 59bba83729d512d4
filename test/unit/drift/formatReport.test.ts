import { strict as assert } from 'node:assert';
import { formatReport, qualityLines } from '../../../src/core/drift/formatReport';
import type { QualityFinding } from '../../../src/core/protocol';
import { fmt, fmtCompact, fmtSmall, plural } from '../../../src/core/util/format';
import { report } from '../agent/fakes';

/** The human drift report: p-values that read right, quality findings that do not bury the table. */
describe('drift report text', () => {
  it('shows a p-value that underflowed to 0 as below any printed one, never as 0.0000', () => {
    assert.equal(fmtSmall(0), '< 1e-300');
    assert.equal(fmtSmall(3.23e-312), '3.23e-312');
    assert.equal(fmtSmall(0.25), '0.2500');
    assert.equal(fmt(null), '—');
    assert.equal(fmt(Number.NaN), '—');
    const r = report({ total: 2, drifted: 2, psi: 0.5 });
    r.features[0].p_value = 0;
    r.features[1].p_value = 3.23e-312;
    const md = formatReport(r, 'markdown');
    assert.ok(!md.includes('0.0000 |'), md);
    assert.match(md, /\| < 1e-300 \|/, "renders as < 1e-300 (a '<' before a space starts no HTML)");
    assert.match(md, /3\.23e-312/);
  });

  it('writes measured values compactly in prose, hovers and bin labels (one rule for all)', () => {
    assert.equal(fmtCompact(0.341234), '0.3412');
    assert.equal(fmtCompact(12.3456), '12.35');
    assert.equal(fmtCompact(123456.7), '123457', 'whole numbers keep their digits');
    assert.equal(fmtCompact(0.00012), '1.20e-4');
    assert.equal(fmtCompact(-2.5e7), '-2.50e+7');
    assert.equal(fmtCompact(0), '0');
    assert.equal(fmtCompact(Infinity), 'Infinity');
    assert.equal(fmtCompact(undefined), '—');
  });

  it('says "1 category", "2 categories"', () => {
    assert.equal(plural(1, 'category', 'categories'), '1 category');
    assert.equal(plural(2, 'category', 'categories'), '2 categories');
    assert.equal(plural(1, 'row'), '1 row');
  });

  it('aggregates hundreds of findings of one kind into a few lines', () => {
    const constant: QualityFinding[] = Array.from({ length: 492 }, (_, i) => ({
      kind: 'constant_column',
      feature: `pixel_${i}`,
      message: `'pixel_${i}' is constant (0) in the current data but varied in the baseline`,
    }));
    const other: QualityFinding = { kind: 'missing_rate_jump', feature: 'a', message: "'a': missing values rose from 0.0% to 12.0%" };
    const lines = qualityLines([...constant, other]);
    assert.equal(lines.length, 6, lines.join('\n'));
    assert.equal(lines[4], `… and 488 more columns that became (or stopped being) constant: ${Array.from({ length: 12 }, (_, i) => `'pixel_${i + 4}'`).join(', ')}, … (476 more)`);
    assert.equal(lines[5], other.message);
    // few findings are listed one by one
    assert.deepEqual(qualityLines(constant.slice(0, 6)), constant.slice(0, 6).map((q) => q.message));
    const r = report({ total: 2 });
    r.quality = [...constant, other];
    assert.equal(formatReport(r, 'table').split('\n').filter((l) => l.startsWith('  - ')).length, 6);
  });
});
