import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { stateDir } from '../config';
import type { EngineContext } from '../engine';
import { streamCsv } from '../data/csvReader';
import { CsvRowWriter } from '../data/csvWriter';
import { datasetOf } from '../data/datasetConfig';
import { detectLabel } from '../data/labels';
import type { RowBatch } from '../data/table';
import { writeJsonAtomic } from '../util/atomicWrite';
import { DriftCatcherError, throwIfAborted } from '../util/errors';
import { hashFile, hashString } from '../util/hash';
import { readJsonValidated } from '../util/jsonFile';
import { withLock } from '../util/lock';
import { hashedColumns, isHeldOut, rowHash } from './rowHash';
import { naming } from './dataset';

/**
 * The holdout ledger (`.driftcatcher/holdout/`): honest holdouts by construction. Every labelled row has one side,
 * decided once by a seeded hash of its identity (model/rowHash.ts) with the ledger's seed and fraction, fixed when
 * the ledger is created. Training skips every held-out row of every file it reads, so no model ever trains on a
 * ledgered holdout row — whichever file the row comes in. The first time a batch file is read (by training or by
 * `holdout`) its held-out rows are copied to `<id>.csv` and the batch is recorded, in arrival order: the gate
 * scores candidates on the held-out rows of the newest batches. Files written from training rows (a version's
 * baseline.csv) are recorded as derived and read whole: every row in them is already on the training side.
 */

export const DEFAULT_HOLDOUT_FRACTION = 0.15;

const LedgerBatchSchema = z.object({
  id: z.string(),
  /** workspace-relative path when first seen */
  source: z.string(),
  sha256: z.string(),
  rows: z.number(),
  holdout_rows: z.number(),
  /** held-out rows per raw label */
  labels: z.record(z.string(), z.number()),
  /** the held-out rows, relative to the ledger folder */
  file: z.string(),
  added_at: z.string(),
});
export type LedgerBatch = z.infer<typeof LedgerBatchSchema>;

const LedgerSchema = z.object({
  format: z.literal(1),
  seed: z.number().int(),
  fraction: z.number().gt(0).lt(1),
  created_at: z.string(),
  batches: z.array(LedgerBatchSchema),
  /** sha256 of files written from training rows only (never split again) */
  derived: z.array(z.string()),
});
export type Ledger = z.infer<typeof LedgerSchema>;

export function ledgerDir(ws: string): string {
  return path.join(stateDir(ws), 'holdout');
}
function ledgerFile(ws: string): string {
  return path.join(ledgerDir(ws), 'ledger.json');
}
function withLedgerLock<T>(ws: string, fn: () => Promise<T> | T): Promise<T> {
  return withLock(path.join(ledgerDir(ws), '.lock'), fn, 120_000);
}

export function readLedger(ws: string): Ledger | undefined {
  const file = ledgerFile(ws);
  return fs.existsSync(file) ? readJsonValidated(file, LedgerSchema, 'holdout ledger', 'REGISTRY') : undefined;
}

/** The ledger, created with the configured seed and fraction on first use. */
function loadOrCreate(ctx: EngineContext): Ledger {
  const existing = readLedger(ctx.workspace);
  if (existing) return existing;
  const fraction = ctx.config.validation.holdoutFraction ?? DEFAULT_HOLDOUT_FRACTION;
  return { format: 1, seed: ctx.config.training.seed, fraction, created_at: new Date().toISOString(), batches: [], derived: [] };
}

function save(ws: string, ledger: Ledger): void {
  fs.mkdirSync(ledgerDir(ws), { recursive: true });
  writeJsonAtomic(ledgerFile(ws), ledger);
}

/** What training needs from the ledger: the rule that says which rows to skip, per file. */
export interface TrainingSplit {
  seed: number;
  fraction: number;
  /** files whose rows are all training rows (derived from an earlier training) */
  derived: Set<string>;
  /** the row filter for one of the files (undefined: read every row) */
  skipRowFor(file: string): ((b: RowBatch, i: number) => boolean) | undefined;
  /** held-out rows skipped so far */
  skipped: number;
}

/**
 * Records every input file of a training in the ledger (splitting the new ones) and returns the row filter
 * training applies. Derived files (an earlier version's baseline.csv) are read whole.
 */
