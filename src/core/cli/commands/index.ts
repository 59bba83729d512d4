/* eslint-disable @typescript-eslint/no-require-imports */
import type { CliCommand } from '../command';

/**
 * Every CLI command by name, in the order `--help` lists them. Each capability adds its command here (one line
 * each). A command's module is required only when that command runs: each pulls in the engine parts it needs
 * (the server, the agent and its LLM client, git, the MCP SDK …), and initialising all of them would be most of
 * every command's start-up.
 */
const loaders: Record<string, () => CliCommand> = {
  serve: () => (require('./serve') as typeof import('./serve')).serveCommand,
  mcp: () => (require('./mcp') as typeof import('./mcp')).mcpCommand,
  profile: () => (require('./profile') as typeof import('./profile')).profileCommand,
  drift: () => (require('./drift') as typeof import('./drift')).driftCommand,
  demo: () => (require('./demo') as typeof import('./demo')).demoCommand,
  train: () => (require('./train') as typeof import('./train')).trainCommand,
  holdout: () => (require('./holdout') as typeof import('./holdout')).holdoutCommand,
  validate: () => (require('./validate') as typeof import('./validate')).validateCommand,
  deploy: () => (require('./deploy') as typeof import('./deploy')).deployCommand,
  rollback: () => (require('./rollback') as typeof import('./rollback')).rollbackCommand,
  models: () => (require('./models') as typeof import('./models')).modelsCommand,
  predict: () => (require('./predict') as typeof import('./predict')).predictCommand,
  runs: () => (require('./runs') as typeof import('./runs')).runsCommand,
  baseline: () => (require('./baseline') as typeof import('./baseline')).baselineCommand,
  agent: () => (require('./agent') as typeof import('./agent')).agentCommand,
  simulate: () => (require('./simulate') as typeof import('./simulate')).simulateCommand,
  replay: () => (require('./replay') as typeof import('./replay')).replayCommand,
  evaluate: () => (require('./evaluate') as typeof import('./evaluate')).evaluateCommand,
  'demo-stream': () => (require('./demoStream') as typeof import('./demoStream')).demoStreamCommand,
  watch: () => (require('./watch') as typeof import('./watch')).watchCommand,
};

/** the names of every command, without loading any */
export const commandNames: readonly string[] = Object.keys(loaders);

/** The command called `name` (its module loaded now), or undefined for no such command. */
export function findCommand(name: string): CliCommand | undefined {
  return Object.hasOwn(loaders, name) ? loaders[name]() : undefined;
}

/** Every command, all loaded (for the full usage text). */
export function allCommands(): CliCommand[] {
  return commandNames.map((n) => loaders[n]());
}
