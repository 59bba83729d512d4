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

/** "HH:MM-HH:MM" (24-hour clock), or empty */
const MAINTENANCE_WINDOW = /^\s*$|^\s*([01]?\d|2[0-3]):[0-5]\d\s*-\s*([01]?\d|2[0-3]):[0-5]\d\s*$/;

/** "host" or "host:port"; an IPv6 address in brackets */
export const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^\s:/@[\]]+)(:\d{1,5})?$/;

function isHttpUrl(s: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
}

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
    .superRefine((d, ctx) => {
      if (d.severe <= d.moderate) ctx.addIssue({ code: 'custom', path: ['severe'], message: `must be greater than drift.moderate (${d.moderate}), got ${d.severe}` });
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
      baseUrl: z.string().refine(isHttpUrl, 'must be an http(s) URL, e.g. https://openrouter.ai/api/v1 or http://127.0.0.1:11434/v1').default('https://openrouter.ai/api/v1'),
      model: z.string().default('liquid/lfm-2.5-1.2b-instruct:free'),
      timeoutMs: z.number().int().positive().default(5000),
      /** 'openai': any OpenAI-compatible endpoint (baseUrl + key); 'editor': the chat model the editor offers (VS Code's vscode.lm), asked through the client */
      provider: z.enum(['openai', 'editor']).default('openai'),
      /** with provider 'editor': which of the editor's models, as "vendor" or "vendor/family" (e.g. "copilot/gpt-4o"); empty: the first one offered */
      editorModel: z.string().default(''),
      apiKey: z.string().optional(),
      /** a longer answer is not used (the rule policy decides, saying why); the decision log keeps this much of it */
      maxAnswerBytes: z.number().int().positive().max(16 * 1024 * 1024).default(32 * 1024),
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
      maintenanceWindow: z
        .string()
        .regex(MAINTENANCE_WINDOW, 'must be "HH:MM-HH:MM" in local time (e.g. "02:00-04:00", may wrap past midnight) or "" for any time')
        .default(''),
      /** after this many consecutive failed validations the agent waits for a person before it retrains again */
      escalateAfterFailedValidations: z.number().int().min(1).default(2),
      /** what a retrain costs, in points of accuracy (compute, a deploy's risk, a reviewer's attention) */
      retrainCostPoints: z.number().min(0).default(0.5),
      /** after this many retrains in a row that the gate did not deploy, drift alone no longer triggers one */
      backoffAfterUnpaidRetrains: z.number().int().min(1).default(2),
      /** how far the label-free estimate's bias may move per batch (1 sd, points): the correction learnt from labelled batches follows it */
      estimateBiasDriftPoints: z.number().min(0).default(2),
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
      /**
       * database hosts ("host" or "host:port") that may receive your credentials when a source names them; counts
       * only from your own settings or the command line (--trust-source-host), never from driftcatcher.config.json
       */
      trustedHosts: z.array(z.string().regex(HOST_PORT, 'must be "host" or "host:port" (IPv6 as "[::1]:8123")')).default([]),
      /** DuckDB's memory limit for Parquet and .duckdb sources, e.g. "2GB" (default: DuckDB's, 80 % of RAM) */
      duckdbMemoryLimit: z.string().optional(),
    })
    .prefault({}),
});

type ParsedConfig = z.infer<typeof ConfigSchema>;
export type Config = ParsedConfig & {
  /** how far the workspace is trusted: set by the front end (CLI flag, editor), never by a file */
  trust?: TrustState;
  llm: ParsedConfig['llm'] & {
    /** why the user's API key is not sent to llm.baseUrl (an endpoint the workspace chose, not trusted) */
    keyWithheld?: string;
  };
  tracking: ParsedConfig['tracking'] & {
    /** the tracking server was chosen by the workspace, not trusted: MLFLOW_TRACKING_TOKEN etc. are not sent there */
    credentialsWithheld?: boolean;
  };
};
export type ConfigInput = z.input<typeof ConfigSchema>;

/**
 * What a workspace may do with the user's credentials and files. A key from the environment, the OS secret store
 * or the user's settings goes only to an endpoint the user chose (environment, user settings, command line): an
 * endpoint set by the workspace (driftcatcher.config.json, workspace settings) needs `endpoints` — the CLI's
 * --trust-workspace-llm or VS Code's workspace trust. Database credentials (CLICKHOUSE_USER / _PASSWORD,
 * PGPASSWORD, ~/.pgpass) likewise go only to hosts the user chose (see sources/credentials.ts): a host named by the
 * workspace or by a request to a server needs `sources` — --trust-workspace-sources or VS Code's workspace trust.
 * `restricted` is an untrusted folder in the editor: read-only drift, no training, deploy, LLM or tracking-server calls.
 */
