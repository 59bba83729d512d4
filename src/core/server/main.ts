import { startServer } from './server';

/**
 * Entry point of dist/server.js only: `node dist/server.js --stdio`. Nothing imports this file (the CLI's
 * `serve` command calls startServer itself), so starting unconditionally here is safe in every bundle.
 */
startServer();
