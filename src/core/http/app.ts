import type { Readable } from 'node:stream';
import * as fs from 'node:fs';
import { z } from 'zod';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import { publicJson } from '../cli/commands/drift';
import { lastReport } from '../server/lastReport';
import type { ServiceProcess } from '../service/serviceProcess';
import { DriftCatcherError } from '../util/errors';
import { bearerMatches, crossSiteRefusal } from './auth';
import { HttpError, toHttpError } from './httpErrors';
import { JobStore, JobViewSchema, type Job } from './jobs';
import { ERROR_RESPONSES, jsonSchema, routeSchema } from './openapi';
import { NO_PRODUCTION, restRoutes, type RestRoute } from './routes';
import { receiveUpload } from './upload';

/**
 * The HTTP API (`driftcatcher serve --http`), on fastify: the REST routes of routes.ts, long jobs, /health,
 * /metrics (Prometheus), /openapi.json, /watch. Requests and answers are JSON; every refusal is a status code with
 * a one-line JSON error, and nothing a client sends can stop the server.
 */
export interface HttpOptions {
  service: ServiceProcess;
  /** required on every request except /health when set (non-loopback binds) */
  token?: string;
  loopback: boolean;
  version: string;
}

const LONG_WAIT_MAX_S = 600;

export async function buildApp(opts: HttpOptions): Promise<{ app: FastifyInstance; jobs: JobStore }> {
  const { service } = opts;
  const limits = service.config().service;
  const jobs = new JobStore(() => safeLimits(service)?.keepJobs ?? limits.keepJobs);
  service.countJobsWith(() => jobs.counts());

  const app = Fastify({ logger: false, bodyLimit: limits.maxBodyBytes, return503OnClosing: true, forceCloseConnections: 'idle' });
  // validation is the operation host's (the registry's zod schemas); the route schemas only document
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  // an uploaded batch stays a stream: the handler writes it to disk with its own limit
  app.addContentTypeParser('text/csv', (_req, payload, done) => done(null, payload));

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'DriftCatcher',
        version: opts.version,
        description:
          'Drift checks, agent decisions, models and plans of one DriftCatcher workspace over HTTP. Answers are the JSON the CLI prints with `--format json`. ' +
          'Heavy operations answer 200 when they finish within the wait time (`Prefer: wait=N`), else 202 with a job (`GET /jobs/{id}`).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'required on binds other than loopback; the token is in .driftcatcher/http-token' } } },
      security: [{ bearer: [] }],
      tags: ['drift', 'agent', 'model', 'runs', 'plans', 'jobs', 'service'].map((name) => ({ name })),
    },
  });

  const started = new WeakMap<FastifyRequest, bigint>();
  app.addHook('onRequest', async (req) => {
    started.set(req, process.hrtime.bigint());
    const refusal = crossSiteRefusal(req.headers, opts.loopback);
    if (refusal) throw new HttpError(403, refusal, 'FORBIDDEN');
    if (opts.token && req.routeOptions.url !== '/health' && !bearerMatches(req.headers.authorization, opts.token)) {
      throw new HttpError(401, 'missing or wrong bearer token: send Authorization: Bearer <the token in .driftcatcher/http-token>', 'UNAUTHORIZED');
    }
  });
  app.addHook('onResponse', async (req, reply) => {
    const t0 = started.get(req);
    const seconds = t0 === undefined ? 0 : Number(process.hrtime.bigint() - t0) / 1e9;
    service.metrics.httpRequest(req.routeOptions.url ?? 'unmatched', req.method, reply.statusCode, seconds);
  });
  app.setErrorHandler((e, _req, reply) => {
    const { status, body } = toHttpError(e);
    if (status >= 500) service.log(`HTTP ${status}: ${body.error}`, 'error');
    if (status === 401) reply.header('www-authenticate', 'Bearer');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: `no route ${req.method} ${req.url.split('?')[0].slice(0, 200)} (the API is described at /openapi.json)`, code: 'NOT_FOUND' }));

  for (const route of restRoutes) registerRestRoute(app, route, service, jobs);

  app.get('/health', { schema: { summary: 'Liveness: answers at once, even while heavy jobs run', tags: ['service'], security: [] } }, async () => ({
    status: 'ok',
    version: opts.version,
    uptime_seconds: Math.round(process.uptime()),
    jobs: jobs.counts(),
    watching: service.watch !== undefined,
  }));
  app.get('/metrics', { schema: { summary: 'Prometheus metrics (text exposition format)', tags: ['service'], produces: ['text/plain'] } }, async (_req, reply) => {
    reply.type(service.metrics.contentType);
    return service.metrics.render();
  });
  app.get('/openapi.json', { schema: { summary: 'This document', tags: ['service'] } }, async () => app.swagger());
  app.get('/drift/latest', { schema: { summary: 'The latest drift report of the workspace (drift --format json shape)', tags: ['drift'], response: ERROR_RESPONSES } }, async () => {
    const r = lastReport(service.workspace);
    if (!r) throw new DriftCatcherError('no drift report yet: POST /drift/check first', 'NOT_FOUND');
    return { ...publicJson(r), created_at: r.created_at, current: r.current.source };
  });
  app.get('/watch', { schema: { summary: 'Watch mode: folders, schedule, queue and what happened to the batches', tags: ['service'] } }, async () => {
    if (!service.watch) throw new DriftCatcherError('watch mode is not running in this process (driftcatcher watch DIR…, or watch.folders in driftcatcher.config.json)', 'NOT_FOUND');
    return service.watch.status();
  });
  registerJobRoutes(app, jobs);
  return { app, jobs };
}

