import * as vscode from 'vscode';
import type { Decision, DriftReport, ModelVersion, Plan, TrackedRun } from '../core/protocol';

export type StoreSection = 'report' | 'models' | 'agent' | 'runs';

/**
 * What the extension knows about the workspace, as last told by the server. The views, the status bar and
 * the dashboard all render from here and listen to onDidChange; only server responses and notifications write it.
 */
export class Store implements vscode.Disposable {
  report: DriftReport | undefined;
  models: ModelVersion[] = [];
  production: string | undefined;
  decisions: Decision[] = [];
  plans: Plan[] = [];
  runs: TrackedRun[] = [];
  private readonly emitter = new vscode.EventEmitter<StoreSection>();
  readonly onDidChange = this.emitter.event;

  setReport(report: DriftReport): void {
    this.report = report;
    this.emitter.fire('report');
  }

  /** returns the previous production version so callers can tell deploys from rollbacks */
  setModels(models: ModelVersion[], production?: string): string | undefined {
    const previous = this.production;
    this.models = [...models].sort((a, b) => versionNumber(b.version) - versionNumber(a.version));
    this.production = production ?? models.find((m) => m.status === 'production')?.version;
    this.emitter.fire('models');
    return previous;
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
    this.runs = [...runs].sort((a, b) => b.start_time - a.start_time);
    this.emitter.fire('runs');
  }

  addRun(run: TrackedRun): void {
    this.setRuns([run, ...this.runs.filter((r) => r.run_id !== run.run_id)]);
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

export function versionNumber(v: string): number {
  const n = Number(/^v(\d+)$/.exec(v)?.[1]);
  return Number.isFinite(n) ? n : -1;
}

const byNewest = (a: { created_at: string }, b: { created_at: string }) => b.created_at.localeCompare(a.created_at);
