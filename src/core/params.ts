import { z } from 'zod';
import type { RequestTypes } from './protocol';

/**
 * Runtime checks for every operation's params: the protocol's TypeScript types say what a client should send,
 * these say what the engine accepts. Unknown keys (e.g. a `workDoneToken`) are stripped. Each schema is declared
 * against the protocol type, so the two cannot drift apart silently, and each is plain data (no transforms), so
 * `z.toJSONSchema()` turns it into the JSON Schema that HTTP and MCP front ends publish.
 */
type Params<M extends keyof RequestTypes> = RequestTypes[M][0];
type Schema<M extends keyof RequestTypes> = z.ZodType<Params<M>, unknown>;

const path = z.string().min(1, 'must be a non-empty path');
const label = z.string().min(1).optional().describe('the label column (default: the dataset config, then Label/label/target/class/y)');
const where = z.string().min(1).max(10_000).optional();
const autonomy = z.enum(['suggest', 'approve', 'autonomous']);
const version = z.string().min(1).describe('a model version, e.g. v3');
const planId = z.string().min(1).describe('a plan id from listPlans or a runAgent result');

export const paramSchemas = {
  /** methods without params: any object (or nothing) is accepted and passed on as {} */
  none: z.object({}) satisfies Schema<'driftcatcher/ping'>,
  /** checkDrift and measureDrift */
  checkDrift: z.object({
    current: path.describe('the current data: a CSV or Parquet file, a glob or folder, or a table URI (duckdb:, clickhouse://, postgresql://)'),
    baseline: path.optional().describe("a baseline data source or profile JSON; default: the workspace's chosen baseline, else the production model's baseline profile"),
    label,
    where: where.describe("SQL predicate selecting the current rows (Parquet and table sources), e.g. date >= '2001-02-01'"),
    baselineWhere: where.describe('SQL predicate selecting the baseline rows (Parquet and table sources)'),
    multivariate: z.boolean().optional().describe('also measure multivariate drift: domain classifier AUC and PCA reconstruction error'),
  }) satisfies Schema<'driftcatcher/checkDrift'>,
  profileBaseline: z.object({
    baseline: path.describe('the baseline data: a CSV or Parquet file, a glob or folder, or a table URI'),
    label,
    where: where.describe('SQL predicate selecting the baseline rows (Parquet and table sources)'),
    output: path.optional().describe('where to write the profile JSON; default: .driftcatcher/baseline-profile.json'),
  }) satisfies Schema<'driftcatcher/profileBaseline'>,
  train: z.object({
    baseData: path.describe('the base training data with a label column: a CSV or Parquet file, a glob or folder, or a table URI (sampled in its engine)'),
    newData: z.array(path).optional().describe('newer labelled batches to add (CSV, Parquet, glob, folder or table URI)'),
    holdout: path.optional().describe('a labelled holdout (CSV, Parquet or table URI): validate the new version right after training'),
    baseWhere: where.describe('SQL predicate selecting the base data rows (Parquet and table sources)'),
    where: where.describe('SQL predicate selecting the new data rows (Parquet and table sources)'),
    holdoutWhere: where.describe('SQL predicate selecting the holdout rows (Parquet and table sources)'),
    label,
    trees: z.number().int().positive().max(10_000).optional().describe('number of trees (default: training.trees)'),
    task: z.enum(['binary', 'multiclass']).optional().describe("binary (the negative class against the rest) or multiclass; default: the dataset config's"),
  }) satisfies Schema<'driftcatcher/train'>,
  validate: z.object({
    version: version.optional().describe('default: the newest candidate'),
    holdout: path.optional().describe('a labelled holdout CSV, Parquet file or table URI (default: the held-out rows of the holdout ledger\'s newest batches)'),
    where: where.describe('SQL predicate selecting the holdout rows (Parquet and table sources)'),
  }) satisfies Schema<'driftcatcher/validate'>,
  deploy: z.object({ version: version.optional().describe('default: the newest candidate') }) satisfies Schema<'driftcatcher/deploy'>,
  createHoldout: z.object({
    dataDir: path.describe('the folder of labelled CSVs to sample, or a labelled Parquet file, glob or table URI'),
    where: where.describe('SQL predicate selecting the rows of a Parquet or table source'),
    output: path.describe('the holdout CSV to write'),
    sampleFraction: z.number().gt(0).max(1).optional().describe('share of each file (default 0.15)'),
  }) satisfies Schema<'driftcatcher/createHoldout'>,
  listRuns: z.object({ experiment: z.string().min(1).optional().describe('e.g. drift_monitoring; default: all') }) satisfies Schema<'driftcatcher/listRuns'>,
  metricHistory: z.object({
    experiment: z.string().min(1).describe('e.g. drift_monitoring'),
    metric: z.string().min(1).describe('e.g. overall_psi'),
  }) satisfies Schema<'driftcatcher/metricHistory'>,
  runAgent: z.object({
    current: path.describe('the current data: a CSV or Parquet file, a glob or folder, or a table URI (duckdb:, clickhouse://, postgresql://)'),
    where: where.describe('SQL predicate selecting the current rows (Parquet and table sources); a retrain reads the same rows'),
    autonomy: autonomy.optional().describe('default: agent.autonomy'),
    yes: z.boolean().optional().describe('approve the deploy up front'),
  }) satisfies Schema<'driftcatcher/runAgent'>,
  approvePlan: z.object({ planId, approve: z.boolean().describe('true approves, false rejects') }) satisfies Schema<'driftcatcher/approvePlan'>,
  resumePlan: z.object({ planId, approved: z.boolean().optional().describe('approve a deploy step up front') }) satisfies Schema<'driftcatcher/resumePlan'>,
  abandonPlan: z.object({ planId }) satisfies Schema<'driftcatcher/abandonPlan'>,
  simulate: z.object({
    current: path.describe('the current data: a CSV or Parquet file, a glob or folder, or a table URI (duckdb:, clickhouse://, postgresql://)'),
    where: where.describe('SQL predicate selecting the current rows (Parquet and table sources)'),
  }) satisfies Schema<'driftcatcher/simulate'>,
  setBaseline: z.object({
    baseline: path.optional().describe("the CSV or profile JSON every later drift check compares against; omitted: back to the production model's baseline"),
    label,
  }) satisfies Schema<'driftcatcher/setBaseline'>,
  restoreBaseline: z.object({ rev: z.string().min(1).describe('a git revision from baselineHistory') }) satisfies Schema<'driftcatcher/restoreBaseline'>,
  explainDrift: z.object({
    current: path.optional().describe('check this file first; default: explain the latest drift report'),
    baseline: path.optional().describe("a baseline CSV or profile JSON; default: the production model's baseline profile"),
    label,
    top: z.number().int().min(1).max(1000).optional().describe('how many features to explain, most drifted first (default 5)'),
  }) satisfies Schema<'driftcatcher/explainDrift'>,
  writeDemo: z.object({ dir: path.describe('the folder to write the demo data into') }) satisfies Schema<'driftcatcher/writeDemo'>,
  resetEscalation: z.object({ reason: z.string().min(1).max(500).optional().describe('why the person takes over (kept with the reset)') }) satisfies Schema<'driftcatcher/resetEscalation'>,
};

/** first zod issue as one line: `current: must be a non-empty path` */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  return `invalid params: ${where}${issue.message}`;
}
