import * as vscode from 'vscode';
import { Methods, type DatasetList } from '../core/protocol';
import type { ServerConnection } from './client';

/**
 * The `driftcatcher.dataset` setting names a dataset configuration: a built-in one or one of the workspace's own
 * (`datasets` in driftcatcher.config.json). VS Code cannot list the workspace's own in the setting's schema, so the
 * engine lists them (driftcatcher/listDatasets) for a quick pick, and a name it does not know is reported with the
 * known ones.
 */

/** the known names, the one in use marked */
export async function pickDataset(conn: ServerConnection): Promise<string | undefined> {
  const list = await conn.request(Methods.listDatasets, {});
  const items = list.datasets.map((d) => ({
    label: d.name,
    description: [d.name === list.current ? 'in use' : '', d.builtin ? 'built in' : 'driftcatcher.config.json'].filter(Boolean).join(' · '),
    detail: `label ${d.label ?? '(detected)'} · ${d.task}${d.positiveClass ? ` · positive class ${d.positiveClass}` : ''}`,
  }));
  return (await vscode.window.showQuickPick(items, { title: 'DriftCatcher: which dataset configuration?', placeHolder: `In use: ${list.current}` }))?.label;
}

/** The setting's name when the engine does not know it (case-insensitive), with the known ones; else undefined. */
export function unknownDataset(setting: string, list: DatasetList): string | undefined {
  const want = setting.trim().toLowerCase();
  if (!want || list.datasets.some((d) => d.name.toLowerCase() === want)) return undefined;
  return `DriftCatcher: unknown dataset '${setting.trim()}' in the driftcatcher.dataset setting (the engine keeps '${list.current}'); known datasets: ${list.datasets.map((d) => d.name).join(', ')}.`;
}

/** After the setting changed: warn once when the engine does not know the name. */
export async function checkDatasetSetting(conn: ServerConnection): Promise<void> {
  const setting = vscode.workspace.getConfiguration('driftcatcher').get<string>('dataset', '');
  const message = unknownDataset(setting, await conn.request(Methods.listDatasets, {}));
  if (message) void vscode.window.showWarningMessage(message, 'Choose Dataset…').then((a) => a && vscode.commands.executeCommand('driftcatcher.chooseDataset'));
}
