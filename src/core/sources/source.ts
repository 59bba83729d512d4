import type { Table } from '../data/table';
import type { AccumulatorState } from '../drift/driftReport';
import type { BaselineProfile } from '../drift/profile';

/**
 * One dataset wherever it lives (CSV files read by our reader, Parquet / DuckDB / ClickHouse / PostgreSQL through
 * SQL), seen the way the drift code needs it: the drift accumulators against a profile, a baseline profile, and a
 * sample of rows. The drift report is computed from these by the same pure code for every source.
 */
export interface DataSource {
  /** what the user named, safe to print (no password) */
  readonly display: string;
  /** 'csv' for our reader, else the SQL engine */
  readonly engine: 'csv' | 'duckdb' | 'clickhouse' | 'postgresql';
  /** column names */
  header(signal?: AbortSignal): Promise<string[]>;
  /** the drift accumulators of this data against a profile (rows without the profile's label are skipped) */
  driftState(profile: BaselineProfile, opts?: SourceRunOptions): Promise<AccumulatorState>;
  /** the baseline profile of this data */
  profile(opts: SourceProfileOptions): Promise<BaselineProfile>;
  /** up to maxRows rows, a uniform pseudo-random sample that is the same for the same data and seed */
  sample(opts: SourceSampleOptions): Promise<Table>;
  close(): Promise<void>;
}

export interface SourceRunOptions {
  signal?: AbortSignal;
  /** fraction done (0..1) */
  onProgress?: (fraction: number) => void;
}

export interface SourceProfileOptions extends SourceRunOptions {
  /** picks the label column from the header (null: none) */
  label: (header: string[]) => string | null;
  dataset?: string;
  dropColumns?: string[];
}

export interface SourceSampleOptions extends SourceRunOptions {
  maxRows: number;
  seed?: number;
  /** columns to read (default: all) */
  columns?: string[];
  /**
   * when every row fits, keep the rows in the order the data holds them (a CSV's, a DuckDB file's or table's), so
   * they read as the same rows written as a CSV; a server's order may change between runs, so there the sample
   * stays in row-hash order
   */
  stored?: boolean;
}

export interface LabelledSampleOptions {
  /** picks the label column from the header (throws when the data has none) */
  label: (header: string[]) => string;
  /** at most this many labelled rows, stratified by label */
  maxRows: number;
  seed: number;
  signal?: AbortSignal;
}

/** Labelled rows drawn from a table source, as a CSV would hold them (numbers, text; NaN / '' missing). */
export interface LabelledSample {
  header: string[];
  /** the label column's name */
  label: string;
  rows: (string | number)[][];
  /** rows the source (and its --where) selected */
  selected: number;
  /** of those, rows without a label (not sampled) */
  unlabelled: number;
}
