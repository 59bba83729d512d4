import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { CancelledError, DriftCatcherError, type ErrorCode } from '../util/errors';
import { workerScript } from '../util/workerPath';
import type { ChatReply, ChatRequest } from '../protocol';
import { FromWorkerSchema, type JobRequest, type ToWorker } from './workerMessages';

export interface JobHooks {
  progress(percentage: number | undefined, message: string): void;
  notify(method: string, params: unknown): void;
  log(message: string): void;
  /** after a worker was terminated because it did not stop by itself: remove what it may have left */
  afterKill?(): void;
  /** the editor's chat model, when a client offers one (the worker's operation asks it through the main thread) */
  chat?(request: ChatRequest): Promise<ChatReply>;
}

/** how long a cancelled operation may take to stop by itself before its worker is terminated */
const CANCEL_GRACE_MS = 400;

/**
 * Runs one operation in a fresh worker thread. Aborting `signal` first asks the operation to stop (its
 * AbortSignal, so it can remove its temp files), then terminates the worker, so the promise settles with
 * a CancelledError well within a second.
 */
export function runInWorker(job: JobRequest, hooks: JobHooks, signal: AbortSignal): Promise<unknown> {
  if (signal.aborted) return Promise.reject(new CancelledError(job.method));
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerScript('server/jobWorker'), { workerData: job, stdout: true, stderr: true });
    // operations must not write to stdout (it carries the protocol in stdio mode): route it to the log
    worker.stdout.on('data', (d: Buffer) => hooks.log(d.toString().trimEnd()));
    worker.stderr.on('data', (d: Buffer) => hooks.log(d.toString().trimEnd()));
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      void worker.terminate();
      fn();
    };
    const onAbort = (): void => {
      worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      killTimer = setTimeout(() => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        worker.terminate().then(
          () => {
            try {
              hooks.afterKill?.();
            } finally {
              reject(new CancelledError(job.method));
            }
          },
          () => reject(new CancelledError(job.method)),
        );
      }, CANCEL_GRACE_MS);
    };
    signal.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (raw: unknown) => {
      const parsed = FromWorkerSchema.safeParse(raw);
      if (!parsed.success) return hooks.log(`ignored a malformed message from the ${job.method} worker`);
      const m = parsed.data;
      switch (m.type) {
        case 'progress':
          if (!signal.aborted) hooks.progress(m.percentage, m.message);
          return;
        case 'notify':
          return hooks.notify(m.method, m.params);
        case 'log':
          return hooks.log(m.message);
        case 'chat': {
          const reply = (r: Omit<Extract<ToWorker, { type: 'chatReply' }>, 'type' | 'id'>) => {
            if (!settled) worker.postMessage({ type: 'chatReply', id: m.id, ...r } satisfies ToWorker);
          };
          if (!hooks.chat) return reply({ error: 'no editor is connected to this server' });
          hooks.chat(m.request).then(
            (answer) => reply({ text: answer.text, model: answer.model }),
            (e: unknown) => reply({ error: e instanceof Error ? e.message : String(e) }),
          );
          return;
        }
        case 'result':
          return finish(() => (signal.aborted ? reject(new CancelledError(job.method)) : resolve(m.result)));
        case 'error':
          return finish(() =>
            reject(signal.aborted ? new CancelledError(job.method) : new DriftCatcherError(m.message, m.code as ErrorCode)),
          );
      }
    });
    worker.on('error', (e) => finish(() => reject(new DriftCatcherError(`the ${job.method} worker crashed: ${e.message}`, 'INTERNAL'))));
    worker.on('exit', (code) =>
      finish(() =>
        reject(signal.aborted ? new CancelledError(job.method) : new DriftCatcherError(`the ${job.method} worker exited (code ${code})`, 'INTERNAL')),
      ),
    );
  });
}

/**
 * Admission for worker jobs: at most `limit` run at once, and jobs sharing an exclusive class (a retrain)
 * run one after another in arrival order. A job cancelled while waiting never starts.
 */
export class JobScheduler {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly exclusiveTail = new Map<string, Promise<unknown>>();

  constructor(private readonly limit = Math.max(2, os.cpus().length)) {}

  run<T>(exclusive: string | undefined, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    if (!exclusive) return this.withSlot(signal, fn);
    const prev = this.exclusiveTail.get(exclusive) ?? Promise.resolve();
    let started = false;
    const start = (): Promise<T> => {
      started = true;
      return this.withSlot(signal, fn);
    };
    const next = prev.then(start, start);
    const tail = next.catch(() => undefined);
    this.exclusiveTail.set(exclusive, tail);
    void tail.then(() => {
      if (this.exclusiveTail.get(exclusive) === tail) this.exclusiveTail.delete(exclusive);
    });
    // a queued job cancelled before its turn answers at once (its place in the chain then passes through);
    // a started one answers when its worker has really stopped
    return rejectOnAbort(next, signal, () => !started);
  }

  /** jobs running or waiting (for tests and the log) */
  get busy(): number {
    return this.running + this.waiting.length;
  }

  private async withSlot<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    if (signal.aborted) throw new CancelledError();
    if (this.running >= this.limit) {
      // wait for a free slot, or leave the line at once when cancelled
      await new Promise<void>((resolve, reject) => {
        const take = (): void => {
          signal.removeEventListener('abort', leave);
          resolve();
        };
        const leave = (): void => {
          this.waiting.splice(this.waiting.indexOf(take), 1);
          reject(new CancelledError());
        };
        this.waiting.push(take);
        signal.addEventListener('abort', leave, { once: true });
      });
    }
    this.running++;
    try {
      if (signal.aborted) throw new CancelledError();
      return await fn();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}

function rejectOnAbort<T>(p: Promise<T>, signal: AbortSignal, stillWaiting: () => boolean): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      if (stillWaiting()) reject(new CancelledError());
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
