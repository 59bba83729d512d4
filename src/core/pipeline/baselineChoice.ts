import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { stateDir } from '../config';
import type { BaselineChoice } from '../protocol';
import { writeJsonAtomic } from '../util/atomicWrite';
import { readJsonValidated } from '../util/jsonFile';

/**
 * The chosen drift baseline, kept in the workspace so every client agrees on it: the editor's views and header
 * diagnostics, the CLI, watch mode and the agent all compare against it when no baseline is passed explicitly.
 * No file means the default, the production model's training profile.
 * `.driftcatcher/chosen-baseline.json` describes the choice, `.driftcatcher/chosen-baseline-profile.json` holds
 * its profile (a copy, so editing or deleting the source file later changes nothing).
 */
const CHOICE_FILE = 'chosen-baseline.json';
const PROFILE_FILE = 'chosen-baseline-profile.json';

const ChoiceSchema = z.object({
  source: z.string().min(1),
  rows: z.number().int().nonnegative(),
  features: z.number().int().nonnegative(),
  chosen_at: z.string(),
});
type StoredChoice = z.infer<typeof ChoiceSchema>;

export function chosenBaselineFile(workspace: string): string {
  return path.join(stateDir(workspace), CHOICE_FILE);
}

export function chosenProfileFile(workspace: string): string {
  return path.join(stateDir(workspace), PROFILE_FILE);
}

/** the chosen file, or undefined when the production model's profile is the baseline */
export function readChosenBaseline(workspace: string): (StoredChoice & { profile: string }) | undefined {
  const file = chosenBaselineFile(workspace);
  if (!fs.existsSync(file)) return undefined;
  const stored = readJsonValidated(file, ChoiceSchema, 'chosen baseline');
  return { ...stored, profile: chosenProfileFile(workspace) };
}

/** the choice as the protocol names it; `production` is the production version of the moment */
export function describeChoice(workspace: string, production: string | undefined): BaselineChoice {
  const chosen = readChosenBaseline(workspace);
  if (!chosen) return production ? { kind: 'production', version: production } : { kind: 'production' };
  return { kind: 'file', source: chosen.source, rows: chosen.rows, features: chosen.features, chosen_at: chosen.chosen_at };
}

/** record a file as the baseline; its profile must already be at chosenProfileFile (written first, then this) */
export function writeChosenBaseline(workspace: string, choice: StoredChoice): void {
  writeJsonAtomic(chosenBaselineFile(workspace), ChoiceSchema.parse(choice));
}

/** back to the production model's profile */
export function clearChosenBaseline(workspace: string): void {
  fs.rmSync(chosenBaselineFile(workspace), { force: true });
  fs.rmSync(chosenProfileFile(workspace), { force: true });
}
