import * as vscode from 'vscode';
import type { FeatureDrift, Severity } from '../../core/protocol';
import type { Store } from '../store';

export function severityIcon(s: Severity): vscode.ThemeIcon {
  if (s === 'severe') return new vscode.ThemeIcon('error', new vscode.ThemeColor('charts.red'));
  if (s === 'moderate') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.yellow'));
  return new vscode.ThemeIcon('pass', new vscode.ThemeColor('charts.green'));
}

const fmt = (x: number | null | undefined, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(digits));

export type DriftNode = { kind: 'summary' } | { kind: 'feature'; feature: FeatureDrift } | { kind: 'stat'; label: string; value: string };

/** Drift view: the latest report's features sorted by PSI, each expandable to its test statistics. */
export class DriftTreeProvider implements vscode.TreeDataProvider<DriftNode> {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;

  constructor(private readonly store: Store) {
    store.onDidChange((s) => s === 'report' && this.emitter.fire());
  }

  getChildren(node?: DriftNode): DriftNode[] {
    const report = this.store.report;
    if (!report) return [];
    if (!node) {
      const features = [...report.features].sort((a, b) => b.psi - a.psi);
      return [{ kind: 'summary' }, ...features.map((feature) => ({ kind: 'feature' as const, feature }))];
    }
    if (node.kind !== 'feature') return [];
    const f = node.feature;
    return [
      { label: 'PSI', value: fmt(f.psi) },
      { label: f.test === 'ks' ? 'KS statistic' : 'χ² statistic', value: fmt(f.statistic) },
      { label: 'p-value', value: f.p_value < 1e-4 ? f.p_value.toExponential(2) : fmt(f.p_value) },
      { label: 'Jensen-Shannon distance', value: fmt(f.js_distance) },
      { label: 'Wasserstein / std', value: fmt(f.wasserstein) },
      { label: 'missing (baseline → current)', value: `${(f.missing_rate_baseline * 100).toFixed(1)}% → ${(f.missing_rate_current * 100).toFixed(1)}%` },
    ].map((s) => ({ kind: 'stat' as const, ...s }));
  }

  getTreeItem(node: DriftNode): vscode.TreeItem {
    if (node.kind === 'summary') {
      const r = this.store.report!;
      const item = new vscode.TreeItem(`${r.overall.n_drifted}/${r.overall.total_features} features drifted (${r.overall.severity})`);
      item.description = `${basename(r.current.source)} vs ${basename(r.baseline.source)}`;
      item.tooltip = `mean PSI ${fmt(r.overall.psi_mean)}, max PSI ${fmt(r.overall.psi_max)}\n${r.current.rows} rows checked in ${r.seconds.toFixed(2)} s`;
      item.iconPath = severityIcon(r.overall.severity);
      item.command = { command: 'driftcatcher.openDashboard', title: 'Open Dashboard' };
      return item;
    }
    if (node.kind === 'stat') {
      const item = new vscode.TreeItem(node.label);
      item.description = node.value;
      return item;
    }
    const f = node.feature;
    const item = new vscode.TreeItem(f.name.trim() || f.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `feature:${f.name}`;
    item.description = `PSI ${fmt(f.psi, 3)}${f.drifted ? ' · drifted' : ''}`;
    item.tooltip = `${f.name} (${f.kind}): ${f.severity}`;
    item.iconPath = severityIcon(f.severity);
    item.contextValue = `feature.${f.severity}`;
    item.command = { command: 'driftcatcher.openDashboard', title: 'Show in Dashboard', arguments: [f.name] };
    return item;
  }
}

export function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}
