import * as fs from 'node:fs';
import * as path from 'node:path';
import { siblingTempPath } from './atomicWrite';
import { DriftCatcherError } from './errors';
import { formatIdentity, parseIdentity, processGone } from './processIdentity';

/**
 * A cross-process lock: a lock directory created with mkdir (atomic), holding its owner (pid, start time, host).
 * A lock whose owner process is gone (kill -9, even when its pid was reused since) is taken over, so a crash never
 * wedges the workspace.
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
    if (placeLock(lockDir)) {
      let released = false;
      return () => {
        if (released) return;
        released = true;
        removeLockDir(lockDir);
      };
    }
    if (isStale(lockDir)) {
      removeLockDir(lockDir);
      continue;
    }
    if (Date.now() > deadline) {
      const owner = lockOwner(lockDir);
      throw new DriftCatcherError(`another DriftCatcher process${owner ? ` (pid ${owner.pid})` : ''} holds the lock ${lockDir}; try again when it finishes`, 'LOCKED');
    }
    await new Promise((r) => setTimeout(r, Math.min(200, 10 * 2 ** Math.min(attempt, 5))));
  }
}

/**
 * Creates the lock directory with its owner file already inside: built under a temporary name, then renamed into
 * place (atomic), so a process killed at any moment leaves either no lock or one that names its dead owner — which
 * the next operation takes over or sweeps — never an ownerless lock that blocks for seconds. False when held.
 */
function placeLock(lockDir: string): boolean {
  const tmp = siblingTempPath(lockDir);
  fs.mkdirSync(tmp);
  try {
    fs.writeFileSync(path.join(tmp, 'owner'), `${formatIdentity()}\n`);
    fs.renameSync(tmp, lockDir);
    return true;
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    // a directory cannot be renamed onto a non-empty one: the lock is held (EEXIST/ENOTEMPTY, EPERM on Windows)
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTEMPTY' || (process.platform === 'win32' && code === 'EPERM') || fs.existsSync(lockDir)) return false;
    throw e;
  }
}

/**
 * Removes a lock directory by first renaming it away whole: a rename may replace an empty directory, so a lock must
 * never be emptied in place (the owner file deleted before the folder) while another process is placing one.
 */
function removeLockDir(lockDir: string): void {
  const gone = siblingTempPath(lockDir, 'gone');
  try {
    fs.renameSync(lockDir, gone);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  fs.rmSync(gone, { recursive: true, force: true });
}

/** the owner of a lock directory, if its owner file is readable */
export function lockOwner(lockDir: string): ReturnType<typeof parseIdentity> {
  try {
    return parseIdentity(fs.readFileSync(path.join(lockDir, 'owner'), 'utf8'));
  } catch {
    return undefined;
  }
}

/** a lock whose owner is gone, or whose owner file never got written (a crash right after mkdir) */
export function isStale(lockDir: string): boolean {
  const owner = lockOwner(lockDir);
  if (!owner) {
    try {
      return Date.now() - fs.statSync(lockDir).mtimeMs > 5_000;
    } catch {
      return false;
    }
  }
  return processGone(owner);
}

/**
 * Lock directories (directories holding an `owner` file) directly inside each of `dirs` that were left behind:
 * their owner is gone, or — `ownedByThisProcess` — they belong to this process, whose job holding them was stopped.
 * Removes them and returns their paths. A lock in use by a live process is never touched.
 */
export function removeLeftoverLocks(dirs: string[], ownedByThisProcess = false): string[] {
  const removed: string[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const lock = path.join(dir, name);
      if (!fs.existsSync(path.join(lock, 'owner'))) continue;
      const owner = lockOwner(lock);
      const mine = ownedByThisProcess && owner !== undefined && owner.pid === process.pid && !processGone(owner);
      if (mine || isStale(lock)) {
        removeLockDir(lock);
        removed.push(lock);
      }
    }
  }
  return removed;
}