export async function prepareTrainingSplit(ctx: EngineContext, files: string[], label?: string): Promise<TrainingSplit> {
  const drop = datasetOf(ctx.config).dropColumns ?? [];
  const shas = await Promise.all(files.map((f) => hashFile(f)));
  const ledger = await withLedgerLock(ctx.workspace, async () => {
    const l = loadOrCreate(ctx);
    for (const [k, file] of files.entries()) {
      if (l.derived.includes(shas[k]) || l.batches.some((b) => b.sha256 === shas[k])) continue;
      l.batches.push(await naming(file, () => splitBatch(ctx, l, file, shas[k], label)));
      save(ctx.workspace, l);
    }
    return l;
  });
  const split: TrainingSplit = {
    seed: ledger.seed,
    fraction: ledger.fraction,
    derived: new Set(ledger.derived),
    skipped: 0,
    skipRowFor(file) {
      const sha256 = shas[files.indexOf(file)];
      if (sha256 === undefined || split.derived.has(sha256)) return undefined;
      let header: string[] | undefined;
      let cols: Int32Array = new Int32Array(0);
      return (b, i) => {
        if (b.header !== header) {
          header = b.header;
          cols = hashedColumns(b.header, drop);
        }
        const skip = isHeldOut(rowHash(b, i, cols), ledger.seed, ledger.fraction);
        if (skip) split.skipped++;
        return skip;
      };
    },
  };
  return split;
}

/** After a training: its combined data file holds training rows only; record it so it is never split. */
export async function recordDerived(ctx: EngineContext, file: string): Promise<void> {
  const sha = await hashFile(file);
  await withLedgerLock(ctx.workspace, () => {
    const l = loadOrCreate(ctx);
    if (!l.derived.includes(sha)) {
      l.derived.push(sha);
      save(ctx.workspace, l);
    }
  });
}

/** Split one file: copy its held-out labelled rows to the ledger folder and describe the batch. */
async function splitBatch(ctx: EngineContext, ledger: Ledger, file: string, sha256: string, label?: string): Promise<LedgerBatch> {
  const dataset = datasetOf(ctx.config);
  const id = sha256.slice(0, 16);
  const rel = `${id}.csv`;
  const out = path.join(ledgerDir(ctx.workspace), rel);
  const labels: Record<string, number> = {};
  let rows = 0;
  let held = 0;
  let writer: CsvRowWriter | undefined;
  let cols: Int32Array = new Int32Array(0);
  let li = -1;
  try {
    await streamCsv(file, { signal: ctx.signal }, async (b) => {
      if (!writer) {
        li = b.header.indexOf(detectLabel(b.header, dataset, label ?? ctx.config.label));
        cols = hashedColumns(b.header, dataset.dropColumns ?? []);
        writer = await CsvRowWriter.open(out, b.header);
      }
      const row: (string | number)[] = new Array(b.header.length);
      for (let i = 0; i < b.rowCount; i++) {
        rows++;
        const label = b.texts[li]?.[i] ?? (Number.isNaN(b.numbers[li][i]) ? undefined : String(b.numbers[li][i]));
        if (label === undefined || label.trim() === '') continue; // unlabelled rows can neither train nor gate
        if (!isHeldOut(rowHash(b, i, cols), ledger.seed, ledger.fraction)) continue;
        for (let c = 0; c < b.header.length; c++) row[c] = b.texts[c]?.[i] ?? b.numbers[c][i];
        const flushing = writer.writeRow(row);
        if (flushing) await flushing;
        held++;
        labels[label.trim()] = (labels[label.trim()] ?? 0) + 1;
      }
      throwIfAborted(ctx.signal, 'holdout');
    });
    if (!writer) throw new DriftCatcherError(`${path.basename(file)} has no header row`, 'BAD_INPUT', { file });
    await (writer as CsvRowWriter).close();
  } catch (e) {
    await writer?.abort();
    throw e;
  }
  ctx.log?.(`${path.basename(file)}: ${held} of ${rows} rows held out for validation (holdout ledger)`);
  return {
    id,
    source: path.relative(ctx.workspace, file) || file,
    sha256,
    rows,
    holdout_rows: held,
    labels,
    file: rel,
    added_at: new Date().toISOString(),
  };
}

