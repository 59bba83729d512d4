import * as fs from 'node:fs';
import { writeFileAtomic } from '../../util/atomicWrite';
import { DriftCatcherError } from '../../util/errors';
import { Forest } from './forest';

/** Write the model atomically (readers see the old file or the new one). Compact: base64 inside one line. */
export function saveForest(file: string, f: Forest): void {
  writeFileAtomic(file, JSON.stringify(f.toJSON()) + '\n');
}

/** `names`: input names for a version 1 model file (numeric features only, names kept in the registry's meta.json). */
export function loadForest(file: string, names?: string[]): Forest {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DriftCatcherError(`cannot read model file: ${code ?? String(e)}`, code === 'ENOENT' ? 'NOT_FOUND' : 'BAD_INPUT', { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DriftCatcherError(`model file is not JSON: ${(e as Error).message}`, 'BAD_INPUT', { file });
  }
  try {
    return Forest.fromJSON(json, names);
  } catch (e) {
    if (e instanceof DriftCatcherError) throw new DriftCatcherError(e.message, e.code, { file });
    throw e;
  }
}
