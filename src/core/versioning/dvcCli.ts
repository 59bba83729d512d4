import * as fs from 'node:fs';
import * as path from 'node:path';
import { DriftCatcherError } from '../util/errors';

/** the real `dvc` executable on PATH, if any (checked without spawning it) */
export function findDvc(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, process.platform === 'win32' ? 'dvc.exe' : 'dvc');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/** Runs `dvc …` in the workspace through execa (ESM-only, hence the dynamic import); errors say which command failed. */
export async function runDvc(dvc: string, workspace: string, args: string[], signal?: AbortSignal): Promise<string> {
  const { execa } = await import('execa');
  const r = await execa(dvc, args, { cwd: workspace, reject: false, cancelSignal: signal, all: true });
  if (r.exitCode !== 0) {
    throw new DriftCatcherError(`\`dvc ${args.join(' ')}\` failed (exit ${r.exitCode}): ${String(r.all ?? '').trim().split('\n').slice(-3).join(' ')}`, 'EXTERNAL');
  }
  return String(r.stdout ?? '');
}
