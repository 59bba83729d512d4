import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDir } from '../config';
import type { EngineContext } from '../engine';
import { CsvRowWriter } from '../data/csvWriter';
import { datasetOf } from '../data/datasetConfig';
import { labelChoice } from '../data/labels';
import { DEFAULT_HOLDOUT_FRACTION, readLedger } from '../model/ledger';
import { DriftCatcherError } from '../util/errors';
import { siblingTempPath } from '../util/atomicWrite';
import { hashFile } from '../util/hash';
import { resolveInput } from '../util/paths';
import { withSource } from './drift';
import { SqlSource } from './sqlSource';
import { isNonCsvSource, parseSource } from './uri';

/**
 * Labelled data for training, holdouts and validation, wherever it lives. CSV files are read by our reader as
 * always (a glob or folder of CSVs: each file a batch). A Parquet file, a glob of them or a table is sampled in its
 * engine with the stratified caps training applies to a CSV (SqlSource.labelledSample), and only the sample is
 * written to `.driftcatcher/samples/<sha256>.csv`: from there on it is a labelled file like any other — split once
 * in the holdout ledger (its rows hash as the same rows of a CSV do), named in the model's lineage by its source.
 */
export interface LabelledFiles {
  /** the CSV files that stand for the source, in order */
  files: string[];
  /** per file: how lineage names it (the source and its --where for a sample; the path for a CSV) */
  shown: Map<string, string>;
}

export interface LabelledFilesOptions {
  /** what the data is for, in messages ("base data", "new data", "holdout") */
  what: string;
  /** --where for a Parquet or table source */
  where?: string;
  /** the label column (else the dataset's, else detected as for a CSV) */
  label?: string;
  /**
   * at most this many training rows. A sample is drawn a little larger, by the holdout ledger's fraction, so that
   * after the ledger's held-out rows are set aside training still has up to this many (as the CSV path caps after
   * skipping them).
   */
  maxRows: number;
  /** the sample's rows are all used (a holdout to score on): no allowance for the ledger's fraction */
  whole?: boolean;
}

export async function labelledFiles(ctx: EngineContext, text: string, opts: LabelledFilesOptions): Promise<LabelledFiles> {
  const ws = ctx.workspace;
  const csvOnly = (files: string[]): LabelledFiles => {
    if (opts.where !== undefined) {
      throw new DriftCatcherError(`${opts.what} ${text}: --where applies to Parquet files and tables; to select CSV rows, pick the files (a glob)`, 'BAD_INPUT');
    }
    return { files, shown: new Map() };
  };
  if (!isNonCsvSource(text, ws)) return csvOnly([resolveInput(ws, text, opts.what)]);
  const spec = parseSource(text, { workspace: ws, what: opts.what });
  if (spec.kind === 'csv') return csvOnly(spec.files);

  const dataset = datasetOf(ctx.config);
  const fraction = opts.whole ? 0 : (readLedger(ws)?.fraction ?? ctx.config.validation.holdoutFraction ?? DEFAULT_HOLDOUT_FRACTION);
  const maxRows = Math.ceil(opts.maxRows / (1 - fraction));
  const sourceOpts = { workspace: ws, where: opts.where, config: ctx.config, signal: ctx.signal, progress: ctx.progress };
  return withSource(text, opts.what, sourceOpts, async (src) => {
    if (!(src instanceof SqlSource)) throw new DriftCatcherError(`${src.display}: cannot be sampled in an engine`, 'BAD_INPUT');
    ctx.progress?.(undefined, `sampling ${src.display} in ${src.engine}`);
    const sample = await src.labelledSample({
      label: (header) => labelChoice(header, dataset, opts.label ?? ctx.config.label).name,
      maxRows,
      seed: ctx.config.training.seed,
      signal: ctx.signal,
    });
    const file = await writeSample(ws, sample.header, sample.rows);
    ctx.log?.(
      `${src.display}: ${sample.rows.length} of ${sample.selected - sample.unlabelled} labelled rows sampled in ${src.engine}, stratified by "${sample.label}"` +
        (sample.unlabelled ? ` (${sample.unlabelled} row(s) without a label skipped)` : ''),
    );
    return { files: [file], shown: new Map([[file, src.display]]) };
  });
}

/** The sample as a CSV named by its content: the same sample is the same file (and the same ledger batch). */
function writeSample(ws: string, header: string[], rows: (string | number)[][]): Promise<string> {
  return sampleFile(ws, (tmp) =>
    CsvRowWriter.write(tmp, header, async (w) => {
      for (const row of rows) {
        const flushing = w.writeRow(row);
        if (flushing) await flushing;
      }
    }),
  );
}

/**
 * `.driftcatcher/samples/<sha256>.csv`, written by `write` (atomically, to the path it is given) and named by its
 * content, so the same rows are the same file.
 */
export async function sampleFile(ws: string, write: (file: string) => Promise<void>): Promise<string> {
  const dir = path.join(stateDir(ws), 'samples');
  const tmp = siblingTempPath(path.join(dir, 'sample.csv'), 'csv');
  try {
    await write(tmp);
    const file = path.join(dir, `${(await hashFile(tmp)).slice(0, 16)}.csv`);
    if (!fs.existsSync(file)) fs.renameSync(tmp, file);
    return file;
  } finally {
    // a failed write, or a sample that was already there, leaves no temporary file behind
    fs.rmSync(tmp, { force: true });
  }
}
