import * as vscode from 'vscode';
import { checkDatasetSetting } from './datasetSetting';
import { Methods, Notifications, ServerRequests } from '../core/protocol';
import type { EscalationState, ModelVersion } from '../core/protocol';
import { ServerConnection } from './client';
import { registerCommands } from './commands';
import { registerLmTools } from './lmTools';
import { answerChat } from './editorChat';
import { lastError, setErrorLog } from './errors';
import { readServerSettings, SECRET_KEY } from './settings';
import { DriftStatusBar } from './statusBar';
import { Store, versionNumber } from './store';
import { AgentTreeProvider } from './trees/agentTree';
import { DriftTreeProvider } from './trees/driftTree';
import { ModelsTreeProvider } from './trees/modelsTree';
import { RunsTreeProvider } from './trees/runsTree';
import { announceApproval, announceProductionChange } from './userNotifications';

/** what activate() returns: used by the extension-host tests (and by anyone scripting the extension) */
export interface DriftCatcherApi {
  /** wall time spent inside activate(), ms */
  activationMs: number;
  store: Store;
  connection: ServerConnection;
  trees: { drift: DriftTreeProvider; models: ModelsTreeProvider; agent: AgentTreeProvider; runs: RunsTreeProvider };
  statusBar: vscode.StatusBarItem;
  /** resolves once the server answered a ping and the views were loaded */
  ready: () => Promise<void>;
  /** the last error message shown to the user, if any */
  lastError: () => string | undefined;
  /** whether an LLM API key is in SecretStorage (the key itself is never exposed) */
  hasApiKey: () => Promise<boolean>;
}

/**
 * Thin client: everything heavy runs in the server process. activate() only wires views, commands and the status
 * bar, and starts the server in the background (no await), so the extension host is never held up.
 */
export function activate(context: vscode.ExtensionContext): DriftCatcherApi {
  const t0 = performance.now();
  const output = vscode.window.createOutputChannel('DriftCatcher');
  const store = new Store();
  setErrorLog((line) => output.appendLine(line));
  const conn = new ServerConnection(context, output, async () => readServerSettings(await context.secrets.get(SECRET_KEY)));

  const trees = { drift: new DriftTreeProvider(store), models: new ModelsTreeProvider(store), agent: new AgentTreeProvider(store), runs: new RunsTreeProvider(store) };
  const statusBar = new DriftStatusBar(store);
  let loaded = false;

  const applyModels = (models: ModelVersion[], production?: string, escalation?: EscalationState) => {
    const previous = store.setModels(models, production, escalation);
    if (loaded) announceProductionChange(previous, store.production, versionNumber);
  };

  /** a full snapshot (start, server restart, Refresh); from then on the notifications below keep the store current */
  const reload = async () => {
    const [snap, runs, baseline] = await Promise.allSettled([conn.request(Methods.dashboardData, {}), conn.request(Methods.listRuns, {}), conn.request(Methods.getBaseline, {})]);
    for (const r of [snap, runs, baseline]) if (r.status === 'rejected') output.appendLine(`reload: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
    const s = snap.status === 'fulfilled' ? snap.value : undefined;
    store.load({
      report: s?.report,
      models: s?.models ?? store.models,
      production: s ? s.production : store.production,
      decisions: s?.decisions ?? store.decisions,
      plans: s?.plans ?? store.plans,
      runs: runs.status === 'fulfilled' ? runs.value : store.runs,
      baseline: baseline.status === 'fulfilled' ? baseline.value : store.baseline,
      escalation: s?.escalation ?? store.escalation,
    });
    loaded = true;
  };

  // the engine asks the editor's chat model when the user chose llm.provider "editor"
  conn.onRequest(ServerRequests.chat, answerChat);
  // the only writers of the store besides reload(): one notification, one setter
  conn.onNotification(Notifications.driftReport, (r) => store.setReport(r));
  conn.onNotification(Notifications.modelsChanged, (m) => applyModels(m.models, m.production, m.escalation));
  conn.onNotification(Notifications.baselineChanged, (b) => store.setBaseline(b));
  conn.onNotification(Notifications.decisionMade, (dec) => store.addDecision(dec));
  conn.onNotification(Notifications.planChanged, (p) => {
    store.upsertPlan(p);
    announceApproval(p, store.decisions.find((d) => d.id === p.decision_id));
  });
  conn.onNotification(Notifications.runLogged, (r) => store.addRun(r));
  conn.onNotification(Notifications.log, (l) => output.appendLine(`[${l.level}] ${l.message}`));

  let readyPromise: Promise<void> | undefined;
  const ready = () => (readyPromise ??= conn.ping().then(reload));
  conn.onReady(() => {
    readyPromise = conn.ping().then(reload); // after a restart, reload everything
    readyPromise.catch(() => undefined);
  });

  context.subscriptions.push(
    output,
    store,
    conn,
    statusBar,
    vscode.window.createTreeView('driftcatcher.drift', { treeDataProvider: trees.drift, showCollapseAll: true }),
    vscode.window.createTreeView('driftcatcher.models', { treeDataProvider: trees.models }),
    vscode.window.createTreeView('driftcatcher.agent', { treeDataProvider: trees.agent, showCollapseAll: true }),
    vscode.window.createTreeView('driftcatcher.runs', { treeDataProvider: trees.runs }),
    ...registerCommands({ context, conn, store, output, reload }),
    ...registerLmTools(conn),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (!e.affectsConfiguration('driftcatcher')) return;
      await conn.pushSettings();
      if (e.affectsConfiguration('driftcatcher.dataset')) await checkDatasetSetting(conn).catch(() => undefined);
    }),
    context.secrets.onDidChange((e) => e.key === SECRET_KEY && void conn.pushSettings()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void conn.pushSettings()),
  );

  // the Agent view's reset action shows while the agent waits for a person
  let escalated = false;
  context.subscriptions.push(
    store.onDidChange((section) => {
      if (section !== 'models' || (store.escalation?.escalated ?? false) === escalated) return;
      escalated = store.escalation?.escalated ?? false;
      void vscode.commands.executeCommand('setContext', 'driftcatcher.escalated', escalated);
    }),
  );

  // start the server once the extension host is free again
  setTimeout(() => void conn.start().catch(() => undefined), 0);

  const activationMs = performance.now() - t0;
  output.appendLine(`activated in ${activationMs.toFixed(1)} ms`);
  const hasApiKey = async () => Boolean(await context.secrets.get(SECRET_KEY));
  return { activationMs, store, connection: conn, trees, statusBar: statusBar.item, ready, hasApiKey, lastError };
}

export function deactivate(): void {
  // subscriptions (incl. the client) are disposed by VS Code
}
