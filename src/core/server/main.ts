import { parseArgs } from 'node:util';
import { cliTrust } from '../cli/trust';
import { errorMessage } from '../util/errors';
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
try {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { 'trust-workspace-llm': { type: 'boolean' }, 'trust-workspace-sources': { type: 'boolean' }, 'trust-source-host': { type: 'string', multiple: true } },
    strict: false,
  });
  startServer(undefined, { trust: cliTrust({ flags: values, args: [] }) });
} catch (e) {
  process.stderr.write(`error: ${errorMessage(e)}\n`);
  process.exit(2);
}
