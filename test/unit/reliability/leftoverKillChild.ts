import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig, stateDir } from '../../../src/core/config';
import type { EngineContext } from '../../../src/core/engine';
import type { Plan } from '../../../src/core/protocol';
import { commitVersion, createStagingDir, discardStagingDir } from '../../../src/core/model/registry';
import { FileStore } from '../../../src/core/tracking/fileStore';
import { savePlan } from '../../../src/core/agent/planStore';
import { withLock } from '../../../src/core/util/lock';
import { fakeMetrics } from '../model/registryFixtures';

/**
 * Child process for the crash-leftover kill trials: forever stages a model version (a few MB), opens an MLflow run,
 * marks a plan running and takes the baseline lock, then commits or discards and closes everything, printing
 * "ready" after the first round, until the parent kills it with SIGKILL at a random moment.
 */
async function main(): Promise<void> {
  const ws = process.argv[2];
  const ctx: EngineContext = { workspace: ws, config: loadConfig(ws, {}, {}) };
  const store = new FileStore(path.join(ws, 'mlruns'));
  const blob = Buffer.alloc(2 << 20, 7);
  for (let i = 0; ; i++) {
    const staging = createStagingDir(ws);
    fs.writeFileSync(path.join(staging, 'model.json'), blob);
    const exp = await store.getOrCreateExperiment('kill trials');
    const run = store.createRun(exp, { name: `round ${i}` });
    store.logMetrics(run.dir, { round: i });
    const plan: Plan = {
      id: `plan-${process.pid}-${i}`,
      decision_id: 'd',
      goal: 'kill trial',
      urgency: 'normal',
      autonomy: 'autonomous',
      status: 'running',
      steps: [],
      created_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    };
    savePlan(ctx, plan);
    await withLock(path.join(stateDir(ws), 'baseline.lock'), () => new Promise((r) => setTimeout(r, 3)));
    if (i % 2) discardStagingDir(staging);
    else {
      await commitVersion(ws, staging, {
        created_at: new Date().toISOString(),
        metrics: fakeMetrics(0.9),
        lineage: [],
        train_rows: 1,
        train_seconds: 0,
        features: ['f1'],
        label: 'Label',
        classes: ['a', 'b'],
        trees: 1,
      });
    }
    store.endRun(run.dir, 'FINISHED');
    plan.status = 'completed';
    savePlan(ctx, plan);
    if (i === 0) process.stdout.write('ready\n');
  }
}
main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(3);
});
