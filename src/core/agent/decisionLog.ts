import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { stateDir } from '../config';
import type { EngineContext } from '../engine';
import type { Decision } from '../protocol';
import { writeJsonAtomic } from '../util/atomicWrite';
import { DriftCatcherError } from '../util/errors';
import { DecisionContextSchema, type DecisionContext } from './context';
import { carriedOutcome, estimateOutcome, type CarriedOutcome, type EstimateOutcome } from './estimateCorrection';
import { evaluatePolicy, type PolicyResult } from './policy';
import type { ReasoningRecord } from './reasoning';
import { readJsonRecords, readJsonValidated } from '../util/jsonFile';

/**
 * The decision log: `.driftcatcher/decisions/<id>.json`, one file per decision with everything it was based on —
 * the context (data hashes, profile version, drift summary, estimate…), the prompt, the raw LLM text, the parsed
 * answer and the policy's result — so `replay` can re-evaluate the policy on exactly those inputs.
 */
export interface DecisionRecord {
  id: string;
  created_at: string;
  decision: Decision;
  context: DecisionContext;
  reasoning: ReasoningRecord;
  plan_id?: string;
}

const PolicyResultSchema = z.object({
  action: z.enum(['MONITOR', 'RETRAIN', 'RETRAIN_URGENT']),
  confidence: z.number(),
  rationale: z.string(),
  considerations: z.array(z.string()),
  risks: z.array(z.string()),
  rules: z.array(z.string()),
});

const DecisionSchema = z.object({
  id: z.string(),
  action: z.enum(['MONITOR', 'RETRAIN', 'RETRAIN_URGENT']),
  confidence: z.number(),
  rationale: z.string(),
  considerations: z.array(z.string()),
  risks: z.array(z.string()),
  source: z.enum(['llm', 'policy']),
  fallback_reason: z.string().optional(),
  created_at: z.string(),
});

const RecordSchema = z.object({
  id: z.string(),
  created_at: z.string(),
  decision: DecisionSchema,
  context: DecisionContextSchema,
  reasoning: z
    .object({
      prompt: z.array(z.object({ role: z.enum(['system', 'user']), content: z.string() })),
      raw_llm: z.string().nullable(),
      llm_mode: z.enum(['json_schema', 'json_object']).nullable(),
      llm_model: z.string().nullable(),
      parsed_llm: z.unknown(),
      policy: PolicyResultSchema,
      fallback_reason: z.string().optional(),
      overridden_by: z.array(z.string()).optional(),
    })
    .loose(),
  plan_id: z.string().optional(),
});

export function decisionsDir(workspace: string): string {
  return path.join(stateDir(workspace), 'decisions');
}

export function writeDecision(workspace: string, record: DecisionRecord): void {
  writeJsonAtomic(path.join(decisionsDir(workspace), `${record.id}.json`), record);
}

export function readDecision(workspace: string, id: string): DecisionRecord {
  if (!/^[A-Za-z0-9_.-]+$/.test(id)) throw new DriftCatcherError(`'${id}' is not a decision id`, 'BAD_INPUT');
  const file = path.join(decisionsDir(workspace), `${id}.json`);
  if (!fs.existsSync(file)) throw new DriftCatcherError(`no decision ${id} (looked in ${decisionsDir(workspace)})`, 'NOT_FOUND');
  return parseRecord(file);
}

function parseRecord(file: string): DecisionRecord {
  return readJsonValidated(file, RecordSchema, 'decision file') as DecisionRecord;
}

/** Every readable decision, newest first. */
export function listDecisions(workspace: string): DecisionRecord[] {
  return readJsonRecords(decisionsDir(workspace), parseRecord).sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
}

export interface ReplayResult {
  id: string;
  decision: Decision;
  logged_policy: PolicyResult;
  replayed_policy: PolicyResult;
  /** human-readable differences between the logged and the replayed policy result; empty = identical */
  differences: string[];
  /** the logged decision's action differs from what the policy says now */
  decision_differs: boolean;
}

/** Re-evaluate today's policy on a logged decision's inputs and show what changed. */
export async function replay(ctx: EngineContext, params: { id: string }): Promise<ReplayResult> {
  const rec = readDecision(ctx.workspace, params.id);
  const now = evaluatePolicy(rec.context);
  const then = rec.reasoning.policy;
  const differences: string[] = [];
  if (now.action !== then.action) differences.push(`action: ${then.action} → ${now.action}`);
  if (Math.abs(now.confidence - then.confidence) > 1e-9) differences.push(`confidence: ${then.confidence} → ${now.confidence}`);
  if (now.rules.join(',') !== then.rules.join(',')) differences.push(`rules: ${then.rules.join(',')} → ${now.rules.join(',')}`);
  if (now.rationale !== then.rationale) differences.push(`rationale: "${then.rationale}" → "${now.rationale}"`);
  const setDiff = (name: string, a: string[], b: string[]): void => {
    for (const x of a) if (!b.includes(x)) differences.push(`${name} no longer: ${x}`);
    for (const x of b) if (!a.includes(x)) differences.push(`${name} now: ${x}`);
  };
  setDiff('risk', then.risks, now.risks);
  setDiff('consideration', then.considerations, now.considerations);
  return {
    id: rec.id,
    decision: rec.decision,
    logged_policy: then,
    replayed_policy: now,
    differences,
    decision_differs: rec.decision.action !== now.action,
  };
}

/**
 * The estimates of production model `version` whose batches carried their labels (and that it did not train on),
 * oldest first, one per batch file (its newest decision), leaving out `except` (the batch being decided on): what
 * the estimate's bias correction learns from (agent/estimateCorrection.ts).
 */
export function estimateOutcomes(workspace: string, version: string, except?: string): EstimateOutcome[] {
  return labelledEstimates(workspace, (c) => c.production?.version === version, except).map((e) => estimateOutcome(e, e.realised_accuracy));
}

/**
 * Every estimate corrected by a trend carried from a replaced model (carriedTrend) whose batch carried its labels,
 * whichever model made it, oldest first: the carried trend's record across models.
 */
export function carriedOutcomes(workspace: string, except?: string): CarriedOutcome[] {
  return labelledEstimates(workspace, (c) => c.estimate?.bias_correction?.carried === true, except).map((e) =>
    carriedOutcome(e, e.bias_correction!.points, e.realised_accuracy),
  );
}

type LoggedEstimate = NonNullable<DecisionContext['estimate']>;

/** The logged estimates of decisions matching `keep` whose batch's labels arrived, oldest first, one per batch (its newest). */
function labelledEstimates(
  workspace: string,
  keep: (c: DecisionContext) => boolean,
  except?: string,
): (LoggedEstimate & { interval: [number, number]; realised_accuracy: number })[] {
  const bySource = new Map<string, { at: string; estimate: LoggedEstimate & { interval: [number, number]; realised_accuracy: number } }>();
  for (const r of listDecisions(workspace)) {
    const { estimate: e, realised } = r.context;
    if (!keep(r.context) || !e?.interval || e.realised_accuracy === undefined || !realised || realised.source === except) continue;
    if (bySource.has(realised.source)) continue; // newest first: the first seen is the newest
    bySource.set(realised.source, { at: r.created_at, estimate: { ...e, interval: e.interval, realised_accuracy: e.realised_accuracy } });
  }
  return [...bySource.values()].sort((a, b) => a.at.localeCompare(b.at)).map((x) => x.estimate);
}
