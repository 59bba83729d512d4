import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Method } from '../operations';
import { errorMessage } from '../util/errors';
import { toHttpError, type ErrorBody } from './httpErrors';

/**
 * The HTTP API's long jobs: a heavy operation started by a request gets a job id; the request answers with its
 * result if it finishes within the wait time, else 202 and the id. `GET /jobs/{id}` shows status and progress,
 * `DELETE /jobs/{id}` cancels. The work itself runs in the operation host's worker threads (the same admission as
 * every other heavy job); this store only keeps the records — the newest `keep` finished ones.
 */
export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const JobViewSchema = z.object({
  id: z.string(),
  method: z.string(),
  status: z.enum(JOB_STATES),
  progress: z.object({ percentage: z.number().nullable(), message: z.string() }),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  result: z.unknown().optional().describe('the answer the synchronous request would have given, once succeeded'),
  error: z.object({ error: z.string(), code: z.string(), status: z.number() }).optional(),
  location: z.string(),
});
export type JobView = z.infer<typeof JobViewSchema>;

interface Job {
  id: string;
  method: Method;
  status: JobState;
  percentage: number | null;
  message: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  result?: unknown;
  error?: ErrorBody & { status: number };
  aborter: AbortController;
  done: Promise<void>;
}

export interface JobRun {
  signal: AbortSignal;
  progress(percentage: number | undefined, message: string): void;
  started(): void;
}

export class JobStore {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly keep: () => number) {}

  /** start `work` as a job; `answer` shapes its result the way the synchronous request would */
  start(method: Method, work: (run: JobRun) => Promise<unknown>): Job {
    const aborter = new AbortController();
    const job: Job = {
      id: randomUUID(),
      method,
      status: 'queued',
      percentage: null,
      message: 'queued',
      created_at: new Date().toISOString(),
      started_at: null,
      finished_at: null,
      aborter,
      done: Promise.resolve(),
    };
    this.jobs.set(job.id, job);
    job.done = work({
      signal: aborter.signal,
      progress: (pct, msg) => {
        if (job.status !== 'running') return;
        job.percentage = pct ?? job.percentage;
        job.message = msg;
      },
      started: () => {
        if (job.status !== 'queued') return;
        job.status = 'running';
        job.message = 'running';
        job.started_at = new Date().toISOString();
      },
    }).then(
      (result) => {
        job.result = result;
        this.finish(job, 'succeeded');
      },
      (e: unknown) => {
        if (aborter.signal.aborted) return this.finish(job, 'cancelled');
        const { status, body } = toHttpError(e);
        job.error = { ...body, status };
        job.message = errorMessage(e);
        this.finish(job, 'failed');
      },
    );
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  list(): Job[] {
    return [...this.jobs.values()].reverse();
  }

  /** ask a job to stop; resolves when it has (a queued job at once, a running one when its worker stopped) */
  async cancel(job: Job): Promise<void> {
    job.aborter.abort();
    await job.done;
  }

  counts(): { running: number; queued: number } {
    let running = 0;
    let queued = 0;
    for (const j of this.jobs.values()) {
      if (j.status === 'running') running++;
      else if (j.status === 'queued') queued++;
    }
    return { running, queued };
  }

  /** cancel everything (shutdown) */
  async cancelAll(): Promise<void> {
    await Promise.all([...this.jobs.values()].filter((j) => j.status === 'queued' || j.status === 'running').map((j) => this.cancel(j)));
  }

  view(job: Job): JobView {
    return {
      id: job.id,
      method: job.method,
      status: job.status,
      progress: { percentage: job.percentage, message: job.message },
      created_at: job.created_at,
      started_at: job.started_at,
      finished_at: job.finished_at,
      ...(job.status === 'succeeded' ? { result: job.result } : {}),
      ...(job.error ? { error: job.error } : {}),
      location: `/jobs/${job.id}`,
    };
  }

  private finish(job: Job, status: JobState): void {
    job.status = status;
    job.finished_at = new Date().toISOString();
    if (status === 'succeeded') (job.percentage = 100), (job.message = 'done');
    if (status === 'cancelled') job.message = 'cancelled';
    // forget the oldest finished jobs beyond the limit (a running job is never forgotten)
    const finished = [...this.jobs.values()].filter((j) => j.finished_at !== null);
    for (const old of finished.slice(0, Math.max(0, finished.length - this.keep()))) this.jobs.delete(old.id);
  }
}

export type { Job };
