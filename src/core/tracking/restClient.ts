import * as fs from 'node:fs';
import { DriftCatcherError, errorMessage } from '../util/errors';

/**
 * A client for MLflow's REST API 2.0 (https://mlflow.org/docs/latest/rest-api.html): just the calls DriftCatcher
 * makes. Every call has a timeout, so a hanging server cannot stall a pipeline run.
 */

/** runs/log-batch request limits, as MLflow's REST docs and mlflow/utils/validation.py state them */
export const LOG_BATCH_LIMITS = {
  metrics: 1000,
  params: 100,
  tags: 100,
  entities: 1000,
  /** bytes of the JSON request body */
  requestBytes: 1_000_000,
  paramValueLength: 6000,
  tagValueLength: 8000,
} as const;

export interface RestMetric {
  key: string;
  /** non-finite values are sent as the strings "NaN", "Infinity", "-Infinity" (protobuf JSON) */
  value: number | string;
  timestamp: number;
  step: number;
}
export interface KeyValue {
  key: string;
  value: string;
}
export interface LogBatch {
  metrics: RestMetric[];
  params: KeyValue[];
  tags: KeyValue[];
}

/** An error answer from the server (HTTP status + MLflow error_code), as opposed to the server being unreachable. */
export class MlflowApiError extends DriftCatcherError {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message, 'EXTERNAL');
  }
}

export interface RestClientOptions {
  timeoutMs?: number;
  /** MLFLOW_TRACKING_TOKEN / MLFLOW_TRACKING_USERNAME + MLFLOW_TRACKING_PASSWORD */
  env?: NodeJS.ProcessEnv;
}

export class MlflowRestClient {
  readonly base: string;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;

  constructor(uri: string, options: RestClientOptions = {}) {
    this.base = uri.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 5000;
    const env = options.env ?? process.env;
    this.headers = { 'Content-Type': 'application/json' };
    if (env.MLFLOW_TRACKING_TOKEN) this.headers.Authorization = `Bearer ${env.MLFLOW_TRACKING_TOKEN}`;
    else if (env.MLFLOW_TRACKING_USERNAME)
      this.headers.Authorization = `Basic ${Buffer.from(`${env.MLFLOW_TRACKING_USERNAME}:${env.MLFLOW_TRACKING_PASSWORD ?? ''}`).toString('base64')}`;
  }

  /** undefined when no such experiment (RESOURCE_DOES_NOT_EXIST) */
  async getExperimentByName(name: string): Promise<string | undefined> {
    try {
      const r = await this.call<{ experiment?: { experiment_id?: string } }>('GET', `experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`);
      return r.experiment?.experiment_id;
    } catch (e) {
      if (e instanceof MlflowApiError && (e.errorCode === 'RESOURCE_DOES_NOT_EXIST' || e.status === 404)) return undefined;
      throw e;
    }
  }

  async createExperiment(name: string): Promise<string> {
    const r = await this.call<{ experiment_id?: string }>('POST', 'experiments/create', { name });
    if (!r.experiment_id) throw new MlflowApiError(200, 'BAD_RESPONSE', `${this.base}: experiments/create returned no experiment_id`);
    return r.experiment_id;
  }

  async getOrCreateExperiment(name: string): Promise<string> {
    const id = await this.getExperimentByName(name);
    if (id) return id;
    try {
      return await this.createExperiment(name);
    } catch (e) {
      // created concurrently by someone else
      if (e instanceof MlflowApiError && e.errorCode === 'RESOURCE_ALREADY_EXISTS') {
        const again = await this.getExperimentByName(name);
        if (again) return again;
      }
      throw e;
    }
  }

  async createRun(req: { experiment_id: string; run_name?: string; start_time: number; tags: KeyValue[]; user_id?: string }): Promise<{ run_id: string; artifact_uri?: string }> {
    const r = await this.call<{ run?: { info?: { run_id?: string; run_uuid?: string; artifact_uri?: string } } }>('POST', 'runs/create', req);
    const id = r.run?.info?.run_id ?? r.run?.info?.run_uuid;
    if (!id) throw new MlflowApiError(200, 'BAD_RESPONSE', `${this.base}: runs/create returned no run id`);
    return { run_id: id, artifact_uri: r.run?.info?.artifact_uri };
  }

  /** runs/log-batch, split into as many requests as MLflow's limits require; returns the number of requests made */
  async logBatch(runId: string, batch: Partial<LogBatch>): Promise<number> {
    const chunks = chunkLogBatch({ metrics: batch.metrics ?? [], params: batch.params ?? [], tags: batch.tags ?? [] });
    for (const c of chunks) await this.call('POST', 'runs/log-batch', { run_id: runId, ...c });
    return chunks.length;
  }

  async updateRun(runId: string, status: 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED', endTime?: number): Promise<void> {
    await this.call('POST', 'runs/update', { run_id: runId, status, ...(endTime !== undefined ? { end_time: endTime } : {}) });
  }

