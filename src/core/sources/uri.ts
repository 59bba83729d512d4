import * as fs from 'node:fs';
import * as path from 'node:path';
import { DriftCatcherError } from '../util/errors';
import { expandGlob, isGlob } from './glob';

/**
 * Where data lives, as a user writes it wherever a CSV path is accepted:
 * - `data/batch.csv` — one CSV file (our own reader);
 * - `data/batch.parquet` — one Parquet file (read by DuckDB);
 * - `data/2024-*.csv`, `data/**\/*.parquet`, `data/batches/` — a glob or a folder of CSV or Parquet files, read as one
 *   dataset (all CSV or all Parquet);
 * - `duckdb:warehouse.duckdb?table=flights` — a table (or view) in a DuckDB database file, opened read-only;
 * - `clickhouse://HOST:PORT/DB/TABLE` — a ClickHouse table over its HTTP interface (user and password from
 *   CLICKHOUSE_USER / CLICKHOUSE_PASSWORD or the configuration; `?secure=1` for HTTPS);
 * - `postgresql://USER@HOST:PORT/DB?table=T` (or `postgres://`) — a PostgreSQL table (password from PGPASSWORD or
 *   ~/.pgpass, as libpq does).
 * Passwords are never part of a source string: one in a URI is refused, so it cannot end up in a message or a log.
 */
export type SourceSpec =
  | { kind: 'csv'; files: string[]; display: string }
  | { kind: 'parquet'; files: string[]; display: string }
  | { kind: 'duckdb'; file: string; table: string; display: string }
  | { kind: 'clickhouse'; secure: boolean; host: string; port: number; database: string; table: string; user?: string; display: string }
  | { kind: 'postgresql'; host: string; port: number; database: string; table: string; user?: string; display: string };

/** true for the forms that name a table in an engine rather than files */
export function isTableUri(text: string): boolean {
  return /^(duckdb:|clickhouse:\/\/|postgres(ql)?:\/\/)/i.test(text.trim());
}

/** true when the text is anything but a single CSV file: Parquet, a glob, a folder or a table */
export function isNonCsvSource(text: string, workspace: string): boolean {
  if (isTableUri(text) || isGlob(text) || /\.parquet$/i.test(text)) return true;
  try {
    return fs.statSync(path.resolve(workspace, text)).isDirectory();
  } catch {
    return false;
  }
}

export interface ParseSourceOptions {
  /** relative paths resolve against it */
  workspace: string;
  /** what the source is for, for messages ("current data", "baseline") */
  what?: string;
  /** confines every file the source reads (the server passes its workspace check); returns the resolved path */
  confine?: (file: string) => string;
}

/** Parses a source string into a SourceSpec; files are resolved, globs expanded, folders listed. */
export function parseSource(text: string, opts: ParseSourceOptions): SourceSpec {
  const what = opts.what ?? 'data';
  const t = text.trim();
  if (t.length === 0) throw new DriftCatcherError(`${what}: empty source`, 'BAD_INPUT');
  const confine = opts.confine ?? ((f: string) => f);
  if (/^duckdb:/i.test(t)) return parseDuckdb(t, opts.workspace, confine, what);
  if (/^clickhouse:\/\//i.test(t)) return parseClickhouse(t, what);
  if (/^postgres(ql)?:\/\//i.test(t)) return parsePostgres(t, what);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
    throw new DriftCatcherError(
      `${what}: unsupported source ${redact(t)}; use a CSV or Parquet path, a glob, a folder, duckdb:FILE?table=T, clickhouse://HOST:PORT/DB/TABLE or postgresql://USER@HOST:PORT/DB?table=T`,
      'BAD_INPUT',
    );
  }
  if (isGlob(t)) {
    const files = expandGlob(t, opts.workspace).map(confine);
    return fileSet(files, t, what);
  }
  const abs = confine(path.resolve(opts.workspace, t));
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw new DriftCatcherError(`${what} ${t} does not exist`, 'NOT_FOUND', { file: abs });
  }
  if (st.isDirectory()) {
    const files = listDataFiles(abs).map(confine);
    if (files.length === 0) throw new DriftCatcherError(`${what}: the folder ${t} holds no .csv or .parquet files`, 'NOT_FOUND', { file: abs });
    return fileSet(files, t, what);
  }
  if (/\.parquet$/i.test(abs)) return { kind: 'parquet', files: [abs], display: abs };
  return { kind: 'csv', files: [abs], display: abs };
}

/** CSV and Parquet files in a folder and its subfolders (Hive-style partitions), sorted; hidden entries skipped. */
export function listDataFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(csv|parquet)$/i.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function fileSet(files: string[], pattern: string, what: string): SourceSpec {
  if (files.length === 0) throw new DriftCatcherError(`${what}: ${pattern} matches no .csv or .parquet file`, 'NOT_FOUND');
  const parquet = files.filter((f) => /\.parquet$/i.test(f));
  const display = `${pattern} (${files.length} file${files.length === 1 ? '' : 's'})`;
  if (parquet.length === files.length) return { kind: 'parquet', files, display };
  const other = files.filter((f) => !/\.csv$/i.test(f) && !/\.parquet$/i.test(f));
  if (other.length) throw new DriftCatcherError(`${what}: ${pattern} matches ${path.basename(other[0])}, which is neither .csv nor .parquet`, 'BAD_INPUT');
  if (parquet.length) {
    throw new DriftCatcherError(`${what}: ${pattern} mixes CSV and Parquet files (${files.length - parquet.length} CSV, ${parquet.length} Parquet); point it at one kind`, 'BAD_INPUT');
  }
  return { kind: 'csv', files, display };
}

