import { DriftCatcherError } from '../../util/errors';
import type { TableColumn } from '../sql/columns';
import { ClickhouseDialect } from '../sql/dialects/clickhouse';
import type { SqlEngine } from '../sql/engine';
import { engineError } from './engineError';
import { uriHost } from '../uri';

/**
 * ClickHouse over its HTTP interface (no client library: Debian's 18.16 server rejects settings newer clients
 * send). Each query is a POST with the SQL as the body, `readonly=1` (no statement can write or change
 * settings) and `FORMAT JSONCompact` (with `output_format_json_quote_denormals`, so ±inf and nan arrive as such,
 * not as null); credentials go in an Authorization header, never in the URL. A Distributed
 * table aggregates over its shards on the server, so the same queries work on one node or a cluster.
 */
export interface ClickhouseTarget {
  secure: boolean;
  host: string;
  port: number;
  database: string;
  table: string;
  user?: string;
  password?: string;
  /** why the user's credentials were not sent to this host (sources/credentials.ts): said when the server refuses */
  withheld?: string;
}

/** per-query time limit: an unreachable or stuck server fails the check instead of hanging it */
const QUERY_TIMEOUT_MS = 10 * 60_000;
const CONNECT_TIMEOUT_MS = 10_000;

export async function openClickhouse(target: ClickhouseTarget, display: string): Promise<SqlEngine> {
  const engine = new ClickhouseEngine(target, display);
  await engine.ping();
  return engine;
}

class ClickhouseEngine implements SqlEngine {
  readonly dialect = new ClickhouseDialect();
  readonly relation: string;
  private cols: TableColumn[] | undefined;
  private readonly url: string;
  private readonly headers: Record<string, string>;

  constructor(
    private readonly t: ClickhouseTarget,
    readonly display: string,
  ) {
    this.relation = `${this.dialect.ident(t.database)}.${this.dialect.ident(t.table)}`;
    this.url = `${t.secure ? 'https' : 'http'}://${uriHost(t.host)}:${t.port}/?output_format_json_quote_denormals=1&readonly=1&database=${encodeURIComponent(t.database)}`;
    const user = t.user ?? 'default';
    this.headers = {
      'Content-Type': 'text/plain; charset=utf-8',
      Authorization: `Basic ${Buffer.from(`${user}:${t.password ?? ''}`).toString('base64')}`,
    };
  }

  async ping(): Promise<void> {
    await this.post('SELECT 1 FORMAT JSONCompact', undefined, CONNECT_TIMEOUT_MS, 'cannot connect');
  }

  async columns(signal?: AbortSignal): Promise<TableColumn[]> {
    if (!this.cols) {
      const rows = await this.query(`DESCRIBE TABLE ${this.relation}`, signal);
      this.cols = rows.map((r) => ({ name: String(r[0]), type: String(r[1]), cls: this.dialect.classify(String(r[1])) }));
    }
    return this.cols;
  }

  async query(sql: string, signal?: AbortSignal): Promise<unknown[][]> {
    const body = await this.post(`${sql}\nFORMAT JSONCompact`, signal, QUERY_TIMEOUT_MS);
    let parsed: { data?: unknown[][] };
    try {
      parsed = JSON.parse(body) as { data?: unknown[][] };
    } catch {
      throw new DriftCatcherError(`${this.display}: the server's answer is not JSON (${body.slice(0, 80).replace(/\s+/g, ' ')}…)`, 'EXTERNAL');
    }
    return parsed.data ?? [];
  }

  private async post(body: string, signal: AbortSignal | undefined, timeoutMs: number, doing = 'query failed'): Promise<string> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await fetch(this.url, { method: 'POST', headers: this.headers, body, signal: combined });
    } catch (e) {
      if (signal?.aborted) throw new DriftCatcherError(`${this.display}: cancelled`, 'CANCELLED');
      if (timeout.aborted) throw new DriftCatcherError(`${this.display}: ${doing}: no answer within ${Math.round(timeoutMs / 1000)} s`, 'EXTERNAL');
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const detail = cause?.message ?? (e as Error).message;
      const code = cause?.code && !detail.includes(cause.code) ? `${cause.code}: ` : ''; // Node's messages mostly name it already
      throw new DriftCatcherError(`${this.display}: cannot connect: ${code}${detail}`.replace(/\s+/g, ' ').trim(), 'EXTERNAL');
    }
    const text = await res.text();
    if (!res.ok) {
      const denied = res.status === 401 || res.status === 403 || /Code: 19[2-4]|Code: 516/.test(text);
      const e = engineError(this.display, new Error(text || `HTTP ${res.status}`), denied ? 'authentication failed' : doing);
      throw denied && this.t.withheld ? new DriftCatcherError(`${e.message}; ${this.t.withheld}`, e.code) : e;
    }
    return text;
  }

  async close(): Promise<void> {
    // stateless HTTP: nothing to close
  }
}
