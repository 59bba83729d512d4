import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CONFIG_FILE, loadConfig, type TrustState } from '../../../src/core/config';
import { reason } from '../../../src/core/agent/reasoning';
import { runAgent } from '../../../src/core/agent/runAgent';
import { readDecision } from '../../../src/core/agent/decisionLog';
import { context, FakeTools, makeCtx, report, tempWorkspace, writeCsv } from '../agent/fakes';
import { completion, LlmStub, send } from '../agent/llmStub';
import type { EngineContext } from '../../../src/core/engine';

/**
 * The API key stays with its endpoint, and LLM answers are bounded. A local OpenAI-compatible endpoint on
 * 127.0.0.1 records what it receives (the Authorization header included) and answers what each test sets.
 */

const good = { action: 'RETRAIN', confidence: 0.8, rationale: 'moderate drift', considerations: ['PSI above 0.1'], risks: [] };

describe('LLM: the key stays with its endpoint; answers are bounded', function () {
  this.timeout(60_000);
  let stub: LlmStub;
  let baseUrl: string;
  let answer: () => string;

  before(async () => {
    stub = await LlmStub.start();
    baseUrl = stub.baseUrl;
    stub.handler = (_r, res) => send(res, 200, completion(answer()));
  });
  after(() => stub.close());
  beforeEach(() => {
    stub.reset();
    answer = () => JSON.stringify(good);
  });

  function ctxFor(ws: string, env: NodeJS.ProcessEnv, trust: TrustState = { endpoints: false, sources: false, restricted: false }, overrides = {}): EngineContext {
    return { workspace: ws, config: loadConfig(ws, { agent: { backoffMs: 1 }, llm: { timeoutMs: 5000 }, ...overrides }, env, trust) };
  }
  function workspaceWithConfig(cfg: object): string {
    const ws = tempWorkspace();
    fs.writeFileSync(path.join(ws, CONFIG_FILE), JSON.stringify(cfg));
    return ws;
  }

  it("a workspace's llm.baseUrl never receives the user's key from the environment", async () => {
    const ws = workspaceWithConfig({ llm: { baseUrl } });
    const out = await reason(ctxFor(ws, { OPENAI_API_KEY: 'sk-user-secret' }), context());
    assert.deepEqual(stub.authorizations, [], 'nothing was sent to the workspace endpoint');
    assert.equal(out.decision.source, 'policy');
    assert.match(out.decision.fallback_reason ?? '', /llm\.baseUrl .* comes from driftcatcher\.config\.json, so your API key is not sent there.*--trust-workspace-llm/);
  });

  it("the user's key from the editor (SecretStorage) is withheld the same way", async () => {
    const ws = workspaceWithConfig({ llm: { baseUrl } });
    const out = await reason(ctxFor(ws, {}, undefined, { llm: { apiKey: 'sk-from-secret-storage', timeoutMs: 5000 } }), context());
    assert.deepEqual(stub.authorizations, []);
    assert.equal(out.decision.source, 'policy');
  });

  it('with --trust-workspace-llm (or workspace trust) the key goes to the workspace endpoint', async () => {
    const ws = workspaceWithConfig({ llm: { baseUrl } });
    const out = await reason(ctxFor(ws, { OPENAI_API_KEY: 'sk-user-secret' }, { endpoints: true, sources: false, restricted: false }), context());
    assert.deepEqual(stub.authorizations, ['Bearer sk-user-secret']);
    assert.equal(out.decision.source, 'llm');
  });

  it('an endpoint the user chose gets the key: OPENAI_BASE_URL, or the editor/CLI settings', async () => {
    const ws = workspaceWithConfig({ llm: { baseUrl: 'https://workspace.invalid/v1' } });
    await reason(ctxFor(ws, { OPENAI_API_KEY: 'sk-env', OPENAI_BASE_URL: baseUrl }), context());
    await reason(ctxFor(ws, { OPENAI_API_KEY: 'sk-env' }, undefined, { llm: { baseUrl, timeoutMs: 5000 } }), context());
    assert.deepEqual(stub.authorizations, ['Bearer sk-env', 'Bearer sk-env']);
  });

  it("the workspace's own key may go to the workspace's own endpoint (never the user's)", async () => {
    const ws = workspaceWithConfig({ llm: { baseUrl, apiKey: 'sk-workspace-own' } });
    await reason(ctxFor(ws, { OPENAI_API_KEY: 'sk-user-secret' }), context());
    assert.deepEqual(stub.authorizations, ['Bearer sk-workspace-own']);
  });

  it('MLflow credentials from the environment are not sent to a tracking server the workspace chose', () => {
    const ws = workspaceWithConfig({ tracking: { uri: 'http://127.0.0.1:1/' } });
    assert.equal(loadConfig(ws, {}, { MLFLOW_TRACKING_TOKEN: 't' }).tracking.credentialsWithheld, true);
    assert.equal(loadConfig(ws, {}, { MLFLOW_TRACKING_TOKEN: 't' }, { endpoints: true, sources: false, restricted: false }).tracking.credentialsWithheld, undefined);
    assert.equal(loadConfig(tempWorkspace(), {}, { MLFLOW_TRACKING_URI: 'http://127.0.0.1:1/' }).tracking.credentialsWithheld, undefined);
  });

  it('an untrusted folder makes no LLM call at all', async () => {
    const out = await reason(ctxFor(tempWorkspace(), { OPENAI_API_KEY: 'sk-user', OPENAI_BASE_URL: baseUrl }, { endpoints: false, sources: false, restricted: true }), context());
    assert.deepEqual(stub.authorizations, []);
    assert.match(out.decision.fallback_reason ?? '', /not trusted/);
  });

  it('a 10 MB answer is not used: the policy decides, saying why, and the decision file stays small', async () => {
    const huge = JSON.stringify({ ...good, rationale: 'x'.repeat(10 * 1024 * 1024) });
    answer = () => huge;
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    const tools = new FakeTools();
    tools.driftReport = report({ total: 10, drifted: 2, psi: 0.15 });
    const ctx = ctxFor(ws, { OPENAI_API_KEY: 'sk', OPENAI_BASE_URL: baseUrl }, undefined, { agent: { autonomy: 'suggest', backoffMs: 1 } });
    const result = await runAgent(ctx, { current: writeCsv(path.join(ws, 'current.csv'), ['a', 'Label'], 5) }, tools);
    assert.equal(result.decision.source, 'policy');
    assert.match(result.decision.fallback_reason ?? '', /answer too large/);
    const file = path.join(ws, '.driftcatcher', 'decisions', `${result.decision.id}.json`);
    assert.ok(fs.statSync(file).size < 200_000, `decision file is ${fs.statSync(file).size} bytes`);
    assert.ok(readDecision(ws, result.decision.id));
  });

  it("the editor's chat model is bounded the same way: a 10 MB answer is not used", async () => {
    const huge = JSON.stringify({ ...good, rationale: 'x'.repeat(10 * 1024 * 1024) });
    const ctx = makeCtx(tempWorkspace(), { llm: { provider: 'editor', timeoutMs: 5000 } });
    const out = await reason({ ...ctx, chat: async () => ({ text: huge, model: 'copilot/gpt-4o' }) }, context());
    assert.equal(out.decision.source, 'policy');
    assert.match(out.decision.fallback_reason ?? '', /answer too large: \d+ bytes, over the 32768-byte limit/);
  });

  it('an answer over llm.maxAnswerBytes is kept once, truncated, and not used', async () => {
    const big = JSON.stringify({ ...good, rationale: 'y'.repeat(40_000) });
    answer = () => big;
    const ws = tempWorkspace();
    const out = await reason(ctxFor(ws, { OPENAI_API_KEY: 'sk', OPENAI_BASE_URL: baseUrl }), context());
    assert.equal(out.decision.source, 'policy');
    assert.match(out.decision.fallback_reason ?? '', /answer too large: \d+ bytes, over the 32768-byte limit/);
    assert.ok((out.record.raw_llm ?? '').length < 33_000);
    assert.match(out.record.raw_llm ?? '', /\[truncated: \d+ bytes in all\]$/);
    assert.equal(out.record.parsed_llm, null);
  });

  it('a usable answer is stored once: the parsed answer is the bounded one the decision used', async () => {
    const long = JSON.stringify({ ...good, rationale: 'z'.repeat(20_000), considerations: Array.from({ length: 50 }, () => 'c'.repeat(200)) });
    answer = () => long;
    const out = await reason(ctxFor(tempWorkspace(), { OPENAI_API_KEY: 'sk', OPENAI_BASE_URL: baseUrl }), context());
    assert.equal(out.decision.source, 'llm');
    assert.equal(out.record.raw_llm, long);
    const stored = JSON.stringify(out.record).length;
    assert.ok(stored < long.length + 60_000, `record ${stored} bytes for a ${long.length}-byte answer`);
    assert.ok(JSON.stringify(out.record.parsed_llm).length < 20_000);
  });

  it('a workspace cannot mark itself trusted or set the withheld reason', () => {
    const ws = workspaceWithConfig({ trust: { endpoints: true } });
    assert.throws(() => loadConfig(ws, {}, {}), /unknown key "trust"/);
    const ws2 = workspaceWithConfig({ llm: { keyWithheld: 'x' } });
    assert.throws(() => loadConfig(ws2, {}, {}), /unknown key "llm\.keyWithheld"/);
    assert.ok(fs.existsSync(os.tmpdir()));
  });
});
