import { Methods, Notifications, type Decision, type DriftReport, type ModelVersion, type Plan, type TrainResult, type ValidationResult } from '../protocol';

/**
 * What the service reports on (alerts) and counts (metrics), derived from what the engine already tells its
 * clients: the notifications every operation sends (driftReport, planChanged — also from worker threads) and the
 * results of the methods the service ran. One place decides what "a deploy happened" means, so an agent's deploy
 * inside a plan and a deploy requested directly are each seen exactly once.
 */
export type ServiceEvent =
  | { kind: 'drift_checked'; report: DriftReport }
  | { kind: 'decided'; decision: Decision; plan: Plan }
  | { kind: 'awaiting_approval'; plan: Plan }
  | { kind: 'retrained'; version: string; planId?: string }
  | { kind: 'validation_failed'; version?: string; message: string; planId?: string }
  | { kind: 'deployed'; version: string; previous?: string | null; planId?: string }
  | { kind: 'rolled_back'; version: string; planId?: string };

export type EventListener = (e: ServiceEvent) => void;

/** plans remembered for step diffs; older ones are forgotten (their later changes still count once) */
const MAX_PLANS = 500;

export class EventTap {
  private readonly listeners: EventListener[] = [];
  /** plan id -> "status" and "stepId" -> status, as last seen */
  private readonly seen = new Map<string, Map<string, string>>();
  /** transitions before this instant (a plan resumed from disk, replayed steps) are history, not events */
  private readonly since: number;

  constructor(now = Date.now()) {
    this.since = now;
  }

  on(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /** an engine notification, as sent to clients */
  notification(method: string, params: unknown): void {
    if (method === Notifications.driftReport) this.emit({ kind: 'drift_checked', report: params as DriftReport });
    else if (method === Notifications.planChanged) this.planChanged(params as Plan);
  }

  /** the result of a protocol method the service ran (plans report their own steps through planChanged) */
  result(method: string, result: unknown): void {
    switch (method) {
      case Methods.train:
        return this.emit({ kind: 'retrained', version: (result as TrainResult).version });
      case Methods.validate: {
        const r = result as ValidationResult;
        if (!r.passed) this.emit({ kind: 'validation_failed', version: r.version, message: failedChecks(r) });
        return;
      }
      case Methods.deploy:
        return this.emit({ kind: 'deployed', version: (result as ModelVersion).version });
      case Methods.rollback:
        return this.emit({ kind: 'rolled_back', version: (result as ModelVersion).version });
      case Methods.runAgent: {
        const r = result as { decision: Decision; plan: Plan };
        return this.emit({ kind: 'decided', decision: r.decision, plan: r.plan });
      }
    }
  }

  private planChanged(plan: Plan): void {
    const before = this.seen.get(plan.id) ?? new Map<string, string>();
    this.seen.delete(plan.id); // re-insert: most recently changed last
    this.seen.set(plan.id, before);
    if (this.seen.size > MAX_PLANS) this.seen.delete(this.seen.keys().next().value as string);
    const recent = (t: string | undefined): boolean => t !== undefined && Date.parse(t) >= this.since;

    for (const step of plan.steps) {
      if (before.get(step.id) === step.status) continue;
      before.set(step.id, step.status);
      if (!recent(step.finished_at)) continue;
      const res = step.result as { version?: string; previous?: string | null } | undefined;
      if (step.tool === 'retrain_model' && step.status === 'completed' && res?.version) {
        this.emit({ kind: 'retrained', version: res.version, planId: plan.id });
      } else if (step.tool === 'validate_model' && step.status === 'failed') {
        this.emit({ kind: 'validation_failed', version: (step.result as ValidationResult | undefined)?.version, message: step.error ?? 'validation failed', planId: plan.id });
      } else if (step.tool === 'deploy_model' && step.status === 'completed' && res?.version) {
        this.emit({ kind: 'deployed', version: res.version, previous: res.previous, planId: plan.id });
      } else if (step.tool === 'rollback' && step.status === 'completed' && res?.version) {
        this.emit({ kind: 'rolled_back', version: res.version, planId: plan.id });
      }
    }
    if (before.get('status') !== plan.status) {
      before.set('status', plan.status);
      if (plan.status === 'awaiting_approval' && recent(plan.updated_at)) this.emit({ kind: 'awaiting_approval', plan });
    }
  }

  private emit(e: ServiceEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // a listener's failure (a metric, an alert queue) must never fail the operation that caused the event
      }
    }
  }
}

export function failedChecks(r: ValidationResult): string {
  const failed = r.checks.filter((c) => !c.passed).map((c) => `${c.name} ${c.value.toFixed(4)} ${c.comparison} ${c.threshold}`);
  return `validation gate refused ${r.version}: ${failed.join(', ') || 'no check passed'}`;
}
