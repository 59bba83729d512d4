import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { runOracle } from '../../oracles/oracle';
import { REPO_ROOT } from '../server/lspClient';
import { TEST_CONFIG, tempWorkspace, writeFlows } from '../server/fixtures';
import { ServiceUnderTest, until } from './serviceProcess';

/**
 * `driftcatcher serve --http` as a real process on loopback, driven with plain HTTP and curl: the model life cycle
 * over REST, answers equal to the CLI's --format json, webhook alerts (one receiver answers, one hangs), metrics
 * parsed by prometheus_client, concurrent checks, graceful SIGTERM.
 */
interface Receiver {
  url: string;
  bodies: Array<{ text?: string }>;
  close(): Promise<void>;
}

async function receiver(hang: boolean): Promise<Receiver> {
  const bodies: Array<{ text?: string }> = [];
  const held: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      bodies.push(JSON.parse(data));
      if (hang) held.push(res);
      else res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T1/B2/HOOKSECRET`,
    bodies,
    close: () => {
      for (const r of held) r.destroy();
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

async function call(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; text: string; headers: Headers }> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', prefer: 'wait=300', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}

function cli(ws: string, ...args: string[]): string {
  return execFileSync(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), ...args, '--workspace', ws], { encoding: 'utf8', cwd: ws });
}

describe('serve --http: the service as a process', function () {
  this.timeout(300_000);
  let ws: string;
  let ok: Receiver;
  let hanging: Receiver;
  let svc: ServiceUnderTest;
  let base: string;

  before(async function () {
    this.timeout(180_000);
    execFileSync(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, stdio: 'inherit' });
    ws = tempWorkspace('dc-http-');
    ok = await receiver(false);
    hanging = await receiver(true);
    const config = {
      ...TEST_CONFIG,
      agent: { autonomy: 'approve', backoffMs: 10 },
      alerts: { webhooks: [{ url: ok.url }, { url: hanging.url, format: 'teams' }], timeoutMs: 400, retries: 1, backoffMs: 50 },
    };
    fs.writeFileSync(path.join(ws, 'driftcatcher.config.json'), JSON.stringify(config));
    writeFlows(path.join(ws, 'data', 'base.csv'), 3000, { seed: 1 });
    writeFlows(path.join(ws, 'data', 'holdout.csv'), 800, { seed: 2 });
    writeFlows(path.join(ws, 'data', 'drifted.csv'), 800, { seed: 3, shift: 1, swapLabels: true });
    // real data nobody here made: scikit-learn's breast cancer set; the current batch is the malignant cases only
    runOracle('sklearn_datasets', 'write', { name: 'breast_cancer', output: path.join(ws, 'real', 'all.csv') });
    runOracle('sklearn_datasets', 'write', { name: 'breast_cancer', output: path.join(ws, 'real', 'malignant.csv'), where: { target: 0 } });
    svc = new ServiceUnderTest(['serve', '--http', '127.0.0.1:0', '--workspace', ws, '--grace', '5']);
    base = await svc.url();
  });
  after(async () => {
    await svc?.stop();
    await ok?.close();
    await hanging?.close();
  });

  it('curl smoke test: /health, then an uploaded batch of real data, identical to `driftcatcher drift --format json`', () => {
    const health = JSON.parse(execFileSync('curl', ['-sS', '--fail-with-body', `${base}/health`], { encoding: 'utf8' }));
    assert.equal(health.status, 'ok');
    const viaCurl = JSON.parse(
      execFileSync('curl', ['-sS', '--fail-with-body', '-X', 'POST', '-H', 'Content-Type: text/csv', '--data-binary', `@${path.join(ws, 'real', 'malignant.csv')}`, `${base}/drift/check?baseline=real/all.csv&label=target`], {
        encoding: 'utf8',
      }),
    );
    const viaCli = JSON.parse(cli(ws, 'drift', 'real/all.csv', 'real/malignant.csv', '--label', 'target', '--format', 'json'));
    assert.deepEqual(viaCurl, viaCli);
    assert.equal(viaCurl.overall.severity, 'severe');
    assert.ok(viaCurl.features.some((f: { name: string; drifted: boolean }) => f.name === 'worst concave points' && f.drifted));
  });

  it('train → deploy → agent (approve) → plan approval over REST; alerts go out, a hanging webhook delays nothing', async () => {
    const trained = await call(`${base}/model/train`, 'POST', { baseData: 'data/base.csv', holdout: 'data/holdout.csv' });
    assert.equal(trained.status, 200, trained.text);
    assert.equal(trained.json.version, 'v1');
    const deployed = await call(`${base}/model/deploy`, 'POST', {});
    assert.equal(deployed.status, 200, deployed.text);
    assert.equal((await call(`${base}/model/info`, 'GET')).json.version, 'v1');

    const decided = await call(`${base}/agent/decide`, 'POST', { current: 'data/drifted.csv' });
    assert.equal(decided.status, 200, decided.text);
    assert.deepEqual(Object.keys(decided.json).sort(), ['decision', 'plan']);
    assert.match(decided.json.decision.action, /^RETRAIN/);
    assert.equal(decided.json.plan.status, 'awaiting_approval');
    const planId = decided.json.plan.id as string;

    // the hanging webhook is being retried now: the API still answers at once
    const t0 = performance.now();
    assert.equal((await call(`${base}/health`, 'GET')).status, 200);
    assert.ok(performance.now() - t0 < 1000);

    const approved = await call(`${base}/plans/${planId}/approve`, 'POST', {});
    assert.equal(approved.status, 200, approved.text);
    assert.equal(approved.json.plan.status, 'completed');
    assert.equal((await call(`${base}/model/info`, 'GET')).json.version, 'v2');
    const again = await call(`${base}/plans/${planId}/approve`, 'POST', {});
    assert.ok(again.status >= 400 && again.status < 500, again.text);

    const texts = await until(() => (ok.bodies.length >= 4 ? ok.bodies.map((b) => b.text ?? '') : undefined), 30_000, 'alerts');
    assert.ok(texts.some((t) => /Severe drift in drifted\.csv/.test(t)), texts.join('\n'));
    assert.ok(texts.some((t) => new RegExp(`Plan ${planId} is waiting for approval`).test(t)), texts.join('\n'));
    assert.ok(texts.some((t) => /Model v2 deployed to production/.test(t)), texts.join('\n'));
    await svc.waitFor(/alerts\.webhooks\[1\]: alert '\w+' to http:\/\/127\.0\.0\.1:\d+\/… not delivered after 2 attempt\(s\): no answer within 400 ms/);
    assert.ok(!svc.log.includes('HOOKSECRET'), 'webhook URLs are never logged');

    const runs = await call(`${base}/runs`, 'GET');
    assert.equal(runs.status, 200);
    assert.ok(Array.isArray(runs.json) && runs.json.length > 0);
    const plans = await call(`${base}/plans`, 'GET');
    assert.ok(plans.json.plans.some((p: { id: string }) => p.id === planId));
  });

  it('/metrics parses with prometheus_client and counts what happened', async () => {
    const res = await fetch(`${base}/metrics`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const fams = runOracle<{ families: Record<string, { samples: Array<{ name: string; labels: Record<string, string>; value: number }> }> }>('prometheus_text', 'parse', { text: await res.text() }).families;
    const value = (fam: string, labels: Record<string, string> = {}): number | undefined =>
      fams[fam]?.samples.find((s) => !s.name.endsWith('_created') && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
    assert.equal(value('driftcatcher_production_model_info', { version: 'v2' }), 1);
    assert.equal(value('driftcatcher_deploys'), 2);
    assert.ok((value('driftcatcher_retrains') ?? 0) >= 2);
    assert.equal(value('driftcatcher_decisions', { action: 'RETRAIN' }) ?? value('driftcatcher_decisions', { action: 'RETRAIN_URGENT' }), 1);
    assert.ok((value('driftcatcher_drift_checks', { severity: 'severe' }) ?? 0) >= 2);
    assert.ok((value('driftcatcher_feature_psi') ?? 0) > 0.2);
    assert.ok((fams.driftcatcher_feature_psi?.samples.length ?? 0) <= 20);
    assert.ok((value('driftcatcher_http_requests', { route: '/drift/check', method: 'POST', code: '200' }) ?? 0) >= 1);
  });

  it('12 concurrent drift checks all complete, and the server still answers /health meanwhile', async () => {
    const checks = Array.from({ length: 12 }, () => call(`${base}/drift/check`, 'POST', { baseline: 'data/base.csv', current: 'data/drifted.csv' }));
    const t0 = performance.now();
    const health = await call(`${base}/health`, 'GET');
    const healthMs = performance.now() - t0;
    const done = await Promise.all(checks);
    assert.deepEqual([...new Set(done.map((d) => d.status))], [200]);
    assert.equal(health.status, 200);
    assert.ok(healthMs < 2000, `${healthMs} ms`);
  });

  it('SIGTERM stops it gracefully: exit code 0', async () => {
    const exit = await svc.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.match(svc.log, /SIGTERM received[\s\S]*stopped/);
  });
});
