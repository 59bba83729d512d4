import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePorts, stopProcess, waitFor } from './processes';

/**
 * A real two-shard ClickHouse cluster on loopback, started by the tests (Debian's clickhouse-server 18.16:
 * `<yandex>` config root, binary in /usr/sbin). Each shard holds a MergeTree table; a Distributed table on shard 1
 * queries both. Users: `default` without a password (administration) and `reader` with one (the engine under test).
 */
export const CLICKHOUSE_BIN = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'].find((p) => fs.existsSync(p));
export const CLICKHOUSE_INSTALL = 'apt-get install -y --no-install-recommends clickhouse-server clickhouse-client';
export const READER = { user: 'reader', password: 'Rd-7c1f-secret' };

export type ChType = 'Float64' | 'Int64' | 'String';
export interface ChColumn {
  name: string;
  type: ChType;
  /** null = NULL */
  values: (number | string | null)[];
}

export class ClickhouseCluster {
  private constructor(
    private readonly dir: string,
    private readonly procs: ChildProcess[],
    readonly httpPorts: number[],
  ) {}

  static async start(): Promise<ClickhouseCluster> {
    if (!CLICKHOUSE_BIN) throw new Error(`clickhouse-server is not installed: ${CLICKHOUSE_INSTALL}`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-ch-'));
    const ports = await freePorts(6);
    const http = [ports[0], ports[1]];
    const tcp = [ports[2], ports[3]];
    const inter = [ports[4], ports[5]];
    const shards = tcp.map((p) => `<shard><replica><host>127.0.0.1</host><port>${p}</port></replica></shard>`).join('');
    fs.writeFileSync(
      path.join(dir, 'users.xml'),
      `<yandex><profiles><default></default></profiles><users>` +
        `<default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>` +
        `<${READER.user}><password>${READER.password}</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></${READER.user}>` +
        `</users><quotas><default></default></quotas></yandex>`,
    );
    const procs: ChildProcess[] = [];
    for (let i = 0; i < 2; i++) {
      const d = path.join(dir, `s${i + 1}`);
      fs.mkdirSync(d, { recursive: true });
      fs.writeFileSync(
        path.join(d, 'config.xml'),
        `<yandex><logger><level>error</level><log>${d}/log.txt</log><errorlog>${d}/err.txt</errorlog></logger>` +
          `<http_port>${http[i]}</http_port><tcp_port>${tcp[i]}</tcp_port><interserver_http_port>${inter[i]}</interserver_http_port>` +
          `<listen_host>127.0.0.1</listen_host><path>${d}/data/</path><tmp_path>${d}/tmp/</tmp_path>` +
          `<user_files_path>${d}/user_files/</user_files_path><format_schema_path>${d}/format_schemas/</format_schema_path>` +
          `<users_config>${dir}/users.xml</users_config><default_profile>default</default_profile><default_database>default</default_database>` +
          `<mark_cache_size>5368709</mark_cache_size><remote_servers><dc_cluster>${shards}</dc_cluster></remote_servers></yandex>`,
      );
      procs.push(spawn(CLICKHOUSE_BIN, [`--config-file=${d}/config.xml`], { stdio: 'ignore', cwd: d }));
    }
    const cluster = new ClickhouseCluster(dir, procs, http);
    try {
      for (let i = 0; i < 2; i++) {
        await waitFor(async () => (await cluster.sql('SELECT 1', i)).trim() === '1', 90_000, `ClickHouse shard ${i + 1} on port ${http[i]}`);
      }
    } catch (e) {
      await cluster.stop();
      throw e;
    }
    return cluster;
  }

  /** admin SQL as `default` on one shard; returns the raw body */
  async sql(sql: string, shard = 0, body?: Buffer): Promise<string> {
    const url = `http://127.0.0.1:${this.httpPorts[shard]}/` + (body ? `?query=${encodeURIComponent(sql)}` : '');
    const res = await fetch(url, { method: 'POST', body: body ? new Uint8Array(body) : sql });
    const text = await res.text();
    if (!res.ok) throw new Error(`ClickHouse shard ${shard + 1}: ${text.slice(0, 300)}`);
    return text;
  }

  /**
   * Creates `<name>_local` on both shards and the Distributed `<name>` over them on shard 1, and loads the rows
   * alternately into the shards (row i to shard i % 2) as RowBinary, so doubles arrive bit for bit.
   */
  async createTable(name: string, columns: ChColumn[]): Promise<void> {
    const defs = columns.map((c) => `\`${c.name}\` Nullable(${c.type})`).join(', ');
    for (let s = 0; s < 2; s++) {
      await this.sql(`DROP TABLE IF EXISTS ${name}_local`, s);
      await this.sql(`CREATE TABLE ${name}_local (${defs}) ENGINE = MergeTree ORDER BY tuple()`, s);
    }
    await this.sql(`DROP TABLE IF EXISTS ${name}`, 0);
    await this.sql(`CREATE TABLE ${name} AS ${name}_local ENGINE = Distributed(dc_cluster, default, ${name}_local, rand())`, 0);
    const n = columns[0]?.values.length ?? 0;
    for (let s = 0; s < 2; s++) {
      const rows: number[] = [];
      for (let i = s; i < n; i += 2) rows.push(i);
      await this.sql(`INSERT INTO ${name}_local FORMAT RowBinary`, s, rowBinary(columns, rows));
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.procs.map((p) => stopProcess(p, 30_000)));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The rows in ClickHouse's RowBinary format (each Nullable cell: a null flag byte, then the value), written into
 * one growing buffer: a buffer per cell would be tens of millions of objects for the bench's 500k × 79 table.
 */
function rowBinary(columns: ChColumn[], rows: number[]): Buffer {
  let buf = Buffer.alloc(1 << 20);
  let at = 0;
  const room = (n: number): void => {
    if (at + n <= buf.length) return;
    const bigger = Buffer.alloc(Math.max(buf.length * 2, at + n));
    buf.copy(bigger, 0, 0, at);
    buf = bigger;
  };
  for (const i of rows) {
    for (const c of columns) {
      const v = c.values[i];
      room(1);
      buf[at++] = v === null ? 1 : 0;
      if (v === null) continue;
      if (c.type === 'Float64') {
        room(8);
        at = buf.writeDoubleLE(Number(v), at);
      } else if (c.type === 'Int64') {
        room(8);
        at = buf.writeBigInt64LE(BigInt(v), at);
      } else {
        const text = String(v);
        const len = Buffer.byteLength(text, 'utf8');
        room(10 + len);
        // LEB128 length, then the UTF-8 bytes
        let n = len;
        do {
          let byte = n & 0x7f;
          n = Math.floor(n / 128);
          if (n > 0) byte |= 0x80;
          buf[at++] = byte;
        } while (n > 0);
        at += buf.write(text, at, 'utf8');
      }
    }
  }
  return buf.subarray(0, at);
}
