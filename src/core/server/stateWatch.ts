import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDir } from '../config';
import { chosenBaselineFile, describeChoice } from '../pipeline/baselineChoice';
import { listVersions, modelsDir, productionVersion } from '../model/registry';
import { escalationFile } from '../agent/escalation';
import { errorMessage } from '../util/errors';

/** how often the registry files are stat'ed when no file event arrives (network drives, missed events) */
const POLL_MS = 2000;
/** file events come in bursts (a deploy writes three files): wait for the burst to end */
const DEBOUNCE_MS = 200;

export interface StateWatchHooks {
  /** the registry (versions, statuses, production) changed: the new listing */
  onModels(models: ReturnType<typeof listVersions>, production: string | undefined): void;
  onBaseline(choice: ReturnType<typeof describeChoice>): void;
  onError(message: string): void;
}

/**
 * Notices changes to the workspace's registry and baseline choice made by any process — the CLI, another editor,
 * watch mode in another server — so every view follows a deploy without a manual refresh. A cheap fingerprint
 * (size and mtime of production.json, the chosen baseline and each version's meta/validation files) is taken on
 * every file event under `.driftcatcher/` and every POLL_MS; only when it moved are the files read.
 */
export class StateWatch {
  private fingerprint: string;
  private watcher?: fs.FSWatcher;
  private readonly poll: NodeJS.Timeout;
  private debounce?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly workspace: string,
    private readonly hooks: StateWatchHooks,
  ) {
    this.fingerprint = this.take();
    this.poll = setInterval(() => this.look(), POLL_MS);
    this.poll.unref();
    this.watch();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.poll);
    clearTimeout(this.debounce);
    this.watcher?.close();
  }

  private watch(): void {
    const dir = stateDir(this.workspace);
    if (!fs.existsSync(dir)) return; // created later: the poll notices, and watches then
    try {
      this.watcher = fs.watch(dir, { recursive: true }, () => {
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => this.look(), DEBOUNCE_MS);
      });
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = undefined; // the poll still runs
      });
    } catch {
      this.watcher = undefined; // recursive watching unsupported here: the poll is enough
    }
  }

  private look(): void {
    if (this.closed) return;
    if (!this.watcher) this.watch();
    const next = this.take();
    if (next === this.fingerprint) return;
    const [modelsBefore, baselineBefore] = this.fingerprint.split('|');
    const [modelsNow, baselineNow] = next.split('|');
    this.fingerprint = next;
    try {
      if (modelsBefore !== modelsNow) this.hooks.onModels(listVersions(this.workspace), productionVersion(this.workspace));
      if (baselineBefore !== baselineNow || modelsBefore !== modelsNow) this.hooks.onBaseline(describeChoice(this.workspace, productionVersion(this.workspace)));
    } catch (e) {
      this.hooks.onError(`reading the registry after a change failed: ${errorMessage(e)}`); // mid-write: the next look retries
      this.fingerprint = '';
    }
  }

  /** `models|baseline` stat fingerprints */
  private take(): string {
    // escalation.json: a reset of the agent's escalation (announced with the models, whose validations it derives from)
    const models = [path.join(stateDir(this.workspace), 'production.json'), escalationFile(this.workspace)];
    const dir = modelsDir(this.workspace);
    try {
      for (const v of fs.readdirSync(dir)) models.push(path.join(dir, v, 'meta.json'), path.join(dir, v, 'validation.json'));
    } catch {
      // no registry yet
    }
    return `${models.map(stamp).join(',')}|${stamp(chosenBaselineFile(this.workspace))}`;
  }
}

function stamp(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return '-';
  }
}
