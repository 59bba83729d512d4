import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runAgent, listPlans } from '../../../src/core/agent/runAgent';
import { decisionsDir, readDecision, replay } from '../../../src/core/agent/decisionLog';
import { runCli } from '../../../src/core/cli/main';
import { FakeTools, makeCtx, report, sha256, tempWorkspace, writeCsv } from './fakes';

function io() {
  let out = '';
  let err = '';
  return { io: { stdout: (s: string) => void (out += s), stderr: (s: string) => void (err += s) }, out: () => out, err: () => err };
}

describe('agent decision log and replay', () => {
  it('logs every decision with its inputs, and replay finds no difference on unchanged inputs', async () => {
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    const tools = new FakeTools();
    tools.driftReport = report({ total: 10, drifted: 2, psi: 0.15 });
    const current = writeCsv(path.join(ws, 'current.csv'), ['a', 'b', ' Label'], 10);
    const ctx = makeCtx(ws);
    const res = await runAgent(ctx, { current, autonomy: 'suggest' }, tools);
    assert.equal(res.decision.action, 'RETRAIN');
    assert.equal(res.plan.status, 'planned');

    const rec = readDecision(ws, res.decision.id);
    assert.equal(rec.plan_id, res.plan.id);
    assert.equal(rec.context.inputs.current_sha256, 'f'.repeat(64));
    assert.equal(rec.context.inputs.profile_version, 'v1');
    assert.equal(rec.context.labels.column, 'Label');
    assert.equal(rec.reasoning.policy.action, 'RETRAIN');
    assert.match(rec.reasoning.prompt[1].content, /<data>/);
    assert.equal(rec.reasoning.raw_llm, null);
    assert.match(rec.decision.fallback_reason ?? '', /no API key/);

    const r = await replay(ctx, { id: res.decision.id });
    assert.deepEqual(r.differences, []);
    assert.equal(r.decision_differs, false);
    const cli = io();
    assert.equal(await runCli(['replay', res.decision.id, '--workspace', ws], cli.io), 0);
    assert.match(cli.out(), /no difference/);

    const listed = await listPlans(ctx);
    assert.deepEqual(listed.decisions.map((d) => d.id), [res.decision.id]);
    assert.deepEqual(listed.plans.map((p) => p.id), [res.plan.id]);
  });

  it('replay shows the difference when the logged inputs would now decide otherwise', async () => {
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    const tools = new FakeTools();
    const current = writeCsv(path.join(ws, 'current.csv'), ['a', 'Label'], 10);
    const ctx = makeCtx(ws);
    const res = await runAgent(ctx, { current, autonomy: 'suggest' }, tools);
    assert.equal(res.decision.action, 'MONITOR');
    // the inputs as logged differ from what the policy saw (as when a policy change is evaluated on old logs)
    const file = path.join(decisionsDir(ws), `${res.decision.id}.json`);
    const rec = JSON.parse(fs.readFileSync(file, 'utf8'));
    rec.context.drift.impact.weighted_share_drifted = 0.5; // half the model's importance on significantly drifted features
    fs.writeFileSync(file, JSON.stringify(rec));
    const r = await replay(ctx, { id: res.decision.id });
    assert.ok(r.differences.includes('action: MONITOR → RETRAIN'), r.differences.join('\n'));
    assert.equal(r.decision_differs, true);
    const cli = io();
    assert.equal(await runCli(['replay', res.decision.id, '--workspace', ws], cli.io), 1);
    assert.match(cli.out(), /≠ action: MONITOR → RETRAIN/);
  });

  it('a missing or malformed decision is a clear error', async () => {
    const ws = tempWorkspace();
    const ctx = makeCtx(ws);
    await assert.rejects(replay(ctx, { id: 'dec-nope' }), /no decision dec-nope/);
    fs.mkdirSync(decisionsDir(ws), { recursive: true });
    fs.writeFileSync(path.join(decisionsDir(ws), 'dec-bad.json'), '{"id":"dec-bad"}');
    await assert.rejects(replay(ctx, { id: 'dec-bad' }), /decision file is malformed at .*dec-bad\.json/);
    const cli = io();
    assert.equal(await runCli(['replay', 'dec-nope', '--workspace', ws], cli.io), 2);
    assert.match(cli.err(), /^error: no decision dec-nope/);
  });

  it('a batch without labels cannot be retrained on: MONITOR with the risk, and nothing runs', async () => {
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    const tools = new FakeTools();
    tools.driftReport = report({ total: 10, drifted: 6, psi: 0.5 });
    const current = writeCsv(path.join(ws, 'current.csv'), ['a', 'b'], 10);
    const prod = path.join(ws, '.driftcatcher', 'production.json');
    const before = sha256(prod);
    const res = await runAgent(makeCtx(ws), { current, autonomy: 'autonomous' }, tools);
    assert.equal(res.decision.action, 'MONITOR');
    assert.ok(res.decision.risks.some((r) => /no label column/.test(r)));
    assert.ok(!tools.calls.includes('train'));
    assert.equal(sha256(prod), before);
  });
});
