import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/core/cli/main';
import { CONFIG_FILE, loadConfig, UNTRUSTED, type ConfigInput, type TrustState } from '../../../src/core/config';
import { buildApp } from '../../../src/core/http/app';
import { ServiceProcess } from '../../../src/core/service/serviceProcess';
import { matchesHost } from '../../../src/core/sources/credentials';
import { withSource } from '../../../src/core/sources/drift';
import { pgpassPassword } from '../../../src/core/sources/engines/pgpass';
import { writeFlows } from '../../integration/server/fixtures';
import { startClickHouseStandIn, type ClickHouseStandIn } from '../sources/clickhouseStandIn';

/**
 * Database credentials stay with the hosts the user chose. A ClickHouse stand-in on 127.0.0.1 (its HTTP interface:
 * it records the Authorization header of every request, answers `SELECT 1` to the right credentials and refuses any
 * other as ClickHouse does) shows what leaves the process: the user's CLICKHOUSE_USER / CLICKHOUSE_PASSWORD reach
 * it only when the user chose the host (CLICKHOUSE_HOST, sources.trustedHosts in the user's settings,
 * --trust-source-host, a URI typed on the command line) or trusted the workspace; a host named by
 * driftcatcher.config.json or by an HTTP request gets none, and the error names the flag that allows it.
 */
const USER = 'reader';
const SECRET = 'Ch-6d2e-secret';
const creds = { CLICKHOUSE_USER: USER, CLICKHOUSE_PASSWORD: SECRET };

