import * as fs from 'node:fs';
import { readTableParallel } from '../data/parallelCsv';
import { readTable } from '../data/csvReader';
import type { DatasetConfig } from '../data/datasetConfig';
import { detectLabel } from '../data/labels';
import { DriftCatcherError } from '../util/errors';
import { buildProfileConsumingTable } from './parallelProfile';
import { buildProfile, loadProfile, type BaselineProfile } from './profile';

/** How a baseline file is read: the dataset config, an explicit label column, cancellation and byte progress. */
export interface BaselineReadOptions {
  dataset: DatasetConfig;
  label?: string;
  signal?: AbortSignal;
  /** the widest header read (csv.maxColumns) */
  maxColumns?: number;
  onProgress?: (read: number, total: number) => void;
}

/** Profiles a baseline CSV (read with both cores when big): label from the option, the dataset config or the usual names. */
export async function profileCsv(file: string, o: BaselineReadOptions): Promise<BaselineProfile> {
  const table = await readTableParallel(file, { signal: o.signal, maxColumns: o.maxColumns, onProgress: o.onProgress });
  if (table.columns.length === 0) throw new DriftCatcherError('the baseline file is empty', 'BAD_INPUT', { file });
  if (table.rowCount === 0) throw new DriftCatcherError('the baseline has a header but no data rows: there is nothing to profile', 'BAD_INPUT', { file });
  const names = table.columns.map((c) => c.name);
  const label = resolveLabel(names, o.dataset, o.label, file);
  const opts = { label, dataset: o.dataset.name, dropColumns: o.dataset.dropColumns };
  // a failed worker took its columns along: the file is read again and profiled in this thread
  const profile = (await buildProfileConsumingTable(table, opts)) ?? buildProfile(await readTable(file, { signal: o.signal, maxColumns: o.maxColumns }), opts);
  profile.source = file;
  return profile;
}

/** A baseline file: a profile JSON (ours or the seed's training_stats.json), or a CSV profiled on the fly. */
export async function loadBaselineFile(file: string, o: BaselineReadOptions): Promise<BaselineProfile> {
  return isJsonFile(file) ? loadProfile(file) : profileCsv(file, o);
}

/**
 * The label column (detectLabel: the option, the dataset's, the usual names). Drift needs no label, so a baseline
 * without one is fine unless a label was named explicitly and is not there.
 */
export function resolveLabel(header: string[], dataset: DatasetConfig, explicit: string | undefined, file: string): string | null {
  try {
    return detectLabel(header, dataset, explicit);
  } catch (e) {
    if (explicit !== undefined) throw e instanceof DriftCatcherError ? new DriftCatcherError(e.message, e.code, { file }) : e;
    return null;
  }
}

/** JSON by extension, or by a first non-blank byte of `{` (a profile saved under another name). */
export function isJsonFile(file: string): boolean {
  if (file.toLowerCase().endsWith('.json')) return true;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64);
    const n = fs.readSync(fd, buf, 0, 64, 0);
    return /^\s*\{/.test(buf.toString('utf8', 0, n).replace(/^\uFEFF/, ''));
  } finally {
    fs.closeSync(fd);
  }
}
