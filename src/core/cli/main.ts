import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { allCommands, commandNames, findCommand } from './commands';
import { commonOptions, type CliEnv } from './command';
import { selfCommand } from './paths';
import { DriftCatcherError, errorMessage } from '../util/errors';
import { packageVersion } from '../util/version';

/**
 * `driftcatcher <command> …`: the same engine as the server, for scripts and CI.
 * Exit codes: 0 ok, 1 a --fail-on threshold was reached, 2 an error (one `error: …` line on stderr).
 */
export async function runCli(argv: string[], given: Pick<CliEnv, 'stdout' | 'stderr'> & Partial<CliEnv> = defaultEnv()): Promise<number> {
  const env: CliEnv = { cwd: process.cwd(), self: 'driftcatcher', ...given };
  // the commands this CLI (and the engine's messages) suggest, spelled the way the user runs it
  const suggest = (s: string): string => (env.self === 'driftcatcher' ? s : s.replace(SUGGESTED, `${env.self} `));
  const json = argv.includes('json') && argv.some((a, i) => (a === '--format' && argv[i + 1] === 'json') || a === '--format=json');
  const io = { stdout: (s: string) => env.stdout(json ? s : suggest(s)), stderr: (s: string) => env.stderr(suggest(s)) };
  const [name, ...rest] = argv;
  if (isUsageRequest(name)) {
    io.stdout(usage(env.self));
    return 0;
  }
  if (name === '--version') {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  const cmd = findCommand(name);
  if (!cmd) {
    io.stderr(`error: unknown command '${name}' (run '${env.self} --help' for the list)\n`);
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
      io.stdout(`usage: ${env.self} ${cmd.usage}\n\n${cmd.summary}\n`);
      return 0;
    }
    const workspace = path.resolve(env.cwd, typeof values.workspace === 'string' ? values.workspace : '.');
    return await cmd.run({
      ...env,
      ...io,
      args: positionals,
      flags: values,
      workspace,
      interactive: Boolean(process.stderr.isTTY),
    });
  } catch (e) {
    if (process.env.DRIFTCATCHER_DEBUG && e instanceof Error) io.stderr(`${e.stack}\n`);
    const msg = e instanceof DriftCatcherError || isArgError(e) ? errorMessage(e) : `internal error: ${errorMessage(e)}`;
    // files below the current directory are named as the user named them: relative to it
    const here = env.cwd.endsWith(path.sep) ? env.cwd : env.cwd + path.sep;
    io.stderr(`error: ${here === path.sep ? msg : msg.split(here).join('')}\n`);
    return 2;
  }
}

function isArgError(e: unknown): boolean {
  return typeof e === 'object' && e !== null && String((e as { code?: string }).code).startsWith('ERR_PARSE_ARGS');
}

/** Whether a command line starting with `name` asks for the usage text. */
function isUsageRequest(name: string | undefined): boolean {
  return !name || name === '--help' || name === '-h' || name === 'help';
}

/**
 * What dist/cli.js keys its code cache by for a command line starting with `name` (util/codeCache.ts): the command,
 * 'help' for the usage text (it loads every command), nothing for anything else.
 */
export function codeCacheKey(name: string | undefined): string | undefined {
  if (isUsageRequest(name)) return 'help';
  return commandNames.includes(name!) ? name : undefined;
}

/** `driftcatcher <command>` in a message, for any command of this CLI */
const SUGGESTED = new RegExp(`\\bdriftcatcher (?=(?:${commandNames.join('|')})\\b)`, 'g');

function usage(self: string): string {
  const rows = allCommands().map((c) => `  ${c.usage.padEnd(64)} ${c.summary}`);
  return (
    `DriftCatcher — keeps a deployed ML model honest.\n\nusage: ${self} <command> [options]\n\n${rows.join('\n')}\n\n` +
    'Common options: --workspace DIR (where the registry, tracked runs and driftcatcher.config.json are; default: the current folder), ' +
    '--format json|markdown|table, --help, and the trust flags --trust-workspace-llm, --trust-workspace-sources and ' +
    '--trust-source-host HOST[:PORT] (who may receive your API key and database credentials). Paths are relative to the current folder.\n'
  );
}

function defaultEnv(): CliEnv {
  return { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), cwd: process.cwd(), self: selfCommand(process.argv[1], process.cwd()) };
}

/** Runs the command line of this process (dist/cli.js calls it once the bundle is loaded). */
export function startCli(): void {
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

if (require.main === module) startCli();
