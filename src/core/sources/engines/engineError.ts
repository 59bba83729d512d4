import { DriftCatcherError, type ErrorCode } from '../../util/errors';

/**
 * An engine's error as one line naming the source: the first line of the engine's message, without the query
 * text some engines echo, cut to a readable length. Passwords never reach here (they are not in source strings,
 * and drivers do not echo them), but anything that looks like `password=…` is masked anyway.
 */
export function engineError(display: string, e: unknown, doing = 'query failed'): DriftCatcherError {
  if (e instanceof DriftCatcherError) return e;
  const raw = e instanceof Error ? e.message : String(e);
  const first = raw
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0) ?? 'unknown error';
  const cleaned = first
    .replace(/,?\s*e\.what\(\)\s*=\s*DB::Exception.*$/, '')
    .replace(/(password\s*[=:]\s*)\S+/gi, '$1***')
    .replace(/\s+/g, ' ');
  const short = cleaned.length > 300 ? `${cleaned.slice(0, 297)}…` : cleaned;
  return new DriftCatcherError(`${display}: ${doing}: ${short}`, codeFor(raw));
}

function codeFor(message: string): ErrorCode {
  if (/does not exist|doesn't exist|not found|No such file|UNKNOWN_TABLE|UNKNOWN_DATABASE|Code: 60|Code: 81/i.test(message)) return 'NOT_FOUND';
  return 'EXTERNAL';
}
