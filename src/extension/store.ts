import * as vscode from 'vscode';
import type { BaselineChoice, Decision, DriftReport, EscalationState, ModelVersion, Plan, TrackedRun } from '../core/protocol';

export type StoreSection = 'report' | 'models' | 'agent' | 'runs' | 'baseline';

/** everything the store holds, as one snapshot loaded at start, after a server restart and on Refresh */
export interface StoreSnapshot {
  report?: DriftReport;
  models: ModelVersion[];
  production?: string;
  decisions: Decision[];
  plans: Plan[];
  runs: TrackedRun[];
  baseline: BaselineChoice;
  escalation?: EscalationState;
}

/**
 * What the extension knows about the workspace, as last told by the server. The views, the status bar and the
 * dashboard all render from here and listen to onDidChange. Only two things write it: the server's notifications
 * (extension.ts wires each to one setter) and a full snapshot load. Commands never do: a result arrives once.
 */
export class Store implements vscode.Disposable {
  report: DriftReport | undefined;
  models: ModelVersion[] = [];
  production: string | undefined;
  decisions: Decision[] = [];
  plans: Plan[] = [];
  runs: TrackedRun[] = [];
  baseline: BaselineChoice = { kind: 'production' };
  /** the agent's escalation (consecutive failed validations), as the engine derives it from the registry */
  escalation: EscalationState | undefined;
  private readonly emitter = new vscode.EventEmitter<StoreSection>();
  readonly onDidChange = this.emitter.event;

  load(s: StoreSnapshot): void {
    if (s.report) this.report = s.report;
    this.setModels(s.models, s.production, s.escalation);
    this.setAgent(s.decisions, s.plans);
    this.setRuns(s.runs);
    this.setBaseline(s.baseline);
    if (s.report) this.emitter.fire('report');
  }

  setReport(report: DriftReport): void {
    this.report = report;
    this.emitter.fire('report');
  }

  /** returns the previous production version so callers can tell deploys from rollbacks */
  setModels(models: ModelVersion[], production?: string, escalation?: EscalationState): string | undefined {
    const previous = this.production;
    if (escalation) this.escalation = escalation;
    this.models = [...models].sort((a, b) => versionNumber(b.version) - versionNumber(a.version));
    this.production = production ?? models.find((m) => m.status === 'production')?.version;
    if (this.baseline.kind === 'production') this.baseline = this.production ? { kind: 'production', version: this.production } : { kind: 'production' };
    this.emitter.fire('models');
    return previous;
  }

  setBaseline(choice: BaselineChoice): void {
    this.baseline = choice.kind === 'production' && !choice.version && this.production ? { kind: 'production', version: this.production } : choice;
    this.emitter.fire('baseline');
  }

  setAgent(decisions: Decision[], plans: Plan[]): void {
    this.decisions = [...decisions].sort(byNewest);
    this.plans = [...plans].sort(byNewest);
    this.emitter.fire('agent');
  }

  upsertPlan(plan: Plan): void {
    this.plans = [plan, ...this.plans.filter((p) => p.id !== plan.id)].sort(byNewest);
    this.emitter.fire('agent');
  }

  addDecision(decision: Decision): void {
    this.decisions = [decision, ...this.decisions.filter((d) => d.id !== decision.id)].sort(byNewest);
    this.emitter.fire('agent');
  }

  setRuns(runs: TrackedRun[]): void {
    this.runs = dedupeRuns(runs).sort((a, b) => b.start_time - a.start_time);
    this.emitter.fire('runs');
  }

  addRun(run: TrackedRun): void {
    this.setRuns([run, ...this.runs]);
  }

  /** plans that stopped before finishing (the engine went away mid-run): they can be resumed or abandoned */
  unfinishedPlans(): Plan[] {
    return this.plans.filter((p) => p.status === 'running' || p.status === 'planned');
  }

  pendingPlans(): Plan[] {
    return this.plans.filter((p) => p.status === 'awaiting_approval');
  }

  dispose(): void {
    this.emitter.dispose();
  }
}

/** one entry per run id, the first seen (newest) winning */
function dedupeRuns(runs: TrackedRun[]): TrackedRun[] {
  const seen = new Set<string>();
  return runs.filter((r) => !seen.has(r.run_id) && (seen.add(r.run_id), true));
}

export function versionNumber(v: string): number {
  const n = Number(/^v(\d+)$/.exec(v)?.[1]);
  return Number.isFinite(n) ? n : -1;
}

/** how the views name a baseline: "production v2's training data", "data/credit_base.csv", "no baseline yet" */
export function baselineLabel(choice: BaselineChoice): string {
  if (choice.kind === 'file') return choice.source;
  return choice.version ? `production ${choice.version}'s training data` : 'no baseline yet (no model in production)';
}

const byNewest = (a: { created_at: string }, b: { created_at: string }) => b.created_at.localeCompare(a.created_at);
