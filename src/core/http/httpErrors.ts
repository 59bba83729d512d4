import { z } from 'zod';
import { DriftCatcherError, errorMessage, type ErrorCode } from '../util/errors';

/**
 * Errors on the HTTP API: a status code and a one-line JSON body `{"error": "...", "code": "..."}`. Engine errors
 * keep their DriftCatcherError code; what the HTTP layer itself refuses (auth, size, routing, media type) has its
 * own codes.
 */
export const ErrorBodySchema = z.object({
  error: z.string().describe('one line, says what is wrong and what to do'),
  code: z.string().describe('BAD_INPUT, NOT_FOUND, OUTSIDE_WORKSPACE, UNAUTHORIZED, TOO_LARGE, …'),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const STATUS: Record<ErrorCode, number> = {
  BAD_INPUT: 400,
  LABEL: 422,
  NOT_FOUND: 404,
  OUTSIDE_WORKSPACE: 403,
  GATE: 409,
  REGISTRY: 409,
  LOCKED: 423,
  CANCELLED: 409,
  EXTERNAL: 502,
  UNTRUSTED: 403,
  INTERNAL: 500,
};

/** fastify's own errors (body parsing, limits) by their code */
const FASTIFY: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'BAD_INPUT'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'BAD_INPUT'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'TOO_LARGE'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'BAD_INPUT'],
  FST_ERR_CTP_INVALID_TYPE: [400, 'BAD_INPUT'],
};

export function toHttpError(e: unknown): { status: number; body: ErrorBody } {
  if (e instanceof HttpError) return { status: e.status, body: { error: oneLine(e.message), code: e.code } };
  if (e instanceof DriftCatcherError) return { status: STATUS[e.code] ?? 500, body: { error: errorMessage(e), code: e.code } };
  const code = (e as { code?: unknown })?.code;
  if (typeof code === 'string' && code in FASTIFY) {
    const [status, c] = FASTIFY[code];
    return { status, body: { error: oneLine(fastifyMessage(code, e)), code: c } };
  }
  const status = (e as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return { status, body: { error: oneLine(errorMessage(e)), code: 'BAD_REQUEST' } };
  return { status: 500, body: { error: `internal error: ${errorMessage(e)}`, code: 'INTERNAL' } };
}

function fastifyMessage(code: string, e: unknown): string {
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return `the request body is not valid JSON: ${errorMessage(e).replace(/^Body is not valid JSON but content-type is set to 'application\/json'/, 'malformed')}`;
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'the request body is empty but Content-Type says application/json: send a JSON object (or {})';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'the request body is larger than service.maxBodyBytes allows (upload big CSVs as text/csv, or name a file in the workspace)';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported Content-Type: send application/json (or text/csv to upload a batch)';
    default:
      return errorMessage(e);
  }
}

function oneLine(s: string): string {
  return s.split('\n')[0];
}
