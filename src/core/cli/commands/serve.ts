import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import type { CliCommand } from '../command';
import { DriftCatcherError } from '../../util/errors';
import { startServer } from '../../server/server';

/** `driftcatcher serve --stdio`: the JSON-RPC/LSP engine server in this process (protocol in docs/protocol.md). */
export const serveCommand: CliCommand = {
  name: 'serve',
  usage: 'serve --stdio',
  summary: 'Run the engine as a JSON-RPC/LSP server over stdio (for editors and scripts)',
  options: { stdio: { type: 'boolean' } },
  async run(ctx) {
    if (!ctx.flags.stdio) throw new DriftCatcherError('serve needs --stdio (the only transport offered by the CLI)', 'BAD_INPUT');
    startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
    // the connection ends the process on the `exit` notification or when stdin closes
    return new Promise<number>(() => undefined);
  },
};
