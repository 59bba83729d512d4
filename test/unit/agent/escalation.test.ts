import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runAgent } from '../../../src/core/agent/runAgent';
import { approvePlan } from '../../../src/core/agent/executor';
import { currentEscalation, resetEscalation } from '../../../src/core/agent/escalation';
import { recordValidation } from '../../../src/core/model/registry';
import { fakeValidation, fakeVersion } from '../model/registryFixtures';
import { FakeTools, makeCtx, report, tempWorkspace, writeCsv } from './fakes';

describe('escalation after consecutive failed validations', () => {
  it('two failed validations in a row: the agent waits for a person whatever the autonomy; approving resets it', async function () {
    this.timeout(30_000);
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    // the backoff after unpaid retrains (V1) would keep this decision at MONITOR: it is the escalation under test
    const ctx = makeCtx(ws, { agent: { backoffAfterUnpaidRetrains: 10 } });
    const tools = new FakeTools();
    tools.driftReport = report({ total: 10, drifted: 6, psi: 0.5, severity: 'severe' });
    const current = writeCsv(path.join(ws, 'current.csv'), ['a', 'b', 'Label'], 10);

    await fakeVersion(ws, { passed: false });
    assert.equal(currentEscalation(ctx).escalated, false, 'one failure does not escalate');
    await fakeVersion(ws, { passed: false });
    const e = currentEscalation(ctx);
    assert.equal(e.escalated, true);
    assert.deepEqual(e.failures.map((f) => f.version), ['v2', 'v3']);
    assert.match(e.failures[0].reason, /accuracy 0\.5000 < 0\.9000/);

    // autonomous and approved up front: still waits, before anything is retrained
    const res = await runAgent(ctx, { current, autonomy: 'autonomous', yes: true }, tools);
    assert.equal(res.decision.action, 'RETRAIN');
    assert.equal(res.plan.status, 'awaiting_approval');
    assert.match(res.plan.review_required!, /^2 consecutive failed validations \(v2, v3\): the agent waits for a person/);
    assert.equal(res.plan.steps.find((s) => s.tool === 'retrain_model')!.status, 'awaiting_approval');
    assert.ok(!tools.calls.includes('train'));
    assert.ok(res.decision.risks.some((r) => /^escalated: 2 consecutive failed validations/.test(r)));

    const done = await approvePlan(ctx, { planId: res.plan.id, approve: true }, tools);
    assert.equal(done.status, 'completed');
    assert.ok(tools.calls.includes('train') && tools.calls.includes('deploy'));
    assert.equal(currentEscalation(ctx).escalated, false, 'the review ends the escalation');
  });

  it('a passed validation breaks the run of failures; a reset clears it', async () => {
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    const ctx = makeCtx(ws);
    await fakeVersion(ws, { passed: false });
    await fakeVersion(ws, { passed: true });
    await fakeVersion(ws, { passed: false });
    assert.equal(currentEscalation(ctx).consecutive_failed_validations, 1);
    await recordValidation(ws, { ...fakeValidation('v3', false), validated_at: new Date(Date.now() + 1000).toISOString() });
    assert.equal(currentEscalation(ctx).escalated, true);
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal(resetEscalation(ctx, 'test').escalated, false);
  });
});
