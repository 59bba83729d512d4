import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineContext } from '../engine';
import type { HoldoutParams, HoldoutResult } from '../protocol';
import { DriftCatcherError } from '../util/errors';
import { DEFAULT_HOLDOUT_FRACTION, ledgerBatches, readLedger, writeHoldoutRows } from './ledger';
import { resolveOutput } from '../util/paths';
import { labelledFiles } from '../sources/labelledFiles';
import { isTableUri } from '../sources/uri';

export { DEFAULT_HOLDOUT_FRACTION };

/**
 * `holdout`: the held-out rows of every CSV in a folder (sorted by name), as one file. Each file is split once in
 * the holdout ledger (model/ledger.ts): its held-out rows are never trained on, whichever command reads the file
 * later, and the same folder always gives the same holdout. `sampleFraction` sets the ledger's fraction when the
 * ledger is created; it cannot change an existing ledger's (that would move rows that models trained on).
 */
export async function createHoldout(ctx: EngineContext, p: HoldoutParams): Promise<HoldoutResult> {
  const ws = ctx.workspace;
  const fraction = p.sampleFraction;
  if (fraction !== undefined && !(fraction > 0 && fraction < 1)) throw new DriftCatcherError(`sample fraction must be in (0, 1) (got ${fraction})`, 'BAD_INPUT');
  const ledger = readLedger(ws);
  if (fraction !== undefined && ledger && Math.abs(ledger.fraction - fraction) > 1e-12) {
    throw new DriftCatcherError(
      `the holdout ledger holds out ${ledger.fraction} of every batch (fixed when it was created, so that no model trains on a held-out row); --sample-fraction ${fraction} cannot change it`,
      'BAD_INPUT',
    );
  }
  const output = resolveOutput(ws, p.output);
  const files = await holdoutInputs(ctx, p, output);
  const lctx: EngineContext = fraction === undefined ? ctx : { ...ctx, config: { ...ctx.config, validation: { ...ctx.config.validation, holdoutFraction: fraction } } };
  ctx.progress?.(0, `splitting ${files.length} file(s) in the holdout ledger`);
  const batches = await ledgerBatches(lctx, files);
  const rows = batches.reduce((n, b) => n + b.holdout_rows, 0);
  if (rows === 0) throw new DriftCatcherError(`no labelled rows to hold out in ${p.dataDir}`, 'BAD_INPUT');
  await writeHoldoutRows(ctx, batches, output);
  const labels: Record<string, number> = {};
  for (const b of batches) for (const [l, n] of Object.entries(b.labels)) labels[l] = (labels[l] ?? 0) + n;
  ctx.progress?.(100, `holdout written: ${rows} rows`);
  return { output, rows, labels };
}

/**
 * The labelled files to split: every CSV of a folder (sorted by name), or a Parquet file, glob or table sampled in its
 * engine with the base data's caps (labelledFiles), so that a later training on the same source reads the same sample
 * and skips exactly these held-out rows.
 */
async function holdoutInputs(ctx: EngineContext, p: HoldoutParams, output: string): Promise<string[]> {
  const dir = path.resolve(ctx.workspace, p.dataDir);
  if (p.where === undefined && !isTableUri(p.dataDir) && fs.existsSync(dir) && fs.statSync(dir).isDirectory()) {
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.toLowerCase().endsWith('.csv') && !f.startsWith('.'))
      .map((f) => path.join(dir, f))
      .filter((f) => f !== output)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (files.length > 0) return files;
    if (!fs.readdirSync(dir).some((f) => f.toLowerCase().endsWith('.parquet'))) throw new DriftCatcherError(`no CSV files in ${p.dataDir} (nor Parquet files)`, 'NOT_FOUND', { file: dir });
  }
  const { files } = await labelledFiles(ctx, p.dataDir, { what: 'data', where: p.where, label: ctx.config.label, maxRows: ctx.config.training.maxBaselineRows });
  return files.filter((f) => f !== output);
}
