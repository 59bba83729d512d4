import * as path from 'node:path';
import type { EngineContext } from '../engine';
import type { ApprovePlanParams, Plan, PlanIdParams, PlanStep, ResumePlanParams, ValidationResult } from '../protocol';
import { withLock } from '../util/lock';
import { CancelledError, DriftCatcherError, errorMessage } from '../util/errors';
import { isRef } from './planner';
import { failedChecks } from '../model/gate';
import { resetEscalation } from './escalation';
import { loadPlan, plansDir, savePlan } from './planStore';
import type { AgentTools } from './tools';
import { realTools } from './realTools';

/**
 * The planning agent's second half: runs a plan's steps in dependency order, retrying failures with exponential
 * backoff (agent.retries, agent.backoffMs), persisting the plan after every step change. On failure it recovers:
 * nothing after the failed step runs (so no deploy after a failed validation), and a deploy that switched
 * production before failing is rolled back. Autonomy decides how far it goes:
 *   suggest    — only check_drift runs; the rest stays planned
 *   approve    — runs up to deploy_model, then waits (awaiting_approval) for approvePlan or --yes
 *   autonomous — runs everything
 */
export interface ExecuteOptions {
  /** the deploy is approved up front (--yes, or approvePlan) */
  approved?: boolean;
}

const FINAL: Plan['status'][] = ['completed', 'failed', 'abandoned', 'rejected'];

/** Errors that no retry can fix. */
function permanent(e: unknown): boolean {
  return e instanceof DriftCatcherError && ['GATE', 'CANCELLED', 'BAD_INPUT', 'LABEL', 'NOT_FOUND', 'OUTSIDE_WORKSPACE'].includes(e.code);
}

export async function executePlan(ctx: EngineContext, tools: AgentTools, plan: Plan, opts: ExecuteOptions = {}): Promise<Plan> {
  if (FINAL.includes(plan.status)) return plan;
  plan.status = plan.autonomy === 'suggest' ? 'planned' : 'running';
  delete plan.error;
  savePlan(ctx, plan);
  try {
    for (;;) {
      const next = plan.steps.find((s) => s.status === 'pending' && s.depends_on.every((d) => stepById(plan, d)?.status === 'completed'));
      if (!next) break;
      if (plan.autonomy === 'suggest' && next.tool !== 'check_drift') break;
      if (plan.review_required && next.tool !== 'check_drift') {
        next.status = 'awaiting_approval';
        plan.status = 'awaiting_approval';
        savePlan(ctx, plan);
        ctx.log?.(`plan ${plan.id}: waiting for a person's review (${plan.review_required})`);
        break;
      }
      if (next.tool === 'deploy_model' && plan.autonomy === 'approve' && !opts.approved) {
        next.status = 'awaiting_approval';
        plan.status = 'awaiting_approval';
        savePlan(ctx, plan);
        ctx.log?.(`plan ${plan.id}: waiting for approval before deploy_model`);
        break;
      }
      const ok = await runStep(ctx, tools, plan, next);
      if (!ok) {
        await recover(ctx, tools, plan, next);
        break;
      }
    }
    if (plan.status === 'running') {
      const blocked = plan.steps.some((s) => s.status === 'pending');
      plan.status = blocked ? 'failed' : 'completed';
      if (blocked) plan.error = 'some steps could not run: their dependencies did not complete';
      savePlan(ctx, plan);
    }
  } catch (e) {
    // cancellation or an internal error between steps: leave the plan visible as failed, not "running" forever
    plan.status = 'failed';
    plan.error = errorMessage(e);
    for (const s of plan.steps) if (s.status === 'running') (s.status = 'failed'), (s.error = errorMessage(e));
    savePlan(ctx, plan);
    await track(ctx, tools, plan);
    throw e;
  }
  await track(ctx, tools, plan);
  return plan;
}

async function track(ctx: EngineContext, tools: AgentTools, plan: Plan): Promise<void> {
  if (!tools.trackPlanning) return;
  try {
    await tools.trackPlanning(ctx, plan);
  } catch (e) {
    ctx.log?.(`tracking the plan failed (the plan is unaffected): ${errorMessage(e)}`);
  }
}

function stepById(plan: Plan, id: string): PlanStep | undefined {
  return plan.steps.find((s) => s.id === id);
}

