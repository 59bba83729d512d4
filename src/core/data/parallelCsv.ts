import * as fs from 'node:fs';
import * as os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { accumulationProfile, DriftAccumulator, type AccumulatorState, type PackedAccumulatorState } from '../drift/driftReport';
import type { BaselineProfile, NumericProfile } from '../drift/profile';
import { CancelledError, DriftCatcherError } from '../util/errors';
import { readTable, streamCsv, type ReadTableOptions } from './csvReader';
import { endCsvWorker, releaseCsvWorker, runCsvTask, takeCsvWorker } from './csvThreads';
import type { Table } from './table';
import { TableBuilder } from './tableBuilder';

/**
 * Both cores for one CSV: the file is cut into byte ranges at line starts; this thread parses the first range and a
 * worker thread each of the others, each into its own drift accumulators, and the states are added up
 * (DriftAccumulator.mergePacked) — the same counts as one sequential pass. Workers get only the part of the profile
 * accumulating reads and send their counts back as one transferred Float64Array, so a 2,000-column file costs no
 * per-number copying either way.
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
  /** threads parsing, this one included (default: the machine's parallelism, at most 8); 1 reads in this thread */
  threads?: number;
  /** files smaller than this are read in this thread (default 16 MB: starting workers costs ~0.1 s) */
  minBytes?: number;
  /** refuse a wider header (csv.maxColumns) */
  maxColumns?: number;
}

/** rows per streamed batch (a few MB per batch, as in the sequential drift check) */
const BATCH_ROWS = 16_384;
/** cells per batch at most (8 MB of numbers), so a wide file's batch is no bigger than a narrow one's */
const BATCH_CELLS = 1 << 20;

/** rows per batch for a file with `columns` columns */
function batchRows(columns: number): number {
  return Math.max(64, Math.min(BATCH_ROWS, Math.floor(BATCH_CELLS / Math.max(1, columns))));
}
/** a range's progress is reported every this many bytes */
const PROGRESS_BYTES = 4 << 20;

export interface CsvWorkerData {
  file: string;
  start: number;
  end: number;
  header: string[];
  /** accumulationProfile(profile) */
  profile: BaselineProfile;
}
/** a byte range of a CSV read into column batches (a baseline read in ranges) */
export interface TableRangeData {
  file: string;
  start: number;
  end: number;
  header: string[];
  maxColumns?: number;
}
/** a batch's columns, as a worker sends them (numbers transferred) */
export interface RangeBatch {
  rowCount: number;
  numbers: Float64Array[];
  texts: (Array<string | undefined> | null)[];
}
/** numeric columns of a baseline to profile (drift/parallelProfile.ts): values, and the rows that count (null: all) */
export interface ProfileColumnsData {
  columns: { name: string; values: Float64Array }[];
  keep: Int32Array | null;
}
export type CsvTask = { type: 'drift'; data: CsvWorkerData } | { type: 'table'; data: TableRangeData } | { type: 'profile'; data: ProfileColumnsData };
export type CsvWorkerMessage =
  | { type: 'progress'; bytes: number }
  | { type: 'done'; state: PackedAccumulatorState; end: number }
  | { type: 'table'; batches: RangeBatch[]; end: number }
  | { type: 'profiles'; profiles: NumericProfile[] }
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

/**
 * One byte range of a CSV into an accumulator (bound to the header even when the range has no rows); `end` is where
 * parsing stopped. Runs in a worker thread (data/csvWorker.ts) and, for the first range, in the calling thread.
 */