function registerRestRoute(app: FastifyInstance, route: RestRoute, service: ServiceProcess, jobs: JobStore): void {
  const heavy = service.host.isHeavy(route.op);
  const answer = route.answer ?? ((r: unknown) => r);
  app.route({
    method: route.method,
    url: route.url,
    schema: routeSchema(route, heavy),
    handler: async (req, reply) => {
      const { params, upload } = await paramsOf(req, route, service);
      const cleanup = (): void => {
        if (upload && route.upload === 'delete-after') fs.rmSync(upload, { force: true });
      };
      if (!heavy) {
        try {
          return sendAnswer(reply, (answer as (r: unknown) => unknown)(await service.host.run(route.op, params, { signal: new AbortController().signal })));
        } finally {
          cleanup();
        }
      }
      const job = jobs.start(route.op, (run) =>
        service.host
          .run(route.op, params, run)
          .then((r) => (answer as (r: unknown) => unknown)(r))
          .finally(cleanup),
      );
      return waitOrAccept(req, reply, job, jobs, service);
    },
  });
}

async function paramsOf(req: FastifyRequest, route: RestRoute, service: ServiceProcess): Promise<{ params: Record<string, unknown>; upload?: string }> {
  const pathParams = (req.params ?? {}) as Record<string, unknown>;
  const query = coerceQuery(req.query as Record<string, unknown>);
  const fixed = route.fixed ?? {};
  if (route.method === 'GET') return { params: { ...query, ...pathParams, ...fixed } };
  const isCsv = (req.headers['content-type'] ?? '').toLowerCase().startsWith('text/csv');
  if (isCsv) {
    if (!route.upload) throw new HttpError(415, `${route.url} takes a JSON body, not text/csv`, 'UNSUPPORTED_MEDIA_TYPE');
    const length = Number(req.headers['content-length']);
    const file = await receiveUpload(req.body as Readable, service.workspace, service.config().service.maxUploadBytes, Number.isFinite(length) ? length : undefined);
    return { params: { ...query, current: file, ...pathParams, ...fixed }, upload: file };
  }
  const body = req.body ?? {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new HttpError(400, 'the request body must be a JSON object', 'BAD_INPUT');
  return { params: { ...(body as Record<string, unknown>), ...pathParams, ...fixed } };
}

/** query strings are text: `true`/`false` become booleans (e.g. `yes=true`), everything else stays a string */
function coerceQuery(q: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(q ?? {})) out[k] = v === 'true' ? true : v === 'false' ? false : v;
  return out;
}

function sendAnswer(reply: FastifyReply, value: unknown): unknown {
  if (value === NO_PRODUCTION) throw new DriftCatcherError('no model is in production (deploy one: POST /model/deploy)', 'NOT_FOUND');
  return reply.code(200).send(value);
}

/** RFC 7240: `Prefer: respond-async` answers 202 at once; `Prefer: wait=N` waits up to N seconds */
function preferredWait(req: FastifyRequest, defaultSeconds: number): number {
  const prefer = String(req.headers.prefer ?? '').toLowerCase();
  if (/\brespond-async\b/.test(prefer)) return 0;
  const m = /\bwait=(\d+)/.exec(prefer);
  return Math.min(m ? Number(m[1]) : defaultSeconds, LONG_WAIT_MAX_S);
}

async function waitOrAccept(req: FastifyRequest, reply: FastifyReply, job: Job, jobs: JobStore, service: ServiceProcess): Promise<unknown> {
  const waitS = preferredWait(req, safeLimits(service)?.waitSeconds ?? 30);
  let timer: NodeJS.Timeout | undefined;
  const finished = await Promise.race([job.done.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), waitS * 1000)))]);
  clearTimeout(timer);
  if (!finished) return reply.code(202).header('location', `/jobs/${job.id}`).send(jobs.view(job));
  if (job.status === 'succeeded') return sendAnswer(reply, job.result);
  if (job.error) return reply.code(job.error.status).send({ error: job.error.error, code: job.error.code });
  return reply.code(409).send({ error: `${job.method} was cancelled`, code: 'CANCELLED' });
}

function registerJobRoutes(app: FastifyInstance, jobs: JobStore): void {
  const idParams = jsonSchema(z.object({ id: z.string().describe('the job id from a 202 answer') }));
  const view = { description: 'the job', content: { 'application/json': { schema: jsonSchema(JobViewSchema, 'output') } } };
  const find = (req: FastifyRequest): Job => {
    const job = jobs.get((req.params as { id: string }).id);
    if (!job) throw new HttpError(404, `no job ${(req.params as { id: string }).id.slice(0, 80)} (finished jobs are kept for a while, service.keepJobs)`, 'NOT_FOUND');
    return job;
  };
  app.get('/jobs', { schema: { summary: 'Jobs, newest first', tags: ['jobs'] } }, async () => ({ jobs: jobs.list().map((j) => jobs.view(j)) }));
  app.get('/jobs/:id', { schema: { summary: 'Status, progress and (once done) the result of a job', tags: ['jobs'], params: idParams, response: { 200: view, ...ERROR_RESPONSES } } }, async (req) =>
    jobs.view(find(req)),
  );
  app.delete('/jobs/:id', { schema: { summary: 'Cancel a job (queued: at once; running: its worker stops within about a second)', tags: ['jobs'], params: idParams, response: { 200: view, ...ERROR_RESPONSES } } }, async (req) => {
    const job = find(req);
    if (job.status === 'queued' || job.status === 'running') await jobs.cancel(job);
    return jobs.view(job);
  });
}

function safeLimits(service: ServiceProcess): ReturnType<ServiceProcess['config']>['service'] | undefined {
  try {
    return service.config().service;
  } catch {
    return undefined;
  }
}
