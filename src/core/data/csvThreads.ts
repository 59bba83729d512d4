import { Worker } from 'node:worker_threads';
import { workerScript } from '../util/workerPath';

/**
 * The CSV worker threads (data/csvWorker.ts), kept for a moment after a task: a drift check reads its baseline in
 * byte ranges and then its current file, and the second read gets the threads of the first — already started and
 * with their parser compiled — instead of paying for new ones. Idle threads do not keep the process alive and end
 * after IDLE_MS; a thread whose task failed or was cancelled is ended, never reused.
 */

/** an idle thread ends after this long */
const IDLE_MS = 2_000;

interface Idle {
  worker: Worker;
  timer: NodeJS.Timeout;
}
const idle: Idle[] = [];

/** A started CSV worker thread (an idle one when there is one). Give it back with releaseCsvWorker or endCsvWorker. */
export function takeCsvWorker(): Worker {
  const got = idle.pop();
  if (got) {
    clearTimeout(got.timer);
    got.worker.ref();
    return got.worker;
  }
  const w = new Worker(workerScript('data/csvWorker'));
  // a crash is seen by the task running (runCsvTask); an exit while idle takes the thread out of the pool
  w.on('error', () => undefined);
  w.once('exit', () => {
    const k = idle.findIndex((i) => i.worker === w);
    if (k >= 0) {
      clearTimeout(idle[k].timer);
      idle.splice(k, 1);
    }
  });
  return w;
}

/** A thread whose task finished normally goes back to the pool. */
export function releaseCsvWorker(w: Worker): void {
  w.unref();
  const entry: Idle = {
    worker: w,
    timer: setTimeout(() => {
      const k = idle.indexOf(entry);
      if (k >= 0) idle.splice(k, 1);
      void w.terminate();
    }, IDLE_MS),
  };
  entry.timer.unref();
  idle.push(entry);
}

/** A thread whose task failed, was cancelled or is not needed: ended. */
export async function endCsvWorker(w: Worker): Promise<void> {
  await w.terminate();
}

/**
 * Runs one task on a thread: resolves with the thread's final message (`done` or `table`), or null when the task
 * failed (an `error` message, a crash, an exit). `onProgress` gets the thread's progress messages.
 */
export function runCsvTask<T>(w: Worker, task: unknown, onProgress?: (bytes: number) => void, transfer: ArrayBuffer[] = []): Promise<T | null> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (v: T | null): void => {
      if (settled) return;
      settled = true;
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onError);
      resolve(v);
    };
    const onMessage = (m: { type: string; bytes?: number }): void => {
      if (m.type === 'progress') onProgress?.(m.bytes ?? 0);
      else settle(m.type === 'error' ? null : (m as T));
    };
    const onError = (): void => settle(null);
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onError);
    w.postMessage(task, transfer);
  });
}
