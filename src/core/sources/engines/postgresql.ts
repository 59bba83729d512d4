import type { Client } from 'pg';
import { DriftCatcherError } from '../../util/errors';
import type { TableColumn } from '../sql/columns';
import { PostgresDialect } from '../sql/dialects/postgresql';
import type { SqlEngine } from '../sql/engine';
import { engineError } from './engineError';
import { allowAdvice, withheldMessage } from '../credentials';
import { pgpassPassword } from './pgpass';

/**
 * PostgreSQL through `pg`. The password is never taken from the source string: it comes from PGPASSWORD (the
 * caller passes it, for a host the user chose) or, as libpq does, from ~/.pgpass (PGPASSFILE). The session is
 * read-only (`default_transaction_read_only`), so no statement can write.
 */
export interface PostgresTarget {
  host: string;
  port: number;
  database: string;
  table: string;
  user?: string;
  /** PGPASSWORD (the caller's decision); unset: ~/.pgpass (PGPASSFILE) */
  password?: string;
  /** the host was chosen by the user: catch-all (*) lines of ~/.pgpass apply to it (sources/credentials.ts) */
  anyPgpassHost: boolean;
  /** PGPASSWORD is set but was not given for this host: said when the server asks for a password */
  envPasswordWithheld?: boolean;
}

const CONNECT_TIMEOUT_MS = 10_000;

export async function openPostgres(target: PostgresTarget, display: string): Promise<SqlEngine> {
  const { Client } = await import('pg');
  const skipped = { wildcard: false };
  const client = new Client({
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password: target.password ?? fromPgpass(target, skipped),
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
      const withheld = [target.envPasswordWithheld ? 'PGPASSWORD' : '', skipped.wildcard ? 'the catch-all (*) lines of ~/.pgpass' : ''].filter(Boolean);
      const how = withheld.length
        ? withheldMessage(withheld.join(' and '), 'postgresql', target.host, target.port)
        : target.anyPgpassHost
          ? 'set PGPASSWORD or add the server to ~/.pgpass'
          : // a host nobody chose: PGPASSWORD alone would not be sent there
            `add the server to ~/.pgpass, or set PGPASSWORD and ${allowAdvice('postgresql', target.host, target.port)}`;
      throw new DriftCatcherError(`${display}: authentication failed: the server wants a password and none was given: ${how}`, 'EXTERNAL');
    }
    throw engineError(display, e, /password|authentication/i.test(msg) ? 'authentication failed' : 'cannot connect');
  }
  return new PostgresEngine(client, target, display);
}

/**
 * libpq's order: PGPASSWORD (the caller passes it), then the password file. pg calls a password function with its
 * connection parameters (the user resolved from PGUSER or the login when the URI names none); no entry → no
 * password, and the server says whether it wants one. pg's types declare neither the argument nor the undefined result.
 */
function fromPgpass(target: PostgresTarget, skipped: { wildcard: boolean }): () => Promise<string> {
  const lookup = async (params?: { user?: string }): Promise<string | undefined> => {
    const found = pgpassPassword({ host: target.host, port: target.port, database: target.database, user: params?.user ?? target.user ?? '' }, { anyHost: target.anyPgpassHost });
    skipped.wildcard = found.skippedWildcard;
    return found.password;
  };
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
