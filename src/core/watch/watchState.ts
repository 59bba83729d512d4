import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { stateDir } from '../config';
import { writeJsonAtomic } from '../util/atomicWrite';
import { readJsonValidated } from '../util/jsonFile';

/**
 * What watch mode has done with each batch, in `.driftcatcher/watch-state.json`, so a restarted daemon (or editor)
 * neither re-processes a finished batch nor forgets one that arrived while it was down. A batch is a file at a
 * path with a size and mtime: a file replaced by new content is a new batch.
 *
 * - skipped: was already there when watch mode first started on this workspace (history, not news)
 * - queued → running → done | deferred | failed; a batch still `queued` or `running` at start (the process was
 *   stopped mid-job, its job cancelled) is queued again
 * - deferred: the agent postponed a retrain (maintenance window, minimum gap); re-run when the schedule allows
 * - superseded: a newer deferred batch took its place
 */
export const BATCH_STATUSES = ['skipped', 'queued', 'running', 'done', 'deferred', 'superseded', 'failed'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

const BatchRecordSchema = z.object({
  size: z.number(),
  mtimeMs: z.number(),
  status: z.enum(BATCH_STATUSES),
  seen_at: z.string(),
  started_at: z.string().optional(),
  finished_at: z.string().optional(),
  severity: z.string().optional(),
  action: z.string().optional(),
  decision_id: z.string().optional(),
  plan_id: z.string().optional(),
  plan_status: z.string().optional(),
  error: z.string().optional(),
});
export type BatchRecord = z.infer<typeof BatchRecordSchema>;

const WatchStateSchema = z.object({ version: z.literal(1), batches: z.record(z.string(), BatchRecordSchema) });

/** records of files that no longer exist are forgotten beyond this many records */
const MAX_RECORDS = 5000;

export function watchStateFile(workspace: string): string {
  return path.join(stateDir(workspace), 'watch-state.json');
}

export class WatchState {
  private readonly batches: Map<string, BatchRecord>;
  /** false on the very first start on a workspace: what is already there is history */
  readonly existed: boolean;

  constructor(private readonly workspace: string) {
    const file = watchStateFile(workspace);
    this.existed = fs.existsSync(file);
    const data = this.existed ? readJsonValidated(file, WatchStateSchema, 'watch state') : { version: 1 as const, batches: {} };
    this.batches = new Map(Object.entries(data.batches));
  }

  /** workspace-relative key of an absolute path */
  key(file: string): string {
    return path.relative(this.workspace, file).split(path.sep).join('/');
  }

  get(file: string): BatchRecord | undefined {
    return this.batches.get(this.key(file));
  }

  /** true when this exact file content (size + mtime) was recorded, whatever its status */
  knows(file: string, st: { size: number; mtimeMs: number }): boolean {
    const r = this.get(file);
    return r !== undefined && r.size === st.size && r.mtimeMs === st.mtimeMs;
  }

  /** files to queue again at start: recorded as queued or running when the process stopped */
  unfinished(): string[] {
    return [...this.batches].filter(([, r]) => r.status === 'queued' || r.status === 'running').map(([k]) => path.join(this.workspace, k));
  }

  /** newest deferred batch first */
  deferred(): string[] {
    return [...this.batches]
      .filter(([, r]) => r.status === 'deferred')
      .sort((a, b) => (b[1].finished_at ?? '').localeCompare(a[1].finished_at ?? ''))
      .map(([k]) => path.join(this.workspace, k));
  }

  counts(): Partial<Record<BatchStatus, number>> {
    const out: Partial<Record<BatchStatus, number>> = {};
    for (const r of this.batches.values()) out[r.status] = (out[r.status] ?? 0) + 1;
    return out;
  }

  /** record a new batch (status from `status`) with its current size and mtime */
  add(file: string, st: { size: number; mtimeMs: number }, status: BatchStatus): void {
    this.batches.set(this.key(file), { size: st.size, mtimeMs: st.mtimeMs, status, seen_at: new Date().toISOString() });
  }

  update(file: string, patch: Partial<BatchRecord>): void {
    const r = this.get(file);
    if (r) this.batches.set(this.key(file), { ...r, ...patch });
  }

  /** write the state atomically; prune records of vanished files when there are too many */
  save(): void {
    if (this.batches.size > MAX_RECORDS) {
      for (const [k, r] of this.batches) {
        if (this.batches.size <= MAX_RECORDS) break;
        if (r.status !== 'queued' && r.status !== 'running' && !fs.existsSync(path.join(this.workspace, k))) this.batches.delete(k);
      }
    }
    writeJsonAtomic(watchStateFile(this.workspace), { version: 1, batches: Object.fromEntries(this.batches) });
  }
}