export interface TrustState {
  endpoints: boolean;
  sources: boolean;
  restricted: boolean;
  /** database hosts the user named to the front end (--trust-source-host, table URIs typed on the command line) */
  sourceHosts?: string[];
}

/** nothing set by the workspace is trusted (the default of every front end without a trust flag) */
export const UNTRUSTED: TrustState = { endpoints: false, sources: false, restricted: false };

/** the advice in every "not sent there" message: the front ends' one way to trust a workspace, or the user's own setting */
export function trustAdvice(flag: '--trust-workspace-llm' | '--trust-workspace-sources', own: string): string {
  return `trust the workspace (driftcatcher ${flag}, or VS Code workspace trust) or ${own}`;
}

export const CONFIG_FILE = 'driftcatcher.config.json';

export function loadConfig(
  workspace: string,
  overrides: ConfigInput = {},
  env: NodeJS.ProcessEnv = process.env,
  trust: TrustState = UNTRUSTED,
): Config {
  let fromFile: unknown = {};
  const file = path.join(workspace, CONFIG_FILE);
  if (fs.existsSync(file)) {
    try {
      fromFile = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new DriftCatcherError(`${CONFIG_FILE} is not valid JSON: ${(e as Error).message}`, 'BAD_INPUT', { file });
    }
    if (!isPlainObject(fromFile)) {
      throw new DriftCatcherError(`${CONFIG_FILE} must hold one JSON object ({"drift": {…}, …}), not ${describeJson(fromFile)}`, 'BAD_INPUT', { file });
    }
  }
  const layers: ConfigLayer[] = [
    { values: overrides, where: 'the editor settings or command-line options' },
    { values: envConfig(env), where: 'the environment' },
    { values: fromFile, where: CONFIG_FILE, file },
  ];
  const merged = deepMerge(deepMerge(fromFile as object, layers[1].values as object), overrides as object);
  const unknown = unknownKey(merged, ConfigSchema, []);
  if (unknown) throw configError(layers, unknown.path, `unknown key "${unknown.path.join('.')}"${unknown.known.length ? ` (known there: ${unknown.known.join(', ')})` : ''}`);
  const parsed = ConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue.path.map(String);
    throw configError(layers, at, `${at.join('.') || 'the configuration'}: ${issue.message}`);
  }
  // the dataset in use must exist (an unknown name lists the known ones)
  resolveDataset(parsed.data.dataset, parsed.data.datasets);
  return applyTrust(parsed.data, layers, trust);
}

/**
 * A Config that crossed a thread or process boundary (a worker's job message): checked against the schema again,
 * with what the front end decided about trust and withheld credentials carried over (the schema would drop it).
 */
export function reviveConfig(raw: unknown): Config {
  const parsed = ConfigSchema.parse(raw);
  const r = (isPlainObject(raw) ? raw : {}) as Partial<Config>;
  const t = r.trust;
  // the hosts the front end added are already in sources.trustedHosts
  const trust = t && typeof t.endpoints === 'boolean' && typeof t.sources === 'boolean' && typeof t.restricted === 'boolean' ? { endpoints: t.endpoints, sources: t.sources, restricted: t.restricted } : undefined;
  const config: Config = { ...parsed, ...(trust ? { trust } : {}) };
  if (typeof r.llm?.keyWithheld === 'string') config.llm = { ...config.llm, apiKey: undefined, keyWithheld: r.llm.keyWithheld };
  if (r.tracking?.credentialsWithheld === true) config.tracking = { ...config.tracking, credentialsWithheld: true };
  return config;
}

/** the layer that set a key: 'user' (overrides, environment) or 'workspace' (the file); undefined = the default */
function setBy(layers: ConfigLayer[], at: string[]): 'user' | 'workspace' | undefined {
  const layer = layers.find((l) => hasPath(l.values, at) && getPath(l.values, at) !== undefined);
  return layer ? (layer.file ? 'workspace' : 'user') : undefined;
}

function getPath(v: unknown, at: string[]): unknown {
  return at.reduce<unknown>((cur, k) => (isPlainObject(cur) ? (cur as Record<string, unknown>)[k] : undefined), v);
}

