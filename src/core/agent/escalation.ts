import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { stateDir } from '../config';
import type { EngineContext } from '../engine';
import { failedChecks } from '../model/gate';
import { listVersions } from '../model/registry';
import type { EscalationState } from '../protocol';
import { writeJsonAtomic } from '../util/atomicWrite';
import { readJsonValidated } from '../util/jsonFile';

/**
 * Escalation (the original system's rule): after `agent.escalateAfterFailedValidations` (2) consecutive failed
 * validations the agent stops acting alone — whatever the autonomy level, its plans wait for a person before they
 * retrain — until someone approves such a plan or resets the escalation. The state is derived from the registry's
 * validation results (validated_at order) and the time of the last reset (`.driftcatcher/escalation.json`), so it
 * cannot drift from what actually happened.
 */
const ResetSchema = z.object({ reset_at: z.string(), reason: z.string() });

export function escalationFile(ws: string): string {
  return path.join(stateDir(ws), 'escalation.json');
}

export function escalationState(ws: string, threshold: number): EscalationState {
  const file = escalationFile(ws);
  const reset = fs.existsSync(file) ? readJsonValidated(file, ResetSchema, 'escalation state', 'REGISTRY') : undefined;
  const since = reset ? Date.parse(reset.reset_at) : -Infinity;
  const validations = listVersions(ws)
    .map((m) => m.validation)
    .filter((v): v is NonNullable<typeof v> => v !== undefined && Date.parse(v.validated_at) > since)
    .sort((a, b) => Date.parse(a.validated_at) - Date.parse(b.validated_at));
  const failures: EscalationState['failures'] = [];
  for (let i = validations.length - 1; i >= 0 && !validations[i].passed; i--) {
    const v = validations[i];
    failures.unshift({ version: v.version, validated_at: v.validated_at, reason: failedChecks(v.checks) });
  }
  return { escalated: failures.length >= threshold, consecutive_failed_validations: failures.length, threshold, failures, reset_at: reset?.reset_at ?? null };
}

export function currentEscalation(ctx: EngineContext): EscalationState {
  return escalationState(ctx.workspace, ctx.config.agent.escalateAfterFailedValidations);
}

/** A person took over: the failures so far no longer count. */
export function resetEscalation(ctx: EngineContext, reason: string): EscalationState {
  fs.mkdirSync(stateDir(ctx.workspace), { recursive: true });
  writeJsonAtomic(escalationFile(ctx.workspace), { reset_at: new Date().toISOString(), reason });
  ctx.log?.(`escalation reset: ${reason}`);
  return currentEscalation(ctx);
}

/** The review note a plan carries while the agent is escalated. */
export function reviewNote(e: EscalationState): string {
  const list = e.failures.map((f) => f.version).join(', ');
  return `${e.consecutive_failed_validations} consecutive failed validations (${list}): the agent waits for a person to approve this plan before it retrains (or run: driftcatcher agent escalation --reset)`;
}
