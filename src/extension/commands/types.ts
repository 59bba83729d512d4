import type * as vscode from 'vscode';
import type { ServerConnection } from '../client';
import type { Store } from '../store';

/** What every command gets (its own module, so the command files and the table that lists them import no cycle). */
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
