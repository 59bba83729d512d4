import * as vscode from 'vscode';
import type { ModelVersion } from '../../core/protocol';
import type { Store } from '../store';

const ICON: Record<ModelVersion['status'], [string, string]> = {
  production: ['rocket', 'charts.green'],
  candidate: ['beaker', 'charts.blue'],
  archived: ['archive', 'descriptionForeground'],
  rejected: ['circle-slash', 'charts.red'],
};

/** a tree item that commands receive as their argument (inline deploy/rollback) */
export class ModelItem extends vscode.TreeItem {
  constructor(readonly model: ModelVersion) {
    super(model.version);
    const m = model.metrics;
    const n = (x: number | undefined) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(3) : '—');
    this.id = `model:${model.version}`;
    this.description = `${model.status} · acc ${n(m.accuracy)} · bal. acc ${n(m.balanced_accuracy)} · macro-F1 ${n(m.macro_f1)}${model.validation ? (model.validation.passed ? ' · validated' : ' · validation failed') : ''}`;
    const cols = model.columns ?? [];
    const used = (kind: string) => cols.filter((c) => c.kind === kind);
    const top = [...cols].filter((c) => c.kind !== 'excluded').sort((a, b) => b.importance - a.importance).slice(0, 5);
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown('**').appendText(model.version).appendMarkdown(`** (${model.status})\n\n`);
    tip.appendText(`created ${model.created_at}${model.deployed_at ? `, deployed ${model.deployed_at}` : ''}\n\n`);
    tip.appendText(`accuracy ${n(m.accuracy)} · balanced accuracy ${n(m.balanced_accuracy)} · macro-F1 ${n(m.macro_f1)} · precision ${n(m.precision)} · recall ${n(m.recall)} · f1 ${n(m.f1)}\n\n`);
    if (m.majority_baseline) tip.appendText(`majority-class baseline (always ${m.majority_baseline.class}): accuracy ${n(m.majority_baseline.accuracy)}, balanced accuracy ${n(m.majority_baseline.balanced_accuracy)}, macro-F1 ${n(m.majority_baseline.macro_f1)}\n\n`);
    if (m.per_class?.length) tip.appendText(`recall per class: ${m.per_class.map((c) => `${c.class} ${n(c.recall)}`).join(', ')}\n\n`);
    tip.appendText(`${model.train_rows} training rows, ${model.trees} trees, ${model.features.length} features`);
    if (cols.length) {
      tip.appendText(` (${used('numeric').length} numeric, ${used('categorical').length} categorical; ${used('excluded').length} columns excluded${used('excluded').length ? `: ${used('excluded').slice(0, 5).map((c) => `${c.name.trim()}${c.reason ? ` — ${c.reason}` : ''}`).join('; ')}` : ''})`);
      if (top.length) tip.appendText(`\n\nmost important: ${top.map((c) => `${c.name.trim()} ${n(c.importance)}${c.kind === 'categorical' ? ' (categorical)' : ''}`).join(', ')}`);
    }
    this.tooltip = tip;
    const [icon, color] = ICON[model.status] ?? ['circle-outline', 'foreground'];
    this.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    this.contextValue = `model.${model.status}`;
  }
}

export class ModelsTreeProvider implements vscode.TreeDataProvider<ModelItem> {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  constructor(private readonly store: Store) {
    store.onDidChange((s) => s === 'models' && this.emitter.fire());
  }
  getChildren(node?: ModelItem): ModelItem[] {
    return node ? [] : this.store.models.map((m) => new ModelItem(m));
  }
  getTreeItem(item: ModelItem): vscode.TreeItem {
    return item;
  }
}
