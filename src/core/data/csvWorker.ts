import { parentPort } from 'node:worker_threads';
import { numericProfile } from '../drift/numericProfile';
import { accumulateRange, readRangeBatches, type CsvTask, type CsvWorkerMessage } from './parallelCsv';

/**
 * A CSV worker thread (see data/csvThreads.ts): runs the tasks it is sent one after the other — one byte range of a
 * CSV into drift accumulators (posts progress, then the packed counts), into column batches (a baseline read in
 * ranges), or numeric columns of a baseline into their profiles — and stays for the next task until the pool ends it.
 */
async function run(task: CsvTask): Promise<void> {
  const post = (m: CsvWorkerMessage, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(m, transfer);
  try {
    if (task.type === 'drift') {
      const { acc, end } = await accumulateRange(task.data, (bytes) => post({ type: 'progress', bytes }));
      const state = acc.packedState();
      post({ type: 'done', state, end }, [state.numeric.buffer as ArrayBuffer]);
    } else if (task.type === 'profile') {
      const { columns, keep } = task.data;
      post({ type: 'profiles', profiles: columns.map((c) => numericProfile(c.name, c.values, keep)) });
    } else {
      const { batches, end } = await readRangeBatches(task.data, (bytes) => post({ type: 'progress', bytes }));
      const buffers = new Set<ArrayBuffer>();
      for (const b of batches) for (const a of b.numbers) buffers.add(a.buffer as ArrayBuffer);
      post({ type: 'table', batches, end }, [...buffers]);
    }
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

let queue = Promise.resolve();
parentPort!.on('message', (task: CsvTask) => {
  queue = queue.then(() => run(task));
});
