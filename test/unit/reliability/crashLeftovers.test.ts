import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig, stateDir } from '../../../src/core/config';
import { listModels, modelsDir } from '../../../src/core/model/registry';
import { FileStore, PROCESS_TAG } from '../../../src/core/tracking/fileStore';
import { listPlanFiles, plansDir } from '../../../src/core/agent/planStore';
import { acquireLock } from '../../../src/core/util/lock';
import { cleanupAfterKill } from '../../../src/core/server/killCleanup';
import { formatIdentity, processStartTime } from '../../../src/core/util/processIdentity';
import { runCli } from '../../../src/core/cli/main';
import { fakeVersion } from '../model/registryFixtures';
import { uniform } from '../../../src/core/util/random';

/**
 * What a crash leaves behind is cleaned or reconciled on the next operation: staging folders of dead processes,
 * stale locks (also when the pid was reused), MLflow runs left RUNNING (marked FAILED with an end time), plans
 * left running (shown as interrupted). Ends with kill -9 trials at random moments.
 */

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'dc-leftovers-'));
const ctxFor = (ws: string) => ({ workspace: ws, config: loadConfig(ws, {}, {}) });

/** the pid of a process that has exited (a real, finished child) */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

/** a child that sleeps until killed, started now */
function sleeper(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
}

function stagingDirs(ws: string): string[] {
  return fs.existsSync(modelsDir(ws)) ? fs.readdirSync(modelsDir(ws)).filter((n) => n.startsWith('.staging-')) : [];
}

function writeLock(dir: string, owner: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'owner'), `${owner}\n`);
}

