import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import { DriftCatcherError, type ErrorCode } from './errors';

/**
 * Reads a JSON state file and checks it against its schema. Errors name the file and say what is wrong
 * (`<what> is not valid JSON: …`, `<what> is malformed at <field>: …`), never a bare parser trace.
 */
export function readJsonValidated<S extends z.ZodTypeAny>(file: string, schema: S, what: string, code: ErrorCode = 'BAD_INPUT'): z.infer<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DriftCatcherError(`${what} is not valid JSON: ${(e as Error).message.split('\n')[0]}`, code, { file });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DriftCatcherError(`${what} is malformed at ${issue.path.join('.') || '(root)'}: ${issue.message}`, code, { file });
  }
  return parsed.data;
}

/** Every readable `*.json` record in a folder (one unreadable file must not hide the others). */
export function readJsonRecords<T>(dir: string, read: (file: string) => T): T[] {
  if (!fs.existsSync(dir)) return [];
  const out: T[] = [];
  for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.json') || f.startsWith('.')) continue;
    try {
      out.push(read(path.join(dir, f)));
    } catch {
      /* skipped: reported when that record is asked for by id */
    }
  }
  return out;
}
