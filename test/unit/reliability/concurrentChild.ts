import * as path from 'node:path';
import { FileStore } from '../../../src/core/tracking/fileStore';
import { fakeVersion } from '../model/registryFixtures';

/** Child for the cross-process concurrency test: commits `n` versions and opens/closes `n` runs, all at once with its siblings. */
async function main(): Promise<void> {
  const [ws, n] = [process.argv[2], Number(process.argv[3])];
  const store = new FileStore(path.join(ws, 'mlruns'));
  await Promise.all(
    Array.from({ length: n }, async (_, i) => {
      await fakeVersion(ws);
      const exp = await store.getOrCreateExperiment('concurrency');
      const run = store.createRun(exp, { name: `${process.pid}-${i}` });
      store.endRun(run.dir, 'FINISHED');
    }),
  );
}
main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(3);
});
