import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig, UNTRUSTED, type TrustState } from '../../../src/core/config';
import { hostPort } from '../../../src/core/sources/credentials';
import { withSource } from '../../../src/core/sources/drift';
import { pgpassPassword } from '../../../src/core/sources/engines/pgpass';
import { parseSource } from '../../../src/core/sources/uri';
import { tmpDir } from './fixtures';
import { startClickHouseStandIn, type ClickHouseStandIn } from './clickhouseStandIn';

/**
 * An IPv6 host in a table URI (`clickhouse://[::1]:8123/db/t`, `postgresql://u@[::1]:5432/db?table=t`): the host is
 * kept bare (`::1`) for drivers, ~/.pgpass and host matching, and bracketed once wherever it is written as a URI or
 * host:port. Stand-ins listen on the IPv6 loopback and record what reaches them.
 */
describe('sources: IPv6 hosts in table URIs', function () {
  this.timeout(60_000);
  const dir = tmpDir('dc-ipv6-');
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('parses to the bare address; the display brackets it once', () => {
    const ch = parseSource('clickhouse://[::1]:8123/db/t', { workspace: dir });
    assert.equal(ch.kind === 'clickhouse' && ch.host, '::1');
    assert.equal(ch.display, 'clickhouse://[::1]:8123/db/t');
    const pg = parseSource('postgresql://alice@[::1]/db?table=t', { workspace: dir });
    assert.equal(pg.kind === 'postgresql' && pg.host, '::1');
    assert.equal(pg.display, 'postgresql://alice@[::1]:5432/db?table=t');
    assert.equal(hostPort('::1', 8123), '[::1]:8123');
    assert.equal(hostPort('[::1]', 8123), '[::1]:8123');
  });

  describe('ClickHouse over HTTP on [::1]', () => {
    const USER = 'reader';
    const SECRET = 'v6-secret';
    let stand: ClickHouseStandIn;
    let port: number;
    let seen: string[];
    before(async () => {
      stand = await startClickHouseStandIn({ host: '::1', user: USER, secret: SECRET });
      port = stand.port;
      seen = stand.seen;
    });
    after(() => stand.close());
    beforeEach(() => (seen.length = 0));

    async function open(trust: TrustState): Promise<string> {
      const env = { CLICKHOUSE_USER: USER, CLICKHOUSE_PASSWORD: SECRET };
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        const config = loadConfig(dir, {}, env, trust);
        await withSource(`clickhouse://[::1]:${port}/default/flows`, 'current data', { workspace: dir, config }, async () => undefined);
        return '';
      } catch (e) {
        return (e as Error).message;
      } finally {
        for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
      }
    }

    it('reaches the server, with the credentials when the host was chosen as [::1]:PORT or ::1', async () => {
      assert.equal(await open({ ...UNTRUSTED, sourceHosts: [`[::1]:${port}`] }), '');
      assert.equal(await open({ ...UNTRUSTED, sourceHosts: ['::1'] }), '');
      assert.deepEqual(seen, [`${USER}:${SECRET}`, `${USER}:${SECRET}`]);
    });

    it('an unchosen [::1] gets none, and the message names it with one pair of brackets', async () => {
      const message = await open(UNTRUSTED);
      assert.deepEqual(seen, ['default:']);
      assert.ok(message.startsWith(`clickhouse://[::1]:${port}/default/flows: authentication failed`), message);
      assert.ok(message.includes(`not sent to [::1]:${port}`), message);
      assert.ok(message.includes(`--trust-source-host [::1]:${port}`), message);
      assert.ok(!message.includes('[['), message);
      assert.ok(!message.includes(SECRET));
    });
  });

  it('PostgreSQL: the driver connects to the bare address, and ~/.pgpass lines for ::1 match', async () => {
    // a stand-in that accepts and hangs up: the driver got as far as connecting (a bracketed host does not resolve)
    let connections = 0;
    const server = net.createServer((sock) => {
      connections++;
      sock.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const config = loadConfig(dir, {}, {}, UNTRUSTED);
      const err = await withSource(`postgresql://alice@[::1]:${port}/db?table=t`, 'current data', { workspace: dir, config }, async () => '').catch(
        (e: Error) => e.message,
      );
      assert.equal(connections, 1, err);
      assert.ok(err.startsWith(`postgresql://alice@[::1]:${port}/db?table=t: cannot connect`), err);
      assert.ok(!/ENOTFOUND|\[\[/.test(err), err);
    } finally {
      server.close();
    }
    const pgpass = path.join(dir, 'pgpass');
    fs.writeFileSync(pgpass, `\\:\\:1:${port}:db:alice:v6-pw\n`, { mode: 0o600 });
    const saved = process.env.PGPASSFILE;
    process.env.PGPASSFILE = pgpass;
    try {
      const spec = parseSource(`postgresql://alice@[::1]:${port}/db?table=t`, { workspace: dir });
      assert.ok(spec.kind === 'postgresql');
      assert.deepEqual(pgpassPassword({ host: spec.host, port: spec.port, database: spec.database, user: 'alice' }, { anyHost: false }), {
        password: 'v6-pw',
        skippedWildcard: false,
      });
    } finally {
      if (saved === undefined) delete process.env.PGPASSFILE;
      else process.env.PGPASSFILE = saved;
    }
  });
});
