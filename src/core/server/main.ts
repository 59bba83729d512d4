import { startServer } from './server';

/**
 * Entry point of dist/server.js only: `node dist/server.js --stdio`. Nothing imports this file (the CLI's
 * `serve` command calls startServer itself), so starting unconditionally here is safe in every bundle.
 */
const other = process.argv.slice(2).find((a) => /^--(node-ipc|socket|pipe)/.test(a));
if (other) {
  process.stderr.write(`error: ${other} is not supported; the server speaks LSP over stdio (--stdio)\n`);
  process.exit(2);
}
startServer(undefined, { trustWorkspaceEndpoints: process.argv.includes('--trust-workspace-llm') });
