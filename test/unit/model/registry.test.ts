import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  deploymentHistory,
  getVersion,
  listVersions,
  productionVersion,
  readPointer,
  recordValidation,
  rollback,
  versionDir,
} from '../../../src/core/model/registry';
import { deploy } from '../../../src/core/model/deploy';
import { DriftCatcherError } from '../../../src/core/util/errors';
import { ctxFor, fakeValidation, fakeVersion, tempWorkspace } from './registryFixtures';
import { uniform } from '../../../src/core/util/random';

async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof DriftCatcherError && e.code === code && pattern.test(e.message));
}

describe('model registry', () => {
  it('numbers versions v1, v2, … and lists them as candidates', async () => {
    const ws = tempWorkspace();
    const a = await fakeVersion(ws);
    const b = await fakeVersion(ws);
    assert.equal(a.version, 'v1');
    assert.equal(b.version, 'v2');
    assert.deepEqual(
      listVersions(ws).map((m) => [m.version, m.status]),
      [
        ['v1', 'candidate'],
        ['v2', 'candidate'],
      ],
    );
    assert.equal(productionVersion(ws), undefined);
  });

  it('gives distinct numbers to versions committed concurrently', async () => {
    const ws = tempWorkspace();
    const metas = await Promise.all([1, 2, 3, 4].map(() => fakeVersion(ws)));
    assert.deepEqual(metas.map((m) => m.version).sort(), ['v1', 'v2', 'v3', 'v4']);
  });

  it('refuses to deploy a never-validated or failed version with code GATE', async () => {
    const ws = tempWorkspace();
    const ctx = ctxFor(ws);
    await fakeVersion(ws);
    await rejectsWith(deploy(ctx, { version: 'v1' }), 'GATE', /never validated/);
    await recordValidation(ws, fakeValidation('v1', false));
    assert.equal(getVersion(ws, 'v1').status, 'rejected');
    await rejectsWith(deploy(ctx, { version: 'v1' }), 'GATE', /failed its validation gate \(accuracy 0\.5000 < 0\.9000\)/);
    assert.equal(productionVersion(ws), undefined);
    await rejectsWith(deploy(ctx, { version: 'v9' }), 'NOT_FOUND', /v9 does not exist/);
    await rejectsWith(deploy(ctx, { version: 'latest' }), 'BAD_INPUT', /not a model version/);
  });

  it('deploys the newest candidate by default, archives the previous production, rolls back', async () => {
    const ws = tempWorkspace();
    const ctx = ctxFor(ws);
    const notified: string[] = [];
    ctx.notify = (_m, p) => notified.push((p as { production?: string }).production ?? '-');
    await fakeVersion(ws, { passed: true });
    assert.equal((await deploy(ctx)).version, 'v1');
    await fakeVersion(ws, { passed: true });
    await fakeVersion(ws, { passed: false });
    const d = await deploy(ctx);
    assert.equal(d.version, 'v2');
    assert.equal(d.status, 'production');
    assert.deepEqual(
      listVersions(ws).map((m) => m.status),
      ['archived', 'production', 'rejected'],
    );
    const r = await rollback(ctx);
    assert.equal(r.version, 'v1');
    assert.equal(productionVersion(ws), 'v1');
    assert.deepEqual(
      listVersions(ws).map((m) => m.status),
      ['production', 'archived', 'rejected'],
    );
    await rejectsWith(rollback(ctx), 'REGISTRY', /no previous production version/);
    assert.deepEqual(
      deploymentHistory(ws).map((e) => `${e.action}:${e.version}`),
      ['deploy:v1', 'deploy:v2', 'rollback:v1'],
    );
    assert.deepEqual(notified, ['v1', 'v2', 'v1']);
    // nothing deleted: every version directory is still there
    for (const v of ['v1', 'v2', 'v3']) assert.ok(fs.existsSync(path.join(versionDir(ws, v), 'model.json')));
  });

  it('rollback walks back through several deploys', async () => {
    const ws = tempWorkspace();
    const ctx = ctxFor(ws);
    for (let i = 0; i < 3; i++) {
      await fakeVersion(ws, { passed: true });
      await deploy(ctx);
    }
    assert.equal((await rollback(ctx)).version, 'v2');
    assert.equal((await rollback(ctx)).version, 'v1');
  });

  it('reconciles a stale production status left by a crash between two writes', async () => {
    const ws = tempWorkspace();
    const ctx = ctxFor(ws);
    await fakeVersion(ws, { passed: true });
    await fakeVersion(ws, { passed: true });
    await deploy(ctx, { version: 'v1' });
    // simulate a crash right after production.json switched to v2, before any meta.json was updated
    fs.writeFileSync(path.join(ws, '.driftcatcher', 'production.json'), JSON.stringify({ version: 'v2', stack: ['v1', 'v2'] }));
    const statuses = listVersions(ws).map((m) => m.status);
    assert.deepEqual(statuses, ['archived', 'production']);
  });

  it('reports a corrupt production pointer with the file name', () => {
    const ws = tempWorkspace();
    fs.mkdirSync(path.join(ws, '.driftcatcher'), { recursive: true });
    fs.writeFileSync(path.join(ws, '.driftcatcher', 'production.json'), '{"version": 3}');
    assert.throws(() => readPointer(ws), (e: unknown) => e instanceof DriftCatcherError && /production pointer is malformed at version.*production\.json/.test(e.message));
  });

  it('survives kill -9 of a process deploying and rolling back', async function () {
    this.timeout(120_000);
    const ws = tempWorkspace();
    // equal models: every deploy re-validates against the production of the moment, and this gate lets them all through
    fs.writeFileSync(path.join(ws, 'driftcatcher.config.json'), JSON.stringify({ validation: { metrics: {}, guarded: [], beatMajority: false } }));
    for (let i = 0; i < 3; i++) await fakeVersion(ws, { passed: true });
    const child = path.join(__dirname, 'registryKillChild.js');
    const rand = uniform(12345);
    const seen = new Set<string>();
    for (let round = 0; round < 10; round++) {
      const proc = spawn(process.execPath, [child, ws, 'v1', 'v2', 'v3'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      proc.stderr.on('data', (d) => (stderr += d));
      // wait until the loop is running, then kill at a random moment inside it
      await new Promise<void>((resolve, reject) => {
        proc.stdout.once('data', () => resolve());
        proc.once('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
      });
      await new Promise((r) => setTimeout(r, 5 + Math.floor(rand() * 150)));
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await exited;

      const pointer = readPointer(ws);
      assert.ok(pointer, 'production.json must exist and parse');
      const versions = listVersions(ws);
      assert.equal(versions.length, 3);
      const prod = versions.filter((m) => m.status === 'production');
      assert.equal(prod.length, 1, `exactly one production version after kill ${round}: ${JSON.stringify(versions.map((m) => m.status))}`);
      assert.equal(prod[0].version, pointer.version);
      seen.add(pointer.version);
      // the registry is still writable: the dead child's lock is taken over
      await deploy(ctxFor(ws), { version: pointer.version === 'v1' ? 'v2' : 'v1' });
    }
    assert.ok(seen.size >= 1);
  });
});
