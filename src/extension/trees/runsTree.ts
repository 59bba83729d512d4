import * as vscode from 'vscode';
import type { TrackedRun } from '../../core/protocol';
import type { Store } from '../store';

export type RunNode = { kind: 'run'; run: TrackedRun } | { kind: 'kv'; label: string; value: string };

/** Runs view: the tracked history (MLflow file store), newest first, with metrics and params as children. */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunNode> {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  constructor(private readonly store: Store) {
    store.onDidChange((s) => s === 'runs' && this.emitter.fire());
  }
  getChildren(node?: RunNode): RunNode[] {
    if (!node) return latestPerPlan(this.store.runs).slice(0, 200).map((run) => ({ kind: 'run' as const, run }));
    if (node.kind !== 'run') return [];
    const metrics = Object.entries(node.run.metrics).map(([k, v]) => ({ kind: 'kv' as const, label: k, value: Number.isInteger(v) ? String(v) : v.toFixed(4) }));
    const params = Object.entries(node.run.params).map(([k, v]) => ({ kind: 'kv' as const, label: k, value: v }));
    return [...metrics, ...params];
  }
  getTreeItem(node: RunNode): vscode.TreeItem {
    if (node.kind === 'kv') {
      const item = new vscode.TreeItem(node.label);
      item.description = node.value;
      return item;
    }
    const r = node.run;
    const item = new vscode.TreeItem(r.name || r.run_id.slice(0, 8), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `run:${r.run_id}`;
    item.description = `${r.experiment} · ${new Date(r.start_time).toLocaleString()} · ${r.status.toLowerCase()}`;
    item.iconPath = new vscode.ThemeIcon(r.status === 'FAILED' ? 'error' : r.status === 'RUNNING' ? 'sync~spin' : 'history');
    return item;
  }
}

/**
 * A plan is tracked each time it stops (awaiting approval, then completed): one row per plan, its newest run,
 * rather than the same plan listed twice. Runs are newest first.
 */
export function latestPerPlan(runs: TrackedRun[]): TrackedRun[] {
  const seen = new Set<string>();
  return runs.filter((r) => {
    const key = r.tags.plan_id ? `plan:${r.tags.plan_id}` : `run:${r.run_id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
