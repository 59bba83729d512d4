import * as assert from 'node:assert/strict';
import { diagnosticsFor, driftMessage, featureMarkdown, formatP } from '../../../src/core/server/csvInsight';
import { headerCells } from '../../../src/core/server/csvHeader';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { DriftReport, FeatureDrift } from '../../../src/core/protocol';

function feature(name: string, severity: FeatureDrift['severity'], extra: Partial<FeatureDrift> = {}): FeatureDrift {
  return {
    name,
    kind: 'numeric',
    psi: severity === 'severe' ? 0.3412 : severity === 'moderate' ? 0.15 : 0.01,
    test: 'ks',
    statistic: 0.4,
    p_value: severity === 'none' ? 0.5 : 3.2e-12,
    js_distance: 0.2,
    wasserstein: 1.5,
    severity,
    drifted: severity !== 'none',
    missing_rate_baseline: 0,
    missing_rate_current: 0.25,
    ...extra,
  };
}

function report(features: FeatureDrift[]): DriftReport {
  return {
    overall: { psi_mean: 0.2, psi_max: 0.34, n_drifted: 2, share_drifted: 0.5, severity: 'severe', total_features: features.length },
    features,
    quality: [],
    baseline: { source: 'b.csv', rows: 100 },
    current: { source: 'c.csv', rows: 50 },
    thresholds: { moderate: 0.1, severe: 0.2, p_value: 0.01 },
    created_at: '2026-01-01T00:00:00Z',
    seconds: 0.1,
  };
}

describe('server/csvInsight', () => {
  it('formats the diagnostic message naming the column: `x: PSI 0.34 (severe) · KS p=3e-12`', () => {
    assert.equal(driftMessage(feature(' x', 'severe')), 'x: PSI 0.34 (severe) · KS p=3e-12');
    assert.equal(driftMessage(feature('c', 'moderate', { kind: 'categorical', test: 'chi2', p_value: 0.0042 })), 'c: PSI 0.15 (moderate) · χ² p=0.0042');
    const r = { ...report([]), quality: [{ kind: 'new_categories' as const, feature: 'c', value: 12, message: "'c': 2 categories never seen in the baseline (12 rows), e.g. zz, yy" }] };
    assert.equal(driftMessage(feature('c', 'moderate', { kind: 'categorical', test: 'chi2', p_value: 0.0042 }), r), 'c: PSI 0.15 (moderate) · χ² p=0.0042 · new categories in 12 rows');
    assert.equal(formatP(0), '0');
    assert.equal(formatP(0.5), '0.5');
  });

  it('puts an error on severe and a warning on moderate header cells, nothing on undrifted or absent ones', () => {
    const line = ' Flow Duration,"Init, Win bytes", Label,Other';
    const diags = diagnosticsFor(
      report([feature('Flow Duration', 'severe'), feature('Init, Win bytes', 'moderate'), feature('Other', 'none'), feature('Not In File', 'severe')]),
      headerCells(line),
      TextDocument.create('file:///x.csv', 'csv', 1, line),
    );
    assert.deepEqual(
      diags.map((d) => [line.slice(d.range.start.character, d.range.end.character), d.severity, (d.data as { feature: string }).feature]),
      [
        ['Flow Duration', 1, 'Flow Duration'],
        ['"Init, Win bytes"', 2, 'Init, Win bytes'],
      ],
    );
    assert.ok(diags.every((d) => d.range.start.line === 0 && d.source === 'driftcatcher'));
  });

  it('hover markdown shows the statistics and every bin, two per row (no scrolling)', () => {
    const f = feature('Flow Duration', 'severe', { bins: { edges: [10, 20], expected: [0.5, 0.3, 0.2], actual: [0.1, 0.3, 0.6] } });
    const md = featureMarkdown(f, report([f]));
    assert.match(md, /^\*\*Flow Duration\*\* — numeric, drift \*\*severe\*\*/);
    assert.match(md, /\| PSI \| 0\.3412 \(moderate ≥ 0\.1, severe ≥ 0\.2\) \|/);
    assert.match(md, /\| missing \(baseline → current\) \| 0\.0% → 25\.0% \|/);
    const binRows = md.split('\n').filter((l) => /^\| (-∞|10|20)/.test(l));
    assert.deepEqual(binRows, ['| -∞ … 10 | 50.0% → 10.0% | 20 … ∞ | 20.0% → 60.0% |', '| 10 … 20 | 30.0% → 30.0% |  |  |']);
  });

  it('categorical hover: χ², the categories whose share moved most, and the new categories', () => {
    const categories = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', '(other/new)', '(missing)'];
    const expected = [0.3, 0.2, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0, 0];
    const actual = [0.05, 0.2, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.25, 0];
    const f = feature('purpose', 'severe', { kind: 'categorical', test: 'chi2', wasserstein: null, bins: { categories, expected, actual } });
    const r = { ...report([f]), quality: [{ kind: 'new_categories' as const, feature: 'purpose', value: 25, message: "'purpose': 2 categories never seen in the baseline (25 rows), e.g. zz, yy" }] };
    const md = featureMarkdown(f, r);
    assert.match(md, /\| χ² statistic \| 0\.4 \|/);
    assert.match(md, /\| new categories \| 2 categories never seen in the baseline \(25 rows\), e\.g\. zz, yy \|/);
    assert.match(md, /Top category shifts \(8 of 12\):/);
    const shifts = md.split('\n').filter((l) => /^\| (A|\(other\/new\)) \|/.test(l));
    assert.deepEqual(shifts, ['| A | 30.0% | 5.0% |', '| (other/new) | 0.0% | 25.0% |']);
  });

  it('names and categories from the data are literal text in the hover: no HTML, no link, no broken table', () => {
    const xss = '<img src=x onerror=alert(1)>';
    const f = feature(xss, 'severe', { kind: 'categorical', test: 'chi2', wasserstein: null, bins: { categories: ['[click](command:x)', 'a|b', 'snake_case'], expected: [0.5, 0.3, 0.2], actual: [0.1, 0.3, 0.6] } });
    const md = featureMarkdown(f, report([f]));
    assert.match(md, /^\*\*\\<img src=x onerror=alert\\\(1\\\)\\>\*\* — categorical/);
    assert.ok(!/(^|[^\\])</.test(md), `an unescaped < in: ${md}`);
    assert.ok(md.includes('| \\[click\\]\\(command\\:x\\) |'), md);
    assert.ok(md.includes('| a\\|b |'), md);
    assert.ok(md.includes('| snake\\_case |'), md);
  });
});
