import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { callOperation, operationFor, operations, type AnyOperation, type Method } from '../../src/core/operations';
import { Methods } from '../../src/core/protocol';
import { DriftCatcherError } from '../../src/core/util/errors';
import { ctxFor, fakeVersion, tempWorkspace } from './model/registryFixtures';

/** The one operation registry: complete, publishable as JSON Schema, and honest about what it changes. */

const entries = Object.entries(operations) as [Method, AnyOperation][];

/** every file under a folder with its sha256, to prove an operation wrote nothing */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

describe('operation registry', () => {
  it('has exactly one entry per protocol method', () => {
    assert.deepEqual(Object.keys(operations).sort(), Object.values(Methods).sort());
    assert.equal(operationFor('driftcatcher/nope'), undefined);
    assert.equal(operationFor('toString'), undefined, 'inherited object keys are not operations');
  });

  it('describes every operation for a front end: one-line summary, a description, consistent flags', () => {
    for (const [method, op] of entries) {
      assert.ok(op.summary.length > 10 && op.summary.length <= 80 && !op.summary.includes('\n'), `${method}: summary is one short line`);
      assert.ok(!op.summary.endsWith('.'), `${method}: summary is a title, without a full stop`);
      assert.ok(op.description.length >= op.summary.length, `${method}: description`);
      assert.ok(!(op.readOnly && op.destructive), `${method}: read-only and destructive at once`);
      if (op.exclusive) assert.ok(op.heavy, `${method}: an exclusive operation runs as a worker job`);
      if (op.effects?.includes('production')) assert.ok(op.destructive, `${method}: changes production, so it is destructive`);
    }
    for (const m of [Methods.deploy, Methods.rollback, Methods.train, Methods.approvePlan, Methods.runAgent]) {
      assert.ok(operations[m].destructive, `${m} changes production or the registry`);
    }
  });

  it('publishes every params and result schema as JSON Schema, with the path fields among the params', () => {
    for (const [method, op] of entries) {
      for (const io of ['input', 'output'] as const) {
        const schema = z.toJSONSchema(op.params, { io }) as { type?: string; properties?: Record<string, unknown> };
        assert.equal(schema.type, 'object', `${method}: params are an object`);
        for (const field of op.paths ?? []) assert.ok(schema.properties && field in schema.properties, `${method}: path field ${field}`);
      }
      // result schemas may normalise what they read (older registry files), so they publish their input side
      if (op.result) assert.doesNotThrow(() => z.toJSONSchema(op.result!, { io: 'input' }), `${method}: result schema`);
    }
  });

  it('validates params before running: a bad one is one BAD_INPUT line; unknown keys are dropped', async () => {
    const ws = tempWorkspace();
    await assert.rejects(
      callOperation(ctxFor(ws), Methods.validate, { holdout: '' }),
      (e: unknown) => e instanceof DriftCatcherError && e.code === 'BAD_INPUT' && e.message === 'invalid params: holdout: must be a non-empty path',
    );
    await assert.rejects(
      callOperation(ctxFor(ws), Methods.approvePlan, { planId: 'p' } as never),
      (e: unknown) => e instanceof DriftCatcherError && /approve/.test(e.message),
    );
    const pong = await callOperation(ctxFor(ws), Methods.ping, { workDoneToken: 'x' } as never);
    assert.equal(operations[Methods.ping].result!.parse(pong).pong, true);
  });

  it('read-only operations write nothing to the workspace, and their results match their result schemas', async () => {
    const ws = tempWorkspace('dc-ops-');
    await fakeVersion(ws, { passed: true });
    const before = snapshot(ws);
    const params: Partial<Record<Method, unknown>> = { [Methods.metricHistory]: { experiment: 'drift_monitoring', metric: 'overall_psi' } };
    let checked = 0;
    for (const [method, op] of entries) {
      if (!op.readOnly || op.heavy) continue; // the heavy one (simulate) is covered by the twin's byte-identity test
      const result = await callOperation(ctxFor(ws), method, (params[method] ?? {}) as never);
      if (op.result) op.result.parse(result);
      checked++;
    }
    assert.ok(checked >= 6, `${checked} read-only operations checked`);
    assert.deepEqual(snapshot(ws), before);
  });
});
