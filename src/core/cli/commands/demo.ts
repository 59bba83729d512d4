import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CliCommand, CliContext } from '../command';
import { engineContextFor } from '../engineContext';
import { endProgress } from '../output';
import { dataDemoSteps } from '../demo/dataSteps';
import { modelDemoSteps } from '../demo/modelSteps';
import { runsDemoStep } from '../demo/runsStep';
import { baselineDemoStep } from '../demo/baselineStep';
import { agentDemoSteps } from '../demo/agentSteps';
import { newNotes, type DemoState, type DemoStep } from '../demo/steps';
import { clearPreviousDemo, recordDemo } from '../demo/marker';
import { cliPath, shownPath } from '../paths';
import { stateDir } from '../../config';

/** `driftcatcher demo [DIR]`: the whole loop on the demo data, step by step (each capability adds its steps here). */
const demoSteps: DemoStep[] = [...dataDemoSteps, ...modelDemoSteps, runsDemoStep, baselineDemoStep, ...agentDemoSteps];

export const demoCommand: CliCommand = {
  name: 'demo',
  usage: 'demo [DIR]',
  summary: 'Write a CICIDS-like demo dataset (default ./demo-data) and run the engine on it, step by step',
  options: {},
  async run(cli: CliContext) {
    // The demo folder is its own workspace: registry, tracked runs and baseline history stay inside it.
    const dir = cliPath(cli, cli.args[0] ?? 'demo-data');
    const shown = (abs: string): string => shownPath(cli, abs);
    const removed = clearPreviousDemo(dir);
    if (removed.length) cli.stdout(`Starting over: removed the previous demo's files in ${shown(dir)} (${removed.join(', ')}).\n`);
    else if (fs.existsSync(stateDir(dir))) cli.stdout(`${shown(dir)} already holds a DriftCatcher workspace: the demo continues in it (new model versions, runs and decisions are added).\n`);
    const before = fs.existsSync(dir) ? fs.readdirSync(dir) : [];

    // engine notes are printed under the step they belong to, after its lines, and only when they add a fact
    let notes: string[] = [];
    const ctx = { ...engineContextFor({ ...cli, workspace: dir }), log: (m: string) => void notes.push(m) };
    const state: DemoState = { dir, ctx, shown, self: cli.self, reports: {} };
    try {
      for (const [i, step] of demoSteps.entries()) {
        const t0 = Date.now();
        cli.stdout(`\n${i + 1}. ${step.name}\n`);
        notes = [];
        const lines = await step.run(state);
        endProgress(cli);
        for (const l of [...lines, ...newNotes(notes, lines).map((n) => `note: ${n}`)]) cli.stdout(`   ${l}\n`);
        cli.stdout(`   (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
      }
    } finally {
      recordDemo(dir, before);
    }
    const profile = state.profile ? shown(state.profile) : 'PROFILE.json';
    const severe = state.files ? shown(state.files.batches.severe) : 'CURRENT.csv';
    cli.stdout(`\nTry: ${cli.self} drift ${profile} ${severe} --workspace ${shown(dir)} --format markdown\n`);
    return 0;
  },
};
