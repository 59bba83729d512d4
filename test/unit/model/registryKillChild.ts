import { ctxFor } from './registryFixtures';
import { rollback } from '../../../src/core/model/registry';
import { deploy } from '../../../src/core/model/deploy';

/**
 * Child process for the crash test: deploys and rolls back forever on the workspace given as argv[2],
 * printing "ready" once the loop runs, until the parent kills it with SIGKILL.
 */
async function main(): Promise<void> {
  const ctx = ctxFor(process.argv[2]);
  const versions = process.argv.slice(3);
  let announced = false;
  for (let i = 0; ; i++) {
    await deploy(ctx, { version: versions[i % versions.length] });
    if (i % 3 === 2) await rollback(ctx).catch(() => undefined);
    if (!announced) {
      process.stdout.write('ready\n');
      announced = true;
    }
  }
}
main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(3);
});
