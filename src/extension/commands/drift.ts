import * as vscode from 'vscode';
import { Methods } from '../../core/protocol';
import { DashboardPanel } from '../dashboard';
import { givenOrPickedSource, rememberSource, resolveCsv, sourceLabel } from '../pickers';
import { baselineLabel } from '../store';
import { basename } from '../trees/driftTree';
import type { CommandTable } from './types';

/** options a caller (the dashboard, a script) may add to a check: `{ multivariate: true }` also measures multivariate drift */
function checkOptions(opts: unknown): { multivariate?: boolean } {
  return typeof opts === 'object' && opts !== null && (opts as { multivariate?: unknown }).multivariate === true ? { multivariate: true } : {};
}

/** Drift: check a batch, choose the baseline every view compares against, browse and restore versioned baselines. */
export const driftCommands: CommandTable = {
  'driftcatcher.checkDrift': async (d, arg, opts) => {
    const csv = await resolveCsv(arg, 'Check which batch for drift?');
    if (!csv) return undefined;
    const report = await d.conn.request(Methods.checkDrift, { current: csv.fsPath, ...checkOptions(opts) }, { progress: `Checking ${basename(csv.fsPath)} for drift against ${baselineLabel(d.store.baseline)}` });
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

  /**
   * a data source other than one CSV (Parquet files, a folder of parts, a DuckDB/ClickHouse/PostgreSQL table), picked
   * or typed, optionally with a row predicate; callers may pass the source and `{ where, multivariate }`
   */
  'driftcatcher.checkDriftSource': async (d, arg, opts) => {
    const picked = await givenOrPickedSource(d.context.workspaceState, arg, opts);
    if (!picked) return undefined;
    const what = sourceLabel(picked);
    const report = await d.conn.request(Methods.checkDrift, { current: picked.source, ...(picked.where ? { where: picked.where } : {}), ...checkOptions(opts) }, { progress: `Checking ${what} for drift against ${baselineLabel(d.store.baseline)}` });
    await rememberSource(d.context.workspaceState, picked.source);
    DashboardPanel.show(d.context, d.conn, d.store);
    const o = report.overall;
    void vscode.window.showInformationMessage(`DriftCatcher: ${what}: ${o.n_drifted}/${o.total_features} features drifted (${o.severity}, max PSI ${o.psi_max.toFixed(3)})`);
    return report;
  },

  /**
   * Any column of the last report, picked by name: its header cell is selected in the open CSV (even past VS Code's
   * long-line rendering limit the selection and the Problems entry lead there) and the dashboard shows its statistics.
   */
  'driftcatcher.goToColumn': async (d, arg) => {
    const report = d.store.report;
    if (!report) {
      void vscode.window.showInformationMessage('DriftCatcher: check a batch for drift first; then every column can be looked up here.', 'Check Drift').then((a) => a && vscode.commands.executeCommand('driftcatcher.checkDrift'));
      return undefined;
    }
    const features = [...report.features].sort((a, b) => b.psi - a.psi);
    const name =
      typeof arg === 'string'
        ? arg
        : (
            await vscode.window.showQuickPick(
              features.map((f) => ({ label: f.name.trim() || f.name, description: `PSI ${f.psi.toFixed(3)} · ${f.severity} · ${f.kind}`, name: f.name })),
              { title: `Go to column… (${features.length} in ${basename(report.current.source)})`, placeHolder: 'Type a column name', matchOnDescription: true },
            )
          )?.name;
    if (!name) return undefined;
    revealHeaderCell(name);
    DashboardPanel.show(d.context, d.conn, d.store, name);
    return name;
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

/** select a column's header cell in the active CSV editor: its diagnostic's range, else the name found in line 0 */
function revealHeaderCell(name: string): void {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !editor.document.uri.path.toLowerCase().endsWith('.csv')) return;
  const uri = editor.document.uri;
  const diag = vscode.languages.getDiagnostics(uri).find((x) => x.source === 'driftcatcher' && (x as { data?: { feature?: string } }).data?.feature === name)
    ?? vscode.languages.getDiagnostics(uri).find((x) => x.source === 'driftcatcher' && x.message.startsWith(`${name.trim()}:`));
  let range = diag?.range;
  if (!range) {
    const header = editor.document.lineAt(0).text;
    const at = header.split(',').reduce<{ offset: number; found?: number }>((acc, cell) => {
      if (acc.found === undefined && cell.replace(/^\s*"?|"?\s*$/g, '').trim() === name.trim()) acc.found = acc.offset + cell.indexOf(name.trim());
      acc.offset += cell.length + 1;
      return acc;
    }, { offset: 0 }).found;
    if (at === undefined) return;
    range = new vscode.Range(0, at, 0, at + name.trim().length);
  }
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
