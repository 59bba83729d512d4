import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { validate } from '@readme/openapi-parser';
import { z } from 'zod';
import { buildApp } from '../../../src/core/http/app';
import { bearerMatches, isLoopback, loadOrCreateToken, tokenFile } from '../../../src/core/http/auth';
import { paramsSchema, jsonSchema } from '../../../src/core/http/openapi';
import { restRoutes } from '../../../src/core/http/routes';
import { Methods } from '../../../src/core/protocol';
import { ServiceProcess } from '../../../src/core/service/serviceProcess';
import { writeFlows } from '../../integration/server/fixtures';

/** The HTTP app in-process (fastify's inject: no socket), on a real workspace and the real engine. */
function workspace(config: object = {}): string {
  const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dc-http-')));
  fs.writeFileSync(path.join(ws, 'driftcatcher.config.json'), JSON.stringify({ dataset: 'CICIDS2017', ...config }));
  writeFlows(path.join(ws, 'base.csv'), 400, { seed: 1 });
  writeFlows(path.join(ws, 'cur.csv'), 300, { seed: 2, shift: 1 });
  return ws;
}

async function app(ws: string, opts: { token?: string; loopback?: boolean } = {}): Promise<FastifyInstance> {
  const service = new ServiceProcess({ workspace: ws });
  return (await buildApp({ service, token: opts.token, loopback: opts.loopback ?? true, version: 'test' })).app;
}

/** the first lines of a CSV that fit in `bytes` */
function wholeLines(text: string, bytes: number): string {
  return text.slice(0, text.lastIndexOf('\n', bytes) + 1);
}

/** every refusal: the status, and a one-line JSON body {error, code} */
function refusal(res: { statusCode: number; body: string }, status: number, code: string, message?: RegExp): void {
  assert.equal(res.statusCode, status, res.body);
  assert.ok(!res.body.includes('\n'), 'one line');
  const body = JSON.parse(res.body) as { error: string; code: string };
  assert.deepEqual(Object.keys(body).sort(), ['code', 'error']);
  assert.equal(body.code, code);
  if (message) assert.match(body.error, message);
}

