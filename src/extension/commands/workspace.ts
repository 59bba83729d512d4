import * as vscode from 'vscode';
import { Methods } from '../../core/protocol';
import { DashboardPanel } from '../dashboard';
import { pickDataset } from '../datasetSetting';
import { insideWorkspace, runDemoCli } from '../demoWorkspace';
import { SECRET_KEY } from '../settings';
import type { CommandTable } from './types';

/** The workspace: the dashboard, the LLM key, the demo, reloading the views, the log. */
export const workspaceCommands: CommandTable = {
  'driftcatcher.openDashboard': async (d, feature) => {
    DashboardPanel.show(d.context, d.conn, d.store, typeof feature === 'string' ? feature : undefined);
    return true;
  },

  'driftcatcher.setApiKey': async (d) => {
    const key = await vscode.window.showInputBox({
      title: 'DriftCatcher: LLM API key',
      prompt: 'Stored in the OS secret storage, never in settings or logs. Leave empty to remove it.',
      password: true,
      ignoreFocusOut: true,
    });
    if (key === undefined) return undefined;
    if (key.trim()) await d.context.secrets.store(SECRET_KEY, key.trim());
    else await d.context.secrets.delete(SECRET_KEY);
    await d.conn.pushSettings();
    void vscode.window.showInformationMessage(key.trim() ? 'DriftCatcher: API key saved.' : 'DriftCatcher: API key removed; the rule policy decides.');
    return key.trim() ? 'stored' : 'deleted';
  },

  'driftcatcher.openDemo': async (d, arg) => {
    const dir = arg instanceof vscode.Uri ? arg : (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Write the demo here' }))?.[0];
    if (!dir) return undefined;
    if (insideWorkspace(dir)) return d.conn.request(Methods.writeDemo, { dir: dir.fsPath }, { progress: 'Writing the demo workspace' });
    await runDemoCli(d.context, dir, d.output);
    await vscode.commands.executeCommand('vscode.openFolder', dir, { forceNewWindow: false });
    return { dir: dir.fsPath };
  },

  // the workspace's dataset configuration: a name the engine lists (its own from driftcatcher.config.json, the built-in ones)
  'driftcatcher.chooseDataset': async (d, arg) => {
    const name = typeof arg === 'string' ? arg : await pickDataset(d.conn);
    if (!name) return undefined;
    await vscode.workspace.getConfiguration('driftcatcher').update('dataset', name, vscode.ConfigurationTarget.Workspace);
    return name;
  },

  'driftcatcher.refresh': async (d) => {
    await d.reload();
    return true;
  },

  'driftcatcher.showLog': async (d) => {
    d.output.show();
    return true;
  },
};
