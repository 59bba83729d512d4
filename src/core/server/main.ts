import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { DriftCatcherServer } from './server';

/**
 * Entry point of dist/server.js: `node dist/server.js --stdio` (also --node-ipc, --socket=N, --pipe=NAME,
 * as vscode-languageserver reads them from argv). The same server runs in-process via `driftcatcher serve --stdio`.
 */
export function startServer(connection = createConnection(ProposedFeatures.all)): DriftCatcherServer {
  const server = new DriftCatcherServer(connection);
  connection.listen();
  return server;
}

// In a bundle every module shares the entry's `module`, so also check that the entry is the server itself
// (dist/cli.js bundles this file for `driftcatcher serve` and must not start a server on import).
if (require.main === module && /(^|[\\/])(server|main)\.js$/.test(require.main.filename)) startServer();
