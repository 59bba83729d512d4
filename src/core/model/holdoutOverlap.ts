import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineContext } from '../engine';
import { streamCsv } from '../data/csvReader';
import { datasetOf } from '../data/datasetConfig';
import type { HoldoutOverlap, ModelVersion } from '../protocol';
import { hashFile } from '../util/hash';
import { hashedColumns, isHeldOut, rowHash } from './rowHash';

/**
 * How many rows of a holdout a model may have trained on, by row identity (model/rowHash.ts). A model trained under
 * the holdout ledger skipped every row on the held-out side of its split, so those rows are ruled out without
 * reading anything; the other holdout rows are looked up in the model's lineage files (the files it was trained
 * on, when they are still there unchanged). A model trained before the ledger existed is checked row by row.
 */

/** Row identities of every row of a CSV. */
export async function fileRowHashes(ctx: EngineContext, file: string): Promise<number[]> {
  const drop = datasetOf(ctx.config).dropColumns ?? [];
  const out: number[] = [];
  let header: string[] | undefined;
  let cols: Int32Array = new Int32Array(0);
  await streamCsv(file, { signal: ctx.signal }, (b) => {
    if (b.header !== header) {
      header = b.header;
      cols = hashedColumns(b.header, drop);
    }
    for (let i = 0; i < b.rowCount; i++) out.push(rowHash(b, i, cols));
  });
  return out;
}

export async function holdoutOverlap(ctx: EngineContext, holdout: number[], model: ModelVersion): Promise<HoldoutOverlap> {
  const split = model.holdout_split;
  const open = new Set(split ? holdout.filter((h) => !isHeldOut(h, split.seed, split.fraction)) : holdout);
  if (open.size === 0) return { rows: 0, unverified: 0 };
  const drop = datasetOf(ctx.config).dropColumns ?? [];
  const found = new Set<number>();
  let unchecked = false;
  for (const l of model.lineage) {
    const file = path.resolve(ctx.workspace, l.path);
    if (!fs.existsSync(file) || (l.sha256 && (await hashFile(file)) !== l.sha256)) {
      unchecked = true;
      ctx.log?.(`${model.version}'s training file ${l.path} is ${fs.existsSync(file) ? 'changed' : 'gone'}: its overlap with the holdout cannot be checked`);
      continue;
    }
    let header: string[] | undefined;
    let cols: Int32Array = new Int32Array(0);
    await streamCsv(file, { signal: ctx.signal }, (b) => {
      if (b.header !== header) {
        header = b.header;
        cols = hashedColumns(b.header, drop);
      }
      for (let i = 0; i < b.rowCount; i++) {
        const h = rowHash(b, i, cols);
        if (open.has(h)) found.add(h);
      }
    });
  }
  let rows = 0;
  let unverified = 0;
  for (const h of holdout) {
    if (found.has(h)) rows++;
    else if (unchecked && open.has(h)) unverified++;
  }
  return { rows, unverified };
}