describe('crash leftovers are cleaned or reconciled', function () {
  this.timeout(120_000);
  const children: ChildProcess[] = [];
  after(() => children.forEach((c) => c.kill('SIGKILL')));

  it('staging folders of dead processes go on the next registry operation; live ones stay', async () => {
    const ws = tmp();
    fs.mkdirSync(modelsDir(ws), { recursive: true });
    const dead = path.join(modelsDir(ws), `.staging-${deadPid()}-dead1234`);
    fs.mkdirSync(dead);
    fs.writeFileSync(path.join(dead, 'model.json'), Buffer.alloc(1 << 20));
    const live = sleeper();
    children.push(live);
    const alive = path.join(modelsDir(ws), `.staging-${live.pid}-live1234`);
    fs.mkdirSync(alive);
    await listModels(ctxFor(ws), {});
    assert.deepEqual(stagingDirs(ws), [`.staging-${live.pid}-live1234`]);
    await fakeVersion(ws); // a registry write sweeps too
    assert.equal(fs.existsSync(alive), true);
  });

  it('a staging folder whose pid now belongs to a younger process is a leftover too (pid reuse)', async () => {
    const ws = tmp();
    fs.mkdirSync(modelsDir(ws), { recursive: true });
    const made = path.join(modelsDir(ws), '.staging-tmp');
    fs.mkdirSync(made);
    await new Promise((r) => setTimeout(r, 2300));
    const younger = sleeper();
    children.push(younger);
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(processStartTime(younger.pid!) !== undefined, 'this test needs /proc');
    fs.renameSync(made, path.join(modelsDir(ws), `.staging-${younger.pid}-reused`));
    await listModels(ctxFor(ws), {});
    assert.deepEqual(stagingDirs(ws), []);
  });

  it('locks of dead owners are removed on the next registry operation and taken over at once, also after pid reuse', async () => {
    const ws = tmp();
    const host = os.hostname();
    writeLock(path.join(stateDir(ws), 'baseline.lock'), `pid=${deadPid()} started=1 host=${host}`);
    writeLock(path.join(stateDir(ws), 'tracking-mlruns.lock'), String(deadPid())); // the old owner format
    const live = sleeper();
    children.push(live);
    await new Promise((r) => setTimeout(r, 100));
    writeLock(path.join(stateDir(ws), 'registry-mlruns.lock'), `pid=${live.pid} started=${processStartTime(live.pid!)} host=${host}`);
    await listModels(ctxFor(ws), {});
    assert.deepEqual(fs.readdirSync(stateDir(ws)).filter((n) => n.endsWith('.lock')), ['registry-mlruns.lock'], 'only the live owner keeps its lock');
    // the same live pid with an older start time: the pid was reused, the lock is stale and taken over at once
    const reused = path.join(stateDir(ws), 'reused.lock');
    writeLock(reused, `pid=${live.pid} started=${Date.now() - 3_600_000} host=${host}`);
    const t0 = Date.now();
    const release = await acquireLock(reused, 2000);
    assert.ok(Date.now() - t0 < 1500);
    release();
  });

  it("a stopped job's locks in this process are removed (baseline, plans, tracking), not only the registry's", () => {
    const ws = tmp();
    writeLock(path.join(stateDir(ws), 'baseline.lock'), formatIdentity());
    writeLock(path.join(plansDir(ws), '.plan-1.lock'), formatIdentity());
    writeLock(path.join(stateDir(ws), 'lock'), formatIdentity());
    const removed = cleanupAfterKill(ws, false, true).map((p) => path.basename(p)).sort();
    assert.deepEqual(removed, ['.plan-1.lock', 'baseline.lock', 'lock']);
  });

  it('MLflow runs left RUNNING by a dead process are marked FAILED with an end time; others stay as they are', async () => {
    const ws = tmp();
    const store = new FileStore(path.join(ws, 'mlruns'));
    const exp = await store.getOrCreateExperiment('e');
    const orphan = store.createRun(exp, { name: 'orphan', tags: { [PROCESS_TAG]: `pid=${deadPid()} host=${os.hostname()}` } });
    const mine = store.createRun(exp, { name: 'mine' });
    const foreign = store.createRun(exp, { name: 'foreign' });
    fs.rmSync(path.join(foreign.dir, 'tags', PROCESS_TAG)); // a run of another tool (no owner tag)
    const runs = new Map(store.listRuns().map((r) => [r.name, r]));
    assert.equal(runs.get('orphan')?.status, 'FAILED');
    assert.ok((runs.get('orphan')?.end_time ?? 0) > 0);
    assert.equal(runs.get('mine')?.status, 'RUNNING');
    assert.equal(runs.get('foreign')?.status, 'RUNNING');
    assert.match(fs.readFileSync(path.join(orphan.dir, 'meta.yaml'), 'utf8'), /status: 4/);
    assert.ok(mine);
  });

  it('a lock is placed whole (owner inside, then renamed into place): dying while writing its owner leaves no lock, and a dead placer\'s temporary folder is swept', async () => {
    const ws = tmp();
    const lock = path.join(stateDir(ws), 'baseline.lock');
    // the process "dies" while writing the owner file: no lock may exist without its owner (it would block for seconds)
    // (the module object itself: `import * as fs` is a read-only view of it)
    const nodeFs = module.require('node:fs') as { writeFileSync: typeof fs.writeFileSync };
    const write = nodeFs.writeFileSync;
    nodeFs.writeFileSync = (file: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
      if (typeof file === 'string' && path.basename(file) === 'owner') throw Object.assign(new Error('killed'), { code: 'EIO' });
      return (write as (...a: unknown[]) => void)(file, ...rest);
    };
    try {
      await assert.rejects(acquireLock(lock, 300), /killed/);
    } finally {
      nodeFs.writeFileSync = write;
    }
    assert.equal(fs.existsSync(lock), false, 'no ownerless lock');
    // what a kill between the owner file and the rename leaves: a temporary folder naming its dead owner
    writeLock(path.join(stateDir(ws), `.baseline.lock.${deadPid()}.0a1b2c3d.tmp`), `pid=${deadPid()} started=1 host=${os.hostname()}`);
    const t0 = Date.now();
    const release = await acquireLock(lock, 2000);
    assert.ok(Date.now() - t0 < 500, 'the lock itself was free');
    await assert.rejects(acquireLock(lock, 300), /holds the lock/);
    release();
    await listModels(ctxFor(ws), {});
    assert.deepEqual(fs.readdirSync(stateDir(ws)), [], 'the dead placer\'s temporary folder was swept, no attempt left one');
  });

  it('plans left running by a dead process read back as interrupted (CLI and protocol)', async () => {
    const ws = tmp();
    fs.mkdirSync(plansDir(ws), { recursive: true });
    const plan = (id: string, owner?: string) => ({
      id,
      decision_id: 'd',
      goal: 'retrain',
      urgency: 'normal',
      autonomy: 'autonomous',
      status: 'running',
      steps: [],
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
      ...(owner ? { owner } : {}),
    });
    fs.writeFileSync(path.join(plansDir(ws), 'p-dead.json'), JSON.stringify(plan('p-dead', `pid=${deadPid()} host=${os.hostname()}`)));
    fs.writeFileSync(path.join(plansDir(ws), 'p-live.json'), JSON.stringify(plan('p-live', formatIdentity())));
    const plans = new Map(listPlanFiles(ws).map((p) => [p.id, p]));
    assert.equal(plans.get('p-dead')?.interrupted, true);
    assert.equal(plans.get('p-live')?.interrupted, undefined);
    let out = '';
    await runCli(['agent', 'list', '--workspace', ws], { stdout: (s) => void (out += s), stderr: () => undefined });
    assert.match(out, /p-dead\s+interrupted/);
    assert.match(out, /p-live\s+running/);
  });

  it('4 processes committing 5 versions and 5 runs each at once: 20 distinct versions, one experiment, nothing left over', async () => {
    const ws = tmp();
    const child = path.join(__dirname, 'concurrentChild.js');
    const procs = Array.from({ length: 4 }, () => spawn(process.execPath, [child, ws, '5'], { stdio: ['ignore', 'ignore', 'pipe'] }));
    const codes = await Promise.all(procs.map((p) => new Promise<number | null>((resolve) => p.once('exit', resolve))));
    assert.deepEqual(codes, [0, 0, 0, 0]);
    const versions = (await listModels(ctxFor(ws), {})).map((m) => m.version);
    assert.deepEqual(versions, Array.from({ length: 20 }, (_, i) => `v${i + 1}`));
    const store = new FileStore(path.join(ws, 'mlruns'));
    assert.equal(store.experiments().filter((e) => e.name === 'concurrency').length, 1);
    assert.equal(store.listRuns('concurrency').filter((r) => r.status === 'FINISHED').length, 20);
    assert.deepEqual(stagingDirs(ws), []);
    assert.deepEqual(fs.readdirSync(stateDir(ws)).filter((n) => n.endsWith('lock')), []);
  });

  it('kill -9 at random moments (12 trials): nothing is left behind after the next operations', async function () {
    this.timeout(240_000);
    const ws = tmp();
    const child = path.join(__dirname, 'leftoverKillChild.js');
    const rand = uniform(4242);
    const seen = { staging: 0, running: 0, plans: 0, locks: 0 };
    for (let round = 0; round < 12; round++) {
      const proc = spawn(process.execPath, [child, ws], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(proc);
      let stderr = '';
      proc.stderr!.on('data', (d) => (stderr += d));
      await new Promise<void>((resolve, reject) => {
        proc.stdout!.once('data', () => resolve());
        proc.once('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
      });
      await new Promise((r) => setTimeout(r, Math.floor(rand() * 60)));
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
      seen.staging += stagingDirs(ws).length;
      seen.locks += fs.readdirSync(stateDir(ws)).filter((n) => n.endsWith('lock')).length;
      // the next operations: list models (sweeps the registry), list runs, list plans
      await listModels(ctxFor(ws), {});
      const runs = new FileStore(path.join(ws, 'mlruns')).listRuns();
      const plans = listPlanFiles(ws);
      seen.running += runs.filter((r) => r.status === 'FAILED').length;
      seen.plans += plans.filter((p) => p.interrupted).length;
      assert.deepEqual(stagingDirs(ws), [], `round ${round}: staging folders left`);
      assert.deepEqual(fs.readdirSync(stateDir(ws)).filter((n) => n.endsWith('lock')), [], `round ${round}: locks left`);
      assert.deepEqual(runs.filter((r) => r.status === 'RUNNING').map((r) => r.name), [], `round ${round}: runs left RUNNING`);
      assert.deepEqual(plans.filter((p) => p.status === 'running' && !p.interrupted).map((p) => p.id), [], `round ${round}: plans shown running`);
    }
    console.log(`      leftovers found after 12 kills and cleaned by the next operations: ${JSON.stringify(seen)}`);
    // the kills really landed mid-round at least sometimes
    assert.ok(seen.staging + seen.running + seen.plans > 0, JSON.stringify(seen));
  });
});
