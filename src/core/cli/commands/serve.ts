import type { CliCommand } from '../command';
import { DriftCatcherError } from '../../util/errors';
import { startServer } from '../../server/server';
import { packageVersion } from '../../util/version';
import { graceFlag } from './watch';
import { cliTrust } from '../trust';

/**
 * `driftcatcher serve --stdio`: the JSON-RPC/LSP engine server in this process (protocol in docs/protocol.md).
 * `driftcatcher serve --http [HOST:]PORT`: the REST API (src/core/http), plus watch mode when watch.folders is set.
 */
export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'serve --stdio | --http [HOST:]PORT [--grace S] [--trust-workspace-llm] [--trust-workspace-sources] [--trust-source-host HOST[:PORT]]',
  summary: 'Run the engine as a JSON-RPC/LSP server over stdio, or as an HTTP API (127.0.0.1 unless a host is given)',
  options: { stdio: { type: 'boolean' }, http: { type: 'string' }, grace: { type: 'string' } },
  async run(ctx) {
    if (ctx.flags.stdio && ctx.flags.http !== undefined) throw new DriftCatcherError('serve takes --stdio or --http, not both', 'BAD_INPUT');
    // requests name endpoints and database hosts: only the trust flags let them receive your credentials
    const trust = cliTrust({ flags: ctx.flags, args: [] });
    if (typeof ctx.flags.http === 'string') {
      // the HTTP stack (fastify, @fastify/swagger, prom-client) loads only for the commands that run it
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { parseListen, startDaemon } = require('../../service/daemon') as typeof import('../../service/daemon');
      const daemon = await startDaemon({
        workspace: ctx.workspace,
        http: parseListen(ctx.flags.http),
        watchFromConfig: true,
        graceSeconds: graceFlag(ctx),
        version: packageVersion(),
        stderr: ctx.stderr,
        trust,
      });
      return daemon.exited;
    }
    if (!ctx.flags.stdio) throw new DriftCatcherError('serve needs --stdio or --http [HOST:]PORT', 'BAD_INPUT');
    startServer(undefined, { trust });
    // the connection ends the process on the `exit` notification or when stdin closes
    return new Promise<number>(() => undefined);
  },
};
