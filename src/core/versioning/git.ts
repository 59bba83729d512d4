import * as fs from 'node:fs';
import { simpleGit, type SimpleGit } from 'simple-git';
import { DriftCatcherError, errorMessage } from '../util/errors';

/** git through simple-git, run in the workspace (which may be a sub-folder of the repository). */
export function gitIn(workspace: string): SimpleGit {
  return simpleGit({ baseDir: workspace });
}

export async function isGitRepo(workspace: string): Promise<boolean> {
  if (!fs.existsSync(workspace)) return false;
  try {
    return await gitIn(workspace).checkIsRepo();
  } catch {
    return false;
  }
}

/** paths are relative to the workspace; `git show REV:./path` resolves them against the working directory too */
export async function showAt(workspace: string, rev: string, relPath: string): Promise<string | undefined> {
  try {
    return await gitIn(workspace).raw(['show', `${rev}:./${relPath}`]);
  } catch {
    return undefined;
  }
}

export async function resolveCommit(workspace: string, rev: string): Promise<string> {
  let out = '';
  try {
    out = (await gitIn(workspace).raw(['rev-parse', '--verify', `${rev}^{commit}`])).trim();
  } catch {
    /* reported below */
  }
  if (!/^[0-9a-f]{40,64}$/.test(out)) throw new DriftCatcherError(`'${rev}' is not a commit in ${workspace} (see \`driftcatcher baseline history\`)`, 'NOT_FOUND');
  return out;
}

/**
 * Commits exactly these paths (others' staged work stays staged and out of the commit). Returns the new commit,
 * or undefined when the paths have no changes.
 */
export async function commitPaths(workspace: string, paths: string[], message: string): Promise<string | undefined> {
  const git = gitIn(workspace);
  await git.raw(['add', '--', ...paths]);
  const status = await git.raw(['status', '--porcelain', '--', ...paths]);
  if (!status.trim()) return undefined;
  try {
    await git.raw(['commit', '--quiet', '-m', message, '--', ...paths]);
  } catch (e) {
    throw new DriftCatcherError(`git commit of ${paths.join(', ')} failed: ${errorMessage(e)} (is user.name/user.email set?)`, 'EXTERNAL');
  }
  return (await git.raw(['rev-parse', 'HEAD'])).trim();
}

export interface LogEntry {
  rev: string;
  date: string;
  message: string;
}

/** commits touching a path, newest first */
export async function logOf(workspace: string, relPath: string): Promise<LogEntry[]> {
  let out: string;
  try {
    out = await gitIn(workspace).raw(['log', '--format=%H%x1f%aI%x1f%B%x1e', '--', relPath]);
  } catch (e) {
    if (/does not have any commits/.test(errorMessage(e))) return [];
    throw new DriftCatcherError(`git log of ${relPath} failed: ${errorMessage(e)}`, 'EXTERNAL');
  }
  return out
    .split('\x1e')
    .map((r) => r.replace(/^\n+/, ''))
    .filter((r) => r.trim())
    .map((r) => {
      const [rev, date, message] = r.split('\x1f');
      return { rev, date, message: (message ?? '').trim() };
    });
}

/**
 * Makes `dir` its own git repository (for the demo folder, so versioning never commits into an enclosing
 * project), with a local identity when none is configured. Returns false when git is unavailable.
 */
export async function ensureOwnRepo(dir: string): Promise<boolean> {
  try {
    const git = gitIn(dir);
    if (!fs.existsSync(`${dir}/.git`)) await git.init();
    const email = await git.raw(['config', 'user.email']).catch(() => '');
    if (!email.trim()) {
      await git.addConfig('user.email', 'demo@driftcatcher.invalid');
      await git.addConfig('user.name', 'DriftCatcher demo');
    }
    return true;
  } catch {
    return false;
  }
}
