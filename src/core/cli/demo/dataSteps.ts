import * as path from 'node:path';
import { writeDemoData } from '../../data/demoData';
import { callOperation } from '../../operations';
import { Methods } from '../../protocol';
import { rel, type DemoStep } from './steps';

/** The drift part of the demo: write the data, profile the baseline, check the three batches against it. */
export const dataDemoSteps: DemoStep[] = [
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
];
