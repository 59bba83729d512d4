import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkPredicate } from '../../../src/core/sources/sql/predicate';
import { confineSource, parseSource, redact } from '../../../src/core/sources/uri';
import { tmpDir } from './fixtures';

describe('sources: --where predicates', () => {
  it('passes one boolean expression through unchanged', () => {
    for (const p of [
      "date >= '2001-02-01' AND date < '2001-03-01'",
      "origin IN ('ATL', 'O''Hare') OR delay BETWEEN -5 AND 30",
      'month(date) = 2 AND "Flow Bytes/s" IS NOT NULL',
      "toStartOfMonth(ts) = '2024-01-01' AND `weird name` > 0.5e-3",
      "lower(city) LIKE 'san %'",
      'coalesce(x, 0) <> 1',
    ]) {
      assert.equal(checkPredicate(`  ${p}  `, 'src'), p);
    }
  });

  it('refuses what could end the expression, add a statement or read elsewhere, saying why', () => {
    const cases: [string, RegExp][] = [
      ['1=1; DROP TABLE flights', /a semicolon would end the statement/],
      ['delay > 0 -- comment', /comments are not accepted/],
      ['delay > 0 /* x */', /comments are not accepted/],
      ["delay > 0) OR (1=1", /the '\)' at character 10 closes a parenthesis that was never opened/],
      ['(delay > 0', /1 parenthesis is never closed/],
      ["origin = 'ATL", /the string literal starting at character 10 is never closed/],
      ["origin = 'AT\\' OR 1=1 --'", /backslashes are not accepted/],
      ['delay IN (SELECT delay FROM other)', /the keyword SELECT is not allowed/],
      ['1=1 UNION ALL', /the keyword UNION is not allowed/],
      ["pg_read_file('/etc/passwd') <> ''", /the function pg_read_file\(\) is not allowed/],
      ["getenv ('HOME') = 'x'", /the function getenv\(\) is not allowed/],
      ['pg_sleep(10) IS NULL', /pg_sleep\(\) is not allowed/],
      ['$$x$$ = 1', /dollar-quoted strings are not accepted/],
      ['   ', /it is empty/],
    ];
    for (const [p, why] of cases) {
      assert.throws(() => checkPredicate(p, 'clickhouse://h:8123/db/t'), (e: Error) => {
        assert.match(e.message, /^clickhouse:\/\/h:8123\/db\/t: --where refused: /);
        assert.match(e.message, why, p);
        return true;
      });
    }
    // keywords and semicolons inside literals or quoted names are data, not SQL
    assert.doesNotThrow(() => checkPredicate(`note = 'select; drop -- /*' AND "from" = 1`, 's'));
  });
});

