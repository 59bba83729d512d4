import * as path from 'node:path';
import type { EngineContext } from '../engine';
import { writeTableCsv } from '../data/csvWriter';
import { DriftCatcherError } from '../util/errors';
import { resolveInput } from '../util/paths';
import { withSource } from './drift';
import { sampleFile } from './labelledFiles';
import { confineSource, isNonCsvSource } from './uri';

/**
 * The batch the agent and the digital twin decide on, wherever it lives. The drift check reads the source itself
 * (Parquet and tables pushed down to their engine, with --where), and a retrain samples it as training samples any
 * source (labelledFiles.ts). What needs the batch's rows in this process — the production model's predictions for
 * the label-free estimate, the label column, the realised accuracy — reads a CSV: a CSV file as it is; any other
 * source as a sample drawn through the same source code as drift (up to training.maxRowsPerNewFile rows, all of them
 * in their stored order when they fit), written to `.driftcatcher/samples/<sha256>.csv`.
 */
export interface CurrentBatch {
  /** the source as the drift check and a retrain read it (files resolved) */
  source: string;
  /** the --where predicate of a Parquet or table source */
  where?: string;
  /** a CSV holding the batch's rows (the file itself, or the sample) */
  rows: string;
  /** for a sampled source, how it is named (its display, with the --where): in decisions, plans and a model's lineage */
  name?: string;
}

/** The name the decision log keys a batch by (whose labels arrived, which the model trained on): a file's name, else the source. */
export function batchKey(b: CurrentBatch): string {
  return b.name ?? path.basename(b.rows);
}

/**
 * The source with every file it reads resolved against the workspace (a CSV must exist): the digital twin reads it
 * from its sandbox.
 */
export function resolvedSource(ws: string, text: string): string {
  return isNonCsvSource(text, ws) ? confineSource(text, (p) => path.resolve(ws, p)) : resolveInput(ws, text, 'current data');
}

export async function currentBatch(ctx: EngineContext, text: string, where?: string): Promise<CurrentBatch> {
  const ws = ctx.workspace;
  const predicate = where === undefined || where.trim() === '' ? undefined : where;
  const source = resolvedSource(ws, text);
  if (!isNonCsvSource(source, ws)) {
    if (predicate !== undefined) {
      throw new DriftCatcherError(`current data ${text}: --where applies to Parquet files and tables; to select CSV rows, pick the files (a glob)`, 'BAD_INPUT');
    }
    return { source, rows: source };
  }
  const opts = { workspace: ws, where: predicate, config: ctx.config, signal: ctx.signal, progress: ctx.progress };
  return withSource(source, 'current data', opts, async (src) => {
    ctx.progress?.(undefined, `reading the rows of ${src.display}`);
    const maxRows = ctx.config.training.maxRowsPerNewFile;
    const table = await src.sample({ maxRows, seed: ctx.config.training.seed, stored: true, signal: ctx.signal });
    if (table.rowCount === 0) throw new DriftCatcherError(`${src.display}: no data rows to decide on`, 'BAD_INPUT');
    const rows = await sampleFile(ws, (file) => writeTableCsv(file, table));
    ctx.log?.(`${src.display}: ${table.rowCount} row(s) read from ${src.engine} for the estimate${table.rowCount === maxRows ? ` (at most training.maxRowsPerNewFile = ${maxRows})` : ''}`);
    return { source, where: predicate, rows, name: src.display };
  });
}