/** Runs one step with retries; returns false when it failed for good. */
async function runStep(ctx: EngineContext, tools: AgentTools, plan: Plan, step: PlanStep): Promise<boolean> {
  const maxAttempts = 1 + ctx.config.agent.retries;
  for (;;) {
    if (ctx.signal?.aborted) throw new CancelledError(`plan ${plan.id}`);
    step.status = 'running';
    step.attempts++;
    step.started_at = new Date().toISOString();
    delete step.error;
    savePlan(ctx, plan);
    try {
      step.result = await callTool(ctx, tools, plan, step);
      step.status = 'completed';
      step.finished_at = new Date().toISOString();
      savePlan(ctx, plan);
      return true;
    } catch (e) {
      step.error = errorMessage(e);
      step.finished_at = new Date().toISOString();
      if (e instanceof CancelledError) throw e;
      if (permanent(e) || step.attempts >= maxAttempts) {
        step.status = 'failed';
        savePlan(ctx, plan);
        return false;
      }
      step.status = 'pending';
      savePlan(ctx, plan);
      ctx.log?.(`plan ${plan.id}: ${step.tool} failed (attempt ${step.attempts}/${maxAttempts}): ${step.error}; retrying`);
      await sleep(ctx.config.agent.backoffMs * 2 ** (step.attempts - 1), ctx.signal);
    }
  }
}

function resolveArgs(plan: Plan, args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (!isRef(v)) {
      out[k] = v;
      continue;
    }
    const [id, ...fields] = v.$ref.split('.');
    let value: unknown = stepById(plan, id)?.result;
    for (const f of fields) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[f] : undefined;
    if (value === undefined) throw new DriftCatcherError(`step argument ${k} refers to ${v.$ref}, which has no value`, 'INTERNAL');
    out[k] = value;
  }
  return out;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

async function callTool(ctx: EngineContext, tools: AgentTools, plan: Plan, step: PlanStep): Promise<unknown> {
  const a = resolveArgs(plan, step.args);
  switch (step.tool) {
    case 'check_drift': {
      const r = await tools.checkDrift(ctx, { current: String(a.current), where: str(a.where), label: str(a.label) });
      return r.overall;
    }
    case 'retrain_model': {
      const baseData = str(a.baseData);
      if (!baseData) throw new DriftCatcherError('retrain_model: no base data (the production model records none in its lineage)', 'BAD_INPUT');
      const r = await tools.train(ctx, {
        baseData,
        newData: Array.isArray(a.newData) ? a.newData.map(String) : undefined,
        where: str(a.where),
        holdout: str(a.holdout),
        label: str(a.label),
      });
      return r;
    }
    case 'validate_model': {
      // no holdout argument: the held-out rows of the holdout ledger's newest batches (the batch just trained on included)
      const r = await tools.validate(ctx, { version: str(a.version), holdout: str(a.holdout) });
      if (!r.passed) {
        // keep the result for the UI, and stop the plan here: nothing after a failed gate runs
        step.result = r;
        throw new DriftCatcherError(`validation gate refused ${r.version}: ${failedChecks(r.checks)}`, 'GATE');
      }
      return r;
    }
    case 'deploy_model': {
      const version = str(a.version);
      assertGatePassed(plan, version);
      // what production was before the FIRST attempt: a retried half-done deploy must still roll back to it
      if (!('previous_production' in step.args)) step.args = { ...step.args, previous_production: (await tools.production(ctx))?.version ?? null };
      const before = step.args.previous_production as string | null;
      const m = await tools.deploy(ctx, { version });
      return { version: m.version, status: m.status, previous: before ?? null };
    }
    case 'version_baseline': {
      return await tools.versionBaseline(ctx, { modelVersion: String(a.modelVersion) });
    }
    case 'rollback': {
      const m = await tools.rollback(ctx);
      return { version: m.version, status: m.status };
    }
    case 'notify': {
      const message = String(a.message ?? `plan ${plan.id}`);
      ctx.notify?.('driftcatcher/log', { level: 'info', message });
      ctx.log?.(message);
      return { message };
    }
  }
}

/** The validation gate, checked by the executor itself: a passed validate_model step for this very version. */
function assertGatePassed(plan: Plan, version: string | undefined): void {
  const passed = plan.steps.some((s) => {
    if (s.tool !== 'validate_model' || s.status !== 'completed') return false;
    const r = s.result as Partial<ValidationResult> | undefined;
    return r?.passed === true && r.version === version;
  });
  if (!passed) throw new DriftCatcherError(`refusing to deploy ${version ?? '(no version)'}: no passed validation for it in plan ${plan.id}`, 'GATE');
}

