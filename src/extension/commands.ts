import * as vscode from 'vscode';
import { Methods } from '../core/protocol';
import type { Plan } from '../core/protocol';
import type { ServerConnection } from './client';
import { DashboardPanel } from './dashboard';
import { insideWorkspace, runDemoCli } from './demoWorkspace';
import { showError } from './errors';
import { pickCsv, pickCsvs, resolveCsv, toUri } from './pickers';
import { autonomySetting, SECRET_KEY } from './settings';
import type { Store } from './store';
import { ModelItem } from './trees/modelsTree';
import { basename } from './trees/driftTree';
import { announcePlan, announceValidation } from './userNotifications';

export interface CommandDeps {
  context: vscode.ExtensionContext;
  conn: ServerConnection;
  store: Store;
  output: vscode.OutputChannel;
  refresh: () => Promise<void>;
}

const BASELINE_KEY = 'driftcatcher.baselineProfile';

/**
 * Every command. Each accepts an optional argument (a Uri from a menu, a tree item, or a plain value) so it can
 * be run from menus, views, the palette, the walkthrough and tests alike; without one it asks the user.
 * Every command resolves to its result (or undefined when the user cancelled), which tests rely on.
 */
export function registerCommands(d: CommandDeps): vscode.Disposable[] {
  const { conn, store, context } = d;
  const reg = (id: string, fn: (...args: unknown[]) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      try {
        return await fn(...args);
      } catch (e) {
        showError(e);
        return undefined;
      }
    });

  const checkDrift = async (arg?: unknown) => {
    const csv = await resolveCsv(arg, 'Check which batch for drift?');
    if (!csv) return undefined;
    const baseline = context.workspaceState.get<string>(BASELINE_KEY);
    const report = await conn.request(Methods.checkDrift, { current: csv.fsPath, ...(baseline ? { baseline } : {}) }, { progress: `Checking ${basename(csv.fsPath)} for drift` });
    store.setReport(report);
    const o = report.overall;
    const msg = `${basename(csv.fsPath)}: ${o.n_drifted}/${o.total_features} features drifted (${o.severity}, max PSI ${o.psi_max.toFixed(3)})`;
    DashboardPanel.show(context, conn, store);
    if (o.severity !== 'severe') void vscode.window.showInformationMessage(`DriftCatcher: ${msg}`);
    // severe drift gets its own notification with actions from the driftReport handler / here if the server does not push one
    else void severeDrift(msg, csv);
    return report;
  };

  const severeDrift = async (msg: string, csv: vscode.Uri) => {
    const a = await vscode.window.showWarningMessage(`DriftCatcher: severe drift — ${msg}`, 'Run Agent', 'Simulate First');
    if (a === 'Run Agent') await vscode.commands.executeCommand('driftcatcher.runAgent', csv);
    if (a === 'Simulate First') await vscode.commands.executeCommand('driftcatcher.simulate', csv);
  };

  const versionArg = (arg: unknown): string | undefined => (arg instanceof ModelItem ? arg.model.version : typeof arg === 'string' ? arg : undefined);

  const pickVersion = async (title: string, filter: (status: string) => boolean) => {
    if (!store.models.length) await d.refresh();
    const items = store.models.filter((m) => filter(m.status)).map((m) => ({ label: m.version, description: `${m.status} · f1 ${m.metrics.f1.toFixed(3)}`, version: m.version }));
    if (!items.length) {
      void vscode.window.showInformationMessage('DriftCatcher: no matching model versions. Train one first.');
      return undefined;
    }
    return (await vscode.window.showQuickPick(items, { title }))?.version;
  };

  const planArg = (arg: unknown): string | undefined => {
    if (typeof arg === 'string') return arg;
    const node = arg as { kind?: string; plan?: Plan } | undefined;
    return node?.plan?.id;
  };

  const decidePlan = async (arg: unknown, approve: boolean) => {
    let planId = planArg(arg);
    if (!planId) {
      const pending = store.pendingPlans();
      if (!pending.length) {
        void vscode.window.showInformationMessage('DriftCatcher: no plan is awaiting approval.');
        return undefined;
      }
      planId = pending.length === 1 && approve === false ? pending[0].id : (await vscode.window.showQuickPick(pending.map((p) => ({ label: p.goal, description: p.created_at, id: p.id })), { title: approve ? 'Approve which plan?' : 'Reject which plan?' }))?.id;
      if (!planId) return undefined;
    }
    const plan = await conn.request(Methods.approvePlan, { planId, approve }, { progress: approve ? 'Approving plan (deploying)' : 'Rejecting plan' });
    store.upsertPlan(plan);
    await d.refresh();
    void vscode.window.showInformationMessage(`DriftCatcher: plan ${approve ? 'approved' : 'rejected'} — ${plan.status.replace('_', ' ')}${plan.error ? `: ${plan.error}` : ''}`);
    return plan;
  };

  /** resume an interrupted plan from its first unfinished step, or abandon it (skips what is left) */
  const continuePlan = async (arg: unknown, how: 'resume' | 'abandon') => {
    let planId = planArg(arg);
    if (!planId) {
      const open = how === 'resume' ? store.unfinishedPlans() : [...store.unfinishedPlans(), ...store.pendingPlans()];
      if (!open.length) {
        void vscode.window.showInformationMessage(`DriftCatcher: no plan to ${how}.`);
        return undefined;
      }
      planId = (await vscode.window.showQuickPick(open.map((p) => ({ label: p.goal, description: `${p.status} · ${p.created_at}`, id: p.id })), { title: how === 'resume' ? 'Resume which plan?' : 'Abandon which plan?' }))?.id;
      if (!planId) return undefined;
    }
    const plan =
      how === 'resume'
        ? await conn.request(Methods.resumePlan, { planId }, { progress: 'Resuming plan' })
        : await conn.request(Methods.abandonPlan, { planId });
    store.upsertPlan(plan);
    await d.refresh();
    void vscode.window.showInformationMessage(`DriftCatcher: plan ${how === 'resume' ? 'resumed' : 'abandoned'} — ${plan.status.replace('_', ' ')}${plan.error ? `: ${plan.error}` : ''}`);
    return plan;
  };

  return [
    reg('driftcatcher.checkDrift', checkDrift),

    reg('driftcatcher.useAsBaseline', async (arg) => {
      const csv = await resolveCsv(arg, 'Use which CSV as the drift baseline?');
      if (!csv) return undefined;
      const r = await conn.request(Methods.profileBaseline, { baseline: csv.fsPath }, { progress: `Profiling ${basename(csv.fsPath)}` });
      await context.workspaceState.update(BASELINE_KEY, r.output);
      void vscode.window.showInformationMessage(`DriftCatcher: ${basename(csv.fsPath)} is now the drift baseline (${r.rows} rows, ${r.features} features).`);
      return r;
    }),

    reg('driftcatcher.trainModel', async (arg) => {
      const given = arg as { baseData?: string; newData?: string[] } | undefined;
      const base = given?.baseData ? toUri(given.baseData) : await pickCsv('Train on which base data?', /baseline|train/i);
      if (!base) return undefined;
      const extra = given?.baseData ? (given.newData ?? []).map(toUri) : await pickCsvs('Add new labelled batches to the training data? (optional)');
      if (!extra) return undefined;
      const r = await conn.request(Methods.train, { baseData: base.fsPath, newData: extra.filter((u) => u.fsPath !== base.fsPath).map((u) => u.fsPath) }, { progress: 'Training a random forest' });
      await d.refresh();
      void vscode.window.showInformationMessage(`DriftCatcher: trained ${r.version} on ${r.rows} rows in ${r.train_seconds.toFixed(1)} s (f1 ${r.metrics.f1.toFixed(3)}).`, 'Validate').then((a) => a && vscode.commands.executeCommand('driftcatcher.validateModel', r.version));
      return r;
    }),

    reg('driftcatcher.validateModel', async (arg, holdoutArg) => {
      const version = versionArg(arg) ?? (await pickVersion('Validate which model?', (s) => s === 'candidate' || s === 'production'));
      if (!version) return undefined;
      const holdout = typeof holdoutArg === 'string' ? toUri(holdoutArg) : await pickCsv(`Validate ${version} on which holdout?`, /holdout/i);
      if (!holdout) return undefined;
      const r = await conn.request(Methods.validate, { version, holdout: holdout.fsPath }, { progress: `Validating ${version}` });
      await d.refresh();
      announceValidation(r);
      return r;
    }),

    reg('driftcatcher.deployModel', async (arg) => {
      const explicit = versionArg(arg);
      const version = explicit ?? (await pickVersion('Deploy which model?', (s) => s === 'candidate' || s === 'archived'));
      if (!version) return undefined;
      if (!explicit) {
        const ok = await vscode.window.showWarningMessage(`Deploy ${version} to production?`, { modal: true }, 'Deploy');
        if (ok !== 'Deploy') return undefined;
      }
      const m = await conn.request(Methods.deploy, { version }, { progress: `Deploying ${version}` });
      await d.refresh();
      return m;
    }),

    reg('driftcatcher.rollbackModel', async (arg) => {
      if (arg === undefined) {
        const ok = await vscode.window.showWarningMessage(`Roll production (${store.production ?? 'none'}) back to the previous version?`, { modal: true }, 'Roll Back');
        if (ok !== 'Roll Back') return undefined;
      }
      const m = await conn.request(Methods.rollback, {}, { progress: 'Rolling back' });
      await d.refresh();
      return m;
    }),

    reg('driftcatcher.runAgent', async (arg, opts) => {
      const csv = await resolveCsv(arg, 'Run the agent on which batch?');
      if (!csv) return undefined;
      const o = (opts ?? {}) as { autonomy?: 'suggest' | 'approve' | 'autonomous'; yes?: boolean };
      const r = await conn.request(Methods.runAgent, { current: csv.fsPath, autonomy: o.autonomy ?? autonomySetting(), ...(o.yes ? { yes: true } : {}) }, { progress: `Agent on ${basename(csv.fsPath)}` });
      if (r.report) store.setReport(r.report);
      store.addDecision(r.decision);
      store.upsertPlan(r.plan);
      await d.refresh();
      announcePlan(r.plan, r.decision);
      return r;
    }),

    reg('driftcatcher.simulate', async (arg) => {
      const csv = await resolveCsv(arg, 'Simulate the agent on which batch?');
      if (!csv) return undefined;
      const panel = DashboardPanel.show(context, conn, store);
      await panel.runSimulation(csv.fsPath);
      return true;
    }),

    reg('driftcatcher.approvePlan', (arg) => decidePlan(arg, true)),
    reg('driftcatcher.rejectPlan', (arg) => decidePlan(arg, false)),
    reg('driftcatcher.resumePlan', (arg) => continuePlan(arg, 'resume')),
    reg('driftcatcher.abandonPlan', (arg) => continuePlan(arg, 'abandon')),

    reg('driftcatcher.openDashboard', async (feature) => {
      DashboardPanel.show(context, conn, store, typeof feature === 'string' ? feature : undefined);
      return true;
    }),

    reg('driftcatcher.createHoldout', async (arg) => {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const given = arg as { dataDir?: string; output?: string } | undefined;
      const dir = given?.dataDir
        ? toUri(given.dataDir)
        : (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, defaultUri: folder, openLabel: 'Sample holdout from this folder' }))?.[0];
      if (!dir) return undefined;
      const out = given?.output ? toUri(given.output) : await vscode.window.showSaveDialog({ defaultUri: folder && vscode.Uri.joinPath(folder, 'holdout.csv'), filters: { CSV: ['csv'] } });
      if (!out) return undefined;
      const r = await conn.request(Methods.createHoldout, { dataDir: dir.fsPath, output: out.fsPath }, { progress: 'Creating holdout' });
      const labels = Object.entries(r.labels).map(([k, v]) => `${k} ${v}`).join(', ');
      void vscode.window.showInformationMessage(`DriftCatcher: holdout ${basename(r.output)} with ${r.rows} rows (${labels}).`);
      return r;
    }),

    reg('driftcatcher.baselineHistory', async () => {
      const versions = await conn.request(Methods.baselineHistory, {});
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
    }),

    reg('driftcatcher.restoreBaseline', async (arg) => {
      let rev = typeof arg === 'string' ? arg : undefined;
      if (!rev) {
        const versions = await conn.request(Methods.baselineHistory, {});
        rev = (await vscode.window.showQuickPick(versions.map((v) => ({ label: v.rev.slice(0, 8), description: v.date, detail: v.message, rev: v.rev })), { title: 'Restore which baseline version?' }))?.rev;
        if (!rev) return undefined;
        const ok = await vscode.window.showWarningMessage(`Restore baseline ${rev.slice(0, 8)}?`, { modal: true }, 'Restore');
        if (ok !== 'Restore') return undefined;
      }
      const v = await conn.request(Methods.restoreBaseline, { rev }, { progress: 'Restoring baseline' });
      void vscode.window.showInformationMessage(`DriftCatcher: baseline restored to ${v.rev.slice(0, 8)} (${v.message}).`);
      return v;
    }),

    reg('driftcatcher.setApiKey', async () => {
      const key = await vscode.window.showInputBox({
        title: 'DriftCatcher: LLM API key',
        prompt: 'Stored in the OS secret storage, never in settings or logs. Leave empty to remove it.',
        password: true,
        ignoreFocusOut: true,
      });
      if (key === undefined) return undefined;
      if (key.trim()) await context.secrets.store(SECRET_KEY, key.trim());
      else await context.secrets.delete(SECRET_KEY);
      await conn.pushSettings();
      void vscode.window.showInformationMessage(key.trim() ? 'DriftCatcher: API key saved.' : 'DriftCatcher: API key removed; the rule policy decides.');
      return key.trim() ? 'stored' : 'deleted';
    }),

    reg('driftcatcher.openDemo', async (arg) => {
      const dir = arg instanceof vscode.Uri ? arg : (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Write the demo here' }))?.[0];
      if (!dir) return undefined;
      if (insideWorkspace(dir)) return conn.request(Methods.writeDemo, { dir: dir.fsPath }, { progress: 'Writing the demo workspace' });
      await runDemoCli(context, dir, d.output);
      await vscode.commands.executeCommand('vscode.openFolder', dir, { forceNewWindow: false });
      return { dir: dir.fsPath };
    }),

    reg('driftcatcher.refresh', async () => {
      await d.refresh();
      return true;
    }),

    reg('driftcatcher.showLog', async () => {
      d.output.show();
      return true;
    }),
  ];
}
