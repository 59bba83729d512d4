import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { buildContext } from '../../../src/core/agent/context';
import { decisionEvidence } from '../../../src/core/agent/evidence';
import { listPlans, runAgent } from '../../../src/core/agent/runAgent';
import { currentEscalation } from '../../../src/core/agent/escalation';
import type { EngineContext } from '../../../src/core/engine';
import { callOperation } from '../../../src/core/operations';
import { Methods, Notifications } from '../../../src/core/protocol';
import { fakeVersion } from '../model/registryFixtures';
import { FakeTools, makeCtx, report, tempWorkspace, writeCsv } from './fakes';

const N = 400;

/** production's probabilities: a confident holdout (95 % right) and a labelled batch where 70 % of the labels are the predicted class */
class LabelledBatchTools extends FakeTools {
  async predictProba(_ctx: EngineContext, p: { file: string }) {
    const proba = new Float64Array(N * 2);
    const holdout = p.file.endsWith('holdout.csv');
    const labels = new Int32Array(N);
    for (let i = 0; i < N; i++) {
      const q = holdout ? (i % 2 ? 0.95 : 0.05) : 0.6;
      proba[i * 2 + 1] = q;
      proba[i * 2] = 1 - q;
      labels[i] = holdout ? (i % 20 === 0 ? 1 - (i % 2) : i % 2) : i % 10 < 7 ? 1 : 0;
    }
    return { matrix: { proba, k: 2 }, classes: ['BENIGN', 'ATTACK'], labels };
  }
}

describe('decision evidence (what a decision weighed, for people)', () => {
  it('a labelled batch: the realised accuracy is scored beside the label-free estimate and its interval', async () => {
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    writeCsv(path.join(ws, 'holdout.csv'), ['a', 'Label'], 5);
    const current = writeCsv(path.join(ws, 'current.csv'), [' Flow Duration', ' Label'], 5);
    const c = await buildContext(makeCtx(ws), new LabelledBatchTools(), { current, report: report({ total: 10, drifted: 3, psi: 0.4 }) });
    assert.ok(c.estimate, c.estimate_unavailable);
    // every row predicts class 1 (p = 0.6); 7 in 10 labels are 1
    assert.equal(c.estimate.realised_accuracy, 0.7);
    assert.equal(c.estimate.realised_rows, N);
    const ev = decisionEvidence(c);
    assert.equal(ev.production, 'v1');
    assert.deepEqual(ev.estimate?.interval, c.estimate.interval);
    assert.equal(ev.estimate?.realised_accuracy, 0.7);
    assert.equal(ev.estimate?.expected_accuracy, c.estimate.expected_accuracy);
    assert.deepEqual(ev.impact, c.drift.impact);
    assert.equal(ev.value?.basis, c.value?.basis);
  });

  it('an unlabelled batch has no realised accuracy; no estimate at all says why', async () => {
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    const current = writeCsv(path.join(ws, 'current.csv'), ['a'], 3);
    const ev = decisionEvidence(await buildContext(makeCtx(ws), new FakeTools(), { current, report: report() }));
    assert.equal(ev.estimate, undefined);
    assert.match(ev.estimate_unavailable ?? '', /no production model or holdout/);
  });

  it('the decision carries its evidence when made, and the same evidence when read back from the log', async () => {
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    writeCsv(path.join(ws, 'holdout.csv'), ['a', 'Label'], 5);
    const tools = new LabelledBatchTools();
    tools.driftReport = report({ total: 10, drifted: 4, psi: 0.5, severity: 'severe' });
    const current = writeCsv(path.join(ws, 'current.csv'), ['a', 'b', ' Label'], 10);
    const ctx = makeCtx(ws);
    const res = await runAgent(ctx, { current, autonomy: 'suggest' }, tools);
    assert.ok(res.decision.evidence?.impact, 'evidence with the weighted drift');
    const notified = ctx.notes.find((n) => n.method === Notifications.decisionMade)?.params as typeof res.decision;
    assert.deepEqual(notified.evidence, res.decision.evidence);
    const listed = (await listPlans(ctx)).decisions.find((d) => d.id === res.decision.id);
    assert.deepEqual(JSON.parse(JSON.stringify(listed?.evidence)), JSON.parse(JSON.stringify(res.decision.evidence)));
  });
});

describe('resetEscalation operation', () => {
  it('ends the escalation, keeps the reason, and announces the registry with the new state', async () => {
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    const ctx = makeCtx(ws);
    await fakeVersion(ws, { passed: false });
    await fakeVersion(ws, { passed: false });
    assert.equal(currentEscalation(ctx).escalated, true);
    const state = await callOperation(ctx, Methods.resetEscalation, { reason: 'looked into the holdout' });
    assert.equal(state.escalated, false);
    assert.equal(state.consecutive_failed_validations, 0);
    assert.ok(state.reset_at);
    assert.ok(ctx.notes.some((n) => n.method === Notifications.modelsChanged), 'clients hear of it');
    await assert.rejects(callOperation(ctx, Methods.resetEscalation, { reason: '' }), /reason/);
  });
});
