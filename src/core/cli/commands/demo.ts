import * as path from 'node:path';
import type { CliCommand, CliContext } from '../command';
import type { EngineContext } from '../../engine';
import { Methods, type DriftReport } from '../../protocol';
import { writeDemoData } from '../../data/demoData';
import { callOperation } from '../../operations';
import { engineContextFor } from '../engineContext';
import { endProgress } from '../output';
import { runsDemoStep } from './runs';
import { baselineDemoStep } from './baseline';
import { modelDemoSteps } from './demoModelSteps';

/**
 * `driftcatcher demo [DIR]`: writes the deterministic CICIDS-like demo data and runs everything the engine can do
 * on it, as a list of steps. Each capability appends its steps to `demoSteps` (train, validate, agent, …), so the
 * demo grows into the whole loop.
 */
export interface DemoState {
  dir: string;
  ctx: EngineContext;
  files?: Awaited<ReturnType<typeof writeDemoData>>;
  profile?: string;
  reports: Record<string, DriftReport>;
}

export interface DemoStep {
  name: string;
  /** returns the lines to print under the step's name */
  run(s: DemoState): Promise<string[]>;
}

const rel = (s: DemoState, f: string) => path.relative(s.ctx.workspace, f) || f;

export const demoSteps: DemoStep[] = [
  {
    name: 'Write the demo data (CICIDS2017-like: baseline, holdout, batches with no / moderate / severe drift)',
    async run(s) {
      s.files = await writeDemoData(s.dir);
      return s.files.files.map((f) => rel(s, f));
    },
  },
  {
    name: 'Profile the baseline',
    async run(s) {
      const res = await callOperation(s.ctx, Methods.profileBaseline, { baseline: s.files!.baseline, output: path.join(s.dir, 'baseline-profile.json') });
      s.profile = res.output;
      return [`${res.rows} rows, ${res.features} features -> ${rel(s, res.output)}`];
    },
  },
  {
    name: 'Check drift on the three batches',
    async run(s) {
      const lines: string[] = [];
      for (const [name, file] of Object.entries(s.files!.batches)) {
        const r = await callOperation(s.ctx, Methods.checkDrift, { baseline: s.profile, current: file });
        s.reports[name] = r;
        const o = r.overall;
        const top = r.features.slice(0, 3).map((f) => `${f.name} ${f.psi.toFixed(3)}`).join(', ');
        lines.push(
          `${name.padEnd(9)} ${o.severity.toUpperCase().padEnd(8)} PSI mean ${o.psi_mean.toFixed(3)}, max ${o.psi_max.toFixed(3)}, ` +
            `${o.n_drifted}/${o.total_features} features drifted, ${r.quality.length} quality findings; top: ${top}`,
        );
      }
      return lines;
    },
  },
  ...modelDemoSteps,
  runsDemoStep,
  baselineDemoStep,
];

export const demoCommand: CliCommand = {
  name: 'demo',
  usage: 'demo [DIR]',
  summary: 'Write a CICIDS-like demo dataset (default ./demo-data) and run the engine on it, step by step',
  options: {},
  async run(cli: CliContext) {
    // The demo folder is its own workspace: registry, tracked runs and baseline history stay inside it.
    const dir = path.resolve(cli.workspace, cli.args[0] ?? 'demo-data');
    const ctx = engineContextFor({ ...cli, workspace: dir });
    const state: DemoState = { dir, ctx, reports: {} };
    for (const [i, step] of demoSteps.entries()) {
      const t0 = Date.now();
      cli.stdout(`\n${i + 1}. ${step.name}\n`);
      const lines = await step.run(state);
      endProgress(cli);
      for (const l of lines) cli.stdout(`   ${l}\n`);
      cli.stdout(`   (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
    }
    cli.stdout(`\nTry: driftcatcher drift ${path.relative(cli.workspace, state.profile ?? '') || 'PROFILE.json'} ${path.relative(cli.workspace, state.files?.batches.severe ?? '') || 'CURRENT.csv'} --format markdown\n`);
    return 0;
  },
};
