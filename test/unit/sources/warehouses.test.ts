import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { streamCsv } from '../../../src/core/data/csvReader';
import { CsvRowWriter } from '../../../src/core/data/csvWriter';
import { proportionalQuota } from '../../../src/core/data/sampling';
import { hashedColumns, rowHash } from '../../../src/core/model/rowHash';
import { openSource } from '../../../src/core/sources';
import type { LabelledSample } from '../../../src/core/sources/source';
import type { SqlSource } from '../../../src/core/sources/sqlSource';
import { openClickhouse } from '../../../src/core/sources/engines/clickhouse';
import { openPostgres } from '../../../src/core/sources/engines/postgresql';
import { ClickhouseCluster, READER } from './engines/clickhouseCluster';
import { freePorts } from './engines/processes';
import { PG_DB, PG_READER, PostgresCluster } from './engines/postgresCluster';
import { assertSameProfile, assertSameReport, edgeDataset, flightsDataset, loadColumns, reference, reportFromState, tmpDir, weatherDataset, type Dataset, type Reference } from './fixtures';

/**
 * The real engines, started here: a two-shard ClickHouse cluster (Debian's clickhouse-server, rows split between
 * the shards, queried through a Distributed table) and a throwaway PostgreSQL cluster. Each gives the same profile
 * and the same report as our reader on the same rows; bad inputs fail with one line naming the source and never
 * the password.
 */
