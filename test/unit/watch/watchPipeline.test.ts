import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeDecision } from '../../../src/core/agent/decisionLog';
import { loadConfig, type ConfigInput } from '../../../src/core/config';
import type { Action, AgentResult } from '../../../src/core/protocol';
import { CancelledError } from '../../../src/core/util/errors';
import { WatchPipeline, type WatchHost } from '../../../src/core/watch/watchPipeline';
import { CronSchema } from '../../../src/core/watch/schedule';
import { watchStateFile } from '../../../src/core/watch/watchState';
import { context, report } from '../agent/fakes';

/** a host whose agent answers at once (or when released), recording which batches it saw */
class FakeHost implements WatchHost {
  readonly seen: string[] = [];
  readonly logs: string[] = [];
  /** next actions to answer, with the constraint rules behind them */
  answers: Array<{ action: Action; rules?: string[] }> = [];
  hold?: Promise<void>;
  private n = 0;
  constructor(
    readonly workspace: string,
    private readonly overrides: ConfigInput = {},
  ) {}
  config() {
    return loadConfig(this.workspace, this.overrides, {});
  }
  resolve(p: string): string {
    return path.resolve(this.workspace, p);
  }
  log(m: string): void {
    this.logs.push(m);
  }
  async run(_m: string, params: { current: string }, opts: { signal: AbortSignal }): Promise<AgentResult> {
    this.seen.push(path.basename(params.current));
    if (this.hold) {
      await Promise.race([this.hold, new Promise((_, reject) => opts.signal.addEventListener('abort', () => reject(new CancelledError('runAgent'))))]);
    }
    const a = this.answers.shift() ?? { action: 'MONITOR' };
    const id = `dec-test-${++this.n}`;
    const decision = { id, action: a.action, confidence: 0.8, rationale: 'test', considerations: [], risks: [], source: 'policy' as const, created_at: new Date().toISOString() };
    writeDecision(this.workspace, {
      id,
      created_at: decision.created_at,
      decision,
      context: context(),
      reasoning: { prompt: [], raw_llm: null, llm_mode: null, llm_model: null, parsed_llm: null, policy: { ...decision, rules: a.rules ?? [] } },
    });
    const plan = { id: `plan-${this.n}`, decision_id: id, goal: 'g', urgency: 'low' as const, autonomy: 'suggest' as const, status: 'planned' as const, steps: [], created_at: '', updated_at: '' };
    return { decision, plan, report: report({ drifted: 1 }) };
  }
}

const until = async (cond: () => boolean, ms = 8000): Promise<void> => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

function batch(ws: string, name: string, rows = 3): string {
  const f = path.join(ws, 'incoming', name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, `a,b\n${Array.from({ length: rows }, (_, i) => `${i},${i}`).join('\n')}\n`);
  return f;
}

const state = (ws: string): Record<string, { status: string; action?: string }> => JSON.parse(fs.readFileSync(watchStateFile(ws), 'utf8')).batches;

describe('watch/watchPipeline: the daemon and the editor share it', () => {
  let ws: string;
  const opts = { folders: ['incoming'], intervalSeconds: 1, settleMs: 30 };
  beforeEach(() => {
    ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dc-watch-')));
  });
  afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

  it('first start: what is there is history; a new batch is processed once; a restart does not process it again; one that arrived while down is', async () => {
    batch(ws, 'old.csv');
    const host = new FakeHost(ws);
    let p = await WatchPipeline.start(host, opts);
    batch(ws, 'new1.csv');
    await until(() => state(ws)['incoming/new1.csv']?.status === 'done');
    await p.stop();
    assert.deepEqual(host.seen, ['new1.csv']);
    assert.equal(state(ws)['incoming/old.csv'].status, 'skipped');
    assert.equal(state(ws)['incoming/new1.csv'].action, 'MONITOR');

    batch(ws, 'while-down.csv');
    p = await WatchPipeline.start(host, opts);
    await until(() => state(ws)['incoming/while-down.csv']?.status === 'done');
    await new Promise((r) => setTimeout(r, 300));
    await p.stop();
    assert.deepEqual(host.seen, ['new1.csv', 'while-down.csv']);
  });

  it('a batch cancelled by a stop goes back to queued and is processed on the next start', async () => {
    const host = new FakeHost(ws);
    let release!: () => void;
    host.hold = new Promise<void>((r) => (release = r));
    let p = await WatchPipeline.start(host, opts);
    batch(ws, 'slow.csv');
    await until(() => host.seen.length === 1);
    await p.stop(50); // grace runs out: cancelled
    assert.equal(state(ws)['incoming/slow.csv'].status, 'queued');
    release();
    host.hold = undefined;
    p = await WatchPipeline.start(host, opts);
    await until(() => state(ws)['incoming/slow.csv'].status === 'done');
    await p.stop();
    assert.deepEqual(host.seen, ['slow.csv', 'slow.csv']);
  });

  it('within the grace period a running batch finishes instead of being cancelled', async () => {
    const host = new FakeHost(ws);
    let release!: () => void;
    host.hold = new Promise<void>((r) => (release = r));
    const p = await WatchPipeline.start(host, opts);
    batch(ws, 'b.csv');
    await until(() => host.seen.length === 1);
    setTimeout(release, 100);
    await p.stop(5000);
    assert.equal(state(ws)['incoming/b.csv'].status, 'done');
  });

  it('one process watches a workspace at a time', async () => {
    const p = await WatchPipeline.start(new FakeHost(ws), opts);
    try {
      await assert.rejects(WatchPipeline.start(new FakeHost(ws), opts), /another process already watches .* \(pid \d+\)/);
    } finally {
      await p.stop();
    }
    await (await WatchPipeline.start(new FakeHost(ws), opts)).stop(); // released on stop
  });

  it('with a cron schedule, batches wait for the tick', async () => {
    const host = new FakeHost(ws);
    const p = await WatchPipeline.start(host, { ...opts, schedule: '*/2 * * * * *' });
    batch(ws, 's.csv');
    await until(() => state(ws)['incoming/s.csv']?.status === 'queued');
    assert.match(p.status().next_tick ?? '', /^\d{4}-/);
    await until(() => state(ws)['incoming/s.csv'].status === 'done', 5000);
    await p.stop();
  });

  it('a retrain deferred by the maintenance window / minimum gap is handed to the agent again when they allow it', async () => {
    const host = new FakeHost(ws, { agent: { maintenanceWindow: '' } });
    host.answers = [{ action: 'MONITOR', rules: ['R2', 'C3'] }, { action: 'RETRAIN' }];
    const p = await WatchPipeline.start(host, opts);
    batch(ws, 'd.csv');
    await until(() => host.seen.length === 2, 6000); // deferred, then retried on the next maintenance tick
    await until(() => state(ws)['incoming/d.csv'].status === 'done');
    assert.equal(state(ws)['incoming/d.csv'].action, 'RETRAIN');
    await p.stop();
  });

  it('cron strings are checked at the boundary, with a one-line reason', () => {
    assert.equal(CronSchema.safeParse('0 2 * * *').success, true);
    const bad = CronSchema.safeParse('61 * * * *');
    assert.equal(bad.success, false);
    assert.match(bad.error?.issues[0].message ?? '', /'61 \* \* \* \*' is not a cron schedule: .*minute/i);
  });
});
