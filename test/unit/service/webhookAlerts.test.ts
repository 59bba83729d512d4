import * as assert from 'node:assert/strict';
import type { z } from 'zod';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlertsConfigSchema } from '../../../src/core/service/alertConfig';
import { WebhookAlerts } from '../../../src/core/service/webhookAlerts';
import { report } from '../agent/fakes';

/** a webhook receiver on loopback: answers each request with the next behaviour (the last one repeats) */
async function receiver(behaviours: Array<'ok' | '500' | '400' | '429' | 'hang'>): Promise<{ url: string; bodies: unknown[]; hits: () => number; close: () => Promise<void> }> {
  const bodies: unknown[] = [];
  let n = 0;
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const b = behaviours[Math.min(n++, behaviours.length - 1)];
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      bodies.push(JSON.parse(data));
      if (b === 'hang') return void hanging.push(res);
      if (b === '429') res.setHeader('retry-after', '0');
      res.statusCode = b === 'ok' ? 200 : Number(b);
      res.end(b === 'ok' ? 'ok' : 'no');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/services/T000/B000/SECRETPATHTOKEN`,
    bodies,
    hits: () => n,
    close: () => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

function alerts(cfg: Partial<z.input<typeof AlertsConfigSchema>>): { a: WebhookAlerts; logs: string[]; outcomes: string[] } {
  const logs: string[] = [];
  const outcomes: string[] = [];
  const config = AlertsConfigSchema.parse({ timeoutMs: 5000, retries: 2, backoffMs: 10, ...cfg });
  const a = new WebhookAlerts(() => config, { log: (m) => logs.push(m), delivered: (k, ok) => outcomes.push(`${k}:${ok ? 'sent' : 'failed'}`) });
  return { a, logs, outcomes };
}

const severe = (): Parameters<WebhookAlerts['observe']>[0] => ({
  kind: 'drift_checked',
  report: report({ drifted: 6, psi: 0.5, names: ['<img src=x onerror=alert(1)> & co', 'Flow Bytes/s'] }),
});

async function settle(a: WebhookAlerts): Promise<void> {
  for (let i = 0; i < 400 && a.pending; i++) await new Promise((r) => setTimeout(r, 10));
}

describe('service/webhookAlerts', () => {
  it('posts Slack-compatible JSON for severe drift, with data escaped for Slack markup', async () => {
    const rx = await receiver(['ok']);
    try {
      const { a, outcomes } = alerts({ webhooks: [{ url: rx.url, format: 'slack' }] });
      a.observe(severe());
      a.observe({ kind: 'drift_checked', report: report({ drifted: 0 }) }); // no drift: no alert
      await settle(a);
      assert.equal(rx.bodies.length, 1);
      const body = rx.bodies[0] as { text: string; blocks: Array<{ fields?: Array<{ text: string }> }> };
      assert.match(body.text, /^\[DriftCatcher\] Severe drift in current\.csv$/);
      const fields = JSON.stringify(body.blocks);
      assert.ok(fields.includes('&lt;img src=x onerror=alert(1)&gt; &amp; co'), fields);
      assert.ok(!fields.includes('<img'), 'no raw markup from column names');
      assert.deepEqual(outcomes, ['severe_drift:sent']);
    } finally {
      await rx.close();
    }
  });

  it('Teams format is a MessageCard; a sink only gets the kinds it asked for', async () => {
    const rx = await receiver(['ok']);
    try {
      const { a } = alerts({ webhooks: [{ url: rx.url, format: 'teams', events: ['deployed'] }] });
      a.observe(severe());
      a.observe({ kind: 'deployed', version: 'v7', previous: 'v6' });
      await settle(a);
      assert.equal(rx.bodies.length, 1);
      const card = rx.bodies[0] as Record<string, unknown>;
      assert.equal(card['@type'], 'MessageCard');
      assert.match(String(card.title), /Model v7 deployed to production/);
    } finally {
      await rx.close();
    }
  });

  it('retries a 500 and a 429 with backoff and then delivers', async () => {
    const rx = await receiver(['500', '429', 'ok']);
    try {
      const { a, outcomes } = alerts({ webhooks: [{ url: rx.url }] });
      a.observe({ kind: 'rolled_back', version: 'v1' });
      await settle(a);
      assert.equal(rx.hits(), 3);
      assert.deepEqual(outcomes, ['rolled_back:sent']);
    } finally {
      await rx.close();
    }
  });

  it('an endpoint that hangs is given up after the retries; the log names the origin only, never the secret path', async () => {
    const rx = await receiver(['hang']);
    try {
      const { a, logs, outcomes } = alerts({ webhooks: [{ url: rx.url, headers: { authorization: 'Bearer sk-very-secret-value' } }], retries: 1, timeoutMs: 300 });
      const t0 = Date.now();
      a.observe(severe());
      await settle(a);
      assert.ok(Date.now() - t0 < 3000, 'bounded by timeout × attempts');
      assert.equal(rx.hits(), 2);
      assert.deepEqual(outcomes, ['severe_drift:failed']);
      assert.equal(logs.length, 1);
      assert.match(logs[0], /not delivered after 2 attempt\(s\): no answer within 300 ms/);
      assert.ok(!logs[0].includes('SECRETPATHTOKEN') && !logs[0].includes('sk-very-secret-value'), logs[0]);
      assert.ok(logs[0].includes('http://127.0.0.1:'), logs[0]);
    } finally {
      await rx.close();
    }
  });

  it('a 400 is not retried (the request itself is wrong); a URL from an unset env variable is reported once', async () => {
    const rx = await receiver(['400']);
    try {
      const { a, logs } = alerts({ webhooks: [{ url: rx.url }, { urlEnv: 'DRIFTCATCHER_TEST_UNSET_WEBHOOK' }] });
      a.observe({ kind: 'deployed', version: 'v2' });
      a.observe({ kind: 'deployed', version: 'v3' });
      await settle(a);
      assert.equal(rx.hits(), 2); // one attempt per alert
      assert.equal(logs.filter((l) => l.includes('DRIFTCATCHER_TEST_UNSET_WEBHOOK is not set')).length, 1);
      assert.ok(logs.some((l) => /HTTP 400/.test(l)));
    } finally {
      await rx.close();
    }
  });

  it('config: exactly one of url / urlEnv, http(s) only', () => {
    assert.equal(AlertsConfigSchema.safeParse({ webhooks: [{}] }).success, false);
    assert.equal(AlertsConfigSchema.safeParse({ webhooks: [{ url: 'file:///etc/passwd' }] }).success, false);
    assert.equal(AlertsConfigSchema.safeParse({ webhooks: [{ url: 'https://hooks.example.invalid/x', urlEnv: 'X' }] }).success, false);
    assert.equal(AlertsConfigSchema.safeParse({ webhooks: [{ urlEnv: 'SLACK_WEBHOOK_URL', format: 'teams' }] }).success, true);
  });
});
