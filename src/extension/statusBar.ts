import * as vscode from 'vscode';
import type { Store } from './store';

/** "DriftCatcher v3 · drift severe": the production model and the last drift severity; click opens the dashboard. */
export class DriftStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('driftcatcher.status', vscode.StatusBarAlignment.Left, 50);
  constructor(private readonly store: Store) {
    this.item.name = 'DriftCatcher';
    this.item.command = 'driftcatcher.openDashboard';
    store.onDidChange(() => this.render());
    this.render();
    this.item.show();
  }

  render(): void {
    const model = this.store.production ?? 'no model';
    const sev = this.store.report?.overall.severity;
    const icon = sev === 'severe' ? '$(error)' : sev === 'moderate' ? '$(warning)' : '$(pulse)';
    this.item.text = `${icon} DriftCatcher ${model}${sev ? ` · drift ${sev}` : ''}`;
    this.item.tooltip = `Production model: ${model}\nLast drift check: ${sev ?? 'none yet'}\nClick to open the dashboard`;
    this.item.backgroundColor =
      sev === 'severe' ? new vscode.ThemeColor('statusBarItem.errorBackground') : sev === 'moderate' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
