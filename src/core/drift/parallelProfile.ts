import * as os from 'node:os';
import { endCsvWorker, releaseCsvWorker, runCsvTask, takeCsvWorker } from '../data/csvThreads';
import type { CsvTask } from '../data/parallelCsv';
import type { NumericColumn, Table } from '../data/table';
import { numericProfile } from './numericProfile';
import { buildProfile, featureColumns, keptRows, type BaselineProfile, type BuildProfileOptions, type NumericProfile } from './profile';

/**
 * buildProfile with both cores: sorting the numeric columns is most of profiling a baseline, and the CSV worker
 * thread that read half of it (data/parallelCsv.ts) is idle meanwhile. The worker profiles the second half of the
 * numeric features while this thread profiles the first; numericProfile is a pure function of a column, so the
 * profile is the one buildProfile makes alone.
 *
 * The worker's columns are moved to it (their buffers transferred: a copy of half the baseline would add to the
 * peak memory), so the table is used up: afterwards it must not be read again. Null when the worker failed (its
 * columns are gone with it): then read the file again and profile it in this thread.
 */

/** smaller tables (numeric cells) are profiled in this thread: a round trip to the worker costs more */
const MIN_CELLS = 1 << 20;

export async function buildProfileConsumingTable(table: Table, opts: BuildProfileOptions & { threads?: number }): Promise<BaselineProfile | null> {
  const threads = opts.threads ?? os.availableParallelism();
  const numeric = featureColumns(table, opts).filter((c): c is NumericColumn => c.kind === 'numeric');
  const labelCol = opts.label === null ? undefined : table.columns.find((c) => c.name === opts.label);
  // without its label column buildProfile throws the error that names it
  if (threads < 2 || numeric.length < 2 || numeric.length * table.rowCount < MIN_CELLS || (opts.label !== null && !labelCol)) {
    return buildProfile(table, opts);
  }
  const keep = keptRows(table.rowCount, labelCol);
  const half = Math.ceil(numeric.length / 2);
  // a column sharing its buffer with others is copied: transferring the buffer would take them along
  const theirs = numeric.slice(half).map((c) => ({ name: c.name, values: ownsBuffer(c.values) ? c.values : c.values.slice() }));
  const task: CsvTask = { type: 'profile', data: { columns: theirs, keep } };
  const worker = takeCsvWorker();
  const remote = runCsvTask<{ profiles: NumericProfile[] }>(worker, task, undefined, theirs.map((c) => c.values.buffer as ArrayBuffer));
  // this thread's half while the worker profiles the other
  const profiled = new Map<string, NumericProfile>();
  for (const c of numeric.slice(0, half)) profiled.set(c.name, numericProfile(c.name, c.values, keep));
  const done = await remote;
  if (done === null) {
    await endCsvWorker(worker);
    return null;
  }
  releaseCsvWorker(worker);
  for (const p of done.profiles) profiled.set(p.name, p);
  return buildProfile(table, { ...opts, profiled });
}

function ownsBuffer(a: Float64Array): boolean {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
}
