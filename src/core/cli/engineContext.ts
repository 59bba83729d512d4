import { loadConfig } from '../config';
import type { EngineContext } from '../engine';
import { createProgressBar } from '../util/progressBar';
import type { CliContext } from './command';
import { cliTrust } from './trust';

/**
 * The engine context for a CLI run: config from the workspace (with --dataset and --label, which every command
 * accepts, as overrides), progress and log lines on stderr.
 */
export function engineContextFor(cli: CliContext, overrides: Parameters<typeof loadConfig>[1] = {}): EngineContext {
  const bar = createProgressBar({ isTTY: cli.interactive, columns: process.stderr.columns, write: cli.stderr });
  const flag = (name: string): string | undefined => (typeof cli.flags[name] === 'string' && cli.flags[name] !== '' ? (cli.flags[name] as string) : undefined);
  return {
    workspace: cli.workspace,
    // the CLI runs where its user points it; endpoints and database hosts set by the workspace need a trust flag
    config: loadConfig(cli.workspace, { dataset: flag('dataset'), label: flag('label'), ...overrides }, process.env, cliTrust(cli)),
    progress: cli.interactive ? bar : undefined,
    log: (m) => {
      bar.clear();
      cli.stderr(`${m}\n`);
    },
  };
}
