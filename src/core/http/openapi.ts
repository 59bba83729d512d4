import { z } from 'zod';
import { operationFor, type Method } from '../operations';
import { ErrorBodySchema } from './httpErrors';
import { JobViewSchema } from './jobs';
import type { RestRoute } from './routes';

/**
 * The OpenAPI side of a route, derived from the operation registry's zod params schema — the schema the host
 * validates requests with — by `z.toJSONSchema()`; @fastify/swagger assembles the document (GET /openapi.json).
 * Nothing here is a second copy of a schema: change the registry's schema and both validation and docs follow.
 */
type AnyZod = z.ZodType;

export function paramsSchema(op: Method): AnyZod {
  const spec = operationFor(op);
  if (!spec) throw new Error(`no operation ${op}`);
  return spec.params as AnyZod;
}

/** the object schema's fields minus `drop` (params of non-object schemas have no fields to send) */
export function fieldsWithout(schema: AnyZod, drop: readonly string[]): z.ZodObject | undefined {
  if (!(schema instanceof z.ZodObject)) return undefined;
  const keep = Object.keys(schema.shape).filter((k) => !drop.includes(k));
  if (!keep.length) return undefined;
  return schema.pick(Object.fromEntries(keep.map((k) => [k, true])) as Record<string, true>);
}

export function fieldsOnly(schema: AnyZod, take: readonly string[]): z.ZodObject | undefined {
  if (!(schema instanceof z.ZodObject) || !take.length) return undefined;
  return schema.pick(Object.fromEntries(take.map((k) => [k, true])) as Record<string, true>);
}

export function jsonSchema(schema: AnyZod, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

const errorResponse = (description: string): object => ({ description, content: { 'application/json': { schema: jsonSchema(ErrorBodySchema, 'output') } } });

export const ERROR_RESPONSES = {
  400: errorResponse('malformed JSON, wrong types or missing fields'),
  401: errorResponse('missing or wrong bearer token (binds other than loopback)'),
  403: errorResponse('a path outside the workspace, or a cross-site request'),
  404: errorResponse('no such route, plan, model or job'),
  413: errorResponse('the body is larger than service.maxBodyBytes / maxUploadBytes'),
  415: errorResponse('unsupported Content-Type'),
};

export const JOB_RESPONSE = {
  description: 'still running after the wait time (Prefer: wait=N, default service.waitSeconds) or Prefer: respond-async: poll Location',
  headers: { Location: { schema: { type: 'string' }, description: '/jobs/{id}' } },
  content: { 'application/json': { schema: jsonSchema(JobViewSchema, 'output') } },
};

/** the fastify route schema (turned into OpenAPI by @fastify/swagger) of a REST route */
export function routeSchema(route: RestRoute, heavy: boolean): Record<string, unknown> {
  const params = paramsSchema(route.op);
  const fromPath = route.pathFields ?? [];
  const rest = fieldsWithout(params, [...fromPath, ...Object.keys(route.fixed ?? {})]);
  const out: Record<string, unknown> = {
    summary: route.summary,
    description: `${operationFor(route.op)?.description ?? ''} (engine method \`${route.op}\`)`,
    tags: [route.tag],
    operationId: operationId(route),
    response: {
      200: { description: 'the result, as the CLI prints it with --format json', content: { 'application/json': { schema: resultSchema(route) } } },
      ...(heavy ? { 202: JOB_RESPONSE } : {}),
      ...ERROR_RESPONSES,
    },
  };
  const pathSchema = fieldsOnly(params, fromPath);
  if (pathSchema) out.params = jsonSchema(pathSchema);
  if (route.method === 'GET') {
    if (rest) out.querystring = jsonSchema(rest);
  } else if (rest) {
    const content: Record<string, unknown> = { 'application/json': { schema: jsonSchema(rest) } };
    if (route.upload) {
      content['text/csv'] = { schema: { type: 'string', format: 'binary', description: 'the batch itself, instead of naming `current`' } };
      const query = fieldsWithout(rest, ['current']);
      if (query) out.querystring = jsonSchema(query.partial());
    }
    out.body = { content };
  }
  return out;
}

/** the registry's result schema when the route answers the result as it is (a reshaped answer is described in words) */
function resultSchema(route: RestRoute): Record<string, unknown> {
  const result = operationFor(route.op)?.result;
  // result schemas accept older stored files too, so their input side is what a client may receive
  return !route.answer && result ? jsonSchema(result as AnyZod, 'input') : {};
}

function operationId(route: RestRoute): string {
  return (route.method.toLowerCase() + route.url)
    .replace(/:(\w+)/g, 'by-$1')
    .split(/[/-]/)
    .filter(Boolean)
    .map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1)))
    .join('');
}
