import { parentPort, workerData } from 'node:worker_threads';
import { reviveConfig } from '../config';
import type { EngineContext } from '../engine';
import type { ChatReply, ChatRequest } from '../protocol';
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
  const chats = new Map<number, { resolve: (r: ChatReply) => void; reject: (e: Error) => void }>();
  port.on('message', (raw: unknown) => {
    const m = ToWorkerSchema.safeParse(raw);
    if (!m.success) return;
    if (m.data.type === 'cancel') return aborter.abort();
    const waiting = chats.get(m.data.id);
    chats.delete(m.data.id);
    if (m.data.error !== undefined || m.data.text === undefined) waiting?.reject(new Error(m.data.error ?? 'no answer'));
    else waiting?.resolve({ text: m.data.text, model: m.data.model ?? 'unknown' });
  });
  let nextChat = 0;
  const chat = (request: ChatRequest): Promise<ChatReply> =>
    new Promise((resolve, reject) => {
      const id = ++nextChat;
      chats.set(id, { resolve, reject });
      post({ type: 'chat', id, request });
    });

  run(aborter.signal, post, chat).then(
    (result) => post({ type: 'result', result }),
    (e: unknown) => post({ type: 'error', message: errorMessage(e), code: e instanceof DriftCatcherError ? e.code : 'INTERNAL' }),
  );
}

async function run(signal: AbortSignal, post: (m: FromWorker) => void, chat: EngineContext['chat']): Promise<unknown> {
  const job = JobRequestSchema.parse(workerData);
  const op = operationFor(job.method);
  if (!op) throw new DriftCatcherError(`unknown method ${job.method}`, 'INTERNAL');
  const ctx: EngineContext = {
    workspace: job.workspace,
    config: reviveConfig(job.config),
    signal,
    progress: throttleProgress((percentage, message) => post({ type: 'progress', percentage, message }), 50),
    notify: (method, params) => post({ type: 'notify', method, params }),
    log: (message) => post({ type: 'log', message }),
    chat,
  };
  return op.run(ctx, job.params as never);
}

main();
