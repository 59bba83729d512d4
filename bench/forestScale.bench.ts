/**
 * Fit time, model size and peak memory on mixed tables at scale: ours (native categorical splits, missing values
 * kept) against the scikit-learn pipeline (median imputation + one-hot + RandomForestClassifier, same 100 trees,
 * sqrt features, all cores), test/oracles/sklearn_pipeline.py, on the same generated files:
 *   wide: 6,600 rows × 1,500 columns (1,400 numeric with 5 % missing, 100 categorical with 4–40 categories);
 *   tall: 200,000 rows × 40 columns (32 numeric with 5 % missing, 8 categorical).
 * Each side runs in its own measured process; fit seconds come from inside the process.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bench, fmtStat, sampleOf, type BenchContext } from './lib/harness';
import { pairedRatio } from './lib/stats';
import { loadLabelled } from '../src/core/data/labelled';
import { trainForest, saveForest } from '../src/core/model/forest';
import { classificationMetrics } from '../src/core/model/metrics';
import { writeTable, type Shape } from './lib/mixedTable';

const TREES = 100;

interface Scored {
  accuracy: number;
  seconds: { train: number };
  model_bytes: number;
}

/** The "ours" side: read, plan and encode the table, fit, score the test file, save the model (its size). */
async function oursSide(train: string, test: string, trees: number): Promise<Scored & { numeric: string[]; categorical: string[] }> {
  const tr = await loadLabelled(train, { label: 'label' });
  const te = await loadLabelled(test, { label: 'label', inputs: tr.inputs, classes: tr.classes });
  const t0 = process.hrtime.bigint();
  const forest = await trainForest(tr.X, tr.y, tr.classes.length, { inputs: tr.inputs, nTrees: trees, seed: 42 });
  const trainS = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = classificationMetrics(te.y, forest.predict(te.X), null, tr.classes);
  const modelFile = path.join(os.tmpdir(), `driftcatcher-bench-model-${process.pid}.json`);
  saveForest(modelFile, forest);
  const modelBytes = fs.statSync(modelFile).size;
  fs.rmSync(modelFile);
  return {
    accuracy: m.accuracy,
    seconds: { train: trainS },
    model_bytes: modelBytes,
    numeric: tr.inputs.filter((i) => i.kind === 'numeric').map((i) => i.name),
    categorical: tr.inputs.filter((i) => i.kind === 'categorical').map((i) => i.name),
  };
}

const scored = (m: { sample: { wall_s: number; cpu_s: number; peak_rss_mb: number }; output: Scored }) =>
  sampleOf(m, { train_s: m.output.seconds.train, accuracy: m.output.accuracy, model_mb: m.output.model_bytes / 1e6 });

bench({
  name: 'forestScale',
  title: 'Forest at scale on mixed tables: ours vs the scikit-learn pipeline',
  description:
    'Generated mixed tables (numeric columns with 5 % missing cells, categorical columns with 4–40 categories; the class depends on a few of ' +
    'each, with label noise), the same train and test files for both sides. *ours*: native categorical splits, missing values kept ' +
    '(`src/core/model/forest`, worker threads). *scikit-learn*: median imputation + one-hot + `RandomForestClassifier(n_jobs=-1)` ' +
    '(test/oracles/sklearn_pipeline.py). Both: 100 trees, √features per split, bootstrap. Fit seconds are measured inside each process; ' +
    'CPU and peak RSS are the whole process’s (ours includes reading the CSVs with our reader, scikit-learn includes pandas). ' +
    'Model size: our JSON file vs the pickled pipeline.',
  children: {
    ours: ([train, test, trees]) => oursSide(train, test, Number(trees)),
  },
  async run(b: BenchContext) {
    const trees = b.size(TREES, 10);
    const shapes: Shape[] = [
      { name: 'wide', rows: b.size(6600, 400), numeric: b.size(1400, 140), categorical: b.size(100, 10) },
      { name: 'tall', rows: b.size(200_000, 4000), numeric: 32, categorical: 8 },
    ];
    const rows: string[][] = [];
    for (const s of shapes) {
      const train = await b.data(`mixed-${s.name}-${s.rows}x${s.numeric + s.categorical}-train.csv`, async (f) => writeTable(f, s, s.rows, 1));
      const test = await b.data(`mixed-${s.name}-${s.rows}x${s.numeric + s.categorical}-test.csv`, async (f) => writeTable(f, s, Math.max(2000, Math.round(s.rows / 4)), 2));
      let columns: { numeric: string[]; categorical: string[] } | undefined;
      const r = await b.compare(`scale ${s.name}`, {
        ours: async () => {
          const m = await b.child<Scored & { numeric: string[]; categorical: string[] }>('ours', [train, test, String(trees)]);
          columns = { numeric: m.output.numeric, categorical: m.output.categorical };
          return scored(m);
        },
        sklearn: async () => {
          if (!columns) throw new Error('ours runs first: it says which columns are numeric and categorical');
          return scored(await b.oracle<Scored>('sklearn_pipeline', 'evaluate', { train, test, label: 'label', ...columns, trees, jobs: -1 }));
        },
      });
      const shape = `${s.rows.toLocaleString('en-US')} × ${s.numeric + s.categorical}`;
      for (const side of ['ours', 'sklearn'] as const) {
        const x = r[side];
        rows.push([s.name, shape, side === 'ours' ? 'ours' : 'scikit-learn', fmtStat(x.train_s), fmtStat(x.cpu_s, 1), x.accuracy.median.toFixed(4), x.model_mb.median.toFixed(1), fmtStat(x.peak_rss_mb, 0)]);
      }
      const fit = pairedRatio(r.ours.train_s, r.sklearn.train_s);
      const rss = pairedRatio(r.ours.peak_rss_mb, r.sklearn.peak_rss_mb);
      const model = r.ours.model_mb.median / r.sklearn.model_mb.median;
      const points = 100 * (r.ours.accuracy.median - r.sklearn.accuracy.median);
      rows.push([s.name, '', '**ours ÷ scikit-learn**', `**${fmtStat(fit)}×**`, `${fmtStat(pairedRatio(r.ours.cpu_s, r.sklearn.cpu_s))}×`, `${points >= 0 ? '+' : ''}${points.toFixed(2)} pt`, `${model.toFixed(2)}×`, `${fmtStat(rss)}×`]);
      b.check(`${s.name}: fit time ≤ 1.0× the pipeline’s`, fit.median <= 1, `${fit.median.toFixed(2)}×`);
      b.check(`${s.name}: model file ≤ the pickle`, model <= 1, `${model.toFixed(2)}×`);
      b.check(`${s.name}: peak memory ≤ 1× the pipeline’s`, rss.median <= 1, `${rss.median.toFixed(2)}×`);
    }
    b.table(`${trees} trees`, ['table', 'rows × columns', 'side', 'fit s', 'process CPU s', 'accuracy', 'model MB', 'peak RSS MB'], rows, [
      'Ratios are taken run by run (both sides ran back to back), then summarized; accuracy is the same in every run (fixed seeds).',
    ]);
  },
});
