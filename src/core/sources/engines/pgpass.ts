/**
 * The password file libpq reads (PGPASSFILE, else ~/.pgpass; ignored unless only its owner can read it), looked
 * up with the `pgpass` package. pg would do the same lookup itself but warns that it will drop it, so the engine
 * hands pg this lookup as its password function instead.
 */
export interface PgpassTarget {
  host: string;
  port: number;
  database: string;
  user?: string;
}

type PgpassLookup = (conn: { host: string; port: number; database: string; user: string }, cb: (password: string | undefined) => void) => void;

export function pgpassPassword(target: PgpassTarget, user: string): Promise<string | undefined> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package has no type declarations
  const lookup = require('pgpass') as PgpassLookup;
  return new Promise((resolve) => lookup({ host: target.host, port: target.port, database: target.database, user }, resolve));
}
