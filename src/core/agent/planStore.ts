import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { stateDir } from '../config';
import type { EngineContext } from '../engine';
import type { Plan } from '../protocol';
import { writeJsonAtomic } from '../util/atomicWrite';
import { DriftCatcherError } from '../util/errors';
import { readJsonRecords, readJsonValidated } from '../util/jsonFile';
import { formatIdentity, parseIdentity, processGone } from '../util/processIdentity';

/** Plans live in `.driftcatcher/plans/<id>.json`, rewritten atomically after every step change. */
export function plansDir(workspace: string): string {
  return path.join(stateDir(workspace), 'plans');
}

const StepSchema = z.object({
  id: z.string(),
  tool: z.enum(['check_drift', 'retrain_model', 'validate_model', 'deploy_model', 'version_baseline', 'rollback', 'notify']),
  args: z.record(z.string(), z.unknown()),
  depends_on: z.array(z.string()),
  status: z.enum(['pending', 'running', 'completed', 'failed', 'skipped', 'awaiting_approval']),
  attempts: z.number().int().min(0),
  started_at: z.string().optional(),
  finished_at: z.string().optional(),
  result: z.unknown().optional(),
  error: z.string().optional(),
});

export const PlanSchema = z.object({
  id: z.string(),
  decision_id: z.string(),
  goal: z.string(),
  urgency: z.enum(['low', 'normal', 'high']),
  autonomy: z.enum(['suggest', 'approve', 'autonomous']),
  status: z.enum(['planned', 'running', 'awaiting_approval', 'completed', 'failed', 'abandoned', 'rejected']),
  steps: z.array(StepSchema),
  created_at: z.string(),
  updated_at: z.string(),
  error: z.string().optional(),
  review_required: z.string().optional(),
  /** the process running it (pid, start time, host), while it is running */
  owner: z.string().optional(),
});

/** Persist and announce a plan (the UI follows `driftcatcher/planChanged`). */
export function savePlan(ctx: EngineContext, plan: Plan): void {
  plan.updated_at = new Date().toISOString();
  // who runs it: a plan left `running` by a process that is gone reads back as interrupted
  if (plan.status === 'running') plan.owner = formatIdentity();
  else delete plan.owner;
  delete plan.interrupted;
  writeJsonAtomic(path.join(plansDir(ctx.workspace), `${plan.id}.json`), plan);
  ctx.notify?.('driftcatcher/planChanged', structuredClone(plan));
}

const ID = /^[A-Za-z0-9_.-]+$/;

export function loadPlan(workspace: string, id: string): Plan {
  if (!ID.test(id)) throw new DriftCatcherError(`'${id}' is not a plan id`, 'BAD_INPUT');
  const file = path.join(plansDir(workspace), `${id}.json`);
  if (!fs.existsSync(file)) throw new DriftCatcherError(`no plan ${id} in ${plansDir(workspace)}`, 'NOT_FOUND');
  return parsePlanFile(file);
}

function parsePlanFile(file: string): Plan {
  const plan = readJsonValidated(file, PlanSchema, 'plan file') as Plan;
  const owner = plan.status === 'running' && plan.owner ? parseIdentity(plan.owner) : undefined;
  if (owner && processGone(owner)) plan.interrupted = true;
  return plan;
}

/** Every readable plan, newest first (unreadable files are skipped: one bad file must not hide the others). */
export function listPlanFiles(workspace: string): Plan[] {
  return readJsonRecords(plansDir(workspace), parsePlanFile).sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
}

/** Sortable, unique ids: `<prefix>-20250101T120000Z-1a2b3c`. */
export function newId(prefix: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${prefix}-${stamp}-${randomBytes(3).toString('hex')}`;
}