export async function accumulateRange(
  d: CsvWorkerData,
  onBytes: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<{ acc: DriftAccumulator; end: number }> {
  const acc = new DriftAccumulator(d.profile);
  acc.bind(d.header);
  const res = await streamCsv(
    d.file,
    {
      batchRows: batchRows(d.header.length),
      reuseBatches: true,
      signal,
      range: { start: d.start, end: d.end, header: d.header },
      onProgress: rangeProgress(d, onBytes),
    },
    (b) => acc.add(b),
  );
  onBytes(d.end - d.start);
  return { acc, end: res.end };
}

/** null when the cuts did not line up with rows (or a range failed): the caller reads sequentially */
async function tryParallel(file: string, size: number, profile: BaselineProfile, threads: number, opts: ParallelCsvOptions): Promise<AccumulatorState | null> {
  // started first, so that thread start-up overlaps the header read
  const workers = Array.from({ length: threads - 1 }, () => takeCsvWorker());
  const slim = accumulationProfile(profile);
  return withCsvWorkers(workers, opts.signal, async (fail) => {
    const read = await readInRanges<{ acc: DriftAccumulator; end: number }, { state: PackedAccumulatorState; end: number }>(
      file,
      size,
      workers,
      opts,
      (r, header, onBytes) => accumulateRange({ file, ...r, header, profile }, onBytes, opts.signal),
      (r, header): CsvTask => ({ type: 'drift', data: { file, ...r, header, profile: slim } }),
    );
    if (opts.signal?.aborted) throw new CancelledError(`reading ${file}`);
    if (!read) return null;
    // a thread whose task failed is ended; the others stay for the next read
    if (read.others.some((res) => res === null)) fail();
    if (!read.complete) return null;
    for (const res of read.others) read.first!.acc.mergePacked(res!.state);
    return read.first!.acc.state();
  });
}

type ByteRange = { start: number; end: number };

/**
 * The parallel read that drift and tables share: the file is cut into byte ranges at line starts; `here` reads the
 * first in this thread while worker k runs `task` on range k, progress summed over the ranges. Null when the file
 * has no header or cannot be cut. A range that failed gives null (the sequential read finds its error again, with
 * its true line number); `complete` says every range was read and ended exactly where the next one starts.
 */
async function readInRanges<H extends { end: number }, W extends { end: number }>(
  file: string,
  size: number,
  workers: Worker[],
  opts: { signal?: AbortSignal; maxColumns?: number; onProgress?: (bytesRead: number, totalBytes: number) => void },
  here: (range: ByteRange, header: string[], onBytes: (bytes: number) => void) => Promise<H>,
  task: (range: ByteRange, header: string[]) => CsvTask,
): Promise<{ header: string[]; first: H | null; others: (W | null)[]; complete: boolean } | null> {
  const head = await streamCsv(file, { maxRows: 0, signal: opts.signal, maxColumns: opts.maxColumns }, () => undefined);
  if (head.header.length === 0) return null;
  const starts = lineStarts(file, head.dataStart, size, workers.length + 1);
  if (starts.length < 2) return null;
  const ranges = starts.map((start, k) => ({ start, end: k + 1 < starts.length ? starts[k + 1] : size }));
  const read = new Array<number>(ranges.length).fill(0);
  const progress =
    (k: number) =>
    (bytes: number): void => {
      read[k] = bytes;
      opts.onProgress?.(head.dataStart + read.reduce((a, b) => a + b, 0), size);
    };
  const inWorkers = ranges.slice(1).map((r, i) => runCsvTask<W>(workers[i], task(r, head.header), progress(i + 1)));
  const mine = here(ranges[0], head.header, progress(0)).catch((e: unknown) => {
    if (e instanceof CancelledError) throw e;
    return null;
  });
  const [first, ...others] = await Promise.all([mine, ...inWorkers]);
  const complete = first?.end === ranges[0].end && others.every((res, i) => res !== null && res.end === ranges[i + 1].end);
  return { header: head.header, first, others, complete };
}

/**
 * Runs `fn` with pooled CSV worker threads (`workers` may be filled while it runs). An abort ends them at once;
 * afterwards they go back to the pool, or are ended when `fn` threw or called `fail` (a thread whose task failed).
 */
async function withCsvWorkers<T>(workers: Worker[], signal: AbortSignal | undefined, fn: (fail: () => void) => Promise<T>): Promise<T> {
  let failed = false;
  const abort = (): void => {
    failed = true;
    workers.forEach((w) => void w.terminate());
  };
  signal?.addEventListener('abort', abort, { once: true });
  try {
    return await fn(() => (failed = true));
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    signal?.removeEventListener('abort', abort);
    if (failed) await Promise.all(workers.map((w) => endCsvWorker(w)));
    else workers.forEach((w) => releaseCsvWorker(w));
  }
}

/** files smaller than this are read into a table in this thread (default 8 MB) */
const TABLE_MIN_BYTES = 8 << 20;

/**
 * readTable with both cores: this thread reads the first byte range into the table while worker threads read the
 * others into column batches, which are appended in file order — the table a sequential read gives, cell for cell.
 * When the cuts do not line up with rows or a range fails, the file is read again sequentially (true line numbers
 * in errors). The threads then stay in the pool (data/csvThreads.ts) for the read that usually follows.
 */
export async function readTableParallel(file: string, opts: ReadTableOptions & Pick<ParallelCsvOptions, 'threads' | 'minBytes'> = {}): Promise<Table> {
  const threads = Math.max(1, Math.min(8, opts.threads ?? os.availableParallelism()));
  const size = statSize(file);
  if (threads < 2 || size < (opts.minBytes ?? TABLE_MIN_BYTES) || opts.maxRows !== undefined) return readTable(file, opts);
  // started first, so that thread start-up overlaps the header read
  const workers = Array.from({ length: threads - 1 }, () => takeCsvWorker());
  const table = await withCsvWorkers(workers, opts.signal, async (fail) => {
    const t = await tableInRanges(file, size, workers, opts);
    if (opts.signal?.aborted) throw new CancelledError(`reading ${file}`);
    if (!t) fail();
    return t;
  });
  return table ?? readTable(file, opts);
}

async function tableInRanges(file: string, size: number, workers: Worker[], opts: ReadTableOptions): Promise<Table | null> {
  // this thread's range as the workers' are, kept in batches: once every range is read, the table's size is known and
  // its columns are filled once (no growing copies next to a half-read baseline)
  const read = await readInRanges<{ batches: RangeBatch[]; end: number }, { batches: RangeBatch[]; end: number }>(
    file,
    size,
    workers,
    opts,
    (r, header, onBytes) => readRangeBatches({ file, ...r, header, maxColumns: opts.maxColumns }, onBytes, opts.signal),
    (r, header): CsvTask => ({ type: 'table', data: { file, ...r, header, maxColumns: opts.maxColumns } }),
  );
  if (!read?.complete) return null;
  const batches = [read.first!, ...read.others].flatMap((res) => res!.batches);
  const builder = new TableBuilder(batches.reduce((n, b) => n + b.rowCount, 0));
  let row = 0;
  for (const b of batches) {
    builder.add({ ...b, header: read.header, startRow: row, bytesRead: size, totalBytes: size });
    row += b.rowCount;
  }
  builder.setHeader(read.header);
  return builder.build(file);
}

/** streamCsv's progress within a byte range as bytes of the range read, reported every PROGRESS_BYTES. */
function rangeProgress(d: { start: number; end: number }, onBytes: (bytes: number) => void): (read: number) => void {
  let last = 0;
  return (read) => {
    const bytes = Math.min(read, d.end) - d.start;
    if (bytes - last >= PROGRESS_BYTES) {
      last = bytes;
      onBytes(bytes);
    }
  };
}

/** One byte range of a CSV into column batches (a worker's part of readTableParallel); `end` as in accumulateRange. */
export async function readRangeBatches(
  d: TableRangeData,
  onBytes: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<{ batches: RangeBatch[]; end: number }> {
  const batches: RangeBatch[] = [];
  const res = await streamCsv(
    d.file,
    {
      signal,
      maxColumns: d.maxColumns,
      range: { start: d.start, end: d.end, header: d.header },
      onProgress: rangeProgress(d, onBytes),
    },
    // without reuseBatches every batch has arrays of its own: they are kept, then transferred
    (b) => void batches.push({ rowCount: b.rowCount, numbers: b.numbers, texts: b.texts }),
  );
  return { batches, end: res.end };
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
