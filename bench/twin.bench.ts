/**
 * The digital twin on a wide table: the whole loop (drift → reason → retrain → validate → deploy) in a sandbox, for
 * an ~8 MB batch of a 1,500-column table whose labels have turned round (concept drift, so the loop retrains).
 * Its peak memory is set beside the scikit-learn pipeline fitting the forest alone on the same training table.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bench, fmtStat, sampleOf, type BenchContext } from './lib/harness';
import { pairedRatio } from './lib/stats';
import { writeTable, type Shape } from './lib/mixedTable';
import { runCli } from '../src/core/cli/main';
import type { SimulationResult } from '../src/core/protocol';

/** A CLI command in this process; its output is returned, a non-zero exit is an error. */
async function cli(args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  if (code !== 0) throw new Error(`driftcatcher ${args.join(' ')} exited ${code}: ${err}`);
  return out;
}

interface TwinRun {
  steps: string[];
  action: string;
  deployable: boolean;
  production_unchanged: boolean;
}

bench({
  name: 'twin',
  title: 'The digital twin on a wide table',
  description:
    'A workspace whose production model (v1, trained, validated and deployed before the measurement) was trained on a generated mixed ' +
    'table (numeric columns with 5 % missing cells, categorical columns with 4–40 categories; bench/lib/mixedTable.ts). The batch: new rows ' +
    'of the same table with 35 % of the labels turned round. Measured: `driftcatcher simulate BATCH.csv` in a fresh process — drift check, ' +
    'reasoning (rule policy), retrain on the training data + the batch, validation, the deploy the twin would do, all in a sandbox copy. ' +
    'Reference: the scikit-learn pipeline (median imputation + one-hot + RandomForestClassifier, 100 trees, all cores; ' +
    'test/oracles/sklearn_pipeline.py) fitting the forest alone on the same training table and scoring the batch. Peak RSS is the whole process’s.',
  children: {
    simulate: async ([ws, batch]): Promise<TwinRun> => {
      const r = JSON.parse(await cli(['simulate', batch, '--workspace', ws, '--format', 'json'])) as SimulationResult;
      return {
        steps: r.steps.map((s) => `${s.name}:${s.status}`),
        action: r.decision.action,
        deployable: r.validation?.passed ?? false,
        production_unchanged: r.production_unchanged,
      };
    },
  },
  async run(b: BenchContext) {
    const s: Shape = { name: 'wide', rows: b.size(6600, 400), numeric: b.size(1400, 140), categorical: b.size(100, 10) };
    const batchRows = b.size(850, 120);
    const columns = s.numeric + s.categorical;
    const train = await b.data(`mixed-${s.name}-${s.rows}x${columns}-train.csv`, async (f) => writeTable(f, s, s.rows, 1));
    const numeric = Array.from({ length: s.numeric }, (_, f) => `x${f}`);
    const categorical = Array.from({ length: s.categorical }, (_, c) => `cat${c}`);
    const batch = await b.data(`mixed-${s.name}-${batchRows}x${columns}-flipped.csv`, async (f) => writeTable(f, s, batchRows, 3, 0.35));

    // a fresh workspace with v1 in production (not measured)
    const ws = path.join(b.dataDir, '..', `twin-workspace-${process.pid}`);
    fs.rmSync(ws, { recursive: true, force: true });
    fs.mkdirSync(path.join(ws, 'data'), { recursive: true });
    fs.copyFileSync(train, path.join(ws, 'data', 'train.csv'));
    try {
      await cli(['train', '--base-data', path.join(ws, 'data', 'train.csv'), '--label', 'label', '--workspace', ws]);
      await cli(['validate', '--version', 'v1', '--workspace', ws]);
      await cli(['deploy', '--version', 'v1', '--workspace', ws]);

      let last: TwinRun | undefined;
      const r = await b.compare('twin wide', {
        twin: async () => {
          const m = await b.child<TwinRun>('simulate', [ws, batch]);
          last = m.output;
          if (!m.output.production_unchanged) throw new Error('the twin changed production files');
          return sampleOf(m);
        },
        sklearn: async () => sampleOf(await b.oracle('sklearn_pipeline', 'evaluate', { train, test: batch, label: 'label', numeric, categorical, trees: 100, jobs: -1 })),
      });
      const batchMb = fs.statSync(batch).size / 1e6;
      const rawMb = (s.rows * columns * 8) / 1e6;
      const rss = pairedRatio(r.twin.peak_rss_mb, r.sklearn.peak_rss_mb);
      b.table(
        `${s.rows.toLocaleString('en-US')} × ${columns} training table, ${batchRows} × ${columns} batch (${batchMb.toFixed(1)} MB)`,
        ['side', 'what it does', 'wall s', 'process CPU s', 'peak RSS MB'],
        [
          ['ours', `twin: ${last?.steps.join(' → ')} (${last?.action})`, fmtStat(r.twin.wall_s), fmtStat(r.twin.cpu_s, 1), fmtStat(r.twin.peak_rss_mb, 0)],
          ['scikit-learn', 'pipeline fit on the training table, score the batch', fmtStat(r.sklearn.wall_s), fmtStat(r.sklearn.cpu_s, 1), fmtStat(r.sklearn.peak_rss_mb, 0)],
          ['**ours ÷ scikit-learn**', '', '', '', `**${fmtStat(rss)}×**`],
        ],
        [
          `The training table as 8-byte numbers is ${rawMb.toFixed(0)} MB, binned (1 byte per cell) ${(rawMb / 8).toFixed(0)} MB. ` +
            'The twin reads it twice (drift baseline, then training data + batch) and keeps a sandbox copy of the registry.',
        ],
      );
      b.check('the twin retrains on the flipped batch and leaves production byte-identical', !!last && last.steps.some((x) => x.startsWith('retrain_model:completed')), last?.steps.join(', ') ?? 'no run');
      b.check('the whole twin loop peaks below the scikit-learn pipeline fitting the forest alone', rss.median <= 1, `${rss.median.toFixed(2)}×`);
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  },
});
