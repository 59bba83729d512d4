import * as vscode from 'vscode';
import { Methods } from '../../core/protocol';
import type { Autonomy, Plan } from '../../core/protocol';
import { DashboardPanel } from '../dashboard';
import { givenOrPickedSource, rememberSource, resolveCsvWithOrigin, sourceLabel } from '../pickers';
import { autonomySetting } from '../settings';
import { basename } from '../trees/driftTree';
import { announcePlan } from '../userNotifications';
import { escalationLine } from '../../webview/evidence';
import type { CommandDeps, CommandTable } from './types';

const planArg = (arg: unknown): string | undefined => {
  if (typeof arg === 'string') return arg;
  return (arg as { plan?: Plan } | undefined)?.plan?.id;
};

/** the autonomy and up-front approval a caller (a script, a test) may pass to Run Agent */
function agentOptions(opts: unknown): { autonomy?: Autonomy; yes?: boolean } {
  const o = typeof opts === 'object' && opts !== null ? (opts as { autonomy?: unknown; yes?: unknown }) : {};
  const autonomy = o.autonomy === 'suggest' || o.autonomy === 'approve' || o.autonomy === 'autonomous' ? o.autonomy : undefined;
  return { ...(autonomy ? { autonomy } : {}), ...(o.yes === true ? { yes: true } : {}) };
}

/**
 * The agent retrains and the twin replays a retrain: both need a model in production to start from. Without one,
 * say so and offer the way forward (train from the chosen baseline file, or train from a picked file).
 */
async function needsProduction(d: CommandDeps, what: string): Promise<boolean> {
  if (d.store.production) return true;
  const b = d.store.baseline;
  const fromBaseline = b.kind === 'file' && b.source.toLowerCase().endsWith('.csv') ? `Train from ${b.source}` : undefined;
  const a = await vscode.window.showWarningMessage(
    `DriftCatcher: ${what} needs a model in production to retrain and compare against. Train one${fromBaseline ? ` from the chosen baseline ${b.kind === 'file' ? b.source : ''}` : ''}, validate it and deploy it first.`,
    ...(fromBaseline ? [fromBaseline] : []),
    'Train Model…',
  );
  if (a && a === fromBaseline && b.kind === 'file') await vscode.commands.executeCommand('driftcatcher.trainModel', { baseData: b.source });
  else if (a) await vscode.commands.executeCommand('driftcatcher.trainModel');
  return false;
}

async function decidePlan(d: CommandDeps, arg: unknown, approve: boolean): Promise<Plan | undefined> {
  let planId = planArg(arg);
  if (!planId) {
    const pending = d.store.pendingPlans();
    if (!pending.length) {
      void vscode.window.showInformationMessage('DriftCatcher: no plan is awaiting approval.');
      return undefined;
    }
    planId = (await vscode.window.showQuickPick(pending.map((p) => ({ label: p.goal, description: p.created_at, id: p.id })), { title: approve ? 'Approve which plan?' : 'Reject which plan?' }))?.id;
    if (!planId) return undefined;
  }
  const plan = await d.conn.request(Methods.approvePlan, { planId, approve }, { progress: approve ? 'Approving plan (deploying)' : 'Rejecting plan' });
  void vscode.window.showInformationMessage(`DriftCatcher: plan ${approve ? 'approved' : 'rejected'} — ${plan.status.replace('_', ' ')}${plan.error ? `: ${plan.error}` : ''}`);
  return plan;
}

/** resume an interrupted plan from its first unfinished step, or abandon it (skips what is left) */
async function continuePlan(d: CommandDeps, arg: unknown, how: 'resume' | 'abandon'): Promise<Plan | undefined> {
  let planId = planArg(arg);
  if (!planId) {
    const open = how === 'resume' ? d.store.unfinishedPlans() : [...d.store.unfinishedPlans(), ...d.store.pendingPlans()];
    if (!open.length) {
      void vscode.window.showInformationMessage(`DriftCatcher: no plan to ${how}.`);
      return undefined;
    }
    planId = (await vscode.window.showQuickPick(open.map((p) => ({ label: p.goal, description: `${p.status} · ${p.created_at}`, id: p.id })), { title: how === 'resume' ? 'Resume which plan?' : 'Abandon which plan?' }))?.id;
    if (!planId) return undefined;
  }
  const plan = how === 'resume' ? await d.conn.request(Methods.resumePlan, { planId }, { progress: 'Resuming plan' }) : await d.conn.request(Methods.abandonPlan, { planId });
  void vscode.window.showInformationMessage(`DriftCatcher: plan ${how === 'resume' ? 'resumed' : 'abandoned'} — ${plan.status.replace('_', ' ')}${plan.error ? `: ${plan.error}` : ''}`);
  return plan;
}

