import * as fs from 'node:fs';
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { DriftAccumulator, type AccumulatorState } from '../drift/driftReport';
import type { BaselineProfile } from '../drift/profile';
import { CancelledError, DriftCatcherError } from '../util/errors';
import { workerScript } from '../util/workerPath';
import { streamCsv } from './csvReader';

/**
 * Both cores for one CSV: the file is cut into byte ranges at line starts, each range is parsed by a worker
 * thread into its own drift accumulators, and the states are added up (DriftAccumulator.merge) — the same counts
 * as one sequential pass.
 *
 * A cut may fall inside a quoted field that spans lines. That is detected, not guessed: a range is parsed from a
 * line start up to the first row starting at or after its end, so range k must stop exactly where range k + 1
 * starts. If any does not (or a range fails to parse), the whole file is read again sequentially, which also gives
 * errors with their true line numbers.
 */
export interface ParallelCsvOptions {
  signal?: AbortSignal;
  /** bytes parsed so far, file size */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** worker threads (default: the machine's parallelism, at most 8); 1 reads in this thread */
  threads?: number;
  /** files smaller than this are read in this thread (default 16 MB: starting workers costs ~0.1 s) */
  minBytes?: number;
  /** refuse a wider header (csv.maxColumns) */
  maxColumns?: number;
}

/** rows per streamed batch (a few MB per batch, as in the sequential drift check) */
const BATCH_ROWS = 16_384;

export interface CsvWorkerData {
  file: string;
  start: number;
  end: number;
  header: string[];
  profile: BaselineProfile;
}
export type CsvWorkerMessage =
  | { type: 'progress'; bytes: number }
  | { type: 'done'; state: AccumulatorState; end: number }
  | { type: 'error'; message: string };

export async function driftStateParallel(file: string, profile: BaselineProfile, opts: ParallelCsvOptions = {}): Promise<AccumulatorState> {
  const threads = Math.max(1, Math.min(8, opts.threads ?? os.availableParallelism()));
  const size = statSize(file);
  if (threads > 1 && size >= (opts.minBytes ?? 16 << 20)) {
    const parallel = await tryParallel(file, size, profile, threads, opts);
    if (parallel) return parallel;
  }
  return driftStateSequential(file, profile, opts);
}

export async function driftStateSequential(file: string, profile: BaselineProfile, opts: ParallelCsvOptions = {}): Promise<AccumulatorState> {
  const acc = new DriftAccumulator(profile);
  const res = await streamCsv(
    file,
    { batchRows: BATCH_ROWS, signal: opts.signal, onProgress: opts.onProgress, maxColumns: opts.maxColumns, reuseBatches: true },
    (b) => acc.add(b),
  );
  if (res.header.length === 0) throw new DriftCatcherError('the current file is empty', 'BAD_INPUT', { file });
  if (!acc.started) acc.bind(res.header);
  return acc.state();
}

/** null when the cuts did not line up with rows (or a range failed): the caller reads sequentially */
async function tryParallel(file: string, size: number, profile: BaselineProfile, threads: number, opts: ParallelCsvOptions): Promise<AccumulatorState | null> {
  const head = await streamCsv(file, { maxRows: 0, signal: opts.signal, maxColumns: opts.maxColumns }, () => undefined);
  if (head.header.length === 0) throw new DriftCatcherError('the current file is empty', 'BAD_INPUT', { file });
  const starts = lineStarts(file, head.dataStart, size, threads);
  if (starts.length < 2) return null;
  const ranges = starts.map((start, k) => ({ start, end: k + 1 < starts.length ? starts[k + 1] : size }));
  const read = new Array<number>(ranges.length).fill(0);
  const report = (): void => opts.onProgress?.(head.dataStart + read.reduce((a, b) => a + b, 0), size);
  const workers: Worker[] = [];
  const abort = (): void => workers.forEach((w) => void w.terminate());
  opts.signal?.addEventListener('abort', abort, { once: true });
  try {
    const results = await Promise.all(
      ranges.map(
        (r, k) =>
          new Promise<{ state: AccumulatorState; end: number } | null>((resolve) => {
            const data: CsvWorkerData = { file, start: r.start, end: r.end, header: head.header, profile };
            const w = new Worker(workerScript('data/csvWorker'), { workerData: data });
            workers.push(w);
            let settled = false;
            const settle = (v: { state: AccumulatorState; end: number } | null): void => {
              if (settled) return;
              settled = true;
              resolve(v);
            };
            w.on('message', (m: CsvWorkerMessage) => {
              if (m.type === 'progress') {
                read[k] = m.bytes;
                report();
              } else if (m.type === 'done') settle({ state: m.state, end: m.end });
              else settle(null);
            });
            w.on('error', () => settle(null));
            w.on('exit', () => settle(null));
          }),
      ),
    );
    if (opts.signal?.aborted) throw new CancelledError(`reading ${file}`);
    if (results.some((res, k) => res === null || res.end !== ranges[k].end)) return null;
    const acc = new DriftAccumulator(profile);
    acc.bind(head.header);
    for (const res of results) acc.merge(res!.state);
    return acc.state();
  } finally {
    opts.signal?.removeEventListener('abort', abort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Offsets just after a newline near each k/threads of the data, ascending and distinct; the first is dataStart. */
function lineStarts(file: string, dataStart: number, size: number, threads: number): number[] {
  const starts = [dataStart];
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(64 << 10);
    for (let k = 1; k < threads; k++) {
      let at = dataStart + Math.floor(((size - dataStart) * k) / threads);
      let found = -1;
      while (found < 0 && at < size) {
        const n = fs.readSync(fd, buf, 0, buf.length, at);
        if (n <= 0) break;
        const nl = buf.subarray(0, n).indexOf(10);
        if (nl >= 0) found = at + nl + 1;
        else at += n;
      }
      if (found > starts[starts.length - 1] && found < size) starts.push(found);
    }
  } finally {
    fs.closeSync(fd);
  }
  return starts;
}

function statSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new DriftCatcherError(`file not found: ${file}`, 'NOT_FOUND');
    throw e;
  }
}
