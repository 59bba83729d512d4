#!/usr/bin/env node
import * as path from 'node:path';
import { requireCached } from '../util/codeCache';

/**
 * dist/cli.js: starts the CLI bundle (dist/cliMain.js, built from cli/main.ts) through a V8 code cache
 * (util/codeCache.ts), so a command does not spend its first ~0.15 s compiling several MB of JavaScript. The cache
 * is (re)written when the process exits, with the functions this command compiled.
 */
const cli = requireCached(path.join(__dirname, 'cliMain.js'), module);
process.once('exit', () => cli.saveCache());
(cli.exports.startCli as () => void)();
