import type { ParseArgsConfig } from 'node:util';

/** Everything a CLI command gets: its parsed flags and positionals, and where to write. */
export interface CliContext {
  args: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
  workspace: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
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
} as const;
