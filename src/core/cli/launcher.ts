#!/usr/bin/env node
import * as path from 'node:path';
import * as v8 from 'node:v8';
import { requireCached } from '../util/codeCache';

/**
 * dist/cli.js: starts the CLI bundle (dist/cliMain.js, built from cli/main.ts) through a V8 code cache
 * (util/codeCache.ts), so a command does not spend its first ~0.15 s compiling several MB of JavaScript. The cache
 * is (re)written when the process exits, with the functions this command compiled, after a command's first run.
 */
// The young generation stays at its initial size instead of doubling up to 3 × 16 MB per thread: commands stream
// files through short-lived batches, and measured on a 500k-row drift check that is ~25 MB less peak memory and less
// CPU (the extra scavenges cost less than the cache misses of a large nursery). Set before the bundle is compiled,
// so that the code cache is made and used under the same V8 flags.
v8.setFlagsFromString('--semi-space-growth-factor=1');
const cli = requireCached(path.join(__dirname, 'cliMain.js'), module);
// the bundle is cli/main.ts (its type only: the launcher bundles none of it)
const main = cli.exports as unknown as typeof import('./main');
// a command's functions are compiled on its first run: the cache is written again then (and for the usage text,
// which loads every command; not for other arguments)
const key = main.codeCacheKey(process.argv[2]);
process.once('exit', () => cli.saveCache(key));
main.startCli();
