import { DEFAULT_MAX_COLUMNS } from '../data/csvHeaderScan';
import { DriftCatcherError } from '../util/errors';
import { CsvSource } from './csvSource';
import { hostChosen, withheldMessage, type HostTrust } from './credentials';
import { openClickhouse } from './engines/clickhouse';
import { openDuckdb } from './engines/duckdb';
import { openPostgres } from './engines/postgresql';
import type { DataSource } from './source';
import { checkPredicate } from './sql/predicate';
import type { SqlEngine } from './sql/engine';
import { SqlSource } from './sqlSource';
import { parseSource, type ParseSourceOptions } from './uri';

/**
 * Data where it lives: turns what the user wrote (a CSV or Parquet path, a glob, a folder, a table URI — see
 * uri.ts) into a DataSource. CSV files are read by our reader; everything else runs as SQL in DuckDB (embedded),
 * ClickHouse or PostgreSQL.
 */
export interface OpenSourceOptions extends ParseSourceOptions {
  /** a --where predicate (table sources only) */
  where?: string;
  /** ClickHouse credentials from the configuration (the environment's CLICKHOUSE_USER / _PASSWORD win) */
  clickhouse?: { user?: string; password?: string };
  /** which hosts may receive credentials (credentials.ts): required, so no caller sends them by omission */
  trust: HostTrust;
  /** DuckDB's memory limit, e.g. '2GB' */
  duckdbMemoryLimit?: string;
  /** refuse data with more columns (csv.maxColumns; a CSV header, a Parquet schema or a table alike) */
  maxColumns?: number;
  env?: NodeJS.ProcessEnv;
}

export async function openSource(text: string, opts: OpenSourceOptions): Promise<DataSource> {
  const spec = parseSource(text, opts);
  const where = opts.where === undefined || opts.where.trim() === '' ? undefined : checkPredicate(opts.where, spec.display);
  const env = opts.env ?? process.env;
  switch (spec.kind) {
    case 'csv':
      if (where !== undefined) {
        throw new DriftCatcherError(
          `${spec.display}: --where applies to Parquet files and tables; to select CSV rows, pick the files (a glob) or load them into a table`,
          'BAD_INPUT',
        );
      }
      return new CsvSource(spec.files, spec.display, opts.maxColumns);
    case 'parquet':
      return new SqlSource(limited(await openDuckdb({ kind: 'parquet', files: spec.files }, spec.display, { memoryLimit: opts.duckdbMemoryLimit }), opts.maxColumns), 'duckdb', where);
    case 'duckdb':
      return new SqlSource(limited(await openDuckdb({ kind: 'duckdb', file: spec.file, table: spec.table }, spec.display, { memoryLimit: opts.duckdbMemoryLimit }), opts.maxColumns), 'duckdb', where);
    case 'clickhouse': {
      const user = env.CLICKHOUSE_USER ?? opts.clickhouse?.user;
      const password = env.CLICKHOUSE_PASSWORD ?? opts.clickhouse?.password;
      const creds = hostChosen(opts.trust, 'clickhouse', spec.host, spec.port, env)
        ? { user: spec.user ?? user, password }
        : // the URI's own user name is no secret; the user's name and password stay home
          { user: spec.user, withheld: user !== undefined || password !== undefined ? withheldMessage('CLICKHOUSE_USER / CLICKHOUSE_PASSWORD', 'clickhouse', spec.host, spec.port) : undefined };
      return new SqlSource(limited(await openClickhouse({ ...spec, ...creds }, spec.display), opts.maxColumns), 'clickhouse', where);
    }
    case 'postgresql': {
      const chosen = hostChosen(opts.trust, 'postgresql', spec.host, spec.port, env);
      const target = { ...spec, password: chosen ? env.PGPASSWORD : undefined, anyPgpassHost: chosen, envPasswordWithheld: !chosen && env.PGPASSWORD !== undefined };
      return new SqlSource(limited(await openPostgres(target, spec.display), opts.maxColumns), 'postgresql', where);
    }
  }
}

/**
 * The column limit of the CSV reader for tables too: every pushed-down profile or drift pass runs queries per
 * column, so a 25,000-column Parquet file would run for many minutes before anything failed.
 */
function limited(engine: SqlEngine, maxColumns = DEFAULT_MAX_COLUMNS): SqlEngine {
  const columns = engine.columns.bind(engine);
  engine.columns = async (signal) => {
    const cols = await columns(signal);
    if (cols.length > maxColumns) {
      throw new DriftCatcherError(
        `${engine.display} has ${cols.length} columns, more than ${maxColumns}; if the data really is that wide, raise csv.maxColumns in driftcatcher.config.json`,
        'BAD_INPUT',
      );
    }
    return cols;
  };
  return engine;
}

export { isNonCsvSource, isTableUri, parseSource, redact, type SourceSpec } from './uri';
export type { DataSource } from './source';