describe('sources: ClickHouse (2 shards) and PostgreSQL', function () {
  this.timeout(600_000);
  const dir = tmpDir();
  let ch: ClickhouseCluster;
  let pg: PostgresCluster;
  const sets: { ds: Dataset; ref: Reference; tag: string }[] = [];
  // the hosts a user typed on the command line: their credentials may go there (credentials.ts)
  const chosen = { anyHost: false, hosts: ['127.0.0.1'] };
  const env = (): NodeJS.ProcessEnv => ({ CLICKHOUSE_USER: READER.user, CLICKHOUSE_PASSWORD: READER.password, PGPASSWORD: PG_READER.password });
  const chUri = (table: string) => `clickhouse://127.0.0.1:${ch.httpPorts[0]}/default/${table}`;
  const pgUri = (table: string) => `postgresql://${PG_READER.user}@127.0.0.1:${pg.port}/${PG_DB}?table=${table}`;

  before(async () => {
    [ch, pg] = await Promise.all([ClickhouseCluster.start(), PostgresCluster.start()]);
    for (const ds of [weatherDataset(dir), edgeDataset(dir), await flightsDataset(dir, 8000)]) {
      const ref = await reference(ds);
      const tag = ds.name.replace(/\W/g, '_');
      for (const [suffix, t] of [['b', ref.table], ['c', ref.current]] as const) {
        const cols = loadColumns(t);
        await ch.createTable(`${tag}_${suffix}`, cols.map((c) => ({ name: c.name, type: c.numeric ? 'Float64' : 'String', values: c.values })));
        await pg.createTable(`${tag}_${suffix}`, cols.map((c) => ({ name: c.name, type: c.numeric ? 'double precision' : 'text', values: c.values })));
      }
      sets.push({ ds, ref, tag });
    }
  });
  after(async () => {
    await Promise.all([ch?.stop(), pg?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const engine of ['clickhouse', 'postgresql'] as const) {
    const uri = (t: string) => (engine === 'clickhouse' ? chUri(t) : pgUri(t));

    it(`${engine}: profiles a table exactly as buildProfile profiles the CSV`, async () => {
      for (const { ds, ref, tag } of sets) {
        const src = await openSource(uri(`${tag}_b`), { workspace: dir, trust: chosen, env: env() });
        try {
          assertSameProfile(await src.profile({ label: () => ds.label, dropColumns: ds.drop }), ref.profile, `${engine} ${ds.name}`);
        } finally {
          await src.close();
        }
      }
    });

    it(`${engine}: checks drift with the reader's exact counts${engine === 'clickhouse' ? ' (rows split over two shards)' : ''}`, async () => {
      for (const { ds, ref, tag } of sets) {
        const src = await openSource(uri(`${tag}_c`), { workspace: dir, trust: chosen, env: env() });
        try {
          assertSameReport(reportFromState(ref.profile, await src.driftState(ref.profile)), ref.report, `${engine} ${ds.name}`);
        } finally {
          await src.close();
        }
      }
    });

    it(`${engine}: --where selects rows in the engine`, async () => {
      const { ref, tag } = sets.find((s) => s.ds.name === 'flights')!;
      const src = await openSource(uri(`${tag}_c`), { workspace: dir, trust: chosen, env: env(), where: "origin = 'ATL'" });
      const state = await src.driftState(ref.profile);
      await src.close();
      const atl = ref.current.columns.find((c) => c.name === 'origin')!;
      const want = atl.kind === 'categorical' ? Array.from(atl.codes).filter((k, i) => atl.categories[k] === 'ATL' && !labelMissing(ref, i)).length : -1;
      assert.equal(state.rows, want);
      assert.ok(want > 0);
    });
  }

  for (const engine of ['clickhouse', 'postgresql'] as const) {
    const uri = (t: string) => (engine === 'clickhouse' ? chUri(t) : pgUri(t));

    it(`${engine}: samples labelled rows in the engine with the stratified caps; they hash as the CSV's rows`, async () => {
      for (const { ds, tag } of sets.filter((x) => x.ds.name !== 'flights')) {
        const label = ds.label ?? 'weather';
        const want = await labelledRowsOf(ds.base, label, `${dir}/${tag}-want.csv`);
        const src = (await openSource(uri(`${tag}_b`), { workspace: dir, trust: chosen, env: env() })) as SqlSource;
        try {
          // everything fits: every labelled row, none twice
          const all = await src.labelledSample({ label: () => label, maxRows: 1e6, seed: 42 });
          const got = await labelledRowsOf(all, label, `${dir}/${tag}-${engine}-all.csv`);
          assert.equal(got.hashes.length, want.hashes.length, `${engine} ${ds.name}: rows`);
          assert.deepEqual([...got.hashes].sort(), [...want.hashes].sort(), `${engine} ${ds.name}: the same row identities as the CSV`);
          assert.equal(all.selected - all.unlabelled, want.hashes.length);
          assert.deepEqual((await src.labelledSample({ label: () => label, maxRows: 1e6, seed: 42 })).rows, all.rows, 'in the same order every time');
          // capped: each class its proportional share, rows of the data, the same rows twice
          const classes = [...counts(want.labels)].sort((x, y) => (x[0] < y[0] ? -1 : 1));
          const quota = proportionalQuota(classes.map(([, n]) => n), 100);
          const capped = await src.labelledSample({ label: () => label, maxRows: 100, seed: 42 });
          const some = await labelledRowsOf(capped, label, `${dir}/${tag}-${engine}-cap.csv`);
          assert.deepEqual([...counts(some.labels)].sort((x, y) => (x[0] < y[0] ? -1 : 1)), classes.map(([c], i) => [c, quota[i]]), `${engine} ${ds.name}`);
          const known = new Set(want.hashes);
          assert.ok(some.hashes.every((h) => known.has(h)));
          assert.deepEqual((await src.labelledSample({ label: () => label, maxRows: 100, seed: 42 })).rows, capped.rows, 'deterministic');
        } finally {
          await src.close();
        }
      }
    });
  }

  it('postgresql: without PGPASSWORD the password comes from the password file (PGPASSFILE / ~/.pgpass), as libpq reads it', async () => {
    const { ref, tag } = sets.find((s) => s.ds.name === 'flights')!;
    const file = `${dir}/pgpass`;
    fs.writeFileSync(file, `# host:port:db:user:password\n127.0.0.1:${pg.port}:${PG_DB}:${PG_READER.user}:${PG_READER.password}\n`, { mode: 0o600 });
    const saved = { file: process.env.PGPASSFILE, password: process.env.PGPASSWORD };
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(w.message);
    process.on('warning', onWarning);
    process.env.PGPASSFILE = file;
    delete process.env.PGPASSWORD;
    try {
      const src = await openSource(pgUri(`${tag}_c`), { workspace: dir, trust: chosen, env: {} });
      try {
        assert.equal((await src.driftState(ref.profile)).rows, ref.report.current.rows);
      } finally {
        await src.close();
      }
      // libpq ignores a password file others can read; so do we, and the server's refusal is the error
      fs.chmodSync(file, 0o644);
      await assert.rejects(
        openSource(pgUri(`${tag}_c`), { workspace: dir, trust: chosen, env: {} }),
        (e: Error) => /: authentication failed: the server wants a password and none was given: set PGPASSWORD or add the server to ~\/\.pgpass$/.test(e.message),
      );
    } finally {
      process.off('warning', onWarning);
      if (saved.file === undefined) delete process.env.PGPASSFILE;
      else process.env.PGPASSFILE = saved.file;
      if (saved.password !== undefined) process.env.PGPASSWORD = saved.password;
    }
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(warnings.filter((w) => /pgpass/i.test(w)), [], 'no deprecation warning from pg');
  });

  it('credentials go only to hosts the user chose: the real servers refuse a host nobody chose, saying how to allow it', async () => {
    const { ref, tag } = sets.find((s) => s.ds.name === 'flights')!;
    const nobody = { anyHost: false, hosts: [] };
    const advice = (p: number) => `not sent to 127\\.0\\.0\\.1:${p}, a host you did not choose: trust the workspace \\(driftcatcher --trust-workspace-sources, or VS Code workspace trust\\) or allow the host \\(--trust-source-host 127\\.0\\.0\\.1:${p}, `;
    await assert.rejects(
      openSource(`clickhouse://${READER.user}@127.0.0.1:${ch.httpPorts[0]}/default/${tag}_c`, { workspace: dir, trust: nobody, env: env() }),
      (e: Error) => new RegExp(`: authentication failed: Code: 19[34], .*user reader; CLICKHOUSE_USER / CLICKHOUSE_PASSWORD ${advice(ch.httpPorts[0])}`).test(e.message) && !e.message.includes(READER.password),
    );
    await assert.rejects(
      openSource(pgUri(`${tag}_c`), { workspace: dir, trust: nobody, env: env() }),
      (e: Error) => new RegExp(`: authentication failed: the server wants a password and none was given: PGPASSWORD ${advice(pg.port)}.*PGHOST\\)$`).test(e.message),
    );
    // ~/.pgpass: a catch-all line is not for a host nobody chose; a line naming the host is the user's own choice
    const file = `${dir}/pgpass-any`;
    const saved = process.env.PGPASSFILE;
    process.env.PGPASSFILE = file;
    try {
      fs.writeFileSync(file, `*:*:*:${PG_READER.user}:${PG_READER.password}\n`, { mode: 0o600 });
      await assert.rejects(openSource(pgUri(`${tag}_c`), { workspace: dir, trust: nobody, env: {} }), (e: Error) => new RegExp(`the catch-all \\(\\*\\) lines of ~/\\.pgpass ${advice(pg.port)}`).test(e.message));
      const viaEnvHost = await openSource(pgUri(`${tag}_c`), { workspace: dir, trust: nobody, env: { PGHOST: '127.0.0.1' } });
      assert.equal((await viaEnvHost.driftState(ref.profile)).rows, ref.report.current.rows);
      await viaEnvHost.close();
      fs.rmSync(file);
      await assert.rejects(
        openSource(pgUri(`${tag}_c`), { workspace: dir, trust: nobody, env: {} }),
        (e: Error) => new RegExp(`none was given: add the server to ~/\\.pgpass, or set PGPASSWORD and trust the workspace \\(driftcatcher --trust-workspace-sources`).test(e.message),
      );
      fs.writeFileSync(file, `127.0.0.1:*:*:${PG_READER.user}:${PG_READER.password}\n`, { mode: 0o600 });
      const named = await openSource(pgUri(`${tag}_c`), { workspace: dir, trust: nobody, env: {} });
      assert.equal((await named.driftState(ref.profile)).rows, ref.report.current.rows);
      await named.close();
    } finally {
      if (saved === undefined) delete process.env.PGPASSFILE;
      else process.env.PGPASSFILE = saved;
    }
  });

  it('bad inputs: one line naming the source, never the password', async () => {
    const [closed] = await freePorts(1);
    const cases: [string, string | undefined, NodeJS.ProcessEnv, RegExp][] = [
      [`clickhouse://127.0.0.1:${closed}/default/flights_c`, undefined, env(), new RegExp(`^clickhouse://127\\.0\\.0\\.1:${closed}/default/flights_c: cannot connect: connect ECONNREFUSED 127\\.0\\.0\\.1:${closed}$`)],
      [chUri('flights_c'), undefined, { CLICKHOUSE_USER: READER.user, CLICKHOUSE_PASSWORD: 'wrong-Pw-123' }, /: authentication failed: Code: 193, e\.displayText\(\) = DB::Exception: Wrong password for user reader$/],
      [chUri('no_such_table'), undefined, env(), /no_such_table: query failed: Code: 60, e\.displayText\(\) = DB::Exception: Table default\.no_such_table doesn't exist\.$/],
      [chUri('flights_c'), 'delay >', env(), /flights_c: --where is not a valid predicate for this table: Code: 62, .*Syntax error/],
      [`postgresql://${PG_READER.user}@127.0.0.1:${closed}/${PG_DB}?table=flights_c`, undefined, env(), new RegExp(`^postgresql://reader@127\\.0\\.0\\.1:${closed}/warehouse\\?table=flights_c: cannot connect: connect ECONNREFUSED`)],
      [pgUri('flights_c'), undefined, { PGPASSWORD: 'wrong-Pw-123' }, /: authentication failed: password authentication failed for user "reader"$/],
      [pgUri('no_such_table'), undefined, env(), /no_such_table: query failed: relation "no_such_table" does not exist$/],
      [pgUri('flights_c'), 'delay >', env(), /--where is not a valid predicate for this table: syntax error at or near "\)"$/],
      [pgUri('flights_c'), "delay > 0; DELETE FROM flights_c", env(), /--where refused: a semicolon would end the statement$/],
      [chUri('flights_c'), "1=1) OR (SELECT 1", env(), /--where refused: the '\)' at character 4 closes a parenthesis that was never opened$/],
      [`postgresql://reader:${PG_READER.password}@127.0.0.1:${pg.port}/${PG_DB}?table=flights_c`, undefined, {}, /carries a password; remove it from the URI and set PGPASSWORD \(or ~\/\.pgpass\) instead$/],
    ];
    const profile = sets.find((s) => s.ds.name === 'flights')!.ref.profile;
    for (const [text, where, e, want] of cases) {
      let message = '';
      try {
        const src = await openSource(text, { workspace: dir, trust: chosen, env: e, where });
        try {
          await src.driftState(profile);
        } finally {
          await src.close();
        }
      } catch (err) {
        message = (err as Error).message;
      }
      assert.match(message, want, `${text} ${where ?? ''}: ${message}`);
      assert.doesNotMatch(message, /\n/, 'one line');
      for (const secret of [READER.password, PG_READER.password, 'wrong-Pw-123']) assert.ok(!message.includes(secret), `no password in: ${message}`);
    }
  });

  it('a column type the engine cannot aggregate is named', async () => {
    await ch.sql('CREATE TABLE arr_t (delay Array(Float64), distance Float64) ENGINE = MergeTree ORDER BY tuple()', 0);
    await pg.admin(async (c) => {
      await c.query('CREATE TABLE arr_t (delay double precision[], distance double precision)');
      await c.query(`GRANT SELECT ON arr_t TO ${PG_READER.user}`);
    }, PG_DB);
    const profile = sets.find((s) => s.ds.name === 'flights')!.ref.profile;
    for (const [text, type] of [
      [chUri('arr_t'), 'Array\\(Float64\\)'],
      [pgUri('arr_t'), 'double precision\\[\\]'],
    ]) {
      const src = await openSource(text, { workspace: dir, trust: chosen, env: env() });
      await assert.rejects(src.driftState(profile), new RegExp(`arr_t: column 'delay' has type ${type}, which cannot be read as the baseline's numeric feature$`));
      await src.close();
    }
  });

  it('every statement runs read-only, even one that got past the predicate check', async () => {
    const c = await openClickhouse({ secure: false, host: '127.0.0.1', port: ch.httpPorts[0], database: 'default', table: 'flights_c', user: READER.user, password: READER.password }, 'ch');
    await assert.rejects(c.query('DROP TABLE flights_c'), /Code: 164, .* in readonly mode/);
    await c.close();
    const p = await openPostgres({ host: '127.0.0.1', port: pg.port, database: PG_DB, table: 'flights_c', user: PG_READER.user, password: PG_READER.password, anyPgpassHost: true }, 'pg');
    await assert.rejects(p.query('CREATE TABLE x (a int)'), /cannot execute CREATE TABLE in a read-only transaction/);
    await p.close();
  });
});

/** row identities (as the holdout ledger computes them) and labels of the labelled rows of a CSV or a sample */
async function labelledRowsOf(data: string | LabelledSample, label: string, tmp: string): Promise<{ hashes: number[]; labels: string[] }> {
  let file = data as string;
  if (typeof data !== 'string') {
    await CsvRowWriter.write(tmp, data.header, async (w) => {
      for (const row of data.rows) await w.writeRow(row);
    });
    file = tmp;
  }
  const hashes: number[] = [];
  const labels: string[] = [];
  await streamCsv(file, {}, (b) => {
    const cols = hashedColumns(b.header);
    const li = b.header.findIndex((h) => h.trim() === label);
    for (let i = 0; i < b.rowCount; i++) {
      const l = b.texts[li]?.[i]?.trim() ?? (Number.isNaN(b.numbers[li][i]) ? '' : String(b.numbers[li][i]));
      if (l === '') continue;
      hashes.push(rowHash(b, i, cols));
      labels.push(l);
    }
  });
  return { hashes, labels };
}

function counts(xs: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

function labelMissing(ref: Reference, i: number): boolean {
  const label = ref.current.columns.find((c) => c.name === 'status')!;
  return label.kind === 'categorical' ? label.codes[i] < 0 : Number.isNaN(label.values[i]);
}
