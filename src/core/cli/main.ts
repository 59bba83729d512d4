#!/usr/bin/env node
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { commands } from './commands';
import { commonOptions, type CliContext } from './command';
import { DriftCatcherError, errorMessage } from '../util/errors';

/**
 * `driftcatcher <command> …`: the same engine as the server, for scripts and CI.
 * Exit codes: 0 ok, 1 a --fail-on threshold was reached, 2 an error (one `error: …` line on stderr).
 */
export async function runCli(argv: string[], io: Pick<CliContext, 'stdout' | 'stderr'> = defaultIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return 0;
  }
  if (name === '--version') {
    io.stdout(`${require('../../../package.json').version}\n`);
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`error: unknown command '${name}' (run 'driftcatcher --help' for the list)\n`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...commonOptions, ...cmd.options },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      io.stdout(`usage: driftcatcher ${cmd.usage}\n\n${cmd.summary}\n`);
      return 0;
    }
    const workspace = path.resolve(typeof values.workspace === 'string' ? values.workspace : process.cwd());
    return await cmd.run({
      args: positionals,
      flags: values as CliContext['flags'],
      workspace,
      ...io,
      interactive: Boolean(process.stderr.isTTY),
    });
  } catch (e) {
    if (process.env.DRIFTCATCHER_DEBUG && e instanceof Error) io.stderr(`${e.stack}\n`);
    const msg = e instanceof DriftCatcherError || isArgError(e) ? errorMessage(e) : `internal error: ${errorMessage(e)}`;
    io.stderr(`error: ${msg}\n`);
    return 2;
  }
}

function isArgError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && String((e as { code?: string }).code).startsWith('ERR_PARSE_ARGS');
}

function usage(): string {
  const rows = commands.map((c) => `  ${c.usage.padEnd(64)} ${c.summary}`);
  return `DriftCatcher — keeps a deployed ML model honest.\n\nusage: driftcatcher <command> [options]\n\n${rows.join('\n')}\n\nCommon options: --workspace DIR (default: current folder), --format json|markdown|table, --help\n`;
}

function defaultIo(): Pick<CliContext, 'stdout' | 'stderr'> {
  return { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`error: internal error: ${errorMessage(e)}\n`);
      process.exitCode = 2;
    },
  );
}
