import * as vscode from 'vscode';
import type { ServerConnection } from '../client';
import { showError } from '../errors';
import type { Store } from '../store';
import { agentCommands } from './agent';
import { driftCommands } from './drift';
import { modelCommands } from './models';
import { workspaceCommands } from './workspace';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  conn: ServerConnection;
  store: Store;
  output: vscode.OutputChannel;
  /** reload the store from the server (a full snapshot) */
  reload: () => Promise<void>;
}

/**
 * A command: its arguments may be a Uri from a menu, a tree item, or a plain value, so it can be run from menus,
 * views, the palette, the walkthrough and tests alike; without one it asks the user. It resolves to its result (or
 * undefined when the user cancelled), which tests rely on. It never writes the store: the server's notifications do.
 */
export type CommandFn = (d: CommandDeps, ...args: unknown[]) => Promise<unknown>;
export type CommandTable = Record<string, CommandFn>;

/** every command of the extension, by id (package.json contributes the same ids; an e2e test checks both agree) */
export const commandTable: CommandTable = { ...driftCommands, ...modelCommands, ...agentCommands, ...workspaceCommands };

/** register the table; an error becomes a message the user can act on, and the command resolves to undefined */
export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  return Object.entries(commandTable).map(([id, fn]) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await fn(d, ...args);
      } catch (e) {
        showError(e);
        return undefined;
      }
    }),
  );
}
