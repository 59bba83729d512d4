import * as fs from 'node:fs';

/**
 * The password file libpq reads (PGPASSFILE, else ~/.pgpass; ignored unless it is a plain file only its owner can
 * read), parsed and matched with the `pgpass` package's helpers: host:port:database:user, `*` matching anything,
 * the first matching line wins. pg would do the lookup itself but warns that it will drop it, so the engine hands pg
 * this lookup as its password function instead.
 *
 * One rule beyond libpq's: for a host the user did not choose (sources/credentials.ts), a line whose host field is
 * `*` is skipped — a catch-all line is meant for the user's own servers, not for any host a workspace or a request
 * names. A line that names the host itself is the user's choice of that host and still counts.
 */
export interface PgpassConnection {
  host: string;
  port: number;
  database: string;
  user: string;
}

export interface PgpassResult {
  password?: string;
  /** a `*`-host line would have matched but was skipped (the host was not chosen) */
  skippedWildcard: boolean;
}

interface PgpassEntry {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
}

interface PgpassHelper {
  getFileName(env?: NodeJS.ProcessEnv): string;
  parseLine(line: string): PgpassEntry | null;
  isValidEntry(entry: PgpassEntry): boolean;
  match(conn: PgpassConnection, entry: PgpassEntry): boolean;
}

export function pgpassPassword(conn: PgpassConnection, opts: { anyHost: boolean }): PgpassResult {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package has no type declarations
  const helper = require('pgpass/lib/helper.js') as PgpassHelper;
  const file = helper.getFileName(process.env);
  let text: string;
  try {
    const st = fs.statSync(file);
    // as libpq: a password file others can read (or that is no plain file) is ignored
    if (!st.isFile() || (process.platform !== 'win32' && (st.mode & 0o077) !== 0)) return { skippedWildcard: false };
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { skippedWildcard: false };
  }
  let skippedWildcard = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*#/.test(line)) continue; // a comment (the helper only skips indented ones)
    const entry = helper.parseLine(line);
    if (!entry || !helper.isValidEntry(entry) || !helper.match(conn, entry)) continue;
    if (entry.host === '*' && !opts.anyHost) {
      skippedWildcard = true;
      continue;
    }
    return { password: entry.password, skippedWildcard };
  }
  return { skippedWildcard };
}