/** Credentials go only where the user pointed them (see TrustState). */
function applyTrust(parsed: ParsedConfig, layers: ConfigLayer[], trust: TrustState): Config {
  const config: Config = { ...parsed, trust };
  const fromWorkspace = (at: string[]): boolean => !trust.endpoints && setBy(layers, at) === 'workspace';
  if (fromWorkspace(['llm', 'baseUrl']) && config.llm.apiKey !== undefined && setBy(layers, ['llm', 'apiKey']) !== 'workspace') {
    const own = getPath(layers[layers.length - 1].values, ['llm', 'apiKey']);
    // the workspace's own key may go to the workspace's endpoint; the user's key may not
    config.llm = typeof own === 'string' && own ? { ...config.llm, apiKey: own } : {
      ...config.llm,
      apiKey: undefined,
      keyWithheld:
        `llm.baseUrl (${config.llm.baseUrl}) comes from ${CONFIG_FILE}, so your API key is not sent there: ` +
        trustAdvice('--trust-workspace-llm', 'set the endpoint in your own settings or OPENAI_BASE_URL'),
    };
  }
  if (fromWorkspace(['tracking', 'uri'])) config.tracking = { ...config.tracking, credentialsWithheld: true };
  // a workspace cannot name the hosts that receive your database credentials; the front end adds the user's
  const own = !trust.sources && setBy(layers, ['sources', 'trustedHosts']) === 'workspace' ? [] : config.sources.trustedHosts;
  config.sources = { ...config.sources, trustedHosts: [...new Set([...own, ...(trust.sourceHosts ?? [])])] };
  if (trust.restricted) {
    config.llm = { ...config.llm, apiKey: undefined, keyWithheld: 'the workspace is not trusted: no LLM calls (trust it in VS Code to let the agent use the LLM)' };
  }
  return config;
}

interface ConfigLayer {
  values: unknown;
  where: string;
  file?: string;
}

/** the error, naming the layer that set the offending key (the innermost one that has it) */
function configError(layers: ConfigLayer[], at: string[], what: string): DriftCatcherError {
  const layer = layers.find((l) => hasPath(l.values, at) && getPath(l.values, at) !== undefined) ?? layers[layers.length - 1];
  const msg = `invalid configuration: ${what}`;
  return layer.file ? new DriftCatcherError(msg, 'BAD_INPUT', { file: layer.file }) : new DriftCatcherError(`${msg} (set in ${layer.where})`, 'BAD_INPUT');
}

function hasPath(v: unknown, at: string[]): boolean {
  let cur = v;
  for (const k of at) {
    if (!isPlainObject(cur) || !(k in cur)) return false;
    cur = (cur as Record<string, unknown>)[k];
  }
  return at.length > 0;
}

/** keys allowed at the top of the file besides the schema's (editors' JSON schema association) */
const ROOT_EXTRAS = new Set(['$schema']);

/** The first key the schema does not know (a typo would otherwise be silently ignored), with the known keys there. */
function unknownKey(value: unknown, schema: z.ZodType, at: string[]): { path: string[]; known: string[] } | undefined {
  let def = (schema as unknown as { _zod: { def: ZodDefLike } })._zod.def;
  while (def.innerType || def.type === 'pipe') def = ((def.innerType ?? def.in) as unknown as { _zod: { def: ZodDefLike } })._zod.def;
  if (def.type === 'object' && def.shape && isPlainObject(value)) {
    // a catch-all takes any key, except z.never() (a .strict() object): its keys are checked here, with the known ones
    if (def.catchall && (def.catchall as { _zod?: { def?: { type?: string } } })._zod?.def?.type !== 'never') return undefined;
    for (const [k, v] of Object.entries(value)) {
      if (!(k in def.shape)) {
        if (at.length === 0 && ROOT_EXTRAS.has(k)) continue;
        return { path: [...at, k], known: Object.keys(def.shape) };
      }
      const inner = unknownKey(v, def.shape[k], [...at, k]);
      if (inner) return inner;
    }
  } else if (def.type === 'record' && def.valueType && isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      const inner = unknownKey(v, def.valueType, [...at, k]);
      if (inner) return inner;
    }
  } else if (def.type === 'array' && def.element && Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const inner = unknownKey(v, def.element, [...at, String(i)]);
      if (inner) return inner;
    }
  }
  return undefined;
}

interface ZodDefLike {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: unknown;
  element?: z.ZodType;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  in?: z.ZodType;
}

function describeJson(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array (${JSON.stringify(v).slice(0, 40)})`;
  return `a ${typeof v} (${JSON.stringify(v).slice(0, 40)})`;
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
