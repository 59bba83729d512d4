import * as assert from 'node:assert/strict';
import { JobScheduler } from '../../../src/core/server/jobs';
import { throttleProgress } from '../../../src/core/server/progressThrottle';
import { CancelledError } from '../../../src/core/util/errors';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('server/jobs scheduler', () => {
  it('runs jobs of one exclusive class one at a time, in order', async () => {
    const s = new JobScheduler(4);
    const order: string[] = [];
    const gate = deferred();
    const signal = new AbortController().signal;
    const a = s.run('retrain', signal, async () => {
      order.push('a start');
      await gate.promise;
      order.push('a end');
    });
    const b = s.run('retrain', signal, async () => {
      order.push('b');
    });
    const free = s.run(undefined, signal, async () => {
      order.push('free');
    });
    await free;
    await new Promise((r) => setImmediate(r));
    assert.deepEqual([...order].sort(), ['a start', 'free']); // b waits for a; the unclassed job does not
    gate.resolve();
    await Promise.all([a, b]);
    assert.deepEqual(order.slice(-2), ['a end', 'b']);
  });

  it('a queued job cancelled before its turn rejects at once and never runs; the queue goes on', async () => {
    const s = new JobScheduler(4);
    const gate = deferred();
    const ran: string[] = [];
    const a = s.run('retrain', new AbortController().signal, async () => {
      await gate.promise;
      ran.push('a');
    });
    const ac = new AbortController();
    const b = s.run('retrain', ac.signal, async () => {
      ran.push('b');
    });
    ac.abort();
    await assert.rejects(b, CancelledError);
    const c = s.run('retrain', new AbortController().signal, async () => {
      ran.push('c');
    });
    gate.resolve();
    await Promise.all([a, c]);
    assert.deepEqual(ran, ['a', 'c']);
  });

  it('a failed exclusive job does not block the next one', async () => {
    const s = new JobScheduler(2);
    const signal = new AbortController().signal;
    await assert.rejects(s.run('retrain', signal, async () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(await s.run('retrain', signal, async () => 7), 7);
  });

  it('limits concurrent jobs', async () => {
    const s = new JobScheduler(1);
    const gate = deferred();
    const signal = new AbortController().signal;
    let second = false;
    const a = s.run(undefined, signal, () => gate.promise);
    const b = s.run(undefined, signal, async () => {
      second = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(second, false);
    assert.equal(s.busy, 2);
    gate.resolve();
    await Promise.all([a, b]);
    assert.equal(second, true);
  });
});

describe('server/jobs scheduler slots', () => {
  it('a job cancelled while waiting for a slot leaves the line at once', async () => {
    const s = new JobScheduler(1);
    const gate = deferred();
    const a = s.run(undefined, new AbortController().signal, () => gate.promise);
    const ac = new AbortController();
    let ran = false;
    const b = s.run(undefined, ac.signal, async () => {
      ran = true;
    });
    ac.abort();
    await assert.rejects(b, CancelledError);
    assert.equal(s.busy, 1);
    gate.resolve();
    await a;
    assert.equal(ran, false);
    assert.equal(await s.run(undefined, new AbortController().signal, async () => 'next'), 'next');
  });
});

describe('server/progressThrottle', () => {
  it('drops repeats and reports closer than minMs, clamps and floors percentages', () => {
    let now = 0;
    const sent: Array<[number | undefined, string]> = [];
    const report = throttleProgress((p, m) => sent.push([p, m]), 100, () => now);
    report(0, 'reading');
    report(0.5, 'reading'); // same whole percentage
    now = 50;
    report(10, 'reading'); // too soon
    now = 150;
    report(10.7, 'reading');
    now = 300;
    report(140, 'done');
    report(Number.NaN, 'x');
    assert.deepEqual(sent, [
      [0, 'reading'],
      [10, 'reading'],
      [100, 'done'],
    ]);
  });
});
