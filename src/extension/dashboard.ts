import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { Methods } from '../core/protocol';
import { isFromWebview, type ToWebview } from '../webview/messages';
import { dashboardState } from './dashboardState';
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
      this.timer = setTimeout(() => this.sendState(), 150); // coalesce bursts of notifications
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
        this.sendState();
        this.post({ type: 'csvFiles', files: (await workspaceCsvs()).map((u) => vscode.workspace.asRelativePath(u)) });
        if (this.pendingFocus) this.post({ type: 'focusFeature', feature: this.pendingFocus });
        this.pendingFocus = undefined;
        return;
      case 'refresh':
        await vscode.commands.executeCommand('driftcatcher.refresh');
        return;
      case 'useProductionBaseline':
        await vscode.commands.executeCommand('driftcatcher.useProductionBaseline');
        return;
      case 'chooseBaseline':
        await vscode.commands.executeCommand('driftcatcher.useAsBaseline');
        return;
      case 'runSimulation': {
        const uri = resolveWorkspacePath(m.csv);
        if (uri) await this.runSimulation(uri.fsPath);
        return;
      }
      case 'approvePlan':
        await vscode.commands.executeCommand(m.approve ? 'driftcatcher.approvePlan' : 'driftcatcher.rejectPlan', m.planId);
        return;
      case 'resetEscalation':
        await vscode.commands.executeCommand('driftcatcher.resetEscalation');
        return;
      case 'checkMultivariate': {
        const source = this.store.report?.current.source;
        if (source) await vscode.commands.executeCommand('driftcatcher.checkDriftSource', source, { multivariate: true });
        return;
      }
    }
  }

  /** the dashboard renders the store and nothing else: no request of its own */
  private sendState(): void {
    if (this.ready) this.post({ type: 'state', state: dashboardState(this.store) });
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
  return randomBytes(18).toString('base64url'); // CSP nonces must be unguessable
}

/** a workspace-relative path from the webview -> a Uri inside a workspace folder, or undefined */
function resolveWorkspacePath(rel: string): vscode.Uri | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder || rel.includes('..')) return undefined;
  return vscode.Uri.joinPath(folder.uri, rel);
}
