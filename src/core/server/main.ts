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

if (require.main === module) startServer();