/** Agent: run it on a batch, replay it in the digital twin, approve / reject / resume / abandon its plans. */
export const agentCommands: CommandTable = {
  'driftcatcher.runAgent': async (d, arg, opts) => {
    const picked = await resolveCsvWithOrigin(arg, 'Run the agent on which batch?');
    if (!picked) return undefined;
    if (!(await needsProduction(d, 'The agent'))) return undefined;
    const { uri: csv, origin } = picked;
    const rel = vscode.workspace.asRelativePath(csv);
    // the palette takes the active editor's file silently otherwise: say which one
    if (origin === 'editor') void vscode.window.setStatusBarMessage(`DriftCatcher: running the agent on ${rel} (the active editor)`, 10_000);
    const o = agentOptions(opts);
    const r = await d.conn.request(
      Methods.runAgent,
      { current: csv.fsPath, autonomy: o.autonomy ?? autonomySetting(), ...(o.yes ? { yes: true } : {}) },
      { progress: `Agent on ${rel}${origin === 'editor' ? ' (the active editor)' : ''}` },
    );
    announcePlan(r.plan, r.decision, rel);
    return r;
  },

  /**
   * the agent on a source other than one CSV (Parquet files, a folder of parts, a DuckDB/ClickHouse/PostgreSQL
   * table), picked or passed with `{ where, autonomy, yes }`: the drift check reads it where it lives, the retrain
   * reads the same rows
   */
  'driftcatcher.runAgentSource': async (d, arg, opts) => {
    const picked = await givenOrPickedSource(d.context.workspaceState, arg, opts, { title: 'Run the agent on which data?', verb: 'run the agent on' });
    if (!picked) return undefined;
    if (!(await needsProduction(d, 'The agent'))) return undefined;
    const what = sourceLabel(picked);
    const o = agentOptions(opts);
    const r = await d.conn.request(
      Methods.runAgent,
      { current: picked.source, ...(picked.where ? { where: picked.where } : {}), autonomy: o.autonomy ?? autonomySetting(), ...(o.yes ? { yes: true } : {}) },
      { progress: `Agent on ${what}` },
    );
    await rememberSource(d.context.workspaceState, picked.source);
    announcePlan(r.plan, r.decision, what);
    return r;
  },

  'driftcatcher.simulate': async (d, arg) => {
    const picked = await resolveCsvWithOrigin(arg, 'Simulate the agent on which batch?');
    if (!picked) return undefined;
    if (!(await needsProduction(d, 'The digital twin'))) return undefined;
    const panel = DashboardPanel.show(d.context, d.conn, d.store);
    await panel.runSimulation(picked.uri.fsPath);
    return true;
  },

  /** a person takes over from the escalated agent; a reason given as argument (scripts, tests) skips the question */
  'driftcatcher.resetEscalation': async (d, arg) => {
    const e = d.store.escalation;
    const reason = typeof arg === 'string' && arg.trim() ? arg.trim() : undefined;
    if (!reason) {
      if (!e?.escalated) {
        void vscode.window.showInformationMessage(`DriftCatcher: the agent is not escalated (${e?.consecutive_failed_validations ?? 0} failed validation(s) in a row; it waits for a person at ${e?.threshold ?? 2}).`);
        return undefined;
      }
      const ok = await vscode.window.showWarningMessage(
        `Let the agent act alone again? ${escalationLine(e)}. Reset only once you know why the candidates failed.`,
        { modal: true },
        'Reset Escalation',
      );
      if (ok !== 'Reset Escalation') return undefined;
    }
    const state = await d.conn.request(Methods.resetEscalation, { reason: reason ?? 'reset from the editor' });
    void vscode.window.showInformationMessage('DriftCatcher: escalation reset; the agent acts within its autonomy level again.');
    return state;
  },

  'driftcatcher.approvePlan': (d, arg) => decidePlan(d, arg, true),
  'driftcatcher.rejectPlan': (d, arg) => decidePlan(d, arg, false),
  'driftcatcher.resumePlan': (d, arg) => continuePlan(d, arg, 'resume'),
  'driftcatcher.abandonPlan': (d, arg) => continuePlan(d, arg, 'abandon'),
};