describe('http/app: the REST API in-process', function () {
  this.timeout(60_000);
  let ws: string;
  let a: FastifyInstance;
  before(async () => {
    ws = workspace({ service: { maxBodyBytes: 2048, maxUploadBytes: 4096 } });
    a = await app(ws);
  });
  after(async () => {
    await a.close();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  it('bad input gets a status and a one-line JSON error, and the server keeps serving', async () => {
    const post = (url: string, payload: string, type = 'application/json') => a.inject({ method: 'POST', url, payload, headers: { 'content-type': type } });
    refusal(await post('/drift/check', '{"current": '), 400, 'BAD_INPUT', /not valid JSON/);
    refusal(await post('/drift/check', '{"current": 5}'), 400, 'BAD_INPUT', /^invalid params: current: /);
    refusal(await post('/drift/check', '{}'), 400, 'BAD_INPUT', /current/);
    refusal(await post('/drift/check', '[1,2]'), 400, 'BAD_INPUT', /JSON object/);
    refusal(await post('/drift/check', JSON.stringify({ current: 'x'.repeat(5000) })), 413, 'TOO_LARGE', /maxBodyBytes/);
    refusal(await post('/drift/check', 'a,b\n' + '1,2\n'.repeat(2000), 'text/csv'), 413, 'TOO_LARGE', /maxUploadBytes/);
    refusal(await post('/drift/check', 'current=x', 'application/x-www-form-urlencoded'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    refusal(await post('/model/deploy', 'a,b\n1,2\n', 'text/csv'), 415, 'UNSUPPORTED_MEDIA_TYPE');
    refusal(await post('/drift/check', '{"current": "../outside.csv"}'), 403, 'OUTSIDE_WORKSPACE', /outside the workspace/);
    refusal(await post('/drift/check', '{"current": "/etc/hostname"}'), 403, 'OUTSIDE_WORKSPACE');
    fs.symlinkSync('/etc', path.join(ws, 'link'));
    refusal(await post('/drift/check', '{"current": "link/hostname"}'), 403, 'OUTSIDE_WORKSPACE');
    refusal(await post('/drift/check', '{"current": "missing.csv"}'), 404, 'NOT_FOUND');
    refusal(await a.inject({ method: 'GET', url: '/no/such/route' }), 404, 'NOT_FOUND', /no route GET \/no\/such\/route/);
    refusal(await a.inject({ method: 'GET', url: '/jobs/nope' }), 404, 'NOT_FOUND');
    refusal(await a.inject({ method: 'POST', url: '/plans/..%2F..%2Fx/approve', payload: '{}', headers: { 'content-type': 'application/json' } }), 400, 'BAD_INPUT');
    refusal(await a.inject({ method: 'GET', url: '/model/info' }), 404, 'NOT_FOUND', /no model is in production/);
    const health = await a.inject({ method: 'GET', url: '/health' });
    assert.equal(health.statusCode, 200);
    assert.equal(health.json().status, 'ok');
  });

  it('a drift check answers exactly the CLI --format json keys; an uploaded batch gives the same numbers', async () => {
    const byPath = await a.inject({ method: 'POST', url: '/drift/check', payload: { baseline: 'base.csv', current: 'cur.csv' } });
    assert.equal(byPath.statusCode, 200, byPath.body);
    const r = byPath.json() as { overall: Record<string, unknown>; features: unknown[]; quality: unknown[] };
    assert.deepEqual(Object.keys(r).sort(), ['features', 'overall', 'quality']);
    assert.deepEqual(Object.keys(r.overall).sort(), ['n_drifted', 'psi_max', 'psi_mean', 'severity', 'share_drifted']);
    assert.equal(r.overall.severity, 'severe');
    const uploaded = await a.inject({ method: 'POST', url: '/drift/check?baseline=base.csv', payload: wholeLines(fs.readFileSync(path.join(ws, 'cur.csv'), 'utf8'), 4000), headers: { 'content-type': 'text/csv' } });
    assert.equal(uploaded.statusCode, 200, uploaded.body);
    assert.deepEqual(fs.readdirSync(path.join(ws, '.driftcatcher', 'uploads')), [], 'a checked upload is removed');
    const latest = await a.inject({ method: 'GET', url: '/drift/latest' });
    assert.equal(latest.statusCode, 200);
    assert.deepEqual(latest.json().overall, uploaded.json().overall);
  });

  it('Prefer: respond-async gives 202 + Location; the job shows progress and the same answer; DELETE cancels', async () => {
    const res = await a.inject({ method: 'POST', url: '/drift/check', payload: { baseline: 'base.csv', current: 'cur.csv' }, headers: { prefer: 'respond-async' } });
    assert.equal(res.statusCode, 202);
    const loc = res.headers.location as string;
    assert.match(loc, /^\/jobs\/[0-9a-f-]{36}$/);
    let job = res.json() as { status: string; result?: { overall: unknown } };
    for (let i = 0; i < 300 && job.status !== 'succeeded' && job.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await a.inject({ method: 'GET', url: loc })).json();
    }
    assert.equal(job.status, 'succeeded');
    assert.equal((job.result as { overall: { severity: string } }).overall.severity, 'severe');

    const train = await a.inject({ method: 'POST', url: '/model/train', payload: { baseData: 'base.csv', trees: 5000 }, headers: { prefer: 'respond-async' } });
    assert.equal(train.statusCode, 202);
    const del = await a.inject({ method: 'DELETE', url: train.headers.location as string });
    assert.equal(del.statusCode, 200);
    assert.equal(del.json().status, 'cancelled');
    assert.ok(!fs.existsSync(path.join(ws, '.driftcatcher', 'models', 'v1')), 'a cancelled training registers nothing');
  });

  it('/openapi.json is a valid OpenAPI 3 document whose request schemas are the registry schemas', async () => {
    const doc = (await a.inject({ method: 'GET', url: '/openapi.json' })).json();
    await validate(structuredClone(doc)); // throws with the first problem
    assert.equal(doc.openapi, '3.0.3');
    for (const r of restRoutes) assert.ok(doc.paths[r.url.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()], `${r.method} ${r.url} documented`);
    for (const p of ['/health', '/metrics', '/jobs/{id}', '/drift/latest']) assert.ok(doc.paths[p], p);
    const body = doc.paths['/drift/check'].post.requestBody.content['application/json'].schema as { properties: object };
    assert.deepEqual(body, jsonSchema(paramsSchema(Methods.checkDrift)));
    assert.deepEqual(Object.keys(body.properties).sort(), Object.keys((paramsSchema(Methods.checkDrift) as z.ZodObject).shape).sort());
    assert.ok(doc.paths['/drift/check'].post.responses['202'], 'a heavy route documents its job answer');
    assert.deepEqual(doc.paths['/plans/{planId}/approve'].post.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`), ['path:planId']);
  });
});

describe('http/auth: binds other than loopback need the bearer token', function () {
  this.timeout(30_000);
  let ws: string;
  before(() => {
    ws = workspace();
  });
  after(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('the token is generated once, 0600, and reused', () => {
    const t = loadOrCreateToken(ws);
    assert.equal(t.created, true);
    assert.equal(fs.statSync(tokenFile(ws)).mode & 0o777, 0o600);
    assert.ok(t.token.length >= 40);
    fs.chmodSync(tokenFile(ws), 0o644);
    const again = loadOrCreateToken(ws);
    assert.equal(again.token, t.token);
    assert.equal(again.created, false);
    assert.equal(fs.statSync(tokenFile(ws)).mode & 0o777, 0o600, 'a loosened mode is tightened');
    assert.equal(bearerMatches(`Bearer ${t.token}`, t.token), true);
    assert.equal(bearerMatches(`Bearer ${t.token}x`, t.token), false);
    assert.equal(bearerMatches(t.token, t.token), false);
    assert.deepEqual(['127.0.0.1', '127.3.2.1', '::1', '[::1]', 'localhost', '0.0.0.0', '10.0.0.1', '::'].map(isLoopback), [true, true, true, true, true, false, false, false]);
  });

  it('missing or wrong token: 401 with WWW-Authenticate; right token: 200; /health stays open', async () => {
    const { token } = loadOrCreateToken(ws);
    const a = await app(ws, { token, loopback: false });
    try {
      const none = await a.inject({ method: 'GET', url: '/models' });
      refusal(none, 401, 'UNAUTHORIZED', /bearer token/);
      assert.equal(none.headers['www-authenticate'], 'Bearer');
      assert.ok(!none.body.includes(token));
      refusal(await a.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer wrong' } }), 401, 'UNAUTHORIZED');
      refusal(await a.inject({ method: 'GET', url: '/no/route' }), 401, 'UNAUTHORIZED');
      assert.equal((await a.inject({ method: 'GET', url: '/models', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
      assert.equal((await a.inject({ method: 'GET', url: '/health' })).statusCode, 200);
    } finally {
      await a.close();
    }
  });

  it('on loopback, a foreign Host (DNS rebinding) or a cross-site Origin is refused', async () => {
    const a = await app(ws);
    try {
      refusal(await a.inject({ method: 'GET', url: '/models', headers: { host: 'evil.example:8080' } }), 403, 'FORBIDDEN', /Host/);
      refusal(await a.inject({ method: 'POST', url: '/model/rollback', headers: { host: '127.0.0.1:8080', origin: 'http://evil.example' } }), 403, 'FORBIDDEN');
      assert.equal((await a.inject({ method: 'GET', url: '/models', headers: { host: '127.0.0.1:8080' } })).statusCode, 200);
    } finally {
      await a.close();
    }
  });
});
