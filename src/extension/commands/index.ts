import * as vscode from 'vscode';
import { showError } from '../errors';
import { agentCommands } from './agent';
import { driftCommands } from './drift';
import { modelCommands } from './models';
import { workspaceCommands } from './workspace';
import type { CommandDeps, CommandTable } from './types';

export type { CommandDeps, CommandFn, CommandTable } from './types';

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
