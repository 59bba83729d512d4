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
    this.id = `model:${model.version}`;
    this.description = `${model.status} · acc ${m.accuracy.toFixed(3)} · f1 ${m.f1.toFixed(3)}${model.validation ? (model.validation.passed ? ' · validated' : ' · validation failed') : ''}`;
    this.tooltip = new vscode.MarkdownString(
      `**${model.version}** (${model.status})\n\ncreated ${model.created_at}${model.deployed_at ? `, deployed ${model.deployed_at}` : ''}\n\n` +
        `accuracy ${m.accuracy.toFixed(4)} · precision ${m.precision.toFixed(4)} · recall ${m.recall.toFixed(4)} · f1 ${m.f1.toFixed(4)}\n\n` +
        `${model.train_rows} training rows, ${model.trees} trees, ${model.features.length} features`,
    );
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
