import { z } from 'zod';
import type { RequestTypes } from '../protocol';

/**
 * Runtime checks for request params: the protocol's TypeScript types say what a client should send, these say
 * what the server accepts. Unknown keys (e.g. a `workDoneToken`) are stripped. Each schema is declared against
 * the protocol type, so the two cannot drift apart silently.
 */
type Params<M extends keyof RequestTypes> = RequestTypes[M][0];
type Schema<M extends keyof RequestTypes> = z.ZodType<Params<M>, unknown>;

const path = z.string().min(1, 'must be a non-empty path');
/** methods without params: any object (or nothing) is accepted and passed on as {} */
const none = z.object({}).transform(() => ({}) as Record<string, never>);
const label = z.string().min(1).optional();
const autonomy = z.enum(['suggest', 'approve', 'autonomous']);

export const paramSchemas = {
  checkDrift: z.object({ current: path, baseline: path.optional(), label }) satisfies Schema<'driftcatcher/checkDrift'>,
  profileBaseline: z.object({ baseline: path, label, output: path.optional() }) satisfies Schema<'driftcatcher/profileBaseline'>,
  train: z.object({
    baseData: path,
    newData: z.array(path).optional(),
    holdout: path.optional(),
    label,
    trees: z.number().int().positive().max(10_000).optional(),
  }) satisfies Schema<'driftcatcher/train'>,
  validate: z.object({ version: z.string().min(1).optional(), holdout: path }) satisfies Schema<'driftcatcher/validate'>,
  deploy: z.object({ version: z.string().min(1).optional() }) satisfies Schema<'driftcatcher/deploy'>,
  none: none satisfies Schema<'driftcatcher/ping'>,
  createHoldout: z.object({
    dataDir: path,
    output: path,
    sampleFraction: z.number().gt(0).max(1).optional(),
  }) satisfies Schema<'driftcatcher/createHoldout'>,
  listRuns: z.object({ experiment: z.string().min(1).optional() }) satisfies Schema<'driftcatcher/listRuns'>,
  metricHistory: z.object({ experiment: z.string().min(1), metric: z.string().min(1) }) satisfies Schema<'driftcatcher/metricHistory'>,
  runAgent: z.object({ current: path, autonomy: autonomy.optional(), yes: z.boolean().optional() }) satisfies Schema<'driftcatcher/runAgent'>,
  approvePlan: z.object({ planId: z.string().min(1), approve: z.boolean() }) satisfies Schema<'driftcatcher/approvePlan'>,
  planId: z.object({ planId: z.string().min(1) }) satisfies Schema<'driftcatcher/resumePlan'>,
  simulate: z.object({ current: path }) satisfies Schema<'driftcatcher/simulate'>,
  restoreBaseline: z.object({ rev: z.string().min(1) }) satisfies Schema<'driftcatcher/restoreBaseline'>,
  writeDemo: z.object({ dir: path }) satisfies Schema<'driftcatcher/writeDemo'>,
};

/** first zod issue as one line: `current: must be a non-empty path` */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `invalid params: ${where}${issue.message}`;
}
