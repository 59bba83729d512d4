import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { DriftCatcherError } from './util/errors';
import { DEFAULT_MAX_COLUMNS } from './data/csvHeaderScan';
import { ValidationConfigSchema } from './model/gateConfig';
import { AlertsConfigSchema } from './service/alertConfig';
import { CronSchema } from './watch/schedule';
import { resolveDataset } from './data/datasetConfig';

/** One user dataset config (see data/datasetConfig.ts); column names are checked against the data when it is read. */
const DatasetEntrySchema = z
  .object({
    label: z.string().min(1).optional(),
    positiveClass: z.string().min(1).optional(),
    task: z.enum(['binary', 'multiclass']).optional(),
    categorical: z.array(z.string().min(1)).optional(),
    drop: z.array(z.string().min(1)).optional(),
    timeColumn: z.string().min(1).optional(),
    validation: z
      .object({
        accuracy: z.number().min(0).max(1),
        precision: z.number().min(0).max(1),
        recall: z.number().min(0).max(1),
        f1: z.number().min(0).max(1),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();

/**
 * Workspace configuration for the CLI and the server: `driftcatcher.config.json` in the workspace root,
 * overridden by the usual environment variables, overridden by explicit values (CLI flags, editor settings).
 */
export const ConfigSchema = z.object({
  /** the dataset config in use: a name under `datasets`, or the built-in `CICIDS2017` / `Generic` (case-insensitive) */
  dataset: z.string().default('Generic'),
  datasets: z.record(z.string().min(1), DatasetEntrySchema).default({}),
  label: z.string().optional(),
  drift: z
    .object({
      moderate: z.number().positive().default(0.1),
      severe: z.number().positive().default(0.2),
      pValue: z.number().positive().max(1).default(0.01),
      /** every drift check also measures multivariate drift (samples of both sides; costs a pass and a few forests) */
      multivariate: z.boolean().default(false),
      /** rows sampled from each side for multivariate drift */
      multivariateRows: z.number().int().min(20).default(5000),
    })
    .prefault({}),
  validation: ValidationConfigSchema,
  training: z
    .object({
      trees: z.number().int().positive().default(100),
      maxDepth: z.number().int().positive().optional(),
      maxBaselineRows: z.number().int().positive().default(50_000),
      maxRowsPerNewFile: z.number().int().positive().default(15_000),
      seed: z.number().int().default(42),
      threads: z.number().int().positive().optional(),
      /** categories a categorical feature keeps (the most frequent; the rest count as "other") */
      maxCategories: z.number().int().min(2).max(255).default(255),
    })
    .prefault({}),
  llm: z
    .object({
      baseUrl: z.string().default('https://openrouter.ai/api/v1'),
      model: z.string().default('liquid/lfm-2.5-1.2b-instruct:free'),
      timeoutMs: z.number().int().positive().default(5000),
      /** 'openai': any OpenAI-compatible endpoint (baseUrl + key); 'editor': the chat model the editor offers (VS Code's vscode.lm), asked through the client */
      provider: z.enum(['openai', 'editor']).default('openai'),
      /** with provider 'editor': which of the editor's models, as "vendor" or "vendor/family" (e.g. "copilot/gpt-4o"); empty: the first one offered */
      editorModel: z.string().default(''),
      apiKey: z.string().optional(),
    })
    .prefault({}),
  agent: z
    .object({
      autonomy: z.enum(['suggest', 'approve', 'autonomous']).default('approve'),
      retries: z.number().int().min(0).default(2),
      backoffMs: z.number().int().min(0).default(500),
      /** minimum hours between two retrains */
      minHoursBetweenRetrains: z.number().min(0).default(0),
      /** "HH:MM-HH:MM" local time, deploys only inside it; empty = any time */
      maintenanceWindow: z.string().default(''),
      /** after this many consecutive failed validations the agent waits for a person before it retrains again */
      escalateAfterFailedValidations: z.number().int().min(1).default(2),
      /** what a retrain costs, in points of accuracy (compute, a deploy's risk, a reviewer's attention) */
      retrainCostPoints: z.number().min(0).default(0.5),
      /** after this many retrains in a row that the gate did not deploy, drift alone no longer triggers one */
      backoffAfterUnpaidRetrains: z.number().int().min(1).default(2),
    })
    .prefault({}),
  watch: z
    .object({
      folders: z.array(z.string()).default([]),
      checkIntervalSeconds: z.number().int().positive().default(60),
      /** cron expression (croner syntax, local time): new batches wait for the next tick instead of running on arrival */
      schedule: CronSchema.optional(),
    })
    .prefault({}),
  tracking: z.object({ uri: z.string().optional() }).prefault({}),
  /** CSV reading limits: a header wider than maxColumns is refused (per-column state stays bounded) */
  csv: z.object({ maxColumns: z.number().int().positive().default(DEFAULT_MAX_COLUMNS) }).prefault({}),
  /** webhook alerts sent by `serve --http` and `watch` (see src/core/service/alertConfig.ts) */
  alerts: AlertsConfigSchema,
  /** limits and defaults of the HTTP service (`serve --http`) */
  service: z
    .object({
      /** largest JSON request body */
      maxBodyBytes: z.number().int().positive().default(1_048_576),
      /** largest uploaded CSV (streamed to disk, never held in memory) */
      maxUploadBytes: z.number().int().positive().default(2 * 1024 ** 3),
      /** how long a request for a heavy operation waits for its result before answering 202 with a job id */
      waitSeconds: z.number().min(0).max(600).default(30),
      /** finished jobs kept for GET /jobs/{id} */
      keepJobs: z.number().int().positive().max(100_000).default(500),
      /** per-feature PSI series exported on /metrics (the most drifted features of the latest report) */
      metricsTopFeatures: z.number().int().min(0).max(500).default(20),
    })
    .prefault({}),
  /** data sources beyond CSV (src/core/sources): credentials and engine limits; CLICKHOUSE_USER / _PASSWORD win */
  sources: z
    .object({
      clickhouse: z.object({ user: z.string().optional(), password: z.string().optional() }).prefault({}),
      /** DuckDB's memory limit for Parquet and .duckdb sources, e.g. "2GB" (default: DuckDB's, 80 % of RAM) */
      duckdbMemoryLimit: z.string().optional(),
    })
    .prefault({}),
});

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export const CONFIG_FILE = 'driftcatcher.config.json';

export function loadConfig(workspace: string, overrides: ConfigInput = {}, env: NodeJS.ProcessEnv = process.env): Config {
  let fromFile: unknown = {};
  const file = path.join(workspace, CONFIG_FILE);
  if (fs.existsSync(file)) {
    try {
      fromFile = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new DriftCatcherError(`${CONFIG_FILE} is not valid JSON: ${(e as Error).message}`, 'BAD_INPUT', { file });
    }
  }
  const merged = deepMerge(deepMerge(fromFile as object, envConfig(env)), overrides as object);
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DriftCatcherError(`invalid configuration at ${issue.path.join('.')}: ${issue.message}`, 'BAD_INPUT', { file });
  }
  // the dataset in use must exist (an unknown name lists the known ones)
  resolveDataset(parsed.data.dataset, parsed.data.datasets);
  return parsed.data;
}

function envConfig(env: NodeJS.ProcessEnv): ConfigInput {
  const llm: Record<string, unknown> = {};
  if (env.OPENAI_BASE_URL) llm.baseUrl = env.OPENAI_BASE_URL;
  const key = env.OPENROUTER_API_KEY || env.OPENAI_API_KEY;
  if (key) llm.apiKey = key;
  if (env.DRIFTCATCHER_LLM_MODEL) llm.model = env.DRIFTCATCHER_LLM_MODEL;
  const out: Record<string, unknown> = { llm };
  if (env.MLFLOW_TRACKING_URI) out.tracking = { uri: env.MLFLOW_TRACKING_URI };
  return out as ConfigInput;
}

function deepMerge(a: object, b: object): object {
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    const prev = out[k];
    out[k] = isPlainObject(prev) && isPlainObject(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

function isPlainObject(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Where DriftCatcher keeps its state inside a workspace. */
export function stateDir(workspace: string): string {
  return path.join(workspace, '.driftcatcher');
}
