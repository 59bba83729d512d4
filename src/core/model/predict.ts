import * as path from 'node:path';
import type { EngineContext } from '../engine';
import { readTable } from '../data/csvReader';
import { DriftCatcherError, throwIfAborted } from '../util/errors';
import { writeCsv } from '../data/csvWriter';
import { inputsOf, loadModel } from './evaluate';
import { resolveInput, resolveOutput } from '../util/paths';
import { productionVersion } from './registry';

export interface PredictParams {
  /** default: the production version */
  version?: string;
  input: string;
  output: string;
}
export interface PredictResult {
  version: string;
  output: string;
  rows: number;
  /** predicted rows per class */
  predicted: Record<string, number>;
}

/**
 * Score a CSV with a registry version: features are matched by name (order and extra columns do not matter,
 * a missing feature is an error), and the predictions CSV has one row per input row: row (0-based data row),
 * predicted label, and the probability of each class (`p_<class>`). Missing values go where each split learned to
 * send them, categories the model never saw go with "other", so no row is skipped.
 */
export async function predictFile(ctx: EngineContext, p: PredictParams): Promise<PredictResult> {
  const ws = ctx.workspace;
  const version = p.version ?? productionVersion(ws);
  if (!version) throw new DriftCatcherError('nothing is in production; pass --version vN', 'REGISTRY');
  const input = resolveInput(ws, p.input, 'input');
  const output = resolveOutput(ws, p.output);
  const { meta, forest } = loadModel(ws, version);
  ctx.progress?.(0, `reading ${path.basename(input)}`);
  const table = await readTable(input, { signal: ctx.signal, maxColumns: ctx.config.csv.maxColumns });
  const X = inputsOf(table, forest, version, input);
  throwIfAborted(ctx.signal, 'prediction');
  ctx.progress?.(50, `scoring ${table.rowCount} rows with ${version}`);
  const n = table.rowCount;
  const k = forest.nClasses;
  const proba = forest.predictProba(X);
  const labels = new Array<string>(n);
  const predicted: Record<string, number> = Object.fromEntries(meta.classes.map((c) => [c, 0]));
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c] > proba[i * k + best]) best = c;
    labels[i] = meta.classes[best];
    predicted[meta.classes[best]]++;
  }
  await writeCsv(
    output,
    ['row', 'predicted', ...meta.classes.map((c) => `p_${c}`)],
    [Float64Array.from({ length: n }, (_, i) => i), labels, ...meta.classes.map((_, j) => Float64Array.from({ length: n }, (_, i) => proba[i * k + j]))],
  );
  ctx.progress?.(100, `wrote ${path.basename(output)}`);
  return { version, output, rows: n, predicted };
}
