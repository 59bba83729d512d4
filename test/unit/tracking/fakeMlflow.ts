import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An in-test MLflow tracking server: answers the REST API 2.0 calls DriftCatcher makes and rejects requests
 * whose shape or size breaks MLflow's documented rules (https://mlflow.org/docs/latest/rest-api.html).
 */
export interface FakeMlflow {
  url: string;
  requests: { method: string; path: string; body: any }[];
  experiments: Map<string, string>;
  runs: Map<string, { experiment_id: string; status: string; end_time?: number; metrics: any[]; params: Map<string, string>; tags: Map<string, string> }>;
  artifacts: Map<string, Buffer>;
  models: Map<string, { versions: { version: string; source: string; run_id: string }[]; aliases: Map<string, string> }>;
  violations: string[];
  /** make every log-batch fail with HTTP 500 from now on */
  failLogBatch: boolean;
  close(): Promise<void>;
}

const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);

export async function startFakeMlflow(): Promise<FakeMlflow> {
  const fake: FakeMlflow = {
    url: '',
    requests: [],
    experiments: new Map(),
    runs: new Map(),
    artifacts: new Map(),
    models: new Map(),
    violations: [],
    failLogBatch: false,
    close: async () => {},
  };
  let nextExp = 1;
  let nextRun = 1;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://x');
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const bad = (msg: string) => {
        fake.violations.push(`${url.pathname}: ${msg}`);
        send(400, { error_code: 'INVALID_PARAMETER_VALUE', message: msg });
      };
      if (req.method === 'PUT' && url.pathname.startsWith('/api/2.0/mlflow-artifacts/artifacts/')) {
        fake.requests.push({ method: 'PUT', path: url.pathname, body: null });
        fake.artifacts.set(decodeURIComponent(url.pathname.slice('/api/2.0/mlflow-artifacts/artifacts/'.length)), raw);
        return send(200, {});
      }
      const endpoint = url.pathname.replace(/^\/api\/2\.0\/mlflow\//, '');
      let body: any = {};
      if (req.method === 'POST') {
        if (req.headers['content-type'] !== 'application/json') return bad('Content-Type must be application/json');
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          return bad('body is not JSON');
        }
      }
      fake.requests.push({ method: req.method ?? '', path: endpoint, body });
      switch (`${req.method} ${endpoint}`) {
        case 'GET experiments/get-by-name': {
          const name = url.searchParams.get('experiment_name');
          if (!name) return bad('experiment_name is required');
          const id = fake.experiments.get(name);
          if (!id) return send(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Could not find experiment with name '${name}'` });
          return send(200, { experiment: { experiment_id: id, name, lifecycle_stage: 'active' } });
        }
        case 'POST experiments/create': {
          if (!isStr(body.name) || !body.name) return bad('name must be a non-empty string');
          if (fake.experiments.has(body.name)) return send(400, { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'exists' });
          const id = String(nextExp++);
          fake.experiments.set(body.name, id);
          return send(200, { experiment_id: id });
        }
        case 'POST runs/create': {
          if (!isStr(body.experiment_id)) return bad('experiment_id must be a string');
          if (!isInt(body.start_time)) return bad('start_time must be an int64 in ms');
          if (!Array.isArray(body.tags) || !body.tags.every((t: any) => isStr(t.key) && isStr(t.value))) return bad('tags must be [{key, value}] strings');
          const run_id = `r${String(nextRun++).padStart(31, '0')}`;
          fake.runs.set(run_id, {
            experiment_id: body.experiment_id,
            status: 'RUNNING',
            metrics: [],
            params: new Map(),
            tags: new Map(body.tags.map((t: any) => [t.key, t.value])),
          });
          return send(200, {
            run: { info: { run_id, run_uuid: run_id, experiment_id: body.experiment_id, status: 'RUNNING', artifact_uri: `mlflow-artifacts:/${body.experiment_id}/${run_id}/artifacts` }, data: {} },
          });
        }
        case 'POST runs/log-batch': {
          if (fake.failLogBatch) return send(500, { error_code: 'INTERNAL_ERROR', message: 'database is locked' });
          const run = fake.runs.get(body.run_id);
          if (!run) return send(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no run' });
          const m = body.metrics ?? [];
          const p = body.params ?? [];
          const t = body.tags ?? [];
          // limits as MLflow's REST docs state them for runs/log-batch
          if (m.length > 1000) return bad(`${m.length} metrics > 1000`);
          if (p.length > 100) return bad(`${p.length} params > 100`);
          if (t.length > 100) return bad(`${t.length} tags > 100`);
          if (m.length + p.length + t.length > 1000) return bad('more than 1000 entities');
          if (raw.length > 1_000_000) return bad('request larger than 1 MB');
          for (const x of m) {
            if (!isStr(x.key) || !(typeof x.value === 'number' || ['NaN', 'Infinity', '-Infinity'].includes(x.value)) || !isInt(x.timestamp) || !isInt(x.step))
              return bad(`malformed metric ${JSON.stringify(x)}`);
          }
          for (const x of [...p, ...t]) if (!isStr(x.key) || !isStr(x.value)) return bad(`malformed key/value ${JSON.stringify(x)}`);
          for (const x of p) if (x.value.length > 6000) return bad('param value longer than 6000');
          for (const x of t) if (x.value.length > 8000) return bad('tag value longer than 8000');
          run.metrics.push(...m);
          for (const x of p) run.params.set(x.key, x.value);
          for (const x of t) run.tags.set(x.key, x.value);
          return send(200, {});
        }
        case 'POST runs/update': {
          const run = fake.runs.get(body.run_id);
          if (!run) return send(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no run' });
          if (!['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'].includes(body.status)) return bad('bad status');
          if (body.end_time !== undefined && !isInt(body.end_time)) return bad('end_time must be int64');
          run.status = body.status;
          run.end_time = body.end_time;
          return send(200, { run_info: { run_id: body.run_id, status: body.status } });
        }
        case 'POST registered-models/create': {
          if (!isStr(body.name)) return bad('name required');
          if (fake.models.has(body.name)) return send(400, { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'exists' });
          fake.models.set(body.name, { versions: [], aliases: new Map() });
          return send(200, { registered_model: { name: body.name } });
        }
        case 'POST model-versions/create': {
          const model = fake.models.get(body.name);
          if (!model) return send(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no model' });
          if (!isStr(body.source) || !isStr(body.run_id)) return bad('source and run_id are strings');
          const version = String(model.versions.length + 1);
          model.versions.push({ version, source: body.source, run_id: body.run_id });
          return send(200, { model_version: { name: body.name, version, source: body.source, run_id: body.run_id } });
        }
        case 'POST registered-models/alias': {
          const model = fake.models.get(body.name);
          if (!model) return send(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no model' });
          if (!isStr(body.alias) || !isStr(body.version)) return bad('alias and version are strings');
          if (!model.versions.some((v) => v.version === body.version)) return send(404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no version' });
          model.aliases.set(body.alias, body.version);
          return send(200, {});
        }
        default:
          return send(404, { error_code: 'ENDPOINT_NOT_FOUND', message: `${req.method} ${url.pathname}` });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((r) => server.close(() => r()));
  return fake;
}

/** a port on 127.0.0.1 that nothing listens on (connection refused) */
export async function deadUrl(): Promise<string> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}
