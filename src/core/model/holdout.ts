import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineContext } from '../engine';
import type { HoldoutParams, HoldoutResult } from '../protocol';
import { readTable } from '../data/csvReader';
import { DATASETS } from '../data/datasetConfig';
import { detectLabel } from '../data/labels';
import { Random, shuffle } from '../data/random';
import { stratifiedSample } from '../data/sampling';
import type { CategoricalColumn, Column, Table } from '../data/table';
import { DriftCatcherError, throwIfAborted } from '../util/errors';
import { writeCsv } from '../data/csvWriter';
import { resolveInput, resolveOutput } from './paths';

export const DEFAULT_SAMPLE_FRACTION = 0.15;

/**
 * Build a holdout set: from every CSV in a folder (sorted by name) take `sampleFraction` of its clean rows
 * (no NaN/Infinity numeric cell, a label present), stratified by the raw label within each file; shuffle the
 * union and write it with the first file's columns. Deterministic for a given seed (config.training.seed).
 */
export async function createHoldout(ctx: EngineContext, p: HoldoutParams): Promise<HoldoutResult> {
  const ws = ctx.workspace;
  const fraction = p.sampleFraction ?? DEFAULT_SAMPLE_FRACTION;
  if (!(fraction > 0 && fraction <= 1)) throw new DriftCatcherError(`sample fraction must be in (0, 1] (got ${fraction})`, 'BAD_INPUT');
  const dir = resolveInput(ws, p.dataDir, 'data folder');
  if (!fs.statSync(dir).isDirectory()) throw new DriftCatcherError(`${p.dataDir} is not a folder`, 'BAD_INPUT', { file: dir });
  const output = resolveOutput(ws, p.output);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .map((f) => path.join(dir, f))
    .filter((f) => f !== output)
    .sort();
  if (files.length === 0) throw new DriftCatcherError(`no CSV files in ${p.dataDir}`, 'NOT_FOUND', { file: dir });
  const dataset = DATASETS[ctx.config.dataset] ?? DATASETS.Generic;
  const seed = ctx.config.training.seed;

  let names: string[] | undefined;
  let labelName = '';
  const parts: { table: Table; rows: Int32Array }[] = [];
  for (const [fi, file] of files.entries()) {
    throwIfAborted(ctx.signal, 'holdout');
    ctx.progress?.((100 * fi) / files.length, `sampling ${path.basename(file)}`);
    const table = await readTable(file, { signal: ctx.signal, maxColumns: ctx.config.csv.maxColumns });
    const header = table.columns.map((c) => c.name);
    if (!names) {
      names = header;
      labelName = detectLabel(header, dataset, ctx.config.label);
    } else {
      const missing = names.filter((n) => !header.includes(n));
      if (missing.length) {
        throw new DriftCatcherError(`${path.basename(file)} lacks columns of ${path.basename(files[0])}: ${missing.slice(0, 5).join(', ')}`, 'BAD_INPUT', { file });
      }
    }
    const label = labelColumn(table, labelName, file);
    const clean = cleanRows(table, label, new Set(dataset.dropColumns ?? []));
    const y = Int32Array.from(clean, (i) => label.codes[i]);
    const picked = stratifiedSample(y, Math.round(clean.length * fraction), seed + fi);
    parts.push({ table, rows: Int32Array.from(picked, (k) => clean[k]) });
    ctx.log?.(`${path.basename(file)}: ${picked.length} of ${table.rowCount} rows (${table.rowCount - clean.length} dropped as NaN/Infinity or unlabelled)`);
  }
  const merged = mergeRows(parts, names!);
  const order = shuffle(Int32Array.from({ length: merged.rowCount }, (_, i) => i), new Random(seed));
  const labelCol = merged.columns.find((c) => c.name === labelName) as CategoricalColumn;
  const labels: Record<string, number> = {};
  for (const i of order) {
    const l = labelCol.categories[labelCol.codes[i]];
    labels[l] = (labels[l] ?? 0) + 1;
  }
  if (merged.rowCount === 0) throw new DriftCatcherError(`no clean rows to sample in ${p.dataDir}`, 'BAD_INPUT', { file: dir });
  await writeCsv(
    output,
    merged.columns.map((c) => c.name),
    merged.columns.map((c) =>
      c.kind === 'numeric' ? Float64Array.from(order, (i) => c.values[i]) : Array.from(order, (i) => (c.codes[i] < 0 ? undefined : c.categories[c.codes[i]])),
    ),
  );
  ctx.progress?.(100, `holdout written: ${merged.rowCount} rows`);
  return { output, rows: merged.rowCount, labels };
}

/** The raw label column as text (numeric labels like 0/1 become their string form). */
function labelColumn(t: Table, name: string, file: string): CategoricalColumn {
  const col = t.columns.find((c) => c.name === name);
  if (!col) throw new DriftCatcherError(`label column "${name}" not found`, 'LABEL', { file });
  if (col.kind === 'categorical') return col;
  const cats: string[] = [];
  const index = new Map<string, number>();
  const codes = Int32Array.from(col.values, (v) => {
    if (Number.isNaN(v)) return -1;
    const s = String(v);
    let k = index.get(s);
    if (k === undefined) index.set(s, (k = cats.push(s) - 1));
    return k;
  });
  return { kind: 'categorical', name, codes, categories: cats, missing: col.missing };
}

/** Rows with a label and only finite numeric feature cells (the seed's cleaning). */
function cleanRows(t: Table, label: CategoricalColumn, drop: Set<string>): Int32Array {
  const numeric = t.columns.filter((c): c is Extract<Column, { kind: 'numeric' }> => c.kind === 'numeric' && c.name !== label.name && !drop.has(c.name));
  const out: number[] = [];
  for (let i = 0; i < t.rowCount; i++) {
    if (label.codes[i] < 0) continue;
    let ok = true;
    for (const c of numeric) {
      if (!Number.isFinite(c.values[i])) {
        ok = false;
        break;
      }
    }
    if (ok) out.push(i);
  }
  return Int32Array.from(out);
}

/** Concatenate the picked rows of each table, columns by name in `names` order; text dictionaries merged. */
function mergeRows(parts: { table: Table; rows: Int32Array }[], names: string[]): Table {
  const n = parts.reduce((s, p) => s + p.rows.length, 0);
  const columns: Column[] = names.map((name) => {
    const cols = parts.map((p) => p.table.columns.find((c) => c.name === name)!);
    if (cols.every((c) => c.kind === 'numeric')) {
      const values = new Float64Array(n);
      let o = 0;
      parts.forEach((p, pi) => {
        const v = (cols[pi] as Extract<Column, { kind: 'numeric' }>).values;
        for (const i of p.rows) values[o++] = v[i];
      });
      return { kind: 'numeric', name, values, missing: 0, nonFinite: 0 };
    }
    const categories: string[] = [];
    const index = new Map<string, number>();
    const codes = new Int32Array(n);
    let o = 0;
    parts.forEach((p, pi) => {
      const c = cols[pi];
      for (const i of p.rows) {
        let s: string | undefined;
        if (c.kind === 'numeric') s = Number.isNaN(c.values[i]) ? undefined : String(c.values[i]);
        else s = c.codes[i] < 0 ? undefined : c.categories[c.codes[i]];
        if (s === undefined) {
          codes[o++] = -1;
          continue;
        }
        let k = index.get(s);
        if (k === undefined) index.set(s, (k = categories.push(s) - 1));
        codes[o++] = k;
      }
    });
    return { kind: 'categorical', name, codes, categories, missing: 0 };
  });
  return { rowCount: n, columns };
}
