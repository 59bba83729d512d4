import * as fs from 'node:fs';
import * as path from 'node:path';
import { stateDir } from '../config';
import type { DriftReport } from '../protocol';
import { writeJsonAtomic } from '../util/atomicWrite';

/**
 * The latest drift report of each workspace, for the dashboard: in memory, and in
 * `.driftcatcher/last-report.json` so a restarted server (or the CLI) still shows it.
 */
const latest = new Map<string, DriftReport>();

export function lastReportFile(workspace: string): string {
  return path.join(stateDir(workspace), 'last-report.json');
}

export function rememberReport(workspace: string, report: DriftReport, persist = true): void {
  latest.set(workspace, report);
  if (persist) writeJsonAtomic(lastReportFile(workspace), report);
}

export function lastReport(workspace: string): DriftReport | undefined {
  const cached = latest.get(workspace);
  if (cached) return cached;
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(lastReportFile(workspace), 'utf8'));
    if (!isDriftReport(parsed)) return undefined;
    latest.set(workspace, parsed);
    return parsed;
  } catch {
    return undefined; // none yet, or unreadable: the dashboard simply has no report
  }
}

/** shape check of a stored report (written by this module, but a person may have edited it) */
export function isDriftReport(v: unknown): v is DriftReport {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<DriftReport>;
  return typeof r.overall === 'object' && r.overall !== null && Array.isArray(r.features) && typeof r.created_at === 'string';
}
