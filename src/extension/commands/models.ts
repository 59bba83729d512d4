import * as vscode from 'vscode';
import { Methods } from '../../core/protocol';
import type { ModelStatus } from '../../core/protocol';
import { pickCsv, pickNewData, pickTrainingData, rememberSource, sourceText, toUri } from '../pickers';
import { ModelItem } from '../trees/modelsTree';
import { basename } from '../trees/driftTree';
import { announceValidation } from '../userNotifications';
import type { CommandDeps, CommandTable } from './types';

const versionArg = (arg: unknown): string | undefined => (arg instanceof ModelItem ? arg.model.version : typeof arg === 'string' ? arg : undefined);

async function pickVersion(d: CommandDeps, title: string, statuses: ModelStatus[]): Promise<string | undefined> {
  const items = d.store.models.filter((m) => statuses.includes(m.status)).map((m) => ({ label: m.version, description: `${m.status} · f1 ${m.metrics.f1.toFixed(3)}`, version: m.version }));
  if (!items.length) {
    void vscode.window.showInformationMessage(`DriftCatcher: no ${statuses.join(' or ')} model versions. Train one first.`, 'Train Model').then((a) => a && vscode.commands.executeCommand('driftcatcher.trainModel'));
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title }))?.version;
}

/** Models: train, validate (any version but the archived), deploy, roll back, sample a holdout. */
export const modelCommands: CommandTable = {
  /**
   * Train (or retrain) on base data plus new labelled batches, each a CSV or any other source (Parquet, a folder of
   * parts, a table) with a row predicate; callers may pass `{ baseData, baseWhere?, newData?, where? }`.
   */
  'driftcatcher.trainModel': async (d, arg) => {
    const given = arg as { baseData?: string; baseWhere?: string; newData?: string[]; where?: string } | undefined;
    const state = d.context.workspaceState;
    const base = given?.baseData ? { source: sourceText(given.baseData), where: given.baseWhere } : await pickTrainingData(state, 'Train on which base data?', /baseline|train/i);
    if (!base) return undefined;
    const extra = given?.baseData ? { sources: (given.newData ?? []).map(sourceText), where: given.where } : await pickNewData(state, 'Add new labelled batches to the training data? (optional)');
    if (!extra) return undefined;
    const newData = extra.sources.filter((s) => s !== base.source);
    const shown = `${basename(base.source)}${base.where ? ` where ${base.where}` : ''}`;
    const r = await d.conn.request(
      Methods.train,
      { baseData: base.source, newData, ...(base.where ? { baseWhere: base.where } : {}), ...(extra.where ? { where: extra.where } : {}) },
      { progress: `Training a random forest on ${shown}` },
    );
    for (const s of [base.source, ...newData]) if (!/\.csv$/i.test(s)) await rememberSource(state, s);
    void vscode.window
      .showInformationMessage(`DriftCatcher: trained ${r.version} on ${r.rows} rows in ${r.train_seconds.toFixed(1)} s (f1 ${r.metrics.f1.toFixed(3)}).`, 'Validate')
      .then((a) => a && vscode.commands.executeCommand('driftcatcher.validateModel', r.version));
    return r;
  },

  'driftcatcher.validateModel': async (d, arg, holdoutArg) => {
    // a rejected version can be validated again (on another holdout, or after the gate changed)
    const version = versionArg(arg) ?? (await pickVersion(d, 'Validate which model?', ['candidate', 'rejected', 'production']));
    if (!version) return undefined;
    const holdout = typeof holdoutArg === 'string' ? toUri(holdoutArg) : await pickCsv(`Validate ${version} on which holdout?`, /holdout/i);
    if (!holdout) return undefined;
    const r = await d.conn.request(Methods.validate, { version, holdout: holdout.fsPath }, { progress: `Validating ${version}` });
    announceValidation(r);
    return r;
  },

  'driftcatcher.deployModel': async (d, arg) => {
    const explicit = versionArg(arg);
    const version = explicit ?? (await pickVersion(d, 'Deploy which model?', ['candidate', 'archived']));
    if (!version) return undefined;
    if (!explicit) {
      const ok = await vscode.window.showWarningMessage(`Deploy ${version} to production?`, { modal: true }, 'Deploy');
      if (ok !== 'Deploy') return undefined;
    }
    return d.conn.request(Methods.deploy, { version }, { progress: `Deploying ${version}` });
  },

  'driftcatcher.rollbackModel': async (d, arg) => {
    if (arg === undefined) {
      const ok = await vscode.window.showWarningMessage(`Roll production (${d.store.production ?? 'none'}) back to the previous version?`, { modal: true }, 'Roll Back');
      if (ok !== 'Roll Back') return undefined;
    }
    return d.conn.request(Methods.rollback, {}, { progress: 'Rolling back' });
  },

  'driftcatcher.createHoldout': async (d, arg) => {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const given = arg as { dataDir?: string; output?: string } | undefined;
    const dir = given?.dataDir
      ? toUri(given.dataDir)
      : (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, defaultUri: folder, openLabel: 'Sample holdout from this folder' }))?.[0];
    if (!dir) return undefined;
    const out = given?.output ? toUri(given.output) : await vscode.window.showSaveDialog({ defaultUri: folder && vscode.Uri.joinPath(folder, 'holdout.csv'), filters: { CSV: ['csv'] } });
    if (!out) return undefined;
    const r = await d.conn.request(Methods.createHoldout, { dataDir: dir.fsPath, output: out.fsPath }, { progress: 'Creating holdout' });
    const labels = Object.entries(r.labels).map(([k, v]) => `${k} ${v}`).join(', ');
    void vscode.window.showInformationMessage(`DriftCatcher: holdout ${basename(r.output)} with ${r.rows} rows (${labels}).`);
    return r;
  },
};
