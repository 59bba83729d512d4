import * as vscode from 'vscode';
import { Methods } from '../../core/protocol';
import { DashboardPanel } from '../dashboard';
import { resolveCsv } from '../pickers';
import { baselineLabel } from '../store';
import { basename } from '../trees/driftTree';
import type { CommandTable } from './index';

/** Drift: check a batch, choose the baseline every view compares against, browse and restore versioned baselines. */
export const driftCommands: CommandTable = {
  'driftcatcher.checkDrift': async (d, arg) => {
    const csv = await resolveCsv(arg, 'Check which batch for drift?');
    if (!csv) return undefined;
    const report = await d.conn.request(Methods.checkDrift, { current: csv.fsPath }, { progress: `Checking ${basename(csv.fsPath)} for drift against ${baselineLabel(d.store.baseline)}` });
    const o = report.overall;
    const msg = `${basename(csv.fsPath)}: ${o.n_drifted}/${o.total_features} features drifted (${o.severity}, max PSI ${o.psi_max.toFixed(3)})`;
    DashboardPanel.show(d.context, d.conn, d.store);
    if (o.severity !== 'severe') void vscode.window.showInformationMessage(`DriftCatcher: ${msg}`);
    else
      void vscode.window.showWarningMessage(`DriftCatcher: severe drift — ${msg}`, 'Run Agent', 'Simulate First').then(async (a) => {
        if (a === 'Run Agent') await vscode.commands.executeCommand('driftcatcher.runAgent', csv);
        if (a === 'Simulate First') await vscode.commands.executeCommand('driftcatcher.simulate', csv);
      });
    return report;
  },

  'driftcatcher.useAsBaseline': async (d, arg) => {
    const csv = await resolveCsv(arg, 'Use which CSV as the drift baseline?');
    if (!csv) return undefined;
    const choice = await d.conn.request(Methods.setBaseline, { baseline: csv.fsPath }, { progress: `Profiling ${basename(csv.fsPath)}` });
    if (choice.kind === 'file') {
      void vscode.window
        .showInformationMessage(`DriftCatcher: ${choice.source} is now the drift baseline for every view, the CLI and watch mode (${choice.rows} rows, ${choice.features} features).`, 'Use Production Instead')
        .then((a) => a && vscode.commands.executeCommand('driftcatcher.useProductionBaseline'));
    }
    return choice;
  },

  'driftcatcher.useProductionBaseline': async (d) => {
    const choice = await d.conn.request(Methods.setBaseline, {});
    void vscode.window.showInformationMessage(`DriftCatcher: drift is now checked against ${baselineLabel(choice)}.`);
    return choice;
  },

  'driftcatcher.baselineHistory': async (d) => {
    const versions = await d.conn.request(Methods.baselineHistory, {});
    if (!versions.length) {
      void vscode.window.showInformationMessage('DriftCatcher: the baseline has no recorded versions yet.');
      return versions;
    }
    const pick = await vscode.window.showQuickPick(
      versions.map((v) => ({ label: v.rev.slice(0, 8), description: `${v.date} · ${v.rows ?? '?'} rows${v.model_version ? ` · model ${v.model_version}` : ''}`, detail: v.message, rev: v.rev })),
      { title: 'Baseline history (pick one to restore it)' },
    );
    if (pick) await vscode.commands.executeCommand('driftcatcher.restoreBaseline', pick.rev);
    return versions;
  },

  'driftcatcher.restoreBaseline': async (d, arg) => {
    let rev = typeof arg === 'string' ? arg : undefined;
    if (!rev) {
      const versions = await d.conn.request(Methods.baselineHistory, {});
      rev = (await vscode.window.showQuickPick(versions.map((v) => ({ label: v.rev.slice(0, 8), description: v.date, detail: v.message, rev: v.rev })), { title: 'Restore which baseline version?' }))?.rev;
      if (!rev) return undefined;
      const ok = await vscode.window.showWarningMessage(`Restore baseline ${rev.slice(0, 8)}?`, { modal: true }, 'Restore');
      if (ok !== 'Restore') return undefined;
    }
    const v = await d.conn.request(Methods.restoreBaseline, { rev }, { progress: 'Restoring baseline' });
    void vscode.window.showInformationMessage(`DriftCatcher: baseline restored to ${v.rev.slice(0, 8)} (${v.message}).`);
    return v;
  },
};
