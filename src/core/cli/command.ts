import type { ParseArgsConfig } from 'node:util';

/** Where a CLI run writes, where it was started, and how the user runs it (for the commands it suggests). */
export interface CliEnv {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** the current directory: paths on the command line are relative to it, as with every CLI */
  cwd: string;
  /** the command that runs this CLI as the user started it: `driftcatcher`, or `node dist/cli.js` */
  self: string;
}

/** Everything a CLI command gets: its parsed flags and positionals, and where to write. */
export interface CliContext extends CliEnv {
  args: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
  /** the workspace (--workspace, default the current directory): registry, tracked runs, configuration */
  workspace: string;
  /** true when stderr is a terminal (progress bars) */
  interactive: boolean;
}

export interface CliCommand {
  name: string;
  /** sub-command words after the name, e.g. ['history'] for `baseline history`, when the command has sub-commands */
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** returns the process exit code (0 ok, 1 threshold reached) */
  run(ctx: CliContext): Promise<number>;
}

/** Options every command accepts. */
export const commonOptions = {
  workspace: { type: 'string' },
  /** the dataset config (a name under "datasets" in driftcatcher.config.json, or CICIDS2017 / Generic) */
  dataset: { type: 'string' },
  /** the label column, for every command that reads labelled data */
  label: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  /** let llm.baseUrl / tracking.uri from driftcatcher.config.json receive your API key and tracking credentials */
  'trust-workspace-llm': { type: 'boolean' },
  /** let database hosts named by the workspace or by requests to a server receive your database credentials */
  'trust-workspace-sources': { type: 'boolean' },
  /** a database host (HOST or HOST:PORT, repeatable or comma-separated) that may receive your database credentials */
  'trust-source-host': { type: 'string', multiple: true },
} as const;
