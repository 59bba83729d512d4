import * as fs from 'node:fs';
import * as path from 'node:path';
import { streamCsv } from '../data/csvReader';
import { Random } from '../util/random';
import type { RowBatch, Table } from '../data/table';
import { TableBuilder } from '../data/tableBuilder';
import { DriftAccumulator, type AccumulatorState } from '../drift/driftReport';
import { buildProfile, type BaselineProfile } from '../drift/profile';
import { DriftCatcherError, throwIfAborted } from '../util/errors';
import { driftStateParallel } from '../data/parallelCsv';
import type { DataSource, SourceProfileOptions, SourceRunOptions, SourceSampleOptions } from './source';

/**
 * CSV files (one, or a glob / folder read as one dataset) through our own reader. Big files are parsed in byte
 * ranges by worker threads (data/parallelCsv.ts); several files must share their columns.
 */
export class CsvSource implements DataSource {
  readonly engine = 'csv' as const;

  constructor(
    private readonly files: string[],
    readonly display: string,
    /** refuse a wider header (csv.maxColumns) */
    private readonly maxColumns?: number,
  ) {}

  async header(): Promise<string[]> {
    return (await streamCsv(this.files[0], { maxRows: 0, maxColumns: this.maxColumns }, () => undefined)).header;
  }

  async driftState(profile: BaselineProfile, opts: SourceRunOptions = {}): Promise<AccumulatorState> {
    const acc = new DriftAccumulator(profile);
    const sizes = this.files.map((f) => fileSize(f));
    const total = sizes.reduce((a, b) => a + b, 0) || 1;
    let before = 0;
    let header: string[] | undefined;
    for (let i = 0; i < this.files.length; i++) {
      throwIfAborted(opts.signal, 'drift check');
      const file = this.files[i];
      const done = before;
      const state = await driftStateParallel(file, profile, {
        signal: opts.signal,
        maxColumns: this.maxColumns,
        onProgress: (read) => opts.onProgress?.((done + read) / total),
      });
      header = this.checkHeader(header, state.header, file);
      acc.merge(state);
      before += sizes[i];
    }
    return acc.state();
  }

  async profile(opts: SourceProfileOptions): Promise<BaselineProfile> {
    const table = await this.readAll(opts);
    if (table.columns.length === 0) throw new DriftCatcherError(`${this.display}: the baseline file is empty`, 'BAD_INPUT');
    const profile = buildProfile(table, { label: opts.label(table.columns.map((c) => c.name)), dataset: opts.dataset, dropColumns: opts.dropColumns });
    profile.source = this.files.length === 1 ? this.files[0] : this.display;
    return profile;
  }

  async sample(opts: SourceSampleOptions): Promise<Table> {
    const res = new RowReservoir(opts.maxRows, opts.seed ?? 42);
    let header: string[] | undefined;
    for (const file of this.files) {
      const r = await streamCsv(file, { signal: opts.signal, batchRows: 16_384, maxColumns: this.maxColumns, reuseBatches: true }, (b) => res.add(b));
      header = this.checkHeader(header, r.header, file);
    }
    return res.table(header ?? [], this.display, opts.columns);
  }

  async close(): Promise<void> {
    // files are opened per read
  }

  /** all rows of all files as one table (profiling reads the whole baseline, as for one CSV) */
  private async readAll(opts: SourceRunOptions): Promise<Table> {
    const builder = new TableBuilder();
    let header: string[] | undefined;
    const sizes = this.files.map((f) => fileSize(f));
    const total = sizes.reduce((a, b) => a + b, 0) || 1;
    let before = 0;
    for (let i = 0; i < this.files.length; i++) {
      const file = this.files[i];
      const done = before;
      const r = await streamCsv(file, { signal: opts.signal, maxColumns: this.maxColumns, onProgress: (read) => opts.onProgress?.((done + read) / total) }, (b) => {
        header = this.checkHeader(header, b.header, file);
        builder.add(b);
      });
      header = this.checkHeader(header, r.header, file);
      before += sizes[i];
    }
    builder.setHeader(header ?? []);
    return builder.build(this.files.length === 1 ? this.files[0] : this.display);
  }

  private checkHeader(prev: string[] | undefined, next: string[], file: string): string[] {
    if (prev === undefined) return next;
    if (prev.length !== next.length || prev.some((h, i) => h !== next[i])) {
      throw new DriftCatcherError(
        `${this.display}: ${path.basename(file)} has other columns than ${path.basename(this.files[0])}; the files of one dataset must share their header`,
        'BAD_INPUT',
        { file },
      );
    }
    return prev;
  }
}

function fileSize(f: string): number {
  try {
    return fs.statSync(f).size;
  } catch {
    return 0;
  }
}

/** Algorithm R over streamed rows: a uniform sample of up to `cap` rows, kept column by column. */
export class RowReservoir {
  private readonly rng: Random;
  private seen = 0;
  private nums: Float64Array[] = [];
  private texts: (string | undefined)[][] = [];
  private ids: Int32Array;
  private kept = 0;

  constructor(
    private readonly cap: number,
    seed: number,
  ) {
    this.rng = new Random(seed);
    this.ids = new Int32Array(cap);
  }

  add(b: RowBatch): void {
    if (this.nums.length === 0) {
      this.nums = b.header.map(() => new Float64Array(this.cap));
      this.texts = b.header.map(() => new Array<string | undefined>(this.cap));
    }
    for (let i = 0; i < b.rowCount; i++) {
      const id = this.seen++;
      let slot = -1;
      if (this.kept < this.cap) slot = this.kept++;
      else {
        const j = this.rng.int(id + 1);
        if (j < this.cap) slot = j;
      }
      if (slot < 0) continue;
      this.ids[slot] = id;
      for (let c = 0; c < this.nums.length; c++) {
        this.nums[c][slot] = b.numbers[c][i];
        const t = b.texts[c];
        this.texts[c][slot] = t ? t[i] : undefined;
      }
    }
  }

  /** the kept rows in stream order, as a table of the named columns (default all) */
  table(header: string[], source: string, columns?: string[]): Table {
    const order = Array.from({ length: this.kept }, (_, k) => k).sort((a, b) => this.ids[a] - this.ids[b]);
    const pick = columns ? columns.map((c) => header.indexOf(c)).filter((i) => i >= 0) : header.map((_, i) => i);
    const builder = new TableBuilder();
    builder.setHeader(pick.map((i) => header[i]));
    if (this.kept > 0) {
      builder.add({
        header: pick.map((i) => header[i]),
        startRow: 0,
        rowCount: this.kept,
        numbers: pick.map((c) => Float64Array.from(order, (k) => this.nums[c][k])),
        texts: pick.map((c) => {
          const t = order.map((k) => this.texts[c][k]);
          return t.some((x) => x !== undefined) ? t : null;
        }),
        bytesRead: 0,
        totalBytes: 0,
      });
    }
    return builder.build(source);
  }
}
