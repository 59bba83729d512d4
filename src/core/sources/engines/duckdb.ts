import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { DriftCatcherError } from '../../util/errors';
import type { TableColumn } from '../sql/columns';
import { DuckdbDialect } from '../sql/dialects/duckdb';
import type { SqlEngine } from '../sql/engine';
import { engineError } from './engineError';

/**
 * DuckDB embedded (`@duckdb/node-api`, the native library ships in the npm package): Parquet files and globs,
 * and tables of .duckdb files (opened read-only). File access is limited to the named files
 * (`allowed_paths` + `enable_external_access = false`), so a predicate cannot read anything else.
 */
export type DuckdbTarget = { kind: 'parquet'; files: string[] } | { kind: 'duckdb'; file: string; table: string };

export interface DuckdbOptions {
  /** DuckDB's memory_limit (e.g. '2GB'); large sorts spill to a temporary folder beyond it */
  memoryLimit?: string;
  threads?: number;
}

export async function openDuckdb(target: DuckdbTarget, display: string, opts: DuckdbOptions = {}): Promise<SqlEngine> {
  const dialect = new DuckdbDialect();
  const config: Record<string, string> = {};
  if (opts.memoryLimit) config.memory_limit = opts.memoryLimit;
  if (opts.threads) config.threads = String(opts.threads);
  let instance: DuckDBInstance;
  try {
    // loaded on first use: the native library is big, and most commands never need it. Required, not import()ed
    // (a CommonJS package either way): the CLI bundle runs from a V8 code cache, where Node 20 has no import()
    const { DuckDBInstance: Instance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
    if (target.kind === 'duckdb') instance = await Instance.create(target.file, { ...config, access_mode: 'READ_ONLY' });
    else instance = await Instance.create(':memory:', config);
  } catch (e) {
    throw engineError(display, e, 'cannot open');
  }
  const conn = await instance.connect();
  const files = target.kind === 'parquet' ? target.files : [target.file];
  await conn.run(`SET allowed_paths = [${files.map((f) => dialect.str(f)).join(', ')}]`);
  await conn.run('SET enable_external_access = false');
  const relation =
    target.kind === 'parquet'
      ? `read_parquet([${target.files.map((f) => dialect.str(f)).join(', ')}], union_by_name = true)`
      : dialect.relation(target.table);
  return new DuckdbEngine(instance, conn, relation, display, target.kind);
}

class DuckdbEngine implements SqlEngine {
  readonly dialect = new DuckdbDialect();
  private cols: TableColumn[] | undefined;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    readonly relation: string,
    readonly display: string,
    private readonly kind: DuckdbTarget['kind'],
  ) {}

  async columns(signal?: AbortSignal): Promise<TableColumn[]> {
    if (!this.cols) {
      let rows: unknown[][];
      try {
        rows = await this.query(`DESCRIBE SELECT * FROM ${this.relation}`, signal);
      } catch (e) {
        // the first read of the files: what fails here is the file itself
        if (this.kind !== 'parquet' || (e as { code?: string }).code === 'CANCELLED') throw e;
        throw engineError(this.display, new Error((e as Error).message.replace(`${this.display}: query failed: `, '')), 'not a readable Parquet file');
      }
      this.cols = rows.map((r) => ({ name: String(r[0]), type: String(r[1]), cls: this.dialect.classify(String(r[1])) }));
    }
    return this.cols;
  }

  async query(sql: string, signal?: AbortSignal): Promise<unknown[][]> {
    if (signal?.aborted) throw new DriftCatcherError(`${this.display}: cancelled`, 'CANCELLED');
    const onAbort = (): void => this.conn.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const reader = await this.conn.runAndReadAll(sql);
      return reader.getRowsJS() as unknown[][];
    } catch (e) {
      if (signal?.aborted) throw new DriftCatcherError(`${this.display}: cancelled`, 'CANCELLED');
      throw engineError(this.display, e);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
