/**
 * One error type for everything a user can act on. The CLI prints `error: <message>` and exits 2;
 * the server maps it to a JSON-RPC error with `data.code`. Messages say what and where (file, line, column).
 */
export type ErrorCode =
  | 'BAD_INPUT' // malformed file, bad argument
  | 'NOT_FOUND'
  | 'LABEL' // label column missing / unusable
  | 'GATE' // validation gate refused
  | 'REGISTRY' // registry state forbids the operation
  | 'LOCKED'
  | 'OUTSIDE_WORKSPACE'
  | 'CANCELLED'
  | 'UNTRUSTED' // an untrusted workspace may only be read
  | 'EXTERNAL' // a tool or remote failed (git, dvc, MLflow, LLM)
  | 'INTERNAL';

export class DriftCatcherError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode = 'BAD_INPUT',
    readonly where?: { file?: string; line?: number; column?: number },
  ) {
    super(where?.file ? `${message} (${formatWhere(where)})` : message);
    this.name = 'DriftCatcherError';
  }
}

function formatWhere(w: { file?: string; line?: number; column?: number }): string {
  let s = w.file ?? '';
  if (w.line !== undefined) s += `:${w.line}`;
  if (w.column !== undefined) s += `:${w.column}`;
  return s;
}

export class CancelledError extends DriftCatcherError {
  constructor(what = 'operation') {
    super(`${what} was cancelled`, 'CANCELLED');
  }
}

export function throwIfAborted(signal: AbortSignal | undefined, what?: string): void {
  if (signal?.aborted) throw new CancelledError(what);
}

/** A one-line, user-facing message for any thrown value (no stack traces). */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n')[0];
  return String(e);
}
