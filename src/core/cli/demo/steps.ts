import * as path from 'node:path';
import type { EngineContext } from '../../engine';
import type { DriftReport } from '../../protocol';
import type { writeDemoData } from '../../data/demoData';

/**
 * `driftcatcher demo [DIR]` runs everything the engine can do on the deterministic CICIDS-like demo data, as a
 * list of steps (listed in cli/commands/demo.ts). Each step gets the shared state and returns the lines to print.
 */
export interface DemoState {
  dir: string;
  ctx: EngineContext;
  /** a path as the user sees it: relative to the current directory */
  shown: (abs: string) => string;
  /** the command that runs this CLI as the user started it (for the commands the demo suggests) */
  self: string;
  files?: Awaited<ReturnType<typeof writeDemoData>>;
  profile?: string;
  /** the model version trained by the demo */
  version?: string;
  reports: Record<string, DriftReport>;
}

export interface DemoStep {
  name: string;
  /** returns the lines to print under the step's name */
  run(s: DemoState): Promise<string[]>;
}

/** a demo file as the user sees it: relative to the current directory */
export const rel = (s: DemoState, f: string): string => s.shown(path.resolve(s.dir, f));

/**
 * The engine's notes during a step that add something: a note whose every number and version name the step's own
 * lines already show ("trained v1: accuracy 0.9684 …" under a step that printed those figures) is a repeat.
 */
export function newNotes(notes: string[], lines: string[]): string[] {
  const shown = lines.join('\n');
  const facts = (s: string): string[] => s.match(/\bv\d+\b|\d+(?:\.\d+)?/g) ?? [];
  return [...new Set(notes)].filter((n) => {
    const f = facts(n);
    return f.length === 0 ? !shown.includes(n) : !f.every((x) => new RegExp(`(?<![\\d.])${x.replace('.', '\\.')}(?![\\d])`).test(shown));
  });
}
