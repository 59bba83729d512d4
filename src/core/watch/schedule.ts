import { Cron } from 'croner';
import { z } from 'zod';

/**
 * Cron schedules for the watch daemon (`watch.schedule`, `driftcatcher watch --schedule`), parsed by croner:
 * five fields (minute hour day month weekday) or six with seconds first, local time. Parsing here, at the
 * boundary, turns a typo into a one-line error instead of a daemon that silently never runs.
 */
export function cronError(expr: string): string | undefined {
  try {
    new Cron(expr, { paused: true }).stop();
    return undefined;
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).replace(/^CronPattern:\s*/, '');
  }
}

export const CronSchema = z.string().superRefine((expr, ctx) => {
  const err = cronError(expr);
  if (err) ctx.addIssue({ code: 'custom', message: `'${expr}' is not a cron schedule: ${err}` });
});

/** Calls `tick` at every match of `expr` until stopped. */
export function startSchedule(expr: string, tick: () => void): { stop(): void; next(): Date | null } {
  const job = new Cron(expr, { protect: true }, tick);
  return { stop: () => job.stop(), next: () => job.nextRun() };
}
