import { DriftCatcherError } from '../util/errors';

/**
 * Schedule rules for automatic (watch mode) runs. Pure functions of the configuration and the clock.
 */

/** minutes since midnight for "HH:MM" */
function minutesOf(hhmm: string, window: string): number {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(hhmm.trim());
  if (!m) throw new DriftCatcherError(`agent.maintenanceWindow '${window}' is not "HH:MM-HH:MM"`, 'BAD_INPUT');
  return Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Is `now` (local time) inside the maintenance window "HH:MM-HH:MM"? An empty window means any time;
 * a window whose end is before its start wraps midnight ("22:00-04:00").
 */
export function inMaintenanceWindow(window: string, now: Date): boolean {
  if (!window.trim()) return true;
  const parts = window.split('-');
  if (parts.length !== 2) throw new DriftCatcherError(`agent.maintenanceWindow '${window}' is not "HH:MM-HH:MM"`, 'BAD_INPUT');
  const from = minutesOf(parts[0], window);
  const to = minutesOf(parts[1], window);
  const t = now.getHours() * 60 + now.getMinutes();
  return from <= to ? t >= from && t < to : t >= from || t < to;
}

/** may a retrain start now, given when the last model was trained and the minimum spacing? */
export function retrainAllowed(lastRetrain: Date | undefined, minHours: number, now: Date): boolean {
  if (!lastRetrain || minHours <= 0) return true;
  return now.getTime() - lastRetrain.getTime() >= minHours * 3_600_000;
}

/** when the next automatic drift check may run, given the last one and the check interval */
export function nextCheckAt(lastCheck: number | undefined, intervalSeconds: number): number {
  return lastCheck === undefined ? 0 : lastCheck + intervalSeconds * 1000;
}
