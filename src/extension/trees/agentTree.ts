import * as vscode from 'vscode';
import type { Decision, EscalationState, Plan, PlanStep, StepStatus } from '../../core/protocol';
import { escalationLine, evidenceLines } from '../../webview/evidence';
import type { Store } from '../store';

const STEP_ICON: Record<StepStatus, [string, string]> = {
  pending: ['circle-outline', 'descriptionForeground'],
  running: ['sync~spin', 'charts.blue'],
  completed: ['pass', 'charts.green'],
  failed: ['error', 'charts.red'],
  skipped: ['debug-step-over', 'descriptionForeground'],
  awaiting_approval: ['question', 'charts.yellow'],
};

export type AgentNode =
  | { kind: 'escalation'; escalation: EscalationState }
  | { kind: 'plan'; plan: Plan; decision?: Decision }
  | { kind: 'decision'; decision: Decision }
  | { kind: 'step'; plan: Plan; step: PlanStep };

/** Agent view: the escalation when the agent waits for a person, plans newest first (with their decision and steps); decisions without a plan are listed too. */
export class AgentTreeProvider implements vscode.TreeDataProvider<AgentNode> {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  constructor(private readonly store: Store) {
    store.onDidChange((s) => (s === 'agent' || s === 'models') && this.emitter.fire());
  }

  getChildren(node?: AgentNode): AgentNode[] {
    if (!node) {
      const byId = new Map(this.store.decisions.map((d) => [d.id, d]));
      const planned = new Set(this.store.plans.map((p) => p.decision_id));
      const e = this.store.escalation;
      return [
        ...(e?.escalated ? [{ kind: 'escalation' as const, escalation: e }] : []),
        ...this.store.plans.map((plan) => ({ kind: 'plan' as const, plan, decision: byId.get(plan.decision_id) })),
        ...this.store.decisions.filter((d) => !planned.has(d.id)).map((decision) => ({ kind: 'decision' as const, decision })),
      ];
    }
    if (node.kind === 'plan') {
      const steps: AgentNode[] = node.plan.steps.map((step) => ({ kind: 'step', plan: node.plan, step }));
      return node.decision ? [{ kind: 'decision', decision: node.decision }, ...steps] : steps;
    }
    return [];
  }

  getTreeItem(node: AgentNode): vscode.TreeItem {
    if (node.kind === 'escalation') {
      const e = node.escalation;
      const item = new vscode.TreeItem('The agent waits for a person');
      item.id = 'escalation';
      item.description = escalationLine(e);
      item.tooltip = new vscode.MarkdownString().appendText(`${escalationLine(e)}. Every retrain plan waits for your review until you approve one or reset the escalation.\n\n${e.failures.map((f) => `${f.version}: ${f.reason}`).join('\n')}`);
      item.contextValue = 'escalation';
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.yellow'));
      item.command = { command: 'driftcatcher.openDashboard', title: 'Open Dashboard' };
      return item;
    }
    if (node.kind === 'plan') {
      const p = node.plan;
      const item = new vscode.TreeItem(p.goal, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `plan:${p.id}`;
      item.description = `${p.interrupted ? 'interrupted' : p.status.replace('_', ' ')}${p.review_required && p.status === 'awaiting_approval' ? ' · review required' : ''} · ${p.autonomy}`;
      item.tooltip = `${p.id}\n${p.created_at}${p.review_required ? `\nreview required: ${p.review_required}` : ''}${p.error ? `\n${p.error}` : ''}`;
      item.contextValue = `plan.${p.status}`;
      const icon = p.status === 'awaiting_approval' ? STEP_ICON.awaiting_approval : p.status === 'completed' ? STEP_ICON.completed : p.status === 'failed' ? STEP_ICON.failed : p.status === 'running' ? STEP_ICON.running : STEP_ICON.pending;
      item.iconPath = new vscode.ThemeIcon(icon[0], new vscode.ThemeColor(icon[1]));
      return item;
    }
    if (node.kind === 'decision') {
      const d = node.decision;
      const item = new vscode.TreeItem(`${d.action} (${Math.round(d.confidence * 100)}%)`);
      item.id = `decision:${d.id}:${node.decision.created_at}`;
      item.description = `${d.source === 'llm' ? 'LLM' : 'policy'} · ${d.rationale}`;
      item.tooltip = new vscode.MarkdownString().appendText(
        `${d.rationale}\n\n${evidenceLines(d.evidence).map((l) => `${l}\n`).join('')}considerations: ${d.considerations.join('; ')}\nrisks: ${d.risks.join('; ')}${d.fallback_reason ? `\npolicy because: ${d.fallback_reason}` : ''}`,
      );
      item.iconPath = new vscode.ThemeIcon(d.source === 'llm' ? 'sparkle' : 'law');
      item.command = { command: 'driftcatcher.openDashboard', title: 'Open Dashboard' };
      return item;
    }
    const s = node.step;
    const item = new vscode.TreeItem(s.tool.replace(/_/g, ' '));
    item.id = `step:${node.plan.id}:${s.id}`;
    item.description = `${s.status.replace('_', ' ')}${s.attempts > 1 ? ` · ${s.attempts} attempts` : ''}`;
    item.tooltip = s.error ?? (s.result === undefined ? undefined : JSON.stringify(s.result, null, 1).slice(0, 800));
    const [icon, color] = STEP_ICON[s.status] ?? STEP_ICON.pending;
    item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    return item;
  }
}
