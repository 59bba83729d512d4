import type { Dialect } from './dialect';
import type { TableColumn } from './columns';

/**
 * A SQL engine holding one dataset: what the drift and profile queries run on. Implementations: DuckDB
 * (embedded: Parquet files, globs, .duckdb tables), ClickHouse (HTTP), PostgreSQL (pg). Every query is read-only.
 */
export interface SqlEngine {
  readonly dialect: Dialect;
  /** the source as the user named it, safe to print (no password) */
  readonly display: string;
  /** the FROM expression of the dataset: a quoted table name or a table function */
  readonly relation: string;
  /** the dataset's columns with their SQL types */
  columns(signal?: AbortSignal): Promise<TableColumn[]>;
  /** runs one SELECT; rows as arrays of driver values */
  query(sql: string, signal?: AbortSignal): Promise<unknown[][]>;
  close(): Promise<void>;
}

/** Options every pushed-down operation takes. */
export interface SqlRunOptions {
  /** a --where predicate, already checked (sql/predicate.ts) */
  where?: string;
  signal?: AbortSignal;
  /** called after each query: done / total queries, and what runs next */
  onProgress?: (done: number, total: number) => void;
}
