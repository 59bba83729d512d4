import { strict as assert } from 'node:assert';
import type { DriftReport, FeatureDrift } from '../../../src/core/protocol';
import { featureMarkdown } from '../../../src/core/server/csvInsight';
import { formatReport } from '../../../src/core/drift/formatReport';

// markdown-it renders CommonMark with raw HTML and linkify switched on: a superset of what an editor hover or a
// PR comment would turn into images, links and tags
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MarkdownIt = require('markdown-it') as new (o: object) => { render(s: string): string };
const md = new MarkdownIt({ html: true, linkify: true });

/** column names and category values an attacker might put in a CSV */
export const HOSTILE = [
  '![x](http://host.example/beacon.png)',
  '[run me](command:driftcatcher.deployModel?%5B%22v1%22%5D)',
  '<img src=x onerror=alert(1)>',
  '<a href="command:workbench.action.terminal.new">click</a>',
  'http://evil.example/track?c=1',
  'www.evil.example',
  '<https://evil.example>',
  '[ref]: http://evil.example',
  'a|b|c',
  'line\nbreak\r\n# heading',
  '**bold** _em_ `code` ~~strike~~',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  'javascript:alert(1)',
  'write to attacker@evil.example',
  '\\![y](http://host.example/x.png)',
];

const ALLOWED_TAGS = new Set(['p', 'strong', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'br', 'code', 'h2', 'h3', 'ul', 'li']);

/** the rendered HTML has only structural tags, and shows `literal` as text */
function assertInert(markdown: string, literal: string): void {
  const html = md.render(markdown);
  const tags = [...html.matchAll(/<\/?([a-zA-Z0-9]+)[^>]*>/g)].map((m) => m[1].toLowerCase());
  const bad = tags.filter((t) => !ALLOWED_TAGS.has(t));
  assert.deepEqual(bad, [], `unexpected tags ${bad.join(', ')} in:\n${html}`);
  assert.doesNotMatch(html, /<[a-z][^>]*\s(href|src)=/i, html);
  const text = html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
  assert.ok(text.includes(literal.replace(/[\r\n]+/g, ' ')), `the name is shown literally: ${JSON.stringify(literal)} in ${JSON.stringify(text)}`);
}

function feature(name: string, categories?: string[]): FeatureDrift {
  const k = categories ? categories.length + 2 : 3;
  return {
    name,
    kind: categories ? 'categorical' : 'numeric',
    psi: 0.5,
    test: categories ? 'chi2' : 'ks',
    statistic: 0.4,
    p_value: 1e-9,
    js_distance: 0.3,
    wasserstein: categories ? null : 1.2,
    severity: 'severe',
    drifted: true,
    missing_rate_baseline: 0,
    missing_rate_current: 0,
    bins: categories
      ? { categories: [...categories, '(other/new)', '(missing)'], expected: Array.from({ length: k }, (_, i) => (i === 0 ? 1 : 0)), actual: Array.from({ length: k }, (_, i) => (i === 1 ? 1 : 0)) }
      : { edges: [1, 2], expected: [1, 0, 0], actual: [0, 0, 1] },
  };
}

function report(features: FeatureDrift[], source = 'current.csv'): DriftReport {
  return {
    overall: { psi_mean: 0.5, psi_max: 0.5, n_drifted: features.length, share_drifted: 1, severity: 'severe', total_features: features.length },
    features,
    quality: features.map((f) => ({ kind: 'new_categories' as const, feature: f.name, message: `'${f.name}': new categories` })),
    baseline: { source: 'base.csv', rows: 10 },
    current: { source, rows: 10 },
    thresholds: { moderate: 0.1, severe: 0.2, p_value: 0.01 },
    created_at: '2026-01-01T00:00:00Z',
    seconds: 0.1,
  };
}

describe('markdown built from data is inert', () => {
  for (const name of HOSTILE) {
    it(`hover for a column named ${JSON.stringify(name)}`, () => {
      const f = feature(name);
      assertInert(featureMarkdown(f, report([f])), name);
    });
    it(`hover bins for a category ${JSON.stringify(name)}`, () => {
      const f = feature('proto', [name, 'tcp']);
      assertInert(featureMarkdown(f, report([f])), name);
    });
    it(`hover's new categories for a value ${JSON.stringify(name)} the baseline never had`, () => {
      const f = feature('proto', ['tcp', 'udp']);
      const r = report([f]);
      // the engine's message quotes the new values (drift/driftReport.ts)
      r.quality = [{ kind: 'new_categories', feature: 'proto', message: `'proto': 1 categories never seen in the baseline (3 rows), e.g. ${name}` }];
      const hover = featureMarkdown(f, r);
      assert.match(hover, /\| \(other\/new\) \|/, 'the report\'s own bins are shown as they are');
      assertInert(hover, name);
    });
    it(`drift --format markdown for a column named ${JSON.stringify(name)}`, () => {
      assertInert(formatReport(report([feature(name)], `data/${name}.csv`), 'markdown'), name);
    });
  }
});