  /** registered-models/create; an existing model is fine */
  async ensureRegisteredModel(name: string): Promise<void> {
    try {
      await this.call('POST', 'registered-models/create', { name });
    } catch (e) {
      if (!(e instanceof MlflowApiError && e.errorCode === 'RESOURCE_ALREADY_EXISTS')) throw e;
    }
  }

  async createModelVersion(name: string, source: string, runId: string): Promise<string> {
    const r = await this.call<{ model_version?: { version?: string | number } }>('POST', 'model-versions/create', { name, source, run_id: runId });
    if (r.model_version?.version === undefined) throw new MlflowApiError(200, 'BAD_RESPONSE', `${this.base}: model-versions/create returned no version`);
    return String(r.model_version.version);
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.call('POST', 'registered-models/alias', { name, alias, version });
  }

  /**
   * Uploads through the server's artifact proxy (`mlflow server --serve-artifacts`, the default since 2.0), which
   * is what `mlflow-artifacts:/…` artifact URIs mean. Returns false when the run's artifacts live elsewhere.
   */
  async uploadArtifact(artifactUri: string | undefined, relPath: string, file: string): Promise<boolean> {
    const m = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.*)$/.exec(artifactUri ?? '');
    if (!m) return false;
    const url = `${this.base}/api/2.0/mlflow-artifacts/artifacts/${[...m[1].split('/'), ...relPath.split('/')].filter(Boolean).map(encodeURIComponent).join('/')}`;
    await this.send('PUT', url, fs.readFileSync(file), { ...this.headers, 'Content-Type': 'application/octet-stream' });
    return true;
  }

  private async call<T = unknown>(method: 'GET' | 'POST', endpoint: string, body?: unknown): Promise<T> {
    const text = await this.send(method, `${this.base}/api/2.0/mlflow/${endpoint}`, body === undefined ? undefined : JSON.stringify(body), this.headers);
    if (!text) return {} as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new MlflowApiError(200, 'BAD_RESPONSE', `${this.base}: ${endpoint} answered with non-JSON`);
    }
  }

  private async send(method: string, url: string, body: string | Uint8Array | undefined, headers: Record<string, string>): Promise<string> {
    let res: Response | undefined;
    for (let attempt = 0; !res; attempt++) {
      try {
        res = await fetch(url, { method, headers, body: typeof body === 'string' || body === undefined ? body : new Blob([new Uint8Array(body)]), signal: AbortSignal.timeout(this.timeoutMs) });
      } catch (e) {
        const cause = (e as { cause?: { code?: string } }).cause?.code;
        // a kept-alive socket the server already closed: the request never reached it, so one retry is safe
        if ((cause === 'ECONNRESET' || cause === 'UND_ERR_SOCKET') && attempt === 0) continue;
        throw new DriftCatcherError(`MLflow server ${this.base} is unreachable (${cause ?? errorMessage(e)})`, 'EXTERNAL');
      }
    }
    const text = await res.text();
    if (!res.ok) {
      let code = `HTTP_${res.status}`;
      let message = text.slice(0, 200);
      try {
        const j = JSON.parse(text) as { error_code?: string; message?: string };
        code = j.error_code ?? code;
        message = j.message ?? message;
      } catch {
        /* not JSON: keep the raw text */
      }
      throw new MlflowApiError(res.status, code, `MLflow server ${this.base} refused ${method} ${url.slice(this.base.length)}: ${code} ${message}`.trim());
    }
    return text;
  }
}

/** Splits a batch so that every request stays within LOG_BATCH_LIMITS; long values are cut to the limits. */
export function chunkLogBatch(batch: LogBatch): LogBatch[] {
  const L = LOG_BATCH_LIMITS;
  const entries: { kind: keyof LogBatch; item: RestMetric | KeyValue; bytes: number }[] = [
    ...batch.params.map((p) => ({ kind: 'params' as const, item: { key: p.key, value: clip(p.value, L.paramValueLength) } })),
    ...batch.tags.map((t) => ({ kind: 'tags' as const, item: { key: t.key, value: clip(t.value, L.tagValueLength) } })),
    ...batch.metrics.map((m) => ({ kind: 'metrics' as const, item: m })),
  ].map((e) => ({ ...e, bytes: Buffer.byteLength(JSON.stringify(e.item)) + 1 }));
  const out: LogBatch[] = [];
  let cur: LogBatch = { metrics: [], params: [], tags: [] };
  let bytes = 0;
  const overhead = 200; // run_id and the JSON frame
  const count = (b: LogBatch) => b.metrics.length + b.params.length + b.tags.length;
  for (const e of entries) {
    const full =
      cur[e.kind].length >= L[e.kind] || count(cur) >= L.entities || (count(cur) > 0 && bytes + e.bytes + overhead > L.requestBytes);
    if (full) {
      out.push(cur);
      cur = { metrics: [], params: [], tags: [] };
      bytes = 0;
    }
    (cur[e.kind] as (RestMetric | KeyValue)[]).push(e.item);
    bytes += e.bytes;
  }
  if (count(cur) > 0) out.push(cur);
  return out;
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}

export function restMetricValue(v: number): number | string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  return v;
}
