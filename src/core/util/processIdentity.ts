import * as fs from 'node:fs';
import * as os from 'node:os';

/**
 * Who left a lock, a staging folder, a RUNNING run or a running plan: a pid alone is not enough (pids are reused
 * after a crash), so the owner is recorded as pid + start time + host, and it is gone when no process has that pid,
 * or the process that has it started later than the owner did.
 */
export interface ProcessIdentity {
  pid: number;
  /** start time, ms since the epoch (Linux /proc; undefined elsewhere) */
  started?: number;
  host: string;
}

let bootMs: number | undefined | null = null;

/** the machine's boot time (ms since the epoch), from /proc/stat */
function bootTime(): number | undefined {
  if (bootMs !== null) return bootMs;
  try {
    const m = /^btime (\d+)$/m.exec(fs.readFileSync('/proc/stat', 'utf8'));
    bootMs = m ? Number(m[1]) * 1000 : undefined;
  } catch {
    bootMs = undefined;
  }
  return bootMs;
}

/** a process's start time from /proc/<pid>/stat (field 22, clock ticks after boot; the kernel's USER_HZ is 100) */
export function processStartTime(pid: number): number | undefined {
  const boot = bootTime();
  if (boot === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? boot + ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

let self: ProcessIdentity | undefined;

export function currentProcess(): ProcessIdentity {
  self ??= { pid: process.pid, started: processStartTime(process.pid), host: os.hostname() };
  return self;
}

/** `pid=123 started=1733000000000 host=box`: one line, for lock owner files and run tags */
export function formatIdentity(p: ProcessIdentity = currentProcess()): string {
  return `pid=${p.pid}${p.started !== undefined ? ` started=${p.started}` : ''} host=${p.host}`;
}

/** the identity in a line written by formatIdentity, or a bare pid (older lock files) */
export function parseIdentity(text: string): ProcessIdentity | undefined {
  const t = text.trim();
  if (/^\d+$/.test(t)) return { pid: Number(t), host: os.hostname() };
  const pid = /(?:^|\s)pid=(\d+)/.exec(t);
  if (!pid) return undefined;
  const started = /(?:^|\s)started=(\d+)/.exec(t);
  const host = /(?:^|\s)host=(\S+)/.exec(t);
  return { pid: Number(pid[1]), started: started ? Number(started[1]) : undefined, host: host ? host[1] : os.hostname() };
}

/**
 * True when the owner can be known to be gone: same host, and its pid is free or now belongs to a process that
 * started after it (clock ticks are 10 ms; 2 s of slack). Another host's owner is never judged gone.
 */
export function processGone(owner: ProcessIdentity): boolean {
  if (owner.host !== os.hostname()) return false;
  if (!Number.isInteger(owner.pid) || owner.pid <= 0) return true;
  if (owner.pid === process.pid) {
    const me = currentProcess();
    return owner.started !== undefined && me.started !== undefined && Math.abs(owner.started - me.started) > 2000;
  }
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
  if (owner.started === undefined) return false;
  const now = processStartTime(owner.pid);
  return now !== undefined && Math.abs(now - owner.started) > 2000;
}
