import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadLabelled, type LabelledData } from '../data/labelled';
import type { DatasetConfig } from '../data/datasetConfig';
import { DriftCatcherError } from '../util/errors';
import { LabelVault } from './labelVault';

/**
 * A labelled batch stream read into memory for replay: the CSV files of a folder in name order (numeric-aware,
 * so batch_2 comes before batch_10), batch 0 the initial training data. Features and classes come from batch 0
 * and every later batch is mapped onto them. The labels are not on the batches: they sit in a LabelVault that
 * each replay opens afresh, so nothing that holds a batch can read its labels early.
 */
export type BatchFeatures = Omit<LabelledData, 'y'>;

export interface StreamBatch {
  index: number;
  file: string;
  /** features only; the labels are in the vault */
  data: BatchFeatures;
}

export interface ReplayStream {
  dir: string;
  features: string[];
  classes: string[];
  labelColumn: string;
  batches: StreamBatch[];
  /** a fresh vault over the stream's labels (batch 0 released) */
  openVault(): LabelVault;
}

export interface LoadStreamOptions {
  label?: string;
  dataset?: DatasetConfig;
  signal?: AbortSignal;
}

/** The CSV files of `dir` in time order. */
export function streamFiles(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new DriftCatcherError(`stream folder ${dir} does not exist (create one with: driftcatcher demo-stream DIR)`, 'NOT_FOUND', { file: dir });
  }
  const names = fs
    .readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.csv') && !f.startsWith('.'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (names.length < 2) {
    throw new DriftCatcherError(
      `${dir} holds ${names.length} CSV file(s); a stream needs the initial training batch and at least one later batch`,
      'BAD_INPUT',
      { file: dir },
    );
  }
  return names.map((n) => path.join(dir, n));
}

export async function loadStream(dir: string, opts: LoadStreamOptions = {}): Promise<ReplayStream> {
  const files = streamFiles(dir);
  const first = await loadLabelled([files[0]], { label: opts.label, dataset: opts.dataset, signal: opts.signal });
  const labels: Int32Array[] = [first.y];
  const batches: StreamBatch[] = [{ index: 0, file: files[0], data: withoutLabels(first) }];
  for (let t = 1; t < files.length; t++) {
    const d = await loadLabelled([files[t]], {
      label: first.labelColumn,
      dataset: opts.dataset,
      inputs: first.inputs,
      classes: first.classes,
      signal: opts.signal,
    });
    if (d.rows === 0) throw new DriftCatcherError(`batch ${path.basename(files[t])} has no usable rows`, 'BAD_INPUT', { file: files[t] });
    labels.push(d.y);
    batches.push({ index: t, file: files[t], data: withoutLabels(d) });
  }
  return {
    dir,
    features: first.features,
    classes: first.classes,
    labelColumn: first.labelColumn,
    batches,
    openVault: () => new LabelVault(labels),
  };
}

function withoutLabels(d: LabelledData): BatchFeatures {
  const { y: _labels, ...rest } = d;
  return rest;
}