/** After a failed step: skip everything still pending, roll back a deploy that switched production, mark the plan failed. */
async function recover(ctx: EngineContext, tools: AgentTools, plan: Plan, failed: PlanStep): Promise<void> {
  for (const s of plan.steps) if (s.status === 'pending' || s.status === 'awaiting_approval') s.status = 'skipped';
  plan.status = 'failed';
  plan.error = `${failed.tool} failed: ${failed.error}`;
  savePlan(ctx, plan);
  if (failed.tool !== 'deploy_model') return;
  const previous = failed.args.previous_production;
  let nowProd: string | undefined;
  try {
    nowProd = (await tools.production(ctx))?.version;
  } catch {
    nowProd = undefined;
  }
  if (nowProd === (previous ?? undefined)) return; // the deploy never switched production
  const rb: PlanStep = { id: 'recover', tool: 'rollback', args: { reason: `deploy failed half-way: production was ${nowProd}` }, depends_on: [failed.id], status: 'pending', attempts: 0 };
  plan.steps.push(rb);
  const ok = await runStep(ctx, tools, plan, rb);
  plan.error = ok
    ? `${plan.error}; production rolled back to ${(rb.result as { version?: string })?.version}`
    : `${plan.error}; ROLLBACK FAILED (${rb.error}): production is ${nowProd}, run 'driftcatcher rollback'`;
  plan.status = 'failed';
  savePlan(ctx, plan);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(new CancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function planLock(workspace: string, id: string): string {
  return path.join(plansDir(workspace), `.${id}.lock`);
}

/** Continue an interrupted plan: steps left `running` by a dead process run again. */
export async function resumePlan(ctx: EngineContext, params: ResumePlanParams, tools: AgentTools = realTools): Promise<Plan> {
  return withLock(planLock(ctx.workspace, params.planId), async () => {
    const plan = loadPlan(ctx.workspace, params.planId);
    if (FINAL.includes(plan.status)) throw new DriftCatcherError(`plan ${plan.id} is ${plan.status}; nothing to resume`, 'REGISTRY');
    if (plan.status === 'awaiting_approval' && !params.approved) {
      throw new DriftCatcherError(`plan ${plan.id} is waiting for approval: approve or reject it`, 'REGISTRY');
    }
    for (const s of plan.steps) if (s.status === 'running' || s.status === 'awaiting_approval') s.status = 'pending';
    return executePlan(ctx, tools, plan, { approved: params.approved });
  });
}

/** The answer to a plan waiting at deploy_model: approve continues it, reject ends it (the candidate stays a candidate). */
export async function approvePlan(ctx: EngineContext, params: ApprovePlanParams, tools: AgentTools = realTools): Promise<Plan> {
  return withLock(planLock(ctx.workspace, params.planId), async () => {
    const plan = loadPlan(ctx.workspace, params.planId);
    if (plan.status !== 'awaiting_approval') {
      throw new DriftCatcherError(`plan ${plan.id} is ${plan.status}, not waiting for approval`, 'REGISTRY');
    }
    if (params.approve) {
      if (plan.review_required) {
        // the person's review ends the escalation
        resetEscalation(ctx, `plan ${plan.id} approved after review`);
        delete plan.review_required;
      }
      for (const s of plan.steps) if (s.status === 'awaiting_approval') s.status = 'pending';
      return executePlan(ctx, tools, plan, { approved: true });
    }
    for (const s of plan.steps) if (s.status === 'pending' || s.status === 'awaiting_approval') s.status = 'skipped';
    plan.status = 'rejected';
    plan.error = 'deploy rejected by the user';
    savePlan(ctx, plan);
    await track(ctx, tools, plan);
    return plan;
  });
}

/** Give up on a plan that is planned, running (interrupted) or waiting: nothing more of it runs. */
export async function abandonPlan(ctx: EngineContext, params: PlanIdParams): Promise<Plan> {
  return withLock(planLock(ctx.workspace, params.planId), async () => {
    const plan = loadPlan(ctx.workspace, params.planId);
    if (FINAL.includes(plan.status)) throw new DriftCatcherError(`plan ${plan.id} is already ${plan.status}`, 'REGISTRY');
    for (const s of plan.steps) if (s.status === 'pending' || s.status === 'running' || s.status === 'awaiting_approval') s.status = 'skipped';
    plan.status = 'abandoned';
    savePlan(ctx, plan);
    return plan;
  });
}
