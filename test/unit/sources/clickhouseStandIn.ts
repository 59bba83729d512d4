import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for ClickHouse's HTTP interface that records who asked: the user:password of every request's Basic
 * Authorization header (`(none)` without one). It answers `SELECT 1` to the right credentials, refuses any other as
 * ClickHouse does (401, code 516), and answers other queries with no rows or, given `missingTable`, ClickHouse's
 * "table doesn't exist" error.
 */
export interface ClickHouseStandIn {
  port: number;
  /** what each request authenticated as, in order; tests empty it between cases */
  seen: string[];
  close(): void;
}

export async function startClickHouseStandIn(opts: { host: string; user: string; secret: string; missingTable?: string }): Promise<ClickHouseStandIn> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const auth = req.headers.authorization;
    const who = auth?.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString() : '(none)';
    seen.push(who);
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      if (who !== `${opts.user}:${opts.secret}`) {
        res.writeHead(401);
        return res.end(`Code: 516, e.displayText() = DB::Exception: ${who.split(':')[0]}: Authentication failed: password is incorrect or there is no user with such name`);
      }
      if (!/^SELECT 1\b/.test(body) && opts.missingTable) {
        res.writeHead(404);
        return res.end(`Code: 60, e.displayText() = DB::Exception: Table ${opts.missingTable} doesn't exist.`);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ data: /^SELECT 1\b/.test(body) ? [[1]] : [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, opts.host, resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