describe('database credentials stay with the hosts the user chose', function () {
  this.timeout(120_000);
  let stand: ClickHouseStandIn;
  let port: number;
  let seen: string[];
  let uri: string;

  before(async () => {
    stand = await startClickHouseStandIn({ host: '127.0.0.1', user: USER, secret: SECRET, missingTable: 'default.flows' });
    port = stand.port;
    seen = stand.seen;
    uri = `clickhouse://127.0.0.1:${port}/default/flows`;
  });
  after(() => stand.close());
  beforeEach(() => {
    seen.length = 0;
  });

  function workspace(config?: object): string {
    const ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dc-creds-')));
    if (config) fs.writeFileSync(path.join(ws, CONFIG_FILE), JSON.stringify(config));
    return ws;
  }
  /** opens the source the way every drift check, profile and multivariate pass does; the error message, if any */
  async function open(ws: string, env: NodeJS.ProcessEnv, trust: TrustState = UNTRUSTED, overrides: ConfigInput = {}, source = uri): Promise<string> {
    const config = loadConfig(ws, overrides, env, trust);
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      await withSource(source, 'current data', { workspace: ws, config }, async () => undefined);
      return '';
    } catch (e) {
      return (e as Error).message;
    } finally {
      for (const k of Object.keys(env)) if (saved[k] === undefined) delete process.env[k];
    }
  }
  const withheld = (p: number) =>
    new RegExp(
      `^clickhouse://127\\.0\\.0\\.1:${p}/default/flows: authentication failed: Code: 516, .*Authentication failed.*; CLICKHOUSE_USER / CLICKHOUSE_PASSWORD not sent to 127\\.0\\.0\\.1:${p}, a host you did not choose: ` +
        `trust the workspace \\(driftcatcher --trust-workspace-sources, or VS Code workspace trust\\) or allow the host \\(--trust-source-host 127\\.0\\.0\\.1:${p}, sources\\.trustedHosts in your settings, or CLICKHOUSE_HOST\\)$`,
    );

  it('a host nobody chose gets no credentials, and the error says how to allow it', async () => {
    const message = await open(workspace(), creds);
    assert.deepEqual(seen, ['default:'], 'only the anonymous default user was sent');
    assert.match(message, withheld(port));
    assert.ok(!message.includes(SECRET));
  });

  it('the workspace cannot name the host, nor send its own password to a host nobody chose', async () => {
    assert.match(await open(workspace({ sources: { trustedHosts: ['127.0.0.1'] } }), creds), withheld(port));
    assert.match(await open(workspace({ sources: { clickhouse: { user: USER, password: SECRET } } }), {}), withheld(port));
    assert.deepEqual(seen, ['default:', 'default:']);
  });

  it('a trusted workspace (--trust-workspace-sources, VS Code workspace trust) sends them', async () => {
    assert.equal(await open(workspace({ sources: { trustedHosts: ['127.0.0.1'] } }), creds, { ...UNTRUSTED, sources: true }), '');
    assert.deepEqual(seen, [`${USER}:${SECRET}`]);
  });

  it('hosts the user chose get them: CLICKHOUSE_HOST, sources.trustedHosts in the user settings, --trust-source-host', async () => {
    assert.equal(await open(workspace(), { ...creds, CLICKHOUSE_HOST: '127.0.0.1' }), '');
    assert.equal(await open(workspace(), creds, UNTRUSTED, { sources: { trustedHosts: [`127.0.0.1:${port}`] } }), '');
    assert.equal(await open(workspace(), creds, { ...UNTRUSTED, sourceHosts: ['LOCALHOST', '127.0.0.1'] }), '');
    assert.deepEqual(seen, Array(3).fill(`${USER}:${SECRET}`));
    // another port of the host, another host, PGHOST (PostgreSQL's, not ClickHouse's): not chosen
    seen.length = 0;
    assert.match(await open(workspace(), creds, UNTRUSTED, { sources: { trustedHosts: ['127.0.0.1:1'] } }), withheld(port));
    assert.match(await open(workspace(), { ...creds, CLICKHOUSE_HOST: 'localhost', PGHOST: '127.0.0.1' }), withheld(port));
    assert.deepEqual(seen, ['default:', 'default:']);
  });

  it("the URI's own user name is sent (it is no secret), never the user's password", async () => {
    const message = await open(workspace(), creds, UNTRUSTED, {}, `clickhouse://alice@127.0.0.1:${port}/default/flows`);
    assert.deepEqual(seen, ['alice:']);
    assert.match(message, /alice: Authentication failed.*not sent to 127\.0\.0\.1/);
  });

  it("the CLI: a source typed on the command line is the user's choice, one a workspace's file names is not", async () => {
    const ws = workspace();
    writeFlows(path.join(ws, 'base.csv'), 200, { seed: 1 });
    const run = async (args: string[]) => {
      let err = '';
      const saved = { ...process.env };
      Object.assign(process.env, creds);
      try {
        const code = await runCli(args, { stdout: () => undefined, stderr: (s) => void (err += s), cwd: ws });
        return { code, err };
      } finally {
        for (const k of Object.keys(creds)) if (saved[k] === undefined) delete process.env[k];
      }
    };
    const typed = await run(['drift', 'base.csv', uri]);
    assert.equal(typed.code, 2);
    assert.match(typed.err, /flows: query failed: Code: 60, .*Table default\.flows doesn't exist/, 'the credentials were accepted; the table is what is missing');
    assert.deepEqual(seen, [`${USER}:${SECRET}`, `${USER}:${SECRET}`]);
    // a baseline profile in the workspace that names a table: re-read for multivariate drift, without credentials
    seen.length = 0;
    assert.equal((await run(['profile', 'base.csv', '--output', 'profile.json'])).code, 0);
    const profile = JSON.parse(fs.readFileSync(path.join(ws, 'profile.json'), 'utf8')) as { source: string };
    fs.writeFileSync(path.join(ws, 'profile.json'), JSON.stringify({ ...profile, source: uri }));
    const planted = await run(['drift', 'profile.json', 'base.csv', '--multivariate']);
    assert.equal(planted.code, 2);
    assert.match(planted.err.replace(/^error: /, '').trimEnd(), withheld(port));
    assert.deepEqual(seen, ['default:']);
    // the same with the host allowed on the command line
    seen.length = 0;
    await run(['drift', 'profile.json', 'base.csv', '--multivariate', '--trust-source-host', `127.0.0.1:${port}`]);
    assert.deepEqual(seen.slice(0, 1), [`${USER}:${SECRET}`]);
    const bad = await run(['serve', '--http', '127.0.0.1:0', '--trust-source-host', 'two words']);
    assert.equal(bad.code, 2);
    assert.equal(bad.err, "error: --trust-source-host 'two words' is not a host: give HOST or HOST:PORT (IPv6 as [::1]:8123)\n");
  });

  it('the HTTP API: a host named in a request gets credentials only from a service started with a trust flag', async () => {
    const ws = workspace({ dataset: 'CICIDS2017' });
    writeFlows(path.join(ws, 'base.csv'), 200, { seed: 1 });
    const saved = { ...process.env };
    Object.assign(process.env, creds);
    try {
      for (const trust of [UNTRUSTED, { ...UNTRUSTED, sourceHosts: [`127.0.0.1:${port}`] }, { ...UNTRUSTED, sources: true }]) {
        const service = new ServiceProcess({ workspace: ws, trust });
        const { app } = await buildApp({ service, loopback: true, version: 'test' });
        try {
          const res = await app.inject({ method: 'POST', url: '/drift/check', payload: { baseline: 'base.csv', current: uri }, headers: { 'content-type': 'application/json' } });
          const body = JSON.parse(res.body) as { error: string };
          assert.ok(!res.body.includes(SECRET));
          if (trust === UNTRUSTED) assert.match(body.error, /not sent to 127\.0\.0\.1:\d+, a host you did not choose: trust the workspace \(driftcatcher --trust-workspace-sources/);
          else assert.match(body.error, /Table default\.flows doesn't exist/);
        } finally {
          await app.close();
        }
      }
    } finally {
      for (const k of Object.keys(creds)) if (saved[k] === undefined) delete process.env[k];
    }
    assert.deepEqual(seen.filter((s, i) => s !== seen[i - 1]), ['default:', `${USER}:${SECRET}`]);
  });
});

describe('~/.pgpass: catch-all lines only for hosts the user chose', () => {
  let file: string;
  let saved: string | undefined;
  before(() => {
    file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dc-pgpass-')), 'pgpass');
    fs.writeFileSync(file, '# host:port:db:user:password\n*:*:*:alice:wild-pw\ndb.example.org:5432:*:alice:named-pw\n', { mode: 0o600 });
    saved = process.env.PGPASSFILE;
    process.env.PGPASSFILE = file;
  });
  after(() => {
    if (saved === undefined) delete process.env.PGPASSFILE;
    else process.env.PGPASSFILE = saved;
  });
  const conn = (host: string) => ({ host, port: 5432, database: 'warehouse', user: 'alice' });

  it('a chosen host gets the first matching line, as libpq reads the file', () => {
    assert.deepEqual(pgpassPassword(conn('attacker.example'), { anyHost: true }), { password: 'wild-pw', skippedWildcard: false });
  });
  it('another host gets no catch-all password; a line naming the host itself still counts', () => {
    assert.deepEqual(pgpassPassword(conn('attacker.example'), { anyHost: false }), { skippedWildcard: true });
    assert.deepEqual(pgpassPassword(conn('db.example.org'), { anyHost: false }), { password: 'named-pw', skippedWildcard: true });
  });
  it('a file others can read is ignored, as libpq ignores it', () => {
    fs.chmodSync(file, 0o644);
    assert.deepEqual(pgpassPassword(conn('db.example.org'), { anyHost: true }), { skippedWildcard: false });
    fs.chmodSync(file, 0o600);
  });
});

describe('host matching', () => {
  it('"host" is any port of it, "host:port" that port; names ignore case; IPv6 in brackets or bare', () => {
    assert.ok(matchesHost('db.example.org', 'DB.example.org', 8123));
    assert.ok(matchesHost('db.example.org:8123', 'db.example.org', 8123));
    assert.ok(!matchesHost('db.example.org:9000', 'db.example.org', 8123));
    assert.ok(!matchesHost('example.org', 'db.example.org', 8123));
    assert.ok(matchesHost('[::1]:8123', '[::1]', 8123));
    assert.ok(matchesHost('::1', '[::1]', 5432));
    assert.ok(!matchesHost('', 'db', 1));
  });
});
