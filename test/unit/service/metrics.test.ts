import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { runOracle } from '../../oracles/oracle';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { rememberReport } from '../../../src/core/server/lastReport';
import { ServiceMetrics } from '../../../src/core/service/metrics';
import { report } from '../agent/fakes';

const RULES = path.join(__dirname, '../../../../deploy/prometheus/driftcatcher-rules.yml');

type Sample = { name: string; labels: Record<string, string>; value: number | string | null };

/** parse Prometheus text with Prometheus' own Python client (test/oracles/prometheus_text.py): family -> samples */
export function parseWithPrometheusClient(text: string): Record<string, Sample[]> {
  const r = runOracle<{ families: Record<string, { samples: Sample[] }> }>('prometheus_text', 'parse', { text });
  return Object.fromEntries(Object.entries(r.families).map(([k, v]) => [k, v.samples]));
}

describe('service/metrics: Prometheus exposition', () => {
  let ws: string;
  beforeEach(() => {
    ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dc-metrics-')));
  });
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('parses with prometheus_client; per-feature PSI is bounded to the top N, untrusted names survive escaping', async () => {
    const names = Array.from({ length: 40 }, (_, i) => (i === 0 ? 'quote " back\\slash\nnewline' : ` Feature ${i}`));
    const r = report({ total: 40, drifted: 12, psi: 0.35, names, severity: 'severe' });
    r.features[1].psi = 0.9; // out of order on purpose: the gauge sorts
    rememberReport(ws, r);
    let top = 5;
    const m = new ServiceMetrics({ workspace: ws, topFeatures: () => top, jobs: () => ({ running: 1, queued: 3 }) });
    m.observe({ kind: 'drift_checked', report: r });
    m.observe({ kind: 'decided', decision: { action: 'RETRAIN' } as never, plan: {} as never });
    m.observe({ kind: 'validation_failed', message: 'x' });
    m.httpRequest('/drift/check', 'POST', 200, 0.12);

    const fams = parseWithPrometheusClient(await m.render());
    const psi = fams.driftcatcher_feature_psi;
    assert.equal(psi.length, 5);
    assert.equal(psi[0].labels.feature, ' Feature 1');
    assert.equal(psi[0].value, 0.9);
    assert.ok(psi.some((s) => s.labels.feature === names[0]), 'the label value round-trips exactly');
    assert.equal(fams.driftcatcher_drift_share_drifted[0].value, 12 / 40);
    assert.equal(fams.driftcatcher_drift_severity[0].value, 2);
    assert.equal(fams.driftcatcher_drift_checks[0].labels.severity, 'severe');
    assert.deepEqual(fams.driftcatcher_decisions.map((s) => [s.labels.action, s.value]).filter(([, v]) => v), [['RETRAIN', 1]]);
    assert.equal(fams.driftcatcher_validation_gate_failures.find((s) => s.name.endsWith('_total'))?.value, 1);
    assert.deepEqual(fams.driftcatcher_jobs.map((s) => `${s.labels.state}=${s.value}`).sort(), ['queued=3', 'running=1']);
    assert.ok(Number(fams.process_resident_memory_bytes[0].value) > 0);

    top = 2; // a smaller N drops the older series at the next scrape
    assert.equal(parseWithPrometheusClient(await m.render()).driftcatcher_feature_psi.length, 2);
  });

  it('with no report and no model yet: no production series, no feature series, last check at 0 (so a staleness alert fires)', async () => {
    const fams = parseWithPrometheusClient(await new ServiceMetrics({ workspace: ws, topFeatures: () => 20 }).render());
    assert.equal(fams.driftcatcher_feature_psi?.length ?? 0, 0);
    assert.equal(fams.driftcatcher_production_model_info?.length ?? 0, 0);
    assert.equal(fams.driftcatcher_last_drift_check_timestamp_seconds[0].value, 0);
    assert.equal(fams.driftcatcher_plans_awaiting_approval[0].value, 0);
  });

  it("the alert rules pass promtool check rules and use only metric names this exporter has", async () => {
    const r = spawnSync('promtool', ['check', 'rules', RULES], { encoding: 'utf8' });
    if (r.error) throw new Error(`promtool is missing (apt-get install -y prometheus): ${r.error.message}`);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /SUCCESS: \d+ rules found/);

    rememberReport(ws, report({ drifted: 3 }));
    const exported = new Set(Object.keys(parseWithPrometheusClient(await new ServiceMetrics({ workspace: ws, topFeatures: () => 20, jobs: () => ({ running: 0, queued: 0 }) }).render())));
    const rules = fs.readFileSync(RULES, 'utf8');
    const used = new Set([...rules.matchAll(/\bdriftcatcher_[a-z_]+/g)].map((x) => x[0]));
    assert.ok(used.size >= 10, `rules use ${used.size} metrics`);
    // the client library names counter families without _total; the exposition has both
    const missing = [...used].filter((n) => !exported.has(n) && !exported.has(n.replace(/_total$/, '')) && !exported.has(n.replace(/_(bucket|sum|count)$/, '')));
    assert.deepEqual(missing, []);
  });
});