/** `duckdb:FILE?table=T` */
function parseDuckdb(t: string, workspace: string, confine: (f: string) => string, what: string): SourceSpec {
  const rest = t.slice('duckdb:'.length);
  const q = rest.indexOf('?');
  const file = q < 0 ? rest : rest.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : rest.slice(q + 1));
  const table = params.get('table') ?? '';
  if (!file) throw new DriftCatcherError(`${what}: ${t} names no database file (duckdb:FILE.duckdb?table=T)`, 'BAD_INPUT');
  if (!table) throw new DriftCatcherError(`${what}: ${t} names no table (duckdb:FILE.duckdb?table=T)`, 'BAD_INPUT');
  checkTableName(table, t, what);
  const abs = confine(path.resolve(workspace, file.replace(/^\/\/(?=\/)/, '')));
  if (!fs.existsSync(abs)) throw new DriftCatcherError(`${what}: DuckDB database ${file} does not exist`, 'NOT_FOUND', { file: abs });
  return { kind: 'duckdb', file: abs, table, display: `duckdb:${abs}?table=${table}` };
}

/** `clickhouse://[USER@]HOST:PORT/DB/TABLE[?secure=1]` */
function parseClickhouse(t: string, what: string): SourceSpec {
  const u = parseUrl(t, what);
  const parts = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length !== 2) {
    throw new DriftCatcherError(`${what}: ${redact(t)} must name a database and a table: clickhouse://HOST:PORT/DB/TABLE`, 'BAD_INPUT');
  }
  const [database, table] = parts;
  checkTableName(table, redact(t), what);
  const secure = /^(1|true|yes)$/i.test(u.searchParams.get('secure') ?? '');
  const port = u.port ? Number(u.port) : secure ? 8443 : 8123;
  const user = u.username ? decodeURIComponent(u.username) : undefined;
  const host = hostOf(u);
  return { kind: 'clickhouse', secure, host, port, database, table, user, display: `clickhouse://${uriHost(host)}:${port}/${database}/${table}` };
}

/** `postgresql://USER@HOST:PORT/DB?table=[SCHEMA.]T` */
function parsePostgres(t: string, what: string): SourceSpec {
  const u = parseUrl(t, what);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  const table = u.searchParams.get('table') ?? '';
  if (!database) throw new DriftCatcherError(`${what}: ${redact(t)} names no database: postgresql://USER@HOST:PORT/DB?table=T`, 'BAD_INPUT');
  if (!table) throw new DriftCatcherError(`${what}: ${redact(t)} names no table (?table=T)`, 'BAD_INPUT');
  checkTableName(table, redact(t), what);
  const port = u.port ? Number(u.port) : 5432;
  const user = u.username ? decodeURIComponent(u.username) : undefined;
  const host = hostOf(u);
  return {
    kind: 'postgresql',
    host,
    port,
    database,
    table,
    user,
    display: `postgresql://${user ? `${user}@` : ''}${uriHost(host)}:${port}/${database}?table=${table}`,
  };
}

/**
 * The host as drivers, ~/.pgpass and host matching take it: an IPv6 address bare (`::1`). URL.hostname keeps
 * the brackets of `[::1]`, which a driver cannot resolve and which bracketing for a URL doubled.
 */
function hostOf(u: URL): string {
  return u.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** A bare host as it is written in a URI or `host:port`: an IPv6 address in brackets. */
export function uriHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function parseUrl(t: string, what: string): URL {
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    throw new DriftCatcherError(`${what}: ${redact(t)} is not a valid URI`, 'BAD_INPUT');
  }
  if (u.password) {
    const env = /^clickhouse/i.test(t) ? 'CLICKHOUSE_PASSWORD' : 'PGPASSWORD (or ~/.pgpass)';
    throw new DriftCatcherError(`${what}: ${redact(t)} carries a password; remove it from the URI and set ${env} instead`, 'BAD_INPUT');
  }
  if (!u.hostname) throw new DriftCatcherError(`${what}: ${redact(t)} names no host`, 'BAD_INPUT');
  return u;
}

/** A table name: plain or schema-qualified, each part letters, digits, `_`, `$` or `-` (quoted by the dialect). */
function checkTableName(table: string, source: string, what: string): void {
  if (!/^[\p{L}_][\p{L}\p{N}_$-]*(\.[\p{L}_][\p{L}\p{N}_$-]*)?$/u.test(table)) {
    throw new DriftCatcherError(`${what}: ${source}: '${table}' is not a table name (letters, digits, _ and $, optionally schema.table)`, 'BAD_INPUT');
  }
}

/** The text with any `user:password@` reduced to `user@`: safe for messages. */
export function redact(text: string): string {
  return text.replace(/(\/\/[^/@:\s]*):[^/@\s]*@/g, '$1:***@');
}

/**
 * For a server that may only read inside its workspace: the source with every file it would read resolved by
 * `resolve` (which throws for a path outside the workspace), globs and folders expanded to check each match.
 * Table URIs of network engines name no local file and pass unchanged.
 */
export function confineSource(text: string, resolve: (p: string) => string): string {
  const t = text.trim();
  if (/^(clickhouse|postgres(ql)?):\/\//i.test(t)) return t;
  if (/^duckdb:/i.test(t)) {
    const rest = t.slice('duckdb:'.length);
    const q = rest.indexOf('?');
    const file = q < 0 ? rest : rest.slice(0, q);
    return `duckdb:${resolve(file)}${q < 0 ? '' : rest.slice(q)}`;
  }
  if (isGlob(t)) {
    const base = resolve('.');
    const pattern = path.resolve(base, t);
    expandGlob(pattern, base).forEach((f) => resolve(f));
    return pattern;
  }
  const abs = resolve(t);
  if (fs.existsSync(abs) && fs.statSync(abs).isDirectory()) listDataFiles(abs).forEach((f) => resolve(f));
  return abs;
}
