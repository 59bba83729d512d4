import { parentPort, workerData } from 'node:worker_threads';
import { DriftAccumulator } from '../drift/driftReport';
import { streamCsv } from './csvReader';
import type { CsvWorkerData, CsvWorkerMessage } from './parallelCsv';

/** One byte range of a CSV into drift accumulators (see parallelCsv.ts); posts progress, then the state. */
async function main(): Promise<void> {
  const d = workerData as CsvWorkerData;
  const post = (m: CsvWorkerMessage): void => parentPort!.postMessage(m);
  const acc = new DriftAccumulator(d.profile);
  acc.bind(d.header);
  let last = 0;
  try {
    const res = await streamCsv(
      d.file,
      {
        batchRows: 16_384,
        reuseBatches: true,
        range: { start: d.start, end: d.end, header: d.header },
        onProgress: (read) => {
          const bytes = Math.min(read, d.end) - d.start;
          if (bytes - last >= 4 << 20) {
            last = bytes;
            post({ type: 'progress', bytes });
          }
        },
      },
      (b) => acc.add(b),
    );
    post({ type: 'progress', bytes: d.end - d.start });
    post({ type: 'done', state: acc.state(), end: res.end });
  } catch (e) {
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
  }
}

void main();
