import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Client } from 'pg';
import { freePorts, waitFor } from './processes';

/**
 * A throwaway PostgreSQL cluster in a temporary folder, on a free loopback port, started by the tests with
 * Debian's initdb / pg_ctl. PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres`
 * system user (runuser). Host connections need a password (scram-sha-256): `admin` creates tables, `reader`
 * is the engine under test.
 */
export const POSTGRES_INSTALL = 'apt-get install -y --no-install-recommends postgresql';
export const PG_ADMIN = { user: 'dc_admin', password: 'Adm-93ab-secret' };
export const PG_READER = { user: 'reader', password: 'Rd-5e0d-secret' };
export const PG_DB = 'warehouse';

function pgBin(name: string): string | undefined {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const v of versions) {
    const p = path.join(root, v, 'bin', name);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

export type PgType = 'double precision' | 'bigint' | 'text' | 'boolean';
export interface PgColumn {
  name: string;
  type: PgType;
  values: (number | string | boolean | null)[];
}

export class PostgresCluster {
  private constructor(
    private readonly dir: string,
    readonly port: number,
    private readonly asUser: string[],
  ) {}

  static async start(): Promise<PostgresCluster> {
    const initdb = pgBin('initdb');
    const pgCtl = pgBin('pg_ctl');
    if (!initdb || !pgCtl) throw new Error(`PostgreSQL server binaries not found under /usr/lib/postgresql: ${POSTGRES_INSTALL}`);
    const root = process.getuid?.() === 0;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-pg-'));
    fs.chmodSync(dir, 0o755);
    const data = path.join(dir, 'data');
    const pwfile = path.join(dir, 'pw');
    fs.writeFileSync(pwfile, PG_ADMIN.password);
    if (root) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
    const asUser = root ? ['runuser', '-u', 'postgres', '--'] : [];
    const run = (cmd: string[]): void => {
      const r = spawnSync(asUser[0] ?? cmd[0], [...asUser.slice(1), ...(asUser.length ? cmd : cmd.slice(1))], { encoding: 'utf8', cwd: dir });
      if (r.status !== 0) throw new Error(`${path.basename(cmd[0])} failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
    };
    run([initdb, '-D', data, '-U', PG_ADMIN.user, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync', '-E', 'UTF8', '--locale=C']);
    const [port] = await freePorts(1);
    run([pgCtl, '-D', data, '-l', path.join(dir, 'log.txt'), '-w', '-t', '120', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    const cluster = new PostgresCluster(dir, port, asUser);
    try {
      await waitFor(async () => (await cluster.admin(async (c) => (await c.query('SELECT 1')).rowCount)) === 1, 60_000, `PostgreSQL on port ${port}`);
      await cluster.admin(async (c) => {
        await c.query(`CREATE DATABASE ${PG_DB}`);
        await c.query(`CREATE ROLE ${PG_READER.user} LOGIN PASSWORD '${PG_READER.password}'`);
      });
    } catch (e) {
      await cluster.stop();
      throw e;
    }
    return cluster;
  }

  /** runs `fn` with an admin connection to `db` */
  async admin<T>(fn: (c: Client) => Promise<T>, db = 'postgres'): Promise<T> {
    const c = new Client({ host: '127.0.0.1', port: this.port, user: PG_ADMIN.user, password: PG_ADMIN.password, database: db });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }

  /** creates (or replaces) a table in the warehouse database, loads the rows and lets `reader` select */
  async createTable(name: string, columns: PgColumn[]): Promise<void> {
    await this.admin(async (c) => {
      await c.query(`DROP TABLE IF EXISTS ${name}`);
      await c.query(`CREATE TABLE ${name} (${columns.map((col) => `"${col.name}" ${col.type}`).join(', ')})`);
      const n = columns[0]?.values.length ?? 0;
      const per = Math.max(1, Math.floor(60000 / Math.max(1, columns.length)));
      for (let start = 0; start < n; start += per) {
        const end = Math.min(n, start + per);
        const params: unknown[] = [];
        const tuples: string[] = [];
        for (let i = start; i < end; i++) {
          tuples.push(`(${columns.map((col) => `$${params.push(toParam(col.values[i]))}::${col.type}`).join(', ')})`);
        }
        await c.query(`INSERT INTO ${name} VALUES ${tuples.join(', ')}`, params);
      }
      await c.query(`GRANT SELECT ON ${name} TO ${PG_READER.user}`);
    }, PG_DB);
  }

  async stop(): Promise<void> {
    const pgCtl = pgBin('pg_ctl')!;
    const cmd = [pgCtl, '-D', path.join(this.dir, 'data'), '-m', 'immediate', '-w', 'stop'];
    spawnSync(this.asUser[0] ?? cmd[0], [...this.asUser.slice(1), ...(this.asUser.length ? cmd : cmd.slice(1))], { encoding: 'utf8' });
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function toParam(v: number | string | boolean | null): unknown {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : String(v);
  return v;
}