describe('sources: source strings', () => {
  const dir = tmpDir();
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  before(() => {
    fs.mkdirSync(path.join(dir, 'data', '2024', 'm=01'), { recursive: true });
    for (const f of ['data/a.csv', 'data/b.csv', 'data/2024/m=01/x.parquet', 'data/.hidden.csv', 'db.duckdb']) fs.writeFileSync(path.join(dir, f), 'x\n1\n');
  });
  const parse = (t: string) => parseSource(t, { workspace: dir });

  it('tells files, globs, folders and table URIs apart', () => {
    assert.deepEqual(parse('data/a.csv'), { kind: 'csv', files: [path.join(dir, 'data/a.csv')], display: path.join(dir, 'data/a.csv') });
    const glob = parse('data/*.csv');
    assert.equal(glob.kind, 'csv');
    assert.deepEqual((glob as { files: string[] }).files, [path.join(dir, 'data/a.csv'), path.join(dir, 'data/b.csv')]);
    assert.equal(glob.display, 'data/*.csv (2 files)');
    assert.deepEqual((parse('data/**/*.parquet') as { files: string[] }).files, [path.join(dir, 'data/2024/m=01/x.parquet')]);
    assert.throws(() => parse('data'), /data mixes CSV and Parquet files \(2 CSV, 1 Parquet\)/);
    assert.deepEqual(parse('duckdb:db.duckdb?table=main.events'), { kind: 'duckdb', file: path.join(dir, 'db.duckdb'), table: 'main.events', display: `duckdb:${path.join(dir, 'db.duckdb')}?table=main.events` });
    assert.deepEqual(parse('clickhouse://ana@ch.example:9000/logs/events'), {
      kind: 'clickhouse', secure: false, host: 'ch.example', port: 9000, database: 'logs', table: 'events', user: 'ana', display: 'clickhouse://ch.example:9000/logs/events',
    });
    assert.equal((parse('clickhouse://ch.example/logs/events?secure=1') as { port: number }).port, 8443);
    assert.deepEqual(parse('postgresql://ana@db:6543/shop?table=public.orders'), {
      kind: 'postgresql', host: 'db', port: 6543, database: 'shop', table: 'public.orders', user: 'ana', display: 'postgresql://ana@db:6543/shop?table=public.orders',
    });
  });

  it('refuses bad source strings with one line, never echoing a password', () => {
    const cases: [string, RegExp][] = [
      ['postgresql://ana:hunter2@db/shop?table=t', /^data: postgresql:\/\/ana:\*\*\*@db\/shop\?table=t carries a password; remove it from the URI and set PGPASSWORD \(or ~\/\.pgpass\) instead$/],
      ['clickhouse://u:hunter2@h:8123/db/t', /carries a password; remove it from the URI and set CLICKHOUSE_PASSWORD instead$/],
      ['clickhouse://h:8123/only-db', /must name a database and a table: clickhouse:\/\/HOST:PORT\/DB\/TABLE$/],
      ['postgresql://ana@db/shop', /names no table \(\?table=T\)$/],
      ['postgresql://ana@db/shop?table=t;drop', /'t;drop' is not a table name/],
      ['duckdb:nosuch.duckdb?table=t', /DuckDB database nosuch\.duckdb does not exist/],
      ['duckdb:db.duckdb', /names no table/],
      ['mysql://h/db', /unsupported source mysql:\/\/h\/db/],
      ['nothing/*.csv', /nothing\/\*\.csv matches no \.csv or \.parquet file/],
      ['missing.csv', /data missing\.csv does not exist/],
    ];
    for (const [text, want] of cases) {
      assert.throws(() => parse(text), (e: Error) => {
        assert.match(e.message, want, text);
        assert.ok(!e.message.includes('hunter2'));
        return true;
      });
    }
    assert.equal(redact('postgresql://a:b@h/db'), 'postgresql://a:***@h/db');
  });

  it('confines the files of a source to the workspace (the server)', () => {
    const inside = (p: string): string => {
      const abs = path.resolve(dir, p);
      if (!abs.startsWith(dir)) throw new Error(`outside: ${p}`);
      return abs;
    };
    assert.equal(confineSource('data/*.csv', inside), path.join(dir, 'data/*.csv'));
    assert.equal(confineSource('duckdb:db.duckdb?table=t', inside), `duckdb:${path.join(dir, 'db.duckdb')}?table=t`);
    assert.equal(confineSource('clickhouse://h:1/db/t', inside), 'clickhouse://h:1/db/t');
    assert.throws(() => confineSource('duckdb:/etc/x.duckdb?table=t', inside), /outside/);
    assert.throws(() => confineSource('/etc/*.conf', inside), /outside/);
    fs.symlinkSync('/etc/hostname', path.join(dir, 'data', 'link.csv'));
    const realInside = (p: string): string => {
      const abs = fs.realpathSync(path.resolve(dir, p));
      if (!abs.startsWith(fs.realpathSync(dir))) throw new Error(`outside: ${p}`);
      return abs;
    };
    assert.throws(() => confineSource('data/*.csv', realInside), /outside/);
  });
});
