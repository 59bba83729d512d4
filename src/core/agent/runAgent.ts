import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDir } from '../config';
import type { EngineContext } from '../engine';
import { Notifications, type AgentResult, type Decision, type DriftReport, type ModelVersion, type Plan, type RunAgentParams } from '../protocol';
import { DriftCatcherError, errorMessage } from '../util/errors';
import { workspaceRelative } from '../util/paths';
import { batchKey, currentBatch, type CurrentBatch } from '../sources/currentBatch';
import { buildContext, type DecisionContext } from './context';
import { carriedOutcomes, estimateOutcomes, listDecisions, writeDecision, type DecisionRecord } from './decisionLog';
import { carriedTrend } from './estimateCorrection';
import { readPointer } from '../model/registry';
import { executePlan } from './executor';
import { buildPlan } from './planner';
import { listPlanFiles, newId, savePlan } from './planStore';
import { reason } from './reasoning';
import type { AgentTools } from './tools';
import { realTools } from './realTools';
import { currentEscalation, reviewNote } from './escalation';
import { decisionEvidence, decisionWithEvidence } from './evidence';

/**
 * The agent's run: decide (drift → context → LLM/policy → decision log), plan, and execute within the configured
 * autonomy. Approving, resuming and abandoning a stored plan live in executor.ts, the digital twin in twin.ts.
 */

export interface Decided {
  report: DriftReport;
  context: DecisionContext;
  decision: Decision;
  record: DecisionRecord;
  production?: ModelVersion;
}

/** Drift check, decision context, reasoning; the decision is logged before anything acts on it. */
export async function decide(ctx: EngineContext, tools: AgentTools, batch: CurrentBatch, now = new Date()): Promise<Decided> {
  ctx.progress?.(undefined, 'checking drift');
  const report = await tools.checkDrift(ctx, { current: batch.source, where: batch.where });
  // an empty batch has no drift to act on (the drift check refuses one; this guards every AgentTools)
  if (report.current.rows === 0) throw new DriftCatcherError(`the current data has no data rows to decide on`, 'BAD_INPUT', { file: batch.name ?? batch.rows });
  ctx.progress?.(undefined, 'building the decision context');
  const production = await tools.production(ctx);
  // the production model's earlier estimates whose labels arrived: the estimate learns its bias from them
  const outcomes = production ? estimateOutcomes(ctx.workspace, production.version, batchKey(batch)) : [];
  // a model with no labelled batch yet starts from the trend of the model it replaced, when that trend had earned its place
  const replaced = production && outcomes.length === 0 ? replacedVersion(ctx.workspace, production.version) : undefined;
  const carried = replaced
    ? carriedTrend(estimateOutcomes(ctx.workspace, replaced, batchKey(batch)), ctx.config.agent.estimateBiasDriftPoints, carriedOutcomes(ctx.workspace, batchKey(batch)))
    : null;
  const context = await buildContext(ctx, tools, { current: batch.rows, source: batch.name, report, now, outcomes, carried });
  ctx.progress?.(undefined, 'reasoning');
  const outcome = await reason(ctx, context);
  const decision: Decision = { id: newId('dec', now), ...outcome.decision, created_at: now.toISOString(), evidence: decisionEvidence(context) };
  const record: DecisionRecord = { id: decision.id, created_at: decision.created_at, decision, context, reasoning: outcome.record };
  if (tools.trackReasoning) {
    try {
      await tools.trackReasoning(ctx, decision, { drift_psi: report.overall.psi_mean, model: outcome.record.llm_model ?? 'policy' });
    } catch (e) {
      ctx.log?.(`tracking the decision failed (the decision is unaffected): ${errorMessage(e)}`);
    }
  }
  return { report, context, decision, record, production: await tools.production(ctx) };
}

/** The version `production` replaced: the one below it on the deploy stack. */
function replacedVersion(ws: string, production: string): string | undefined {
  const stack = readPointer(ws)?.stack ?? [];
  return stack.length >= 2 && stack[stack.length - 1] === production ? stack[stack.length - 2] : undefined;
}

/**
 * Where the production model's training data is, for a retrain plan. The gate's holdout is not chosen here: the
 * validate step scores on the held-out rows of the holdout ledger's newest batches (the batch retrained on included).
 */
export function retrainInputs(ws: string, production: ModelVersion | undefined): { baseData?: string } {
  if (!production) return {};
  const combined = path.join(stateDir(ws), 'models', production.version, 'baseline.csv');
  const baseData = fs.existsSync(combined) ? path.relative(ws, combined) : production.lineage[0]?.path;
  return { baseData };
}

/** Plan the decision and run it as far as the autonomy allows. The plan is persisted before its first step. */
export async function planAndExecute(ctx: EngineContext, tools: AgentTools, d: Decided, opts: { autonomy: Plan['autonomy']; yes?: boolean; batch: CurrentBatch }): Promise<Plan> {
  const plan = buildPlan(d.decision, {
    current: opts.batch.source,
    where: opts.batch.where,
    shown: opts.batch.name ?? workspaceRelative(ctx.workspace, opts.batch.rows),
    autonomy: opts.autonomy,
    production: d.production,
    label: ctx.config.label ?? d.production?.label,
    ...retrainInputs(ctx.workspace, d.production),
  });
  // the drift check that fed the decision is the plan's first step: record it rather than run it twice
  const check = plan.steps.find((s) => s.tool === 'check_drift');
  if (check) {
    check.status = 'completed';
    check.attempts = 1;
    check.started_at = check.finished_at = d.report.created_at;
    check.result = d.report.overall;
  }
  // escalated after consecutive failed validations: a person reviews the plan before it acts, whatever the autonomy
  const escalation = currentEscalation(ctx);
  if (escalation.escalated && plan.steps.some((s) => s.tool === 'retrain_model')) {
    plan.review_required = reviewNote(escalation);
    d.decision.risks.push(`escalated: ${plan.review_required}`);
  }
  d.record.plan_id = plan.id;
  writeDecision(ctx.workspace, d.record);
  ctx.notify?.(Notifications.decisionMade, d.decision);
  savePlan(ctx, plan);
  return executePlan(ctx, tools, plan, { approved: opts.yes });
}

export async function runAgent(ctx: EngineContext, params: RunAgentParams, tools: AgentTools = realTools): Promise<AgentResult> {
  // a CSV as it is; a Parquet file or table: its rows sampled for the estimate, the source itself checked and retrained on
  const batch = await currentBatch(ctx, params.current, params.where);
  const autonomy = params.autonomy ?? ctx.config.agent.autonomy;
  const d = await decide(ctx, tools, batch);
  const plan = await planAndExecute(ctx, tools, d, { autonomy, yes: params.yes, batch });
  return { decision: d.decision, plan, report: d.report };
}

export async function listPlans(ctx: EngineContext, _params: Record<string, never> = {}): Promise<{ decisions: Decision[]; plans: Plan[] }> {
  return { decisions: listDecisions(ctx.workspace).map(decisionWithEvidence), plans: listPlanFiles(ctx.workspace) };
}
