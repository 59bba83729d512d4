import * as vscode from 'vscode';
import { Methods } from '../core/protocol';
import type { DashboardData } from '../core/protocol';
import { isFromWebview, type ToWebview } from '../webview/messages';
import type { ServerConnection } from './client';
import type { Store } from './store';
import { workspaceCsvs } from './pickers';
import { showError } from './errors';

/**
 * The dashboard webview panel (one at a time). Scripts come only from the extension's dist/, with a nonce-based
 * CSP and no network; the webview renders every string with textContent. All traffic uses webview/messages.ts.
 */
export class DashboardPanel implements vscode.Disposable {
  static readonly viewType = 'driftcatcher.dashboard';
  private static current: DashboardPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  private pendingFocus: string | undefined;
  private simulating = false;
  private disposed = false;
  private timer: NodeJS.Timeout | undefined;

  static show(context: vscode.ExtensionContext, conn: ServerConnection, store: Store, feature?: string): DashboardPanel {
    if (DashboardPanel.current) {
      DashboardPanel.current.panel.reveal(undefined, true);
    } else {
      const panel = vscode.window.createWebviewPanel(DashboardPanel.viewType, 'DriftCatcher Dashboard', { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'dist'), vscode.Uri.joinPath(context.extensionUri, 'media')],
      });
      DashboardPanel.current = new DashboardPanel(panel, context, conn, store);
    }
    if (feature) DashboardPanel.current.focus(feature);
    return DashboardPanel.current;
  }

  static get instance(): DashboardPanel | undefined {
    return DashboardPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly conn: ServerConnection,
    private readonly store: Store,
  ) {
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'driftcatcher.svg');
    panel.webview.html = this.html(panel.webview);
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m), null, this.disposables);
    store.onDidChange(() => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.sendData(), 150); // coalesce bursts of notifications
    }, null, this.disposables);
    conn.onNotification('driftcatcher/simulationStep', (p) => {
      if (this.simulating) this.post({ type: 'simulationStep', step: p.step });
    });
  }

  focus(feature: string): void {
    if (this.ready) this.post({ type: 'focusFeature', feature });
    else this.pendingFocus = feature;
  }

  /** runs the digital twin on a CSV; steps stream into the panel as the server reports them */
  async runSimulation(csv: string): Promise<void> {
    if (this.simulating) return;
    this.simulating = true;
    this.post({ type: 'simulationStarted', csv: vscode.workspace.asRelativePath(csv) });
    try {
      const result = await this.conn.request(Methods.simulate, { current: csv }, { progress: 'Digital twin simulation' });
      this.post({ type: 'simulationDone', result });
    } catch (e) {
      this.post({ type: 'simulationFailed', error: e instanceof Error ? e.message : String(e) });
      showError(e);
    } finally {
      this.simulating = false;
    }
  }

  private async onMessage(m: unknown): Promise<void> {
    if (!isFromWebview(m)) return; // ignore anything not in the contract
    switch (m.type) {
      case 'ready':
        this.ready = true;
        await this.sendData();
        this.post({ type: 'csvFiles', files: (await workspaceCsvs()).map((u) => vscode.workspace.asRelativePath(u)) });
        if (this.pendingFocus) this.post({ type: 'focusFeature', feature: this.pendingFocus });
        this.pendingFocus = undefined;
        return;
      case 'refresh':
        await this.sendData();
        return;
      case 'runSimulation': {
        const uri = resolveWorkspacePath(m.csv);
        if (uri) await this.runSimulation(uri.fsPath);
        return;
      }
      case 'approvePlan':
        await vscode.commands.executeCommand(m.approve ? 'driftcatcher.approvePlan' : 'driftcatcher.rejectPlan', m.planId);
        return;
    }
  }

  private async sendData(): Promise<void> {
    if (!this.ready) return;
    let data: DashboardData;
    try {
      data = await this.conn.request(Methods.dashboardData, {});
    } catch {
      data = { models: [], driftHistory: [], decisions: [], plans: [] };
    }
    // the store can be fresher than the server's persisted view (e.g. a report just pushed)
    const s = this.store;
    const report = s.report ?? data.report;
    const rel = (p: string) => (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) ? vscode.workspace.asRelativePath(p) : p);
    this.post({
      type: 'data',
      data: {
        ...data,
        report: report && { ...report, current: { ...report.current, source: rel(report.current.source) }, baseline: { ...report.baseline, source: rel(report.baseline.source) } },
        models: s.models.length ? s.models : data.models,
        production: s.production ?? data.production,
        decisions: s.decisions.length ? s.decisions : data.decisions,
        plans: s.plans.length ? s.plans : data.plans,
      },
    });
  }

  private post(msg: ToWebview): void {
    if (this.disposed) return;
    this.panel.webview.postMessage(msg).then(undefined, () => undefined); // the panel may close mid-flight
  }

  private html(webview: vscode.Webview): string {
    const nonce = makeNonce();
    const asset = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, ...p)).toString();
    const csp = [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} data:`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('media', 'dashboard.css')}">
<title>DriftCatcher Dashboard</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="muted">Loading…</p></main>
<script nonce="${nonce}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    DashboardPanel.current = undefined;
    this.panel.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
  }
}

function makeNonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < 32; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return s;
}

/** a workspace-relative path from the webview -> a Uri inside a workspace folder, or undefined */
function resolveWorkspacePath(rel: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || rel.includes('..')) return undefined;
  return vscode.Uri.joinPath(folder.uri, rel);
}
