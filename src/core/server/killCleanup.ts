import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDir } from '../config';
import { modelsDir } from '../model/registry';
import { plansDir } from '../agent/planStore';
import { removeLeftoverLocks } from '../util/lock';

/**
 * When a cancelled job ignores its AbortSignal for too long, its worker thread is terminated mid-flight. It
 * shares this process's pid, so what it held looks alive to the stale-lock check: remove this process's
 * registry staging directories (only retrain-class jobs create them, and those run one at a time) and, when no
 * other job of this process is running, every lock this process holds in the workspace (registry, baseline,
 * plans, tracking). Version directories appear by rename only, so nothing else can be partial.
 */
export function cleanupAfterKill(workspace: string, otherJobsRunning: boolean, exclusive: boolean): string[] {
  const removed: string[] = [];
  const models = modelsDir(workspace);
  if (exclusive && fs.existsSync(models)) {
    for (const name of fs.readdirSync(models)) {
      if (!name.startsWith(`.staging-${process.pid}-`)) continue;
      fs.rmSync(path.join(models, name), { recursive: true, force: true });
      removed.push(path.join(models, name));
    }
  }
  if (!otherJobsRunning) removed.push(...removeLeftoverLocks([stateDir(workspace), plansDir(workspace)], true));
  return removed;
}
