import * as fs from 'node:fs';
import * as path from 'node:path';
import { DriftCatcherError } from './errors';

/**
 * A cross-process lock: a lock directory created with mkdir (atomic), holding the owner's pid.
 * A lock whose owner process is gone (kill -9) is taken over, so a crash never wedges the workspace.
 */
export async function withLock<T>(lockDir: string, fn: () => Promise<T> | T, timeoutMs = 30_000): Promise<T> {
  const release = await acquireLock(lockDir, timeoutMs);
  try {
    return await fn();
  } finally {
    release();
  }
}

export async function acquireLock(lockDir: string, timeoutMs = 30_000): Promise<() => void> {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'owner'), `${process.pid}\n`);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        fs.rmSync(lockDir, { recursive: true, force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (isStale(lockDir)) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new DriftCatcherError(`another DriftCatcher process holds the lock ${lockDir}; try again when it finishes`, 'LOCKED');
    }
    await new Promise((r) => setTimeout(r, Math.min(200, 10 * 2 ** Math.min(attempt, 5))));
  }
}

function isStale(lockDir: string): boolean {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(path.join(lockDir, 'owner'), 'utf8').trim());
  } catch {
    // owner file not yet written: stale only if the directory is old
    try {
      return Date.now() - fs.statSync(lockDir).mtimeMs > 5_000;
    } catch {
      return false;
    }
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
