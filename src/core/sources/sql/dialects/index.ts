import type { Dialect, DialectName } from '../dialect';
import { ClickhouseDialect } from './clickhouse';
import { DuckdbDialect } from './duckdb';
import { PostgresDialect } from './postgresql';
import { SparkDialect } from './spark';
import { TrinoDialect } from './trino';

export function dialectFor(name: DialectName): Dialect {
  switch (name) {
    case 'duckdb':
      return new DuckdbDialect();
    case 'clickhouse':
      return new ClickhouseDialect();
    case 'postgresql':
      return new PostgresDialect();
    case 'spark':
      return new SparkDialect();
    case 'trino':
      return new TrinoDialect();
  }
}