/** Split every file (new ones are recorded, known ones reused) and return their ledger entries in the given order. */
export async function ledgerBatches(ctx: EngineContext, files: string[]): Promise<LedgerBatch[]> {
  const shas = await Promise.all(files.map((f) => hashFile(f)));
  return withLedgerLock(ctx.workspace, async () => {
    const l = loadOrCreate(ctx);
    const out: LedgerBatch[] = [];
    for (const [k, file] of files.entries()) {
      let b = l.batches.find((x) => x.sha256 === shas[k]);
      if (!b) {
        if (l.derived.includes(shas[k])) {
          throw new DriftCatcherError(`${path.basename(file)} was written from a model's training rows; it has no held-out rows`, 'BAD_INPUT', { file });
        }
        b = await naming(file, () => splitBatch(ctx, l, file, shas[k]));
        l.batches.push(b);
        save(ctx.workspace, l);
      }
      out.push(b);
    }
    return out;
  });
}

/**
 * One CSV with the held-out rows of `batches` (columns of the first; every batch must have them), written once
 * under a name that depends on the batches, so a validation can point at it later (deploy re-validation, the
 * label-free estimate's calibration).
 */
export async function materialiseHoldout(ctx: EngineContext, batches: LedgerBatch[]): Promise<{ path: string; rows: number }> {
  if (batches.length === 0) throw new DriftCatcherError('the holdout ledger has no batches yet (train on a labelled file, or run driftcatcher holdout)', 'NOT_FOUND');
  const dir = ledgerDir(ctx.workspace);
  if (batches.length === 1) {
    const file = path.join(dir, batches[0].file);
    return { path: path.relative(ctx.workspace, file), rows: batches[0].holdout_rows };
  }
  const name = `recent-${hashString(batches.map((b) => b.id).join(',')).slice(0, 16)}.csv`;
  const out = path.join(dir, name);
  const rows = batches.reduce((n, b) => n + b.holdout_rows, 0);
  if (!fs.existsSync(out)) await writeHoldoutRows(ctx, batches, out);
  return { path: path.relative(ctx.workspace, out), rows };
}

/** The held-out rows of `batches` as one CSV at `out` (columns of the first batch). */
export async function writeHoldoutRows(ctx: EngineContext, batches: LedgerBatch[], out: string): Promise<void> {
  await concatCsv(ctx, batches.map((b) => path.join(ledgerDir(ctx.workspace), b.file)), out);
}

/** Concatenate CSVs by column name (the first file's header). */
async function concatCsv(ctx: EngineContext, files: string[], out: string): Promise<void> {
  let w: CsvRowWriter | undefined;
  let header: string[] | undefined;
  try {
    for (const file of files) {
      let pos: number[] = [];
      const res = await streamCsv(file, { signal: ctx.signal }, async (b) => {
        if (!header) header = b.header;
        w ??= await CsvRowWriter.open(out, header);
        if (pos.length === 0) pos = columnPositions(header, b.header, file);
        const row: (string | number)[] = new Array(pos.length);
        for (let i = 0; i < b.rowCount; i++) {
          for (let c = 0; c < pos.length; c++) row[c] = b.texts[pos[c]]?.[i] ?? b.numbers[pos[c]][i];
          const flushing = w.writeRow(row);
          if (flushing) await flushing;
        }
      });
      header ??= res.header;
      w ??= await CsvRowWriter.open(out, header);
      columnPositions(header, res.header, file);
    }
    await w!.close();
  } catch (e) {
    await w?.abort();
    throw e;
  }
}

function columnPositions(want: string[], have: string[], file: string): number[] {
  const pos = want.map((h) => have.indexOf(h));
  const missing = want.filter((_, k) => pos[k] < 0);
  if (missing.length) throw new DriftCatcherError(`held-out rows of ${path.basename(file)} lack columns ${missing.slice(0, 5).join(', ')}`, 'BAD_INPUT', { file });
  return pos;
}

/** The newest `n` ledger batches whose held-out rows have the model's columns (newest last). */
export function recentBatches(ws: string, n: number): LedgerBatch[] {
  const l = readLedger(ws);
  if (!l) return [];
  return l.batches.slice(Math.max(0, l.batches.length - n));
}
