import { parentPort, workerData } from 'node:worker_threads';
import { ConfigSchema } from '../config';
import type { EngineContext } from '../engine';
import { DriftCatcherError, errorMessage } from '../util/errors';
import { operationFor } from '../operations';
import { throttleProgress } from './progressThrottle';
import { FromWorker, JobRequestSchema, ToWorkerSchema } from './workerMessages';

/**
 * A generic job worker: runs one engine operation (the same function the CLI calls) off the server's main
 * thread, so a long job never delays other requests. Progress, notifications and the outcome go back as
 * messages; a `cancel` message aborts the operation's signal (the main thread terminates the worker if
 * the operation does not stop in time).
 */
function main(): void {
  const port = parentPort;
  if (!port) throw new Error('jobWorker must run as a worker thread');
  const post = (m: FromWorker): void => port.postMessage(m);
  const aborter = new AbortController();
  port.on('message', (m: unknown) => {
    if (ToWorkerSchema.safeParse(m).success) aborter.abort();
  });

  run(aborter.signal, post).then(
    (result) => post({ type: 'result', result }),
    (e: unknown) => post({ type: 'error', message: errorMessage(e), code: e instanceof DriftCatcherError ? e.code : 'INTERNAL' }),
  );
}

async function run(signal: AbortSignal, post: (m: FromWorker) => void): Promise<unknown> {
  const job = JobRequestSchema.parse(workerData);
  const op = operationFor(job.method);
  if (!op) throw new DriftCatcherError(`unknown method ${job.method}`, 'INTERNAL');
  const ctx: EngineContext = {
    workspace: job.workspace,
    config: ConfigSchema.parse(job.config),
    signal,
    progress: throttleProgress((percentage, message) => post({ type: 'progress', percentage, message }), 50),
    notify: (method, params) => post({ type: 'notify', method, params }),
    log: (message) => post({ type: 'log', message }),
  };
  return op.run(ctx, job.params as never);
}

main();
