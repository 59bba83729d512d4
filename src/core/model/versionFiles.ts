import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { hashFile } from '../util/hash';
import { DriftCatcherError } from '../util/errors';

/**
 * Integrity of a model version's files: the sha256 of each file (model.json, profile.json, baseline.csv) is
 * recorded in meta.json when the version is committed, and a file is checked against it before it is used, so a
 * model whose leaf values were edited (or a truncated copy) is refused instead of silently predicting nonsense.
 */

/** sha256 of every file of a staged version except meta.json (which records them) */
export async function hashVersionFiles(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    if (name === 'meta.json' || name.startsWith('.')) continue;
    if (!fs.statSync(path.join(dir, name)).isFile()) continue;
    out[name] = await hashFile(path.join(dir, name));
  }
  return out;
}

/**
 * Checks one file of a version against the sha256 recorded at training time (versions trained before hashes were
 * recorded have none: nothing to check). Throws a REGISTRY error naming the file on a mismatch.
 */
export function verifyVersionFile(dir: string, version: string, name: string, recorded: Record<string, string> | undefined): void {
  const expected = recorded?.[name];
  if (!expected) return;
  const file = path.join(dir, name);
  let actual: string;
  try {
    actual = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch (e) {
    throw new DriftCatcherError(`${name} of model ${version} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'REGISTRY', { file });
  }
  if (actual !== expected) {
    throw new DriftCatcherError(
      `${name} of model ${version} was changed after training (sha256 ${actual.slice(0, 12)}…, recorded ${expected.slice(0, 12)}…): ` +
        'it is refused; restore the file or train a new version',
      'REGISTRY',
      { file },
    );
  }
}
