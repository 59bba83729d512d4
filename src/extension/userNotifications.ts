import * as vscode from 'vscode';
import type { Decision, Plan, ValidationResult } from '../core/protocol';
import { gateLines, planValidation } from '../webview/gate';
import { evidenceLines } from '../webview/evidence';

/**
 * Notifications with actions for the events a user must hear about. Never awaited by callers: a toast must not
 * block a command (or a test) until someone clicks it.
 */
const announced = new Set<string>();

export function announcePlan(plan: Plan, decision?: Decision, file?: string): void {
  if (plan.status === 'awaiting_approval') return announceApproval(plan, decision);
  if (decision) void vscode.window.showInformationMessage(`DriftCatcher agent${file ? ` on ${file}` : ''}: ${decision.action} (${Math.round(decision.confidence * 100)}% confidence, ${decision.source === 'llm' ? 'LLM' : 'policy'}) — plan ${plan.status.replace('_', ' ')}.`, 'Open Dashboard').then(openDashboardIf);
}

/**
 * A plan waits for a person (once per plan): the numbers to decide on — why it waits (review after failed
 * validations), candidate vs production on every gate check with the holdout they were measured on, and what the
 * decision weighed (the label-free estimate with its interval, the importance-weighted drift).
 */
export function announceApproval(plan: Plan, decision?: Decision): void {
  if (plan.status !== 'awaiting_approval' || announced.has(plan.id)) return;
  announced.add(plan.id);
  const v = planValidation(plan);
  const review = plan.review_required ? ` Review required — ${plan.review_required}.` : '';
  const numbers = v ? ` ${v.version} ${v.passed ? 'passed' : 'failed'} validation on ${vscode.workspace.asRelativePath(v.holdout.path)} (${v.holdout.rows} rows): ${gateLines(v).join('; ')}.` : '';
  const evidence = evidenceLines(decision?.evidence);
  const weighed = evidence.length ? ` The decision weighed: ${evidence.join('; ')}.` : '';
  void vscode.window
    .showWarningMessage(`DriftCatcher: a plan awaits your approval — ${plan.goal}.${review}${numbers}${weighed}`, 'Approve', 'Reject', 'Open Dashboard')
    .then(async (a) => {
      if (a === 'Approve') await vscode.commands.executeCommand('driftcatcher.approvePlan', plan.id);
      if (a === 'Reject') await vscode.commands.executeCommand('driftcatcher.rejectPlan', plan.id);
      openDashboardIf(a === 'Open Dashboard' ? a : undefined);
    });
}

export function announceValidation(r: ValidationResult): void {
  if (r.passed) {
    void vscode.window.showInformationMessage(`DriftCatcher: ${r.version} passed validation on ${r.holdout.rows} holdout rows.`, 'Deploy').then(
      (a) => a && vscode.commands.executeCommand('driftcatcher.deployModel', r.version),
    );
    return;
  }
  const failed = r.checks.filter((c) => !c.passed).map((c) => `${c.name} ${c.value.toFixed(3)} (needs ${c.comparison} ${c.threshold})`);
  void vscode.window.showErrorMessage(`DriftCatcher: ${r.version} failed validation: ${failed.join(', ')}`, 'Open Dashboard').then(openDashboardIf);
}

/** production changed: a higher version is a deploy, a lower one a rollback */
export function announceProductionChange(previous: string | undefined, current: string | undefined, versionNumber: (v: string) => number): void {
  if (!current || previous === current) return;
  if (previous && versionNumber(current) < versionNumber(previous)) {
    void vscode.window.showWarningMessage(`DriftCatcher: rolled back production from ${previous} to ${current}.`, 'Open Dashboard').then(openDashboardIf);
  } else {
    void vscode.window.showInformationMessage(`DriftCatcher: deployed ${current} to production${previous ? ` (was ${previous})` : ''}.`, 'Open Dashboard').then(openDashboardIf);
  }
}

function openDashboardIf(a: string | undefined): void {
  if (a === 'Open Dashboard') void vscode.commands.executeCommand('driftcatcher.openDashboard');
}
