import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDir } from '../../../src/core/config';
import { abandonPlan, approvePlan, executePlan, resumePlan } from '../../../src/core/agent/executor';
import { buildPlan } from '../../../src/core/agent/planner';
import { loadPlan, plansDir, savePlan } from '../../../src/core/agent/planStore';
import type { Plan } from '../../../src/core/protocol';
import { FakeTools, makeCtx, sha256, tempWorkspace } from './fakes';

function setup(action: 'MONITOR' | 'RETRAIN' | 'RETRAIN_URGENT' = 'RETRAIN', autonomy: Plan['autonomy'] = 'autonomous') {
  const ws = tempWorkspace();
  FakeTools.seed(ws);
  const ctx = makeCtx(ws);
  const tools = new FakeTools();
  const plan = buildPlan({ id: 'dec-1', action }, { current: 'current.csv', autonomy, baseData: 'baseline.csv', holdout: 'holdout.csv', label: 'Label' });
  const prod = path.join(stateDir(ws), 'production.json');
  return { ws, ctx, tools, plan, prod, before: sha256(prod) };
}

const statuses = (p: Plan) => Object.fromEntries(p.steps.map((s) => [s.id, s.status]));

describe('agent plan execution', () => {
  it('plans are built by code: MONITOR is check → notify; RETRAIN validates before it deploys', () => {
    const m = buildPlan({ id: 'd', action: 'MONITOR' }, { current: 'c.csv', autonomy: 'autonomous' });
    assert.deepEqual(m.steps.map((s) => s.tool), ['check_drift', 'notify']);
    const r = buildPlan({ id: 'd', action: 'RETRAIN_URGENT' }, { current: 'c.csv', autonomy: 'autonomous' });
    assert.deepEqual(r.steps.map((s) => s.tool), ['check_drift', 'retrain_model', 'validate_model', 'deploy_model', 'version_baseline', 'notify']);
    assert.deepEqual(r.steps.find((s) => s.tool === 'deploy_model')!.depends_on, ['validate']);
    assert.equal(r.urgency, 'high');
  });

  it('runs every step in order, persisting the plan and announcing each change', async () => {
    const { ctx, tools, plan, ws } = setup();
    const done = await executePlan(ctx, tools, plan);
    assert.equal(done.status, 'completed');
    assert.deepEqual(tools.calls, ['checkDrift', 'train', 'validate', 'deploy', 'versionBaseline']);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(stateDir(ws), 'production.json'), 'utf8')), { version: 'v2' });
    const onDisk = loadPlan(ws, plan.id);
    assert.equal(onDisk.status, 'completed');
    assert.equal(onDisk.steps.find((s) => s.id === 'deploy')!.args.version !== undefined, true);
    const changes = ctx.notes.filter((n) => n.method === 'driftcatcher/planChanged');
    // planned→running, then running+completed for each of 6 steps, then the final status
    assert.ok(changes.length >= 13, String(changes.length));
    assert.ok(changes.some((c) => (c.params as Plan).steps.find((s) => s.id === 'retrain')!.status === 'running'));
  });

  it('a transient failure is retried with backoff and the plan completes', async () => {
    const { ctx, tools, plan } = setup();
    tools.fail.train = 1;
    const done = await executePlan(ctx, tools, plan);
    assert.equal(done.status, 'completed');
    assert.equal(done.steps.find((s) => s.id === 'retrain')!.attempts, 2);
    assert.ok(ctx.logs.some((l) => /retrain_model failed \(attempt 1\/3\).*retrying/.test(l)));
  });

  it('a permanent failure: retries exhausted, nothing after it runs, production unchanged', async () => {
    const { ctx, tools, plan, prod, before } = setup();
    tools.fail.train = 'always';
    const done = await executePlan(ctx, tools, plan);
    assert.equal(done.status, 'failed');
    assert.match(done.error ?? '', /retrain_model failed: train failed \(injected\)/);
    assert.equal(done.steps.find((s) => s.id === 'retrain')!.attempts, 3);
    assert.deepEqual(statuses(done), { check: 'completed', retrain: 'failed', validate: 'skipped', deploy: 'skipped', baseline: 'skipped', notify: 'skipped' });
    assert.ok(!tools.calls.includes('deploy'));
    assert.equal(sha256(prod), before);
  });

  it('a failed validation gate is not retried and nothing deploys', async () => {
    const { ctx, tools, plan, prod, before } = setup();
    tools.gatePasses = false;
    const done = await executePlan(ctx, tools, plan);
    assert.equal(done.status, 'failed');
    const v = done.steps.find((s) => s.id === 'validate')!;
    assert.equal(v.attempts, 1);
    assert.equal((v.result as { passed: boolean }).passed, false);
    assert.ok(!tools.calls.includes('deploy'));
    assert.equal(sha256(prod), before);
  });

  it('a deploy that switched production and then failed is rolled back; production.json byte-identical', async () => {
    const { ctx, tools, plan, prod, before } = setup();
    tools.deployHalfDone = true;
    const done = await executePlan(ctx, tools, plan);
    assert.equal(done.status, 'failed');
    assert.ok(tools.calls.includes('rollback'));
    const rb = done.steps.find((s) => s.id === 'recover')!;
    assert.equal(rb.tool, 'rollback');
    assert.equal(rb.status, 'completed');
    assert.match(done.error ?? '', /production rolled back to v1/);
    assert.equal(sha256(prod), before);
    assert.equal(done.steps.find((s) => s.id === 'baseline')!.status, 'skipped');
  });

  it('a deploy that failed before switching needs no rollback', async () => {
    const { ctx, tools, plan, prod, before } = setup();
    tools.fail.deploy = 'always';
    const done = await executePlan(ctx, tools, plan);
    assert.equal(done.status, 'failed');
    assert.ok(!tools.calls.includes('rollback'));
    assert.equal(sha256(prod), before);
  });

  it('the executor refuses a deploy no passed validation covers, whatever the plan says', async () => {
    const { ctx, tools, plan, prod, before } = setup();
    // a tampered plan: deploy right after retrain, validation removed
    plan.steps = plan.steps.filter((s) => s.tool !== 'validate_model');
    plan.steps.find((s) => s.tool === 'deploy_model')!.depends_on = ['retrain'];
    const done = await executePlan(ctx, tools, plan);
    assert.equal(done.status, 'failed');
    assert.match(done.error ?? '', /refusing to deploy v2: no passed validation/);
    assert.ok(!tools.calls.includes('deploy'));
    assert.equal(sha256(prod), before);
  });

  it('suggest: only the drift check runs, the rest stays planned', async () => {
    const { ctx, tools, plan, prod, before } = setup('RETRAIN', 'suggest');
    const done = await executePlan(ctx, tools, plan);
    assert.equal(done.status, 'planned');
    assert.deepEqual(tools.calls, ['checkDrift']);
    assert.equal(sha256(prod), before);
  });

  it('approve: stops before deploy; approving continues, and the deploy runs only then', async () => {
    const { ctx, tools, plan, ws } = setup('RETRAIN', 'approve');
    const waiting = await executePlan(ctx, tools, plan);
    assert.equal(waiting.status, 'awaiting_approval');
    assert.equal(waiting.steps.find((s) => s.id === 'deploy')!.status, 'awaiting_approval');
    assert.ok(!tools.calls.includes('deploy'));
    assert.equal(loadPlan(ws, plan.id).status, 'awaiting_approval');
    await assert.rejects(resumePlan(ctx, { planId: plan.id }, tools), /waiting for approval/);
    const done = await approvePlan(ctx, { planId: plan.id, approve: true }, tools);
    assert.equal(done.status, 'completed');
    assert.deepEqual(tools.calls.slice(-2), ['deploy', 'versionBaseline']);
    await assert.rejects(approvePlan(ctx, { planId: plan.id, approve: true }, tools), /is completed, not waiting/);
  });

  it('approve: rejecting ends the plan; production unchanged', async () => {
    const { ctx, tools, plan, prod, before } = setup('RETRAIN', 'approve');
    await executePlan(ctx, tools, plan);
    const rejected = await approvePlan(ctx, { planId: plan.id, approve: false }, tools);
    assert.equal(rejected.status, 'rejected');
    assert.equal(rejected.steps.find((s) => s.id === 'deploy')!.status, 'skipped');
    assert.ok(!tools.calls.includes('deploy'));
    assert.equal(sha256(prod), before);
  });

  it('approve with --yes runs through', async () => {
    const { ctx, tools, plan } = setup('RETRAIN', 'approve');
    const done = await executePlan(ctx, tools, plan, { approved: true });
    assert.equal(done.status, 'completed');
    assert.ok(tools.calls.includes('deploy'));
  });

  it('an interrupted plan is visible on disk and can be resumed or abandoned', async () => {
    const { ctx, tools, plan, ws } = setup();
    // as a killed process leaves it: check done, retrain "running"
    plan.status = 'running';
    plan.steps[0].status = 'completed';
    plan.steps[0].result = {};
    plan.steps[1].status = 'running';
    plan.steps[1].attempts = 1;
    savePlan(ctx, plan);
    assert.ok(fs.existsSync(path.join(plansDir(ws), `${plan.id}.json`)));
    const resumed = await resumePlan(ctx, { planId: plan.id }, tools);
    assert.equal(resumed.status, 'completed');
    assert.deepEqual(tools.calls, ['train', 'validate', 'deploy', 'versionBaseline']);
    await assert.rejects(resumePlan(ctx, { planId: plan.id }, tools), /is completed; nothing to resume/);

    const other = setup();
    other.plan.status = 'running';
    other.plan.steps[1].status = 'running';
    savePlan(other.ctx, other.plan);
    const abandoned = await abandonPlan(other.ctx, { planId: other.plan.id });
    assert.equal(abandoned.status, 'abandoned');
    assert.ok(abandoned.steps.slice(1).every((s) => s.status === 'skipped'));
    assert.equal(sha256(other.prod), other.before);
  });

  it('a corrupt plan file gives an error naming the file', async () => {
    const { ctx, ws } = setup();
    fs.mkdirSync(plansDir(ws), { recursive: true });
    fs.writeFileSync(path.join(plansDir(ws), 'plan-bad.json'), '{"id": 3}');
    await assert.rejects(abandonPlan(ctx, { planId: 'plan-bad' }), /plan file is malformed at id.*plan-bad\.json/);
    await assert.rejects(abandonPlan(ctx, { planId: '../x' }), /not a plan id/);
  });
});
