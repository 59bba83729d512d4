import * as assert from 'node:assert/strict';
import { EventTap, type ServiceEvent } from '../../../src/core/service/events';
import type { Plan, PlanStep } from '../../../src/core/protocol';
import { report } from '../agent/fakes';

function step(id: string, tool: PlanStep['tool'], status: PlanStep['status'], result?: unknown, finishedAt = new Date().toISOString()): PlanStep {
  return { id, tool, args: {}, depends_on: [], status, attempts: 1, finished_at: status === 'pending' ? undefined : finishedAt, result };
}

function plan(id: string, status: Plan['status'], steps: PlanStep[], updatedAt = new Date().toISOString()): Plan {
  return { id, decision_id: 'dec-1', goal: 'retrain', urgency: 'normal', autonomy: 'approve', status, steps, created_at: updatedAt, updated_at: updatedAt };
}

function tap(since = Date.now() - 1000): { tap: EventTap; events: ServiceEvent[] } {
  const t = new EventTap(since);
  const events: ServiceEvent[] = [];
  t.on((e) => events.push(e));
  return { tap: t, events };
}

describe('service/events: what counts as an event', () => {
  it('a plan that retrains, validates and waits for approval gives retrained then awaiting_approval, each once', () => {
    const { tap: t, events } = tap();
    const s = [step('s1', 'check_drift', 'completed'), step('s2', 'retrain_model', 'pending'), step('s3', 'deploy_model', 'pending')];
    t.notification('driftcatcher/planChanged', plan('p1', 'running', s));
    s[1] = step('s2', 'retrain_model', 'completed', { version: 'v2' });
    t.notification('driftcatcher/planChanged', plan('p1', 'running', s));
    t.notification('driftcatcher/planChanged', plan('p1', 'running', s)); // the same state again: nothing new
    s[2] = step('s3', 'deploy_model', 'awaiting_approval');
    t.notification('driftcatcher/planChanged', plan('p1', 'awaiting_approval', s));
    assert.deepEqual(
      events.map((e) => e.kind),
      ['retrained', 'awaiting_approval'],
    );
  });

  it('deploy, rollback and a failed gate inside a plan are events; a deploy requested directly is one too', () => {
    const { tap: t, events } = tap();
    t.notification('driftcatcher/planChanged', plan('p2', 'failed', [step('v', 'validate_model', 'failed', { version: 'v3' })]));
    t.notification('driftcatcher/planChanged', plan('p3', 'completed', [step('d', 'deploy_model', 'completed', { version: 'v4', previous: 'v3' })]));
    t.notification('driftcatcher/planChanged', plan('p4', 'completed', [step('r', 'rollback', 'completed', { version: 'v3' })]));
    t.result('driftcatcher/deploy', { version: 'v5' });
    t.result('driftcatcher/validate', { version: 'v6', passed: false, checks: [{ name: 'accuracy', value: 0.5, threshold: 0.9, comparison: '>=', passed: false }] });
    t.result('driftcatcher/validate', { version: 'v7', passed: true, checks: [] });
    assert.deepEqual(
      events.map((e) => `${e.kind}:${'version' in e ? e.version : ''}`),
      ['validation_failed:v3', 'deployed:v4', 'rolled_back:v3', 'deployed:v5', 'validation_failed:v6'],
    );
  });

  it('steps finished before the tap started are history (a plan resumed from disk does not re-announce its retrain)', () => {
    const { tap: t, events } = tap(Date.now());
    const old = '2020-01-01T00:00:00.000Z';
    t.notification('driftcatcher/planChanged', plan('p5', 'running', [step('s2', 'retrain_model', 'completed', { version: 'v2' }, old), step('s3', 'deploy_model', 'completed', { version: 'v2' })]));
    assert.deepEqual(events.map((e) => e.kind), ['deployed']);
  });

  it('drift reports and agent results are passed on; a failing listener does not stop the others', () => {
    const t = new EventTap();
    const seen: string[] = [];
    t.on(() => {
      throw new Error('broken listener');
    });
    t.on((e) => seen.push(e.kind));
    t.notification('driftcatcher/driftReport', report({ drifted: 5, psi: 0.4 }));
    t.result('driftcatcher/runAgent', { decision: { action: 'RETRAIN' }, plan: plan('p6', 'planned', []) });
    t.notification('driftcatcher/log', { level: 'info', message: 'x' });
    assert.deepEqual(seen, ['drift_checked', 'decided']);
  });
});
