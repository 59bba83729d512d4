import { parentPort, workerData } from 'node:worker_threads';
import { accumulateRange, type CsvWorkerData, type CsvWorkerMessage } from './parallelCsv';

/** One byte range of a CSV into drift accumulators (see parallelCsv.ts); posts progress, then the packed counts. */
async function main(): Promise<void> {
  const d = workerData as CsvWorkerData;
  const post = (m: CsvWorkerMessage, transfer: ArrayBuffer[] = []): void => parentPort!.postMessage(m, transfer);
  try {
    const { acc, end } = await accumulateRange(d, (bytes) => post({ type: 'progress', bytes }));
    const state = acc.packedState();
    post({ type: 'done', state, end }, [state.numeric.buffer as ArrayBuffer]);
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

void main();
