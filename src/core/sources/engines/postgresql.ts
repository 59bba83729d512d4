import type { Client } from 'pg';
import { DriftCatcherError } from '../../util/errors';
import type { TableColumn } from '../sql/columns';
import { PostgresDialect } from '../sql/dialects/postgresql';
import type { SqlEngine } from '../sql/engine';
import { engineError } from './engineError';
import { pgpassPassword } from './pgpass';

/**
 * PostgreSQL through `pg`. The password is never taken from the source string: it comes from PGPASSWORD (the
 * caller passes it) or, as libpq does, from ~/.pgpass (PGPASSFILE). The session is read-only (`default_transaction_read_only`), so no statement can write.
 */
export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
  table: string;
  user?: string;
  /** PGPASSWORD; unset: this process's PGPASSWORD, else ~/.pgpass (PGPASSFILE) */
  password?: string;
}

const CONNECT_TIMEOUT_MS = 10_000;

export async function openPostgres(target: PostgresTarget, display: string): Promise<SqlEngine> {
  const { Client } = await import('pg');
  const client = new Client({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password ?? fromPgpass(target),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    options: '-c default_transaction_read_only=on',
    application_name: 'driftcatcher',
  });
  // a dropped connection must not crash the process: its error surfaces on the next query
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    const msg = (e as Error).message ?? '';
    if (/client password must be a string/.test(msg)) {
      throw new DriftCatcherError(`${display}: authentication failed: the server wants a password and none was given: set PGPASSWORD or add the server to ~/.pgpass`, 'EXTERNAL');
    }
    throw engineError(display, e, /password|authentication/i.test(msg) ? 'authentication failed' : 'cannot connect');
  }
  return new PostgresEngine(client, target, display);
}

/**
 * libpq's order: PGPASSWORD, then the password file. pg calls a password function with its connection parameters
 * (the user resolved from PGUSER or the login when the URI names none); no entry → no password, and the server
 * says whether it wants one. pg's types declare neither the argument nor the undefined result.
 */
function fromPgpass(target: PostgresTarget): () => Promise<string> {
  const lookup = async (params?: { user?: string }): Promise<string | undefined> =>
    process.env.PGPASSWORD ?? pgpassPassword(target, params?.user ?? target.user ?? '');
  return lookup as () => Promise<string>;
}

class PostgresEngine implements SqlEngine {
  readonly dialect = new PostgresDialect();
  readonly relation: string;
  private cols: TableColumn[] | undefined;

  constructor(
    private readonly client: Client,
    target: PostgresTarget,
    readonly display: string,
  ) {
    this.relation = this.dialect.relation(target.table);
  }

  async columns(signal?: AbortSignal): Promise<TableColumn[]> {
    if (!this.cols) {
      const rows = await this.run(
        {
          text: 'SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum',
          values: [this.relation],
        },
        signal,
      );
      this.cols = rows.map((r) => ({ name: String(r[0]), type: String(r[1]), cls: this.dialect.classify(String(r[1])) }));
    }
    return this.cols;
  }

  query(sql: string, signal?: AbortSignal): Promise<unknown[][]> {
    return this.run({ text: sql }, signal);
  }

  private async run(q: { text: string; values?: unknown[] }, signal?: AbortSignal): Promise<unknown[][]> {
    if (signal?.aborted) throw new DriftCatcherError(`${this.display}: cancelled`, 'CANCELLED');
    // cancelling ends the connection: the running statement stops with it
    const onAbort = (): void => void this.client.end().catch(() => undefined);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await this.client.query({ text: q.text, values: q.values, rowMode: 'array' });
      return res.rows as unknown[][];
    } catch (e) {
      if (signal?.aborted) throw new DriftCatcherError(`${this.display}: cancelled`, 'CANCELLED');
      throw engineError(this.display, e);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
