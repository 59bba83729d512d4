/**
 * Accuracy on public real tables: our forest on the whole table (native categorical splits, missing values kept)
 * against the plain scikit-learn pipeline (median imputation + one-hot categoricals + RandomForestClassifier with
 * the same settings: 100 trees, sqrt features, bootstrap), test/oracles/sklearn_pipeline.py.
 *
 * Tables: npm `vega-datasets` (penguins, cars, movies, birdstrikes, seattle-weather), scikit-learn's bundled wine,
 * breast_cancer and digits, and our demo data. Split r of a table is stratified 80/20 split r (seed 1000 + r) with
 * forest seed 42 + r on both sides; accuracy is the mean over the splits (ACCURACY_SPLITS on small tables), times
 * the median over the first `runs` of them. Both sides read the same train/test CSVs and
 * use the same columns (our feature plan: numeric / categorical, ids and free text left out), and every label is a
 * class.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bench, fmtStat, ROOT, sampleOf, type BenchContext } from './lib/harness';
import { pairedRatio, type Stats } from './lib/stats';
import { readTable } from '../src/core/data/csvReader';
import { writeCsv } from '../src/core/data/csvWriter';
import { DATASETS, type DatasetConfig } from '../src/core/data/datasetConfig';
import { generateDemoCsv } from '../src/core/data/demoData';
import { loadLabelled } from '../src/core/data/labelled';
import type { Column } from '../src/core/data/table';
import { trainForest } from '../src/core/model/forest';
import { classificationMetrics } from '../src/core/model/metrics';
import { stratifiedSplit } from '../src/core/model/split';
import { runOracle } from '../test/oracles/oracle';

interface TableSpec {
  name: string;
  source: string;
  label: string;
  /** columns that are not features (leaks of the label, ids) */
  drop?: string[];
}

const VEGA = path.join(ROOT, 'node_modules', 'vega-datasets', 'data');
const TABLES: TableSpec[] = [
  { name: 'penguins', source: 'vega-datasets penguins.json', label: 'Species' },
  { name: 'cars', source: 'vega-datasets cars.json', label: 'Origin' },
  // gross and rating columns are features; the title is an id (our plan leaves it out, so both sides do)
  { name: 'movies', source: 'vega-datasets movies.json', label: 'MPAA Rating' },
  // the cost columns restate the damage (label leaks): left out on both sides
  { name: 'birdstrikes', source: 'vega-datasets birdstrikes.csv', label: 'Effect Amount of damage', drop: ['Cost Other', 'Cost Repair', 'Cost Total $'] },
  { name: 'seattle-weather', source: 'vega-datasets seattle-weather.csv', label: 'weather' },
  { name: 'wine', source: 'scikit-learn load_wine', label: 'target' },
  { name: 'breast_cancer', source: 'scikit-learn load_breast_cancer', label: 'target' },
  { name: 'digits', source: 'scikit-learn load_digits', label: 'target' },
  { name: 'demo', source: 'driftcatcher demo data (CICIDS2017 columns)', label: 'Label', drop: DATASETS.CICIDS2017.dropColumns },
];
const QUICK_TABLES = ['penguins', 'wine'];
/**
 * Splits per table for accuracy: with a test set of a few hundred rows one row is worth 0.2–2.8 points and a
 * forest's seed moves a split's accuracy by as much (paired difference between the sides: standard deviation
 * 0.8–2.2 points per split, measured over 50 splits), so the small tables are scored on this many splits — a standard
 * error of 0.1–0.35 point — the first `runs` of them timed, the rest for accuracy only (one process per side for all
 * of them); tables with at least LARGE_TEST test rows on `runs` splits.
 */
const ACCURACY_SPLITS = 40;
const LARGE_TEST = 1000;

/** The table as one CSV (vega JSON arrays of objects become CSV; null = empty). */
async function fullCsv(b: BenchContext, t: TableSpec): Promise<string> {
  return b.data(`table-${t.name}.csv`, async (out) => {
    const [from, file] = t.source.split(' ');
    if (from === 'scikit-learn') {
      runOracle('sklearn_pipeline', 'dataset', { name: t.name, output: out });
    } else if (from === 'driftcatcher') {
      await generateDemoCsv(out, { rows: b.size(20_000, 2_000), seed: 31 });
    } else if (file.endsWith('.csv')) {
      fs.copyFileSync(path.join(VEGA, file), out);
    } else {
      const rows = JSON.parse(fs.readFileSync(path.join(VEGA, file), 'utf8')) as Record<string, unknown>[];
      const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
      const cols = names.map((n) => {
        const numeric = rows.every((r) => r[n] === null || r[n] === undefined || typeof r[n] === 'number');
        return numeric
          ? Float64Array.from(rows, (r) => (typeof r[n] === 'number' ? (r[n] as number) : NaN))
          : rows.map((r) => (r[n] === null || r[n] === undefined ? undefined : String(r[n])));
      });
      await writeCsv(out, names, cols);
    }
  });
}

/** Writes rows `idx` of the table (all columns) as a CSV. */
async function subsetCsv(columns: Column[], idx: Int32Array, file: string): Promise<void> {
  const cells = columns.map((c) =>
    c.kind === 'numeric' ? Float64Array.from(idx, (i) => c.values[i]) : Array.from(idx, (i) => (c.codes[i] < 0 ? undefined : c.categories[c.codes[i]])),
  );
  await writeCsv(
    file,
    columns.map((c) => c.name),
    cells,
  );
}

interface Scored {
  accuracy: number;
  balanced_accuracy: number;
  macro_f1: number;
  seconds: { train: number };
  model_bytes?: number;
}

const datasetOf = (t: TableSpec): DatasetConfig => ({ name: t.name, label: t.label, dropColumns: t.drop });

/** The "ours" side in its own process: read both files as training and prediction do, fit, score. */
async function oursSide(train: string, test: string, tableJson: string, seed: number, trees: number): Promise<Scored> {
  const t = JSON.parse(tableJson) as TableSpec;
  const dataset = datasetOf(t);
  const tr = await loadLabelled(train, { label: t.label, dataset, multiClass: true });
  const te = await loadLabelled(test, { label: t.label, dataset, multiClass: true, inputs: tr.inputs, classes: tr.classes });
  const t0 = process.hrtime.bigint();
  const forest = await trainForest(tr.X, tr.y, tr.classes.length, { inputs: tr.inputs, nTrees: trees, seed });
  const trainS = Number(process.hrtime.bigint() - t0) / 1e9;
  const m = classificationMetrics(te.y, forest.predict(te.X), forest.predictProba(te.X), tr.classes);
  return { accuracy: m.accuracy, balanced_accuracy: m.balanced_accuracy, macro_f1: m.macro_f1, seconds: { train: trainS } };
}

/** The labelled rows of a table and their class index (for stratified splits). */
function labelledRows(columns: Column[], t: TableSpec): { rows: number[]; y: Int32Array; classes: number } {
  const labelCol = columns.find((c) => c.name === t.label);
  if (!labelCol) throw new Error(`${t.name}: no column ${t.label}`);
  const n = labelCol.kind === 'numeric' ? labelCol.values.length : labelCol.codes.length;
  const text = (i: number): string | undefined =>
    labelCol.kind === 'numeric' ? (Number.isNaN(labelCol.values[i]) ? undefined : String(labelCol.values[i])) : labelCol.codes[i] < 0 ? undefined : labelCol.categories[labelCol.codes[i]];
  const rows: number[] = [];
  const classOf = new Map<string, number>();
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const l = text(i)?.trim();
    if (!l) continue;
    if (!classOf.has(l)) classOf.set(l, classOf.size);
    rows.push(i);
    y.push(classOf.get(l)!);
  }
  return { rows, y: Int32Array.from(y), classes: classOf.size };
}

const mean = (xs: number[]): number => xs.reduce((a, v) => a + v, 0) / xs.length;
const signed = (v: number, d = 2): string => `${v >= 0 ? '+' : ''}${v.toFixed(d)}`;

bench({
  name: 'tables',
  title: 'Real tables: our forest on the whole table vs the scikit-learn pipeline',
  description:
    'Public tables with numeric, text and missing cells: npm `vega-datasets` (penguins, cars, movies, birdstrikes, seattle-weather), ' +
    'scikit-learn’s bundled wine, breast_cancer and digits, and our demo data (20k rows, every attack a class). Split *r* of a table is ' +
    'stratified 80/20 split *r* with forest seed 42 + *r* on both sides; accuracy is the **mean over the splits** (40 on tables with fewer than 1,000 test rows, ' +
    'where one row is worth 0.2–2.8 points), the difference is the mean paired difference (same split, same seed) ± its standard error; times and memory are medians over the first runs’ splits. Both sides read the same ' +
    'train/test CSVs and use the same columns. *ours*: native categorical splits, missing values routed per split (`src/core/model/forest`). ' +
    '*scikit-learn*: median imputation + one-hot encoding (missing as a category) + `RandomForestClassifier` (test/oracles/sklearn_pipeline.py). ' +
    'Both: 100 trees, √features per split, bootstrap, every core; every label is a class. Fit seconds are measured inside each process.',
  children: {
    ours: ([train, test, table, seed, trees]) => oursSide(train, test, table, Number(seed), Number(trees)),
    oursSplits: async ([table, trees, list]) => {
      const out: Scored[] = [];
      for (const [train, test, seed] of JSON.parse(list) as [string, string, number][]) out.push(await oursSide(train, test, table, seed, Number(trees)));
      return out;
    },
  },
  async run(b: BenchContext) {
    const trees = b.size(100, 10);
    const tables = TABLES.filter((t) => !b.quick || QUICK_TABLES.includes(t.name));
    const rows: string[][] = [];
    const diffs: number[] = [];
    const testRows: number[] = [];
    const splitCounts: number[] = [];
    for (const t of tables) {
      const csv = await fullCsv(b, t);
      const table = await readTable(csv);
      const { rows: labelled, y, classes } = labelledRows(table.columns, t);
      // the split files, and the feature columns our plan makes of them (the pipeline gets the same ones)
      const splits: { train: string; test: string; numeric: string[]; categorical: string[]; excluded: string[] }[] = [];
      const nTest = stratifiedSplit(y, classes, 0.2, 1000).test.length;
      const nSplits = nTest >= LARGE_TEST ? b.runs : Math.max(b.runs, ACCURACY_SPLITS);
      for (let r = 0; r < nSplits; r++) {
        const split = stratifiedSplit(y, classes, 0.2, 1000 + r);
        const train = await b.data(`table-${t.name}-split${r}-train.csv`, (f) => subsetCsv(table.columns, Int32Array.from(split.train, (k) => labelled[k]), f));
        const test = await b.data(`table-${t.name}-split${r}-test.csv`, (f) => subsetCsv(table.columns, Int32Array.from(split.test, (k) => labelled[k]), f));
        const plan = await loadLabelled(train, { label: t.label, dataset: datasetOf(t), multiClass: true });
        splits.push({
          train,
          test,
          numeric: plan.inputs.filter((i) => i.kind === 'numeric').map((i) => i.name),
          categorical: plan.inputs.filter((i) => i.kind === 'categorical').map((i) => i.name),
          excluded: plan.columns.filter((c) => c.kind === 'excluded').map((c) => c.name),
        });
      }
      let oneHot = 0;
      const scored = (m: { sample: { wall_s: number; cpu_s: number; peak_rss_mb: number }; output: Scored }) =>
        sampleOf(m, { accuracy: m.output.accuracy, balanced_accuracy: m.output.balanced_accuracy, macro_f1: m.output.macro_f1, train_s: m.output.seconds.train });
      const perRun: Record<'ours' | 'sklearn', { accuracy: number[]; balanced_accuracy: number[]; macro_f1: number[] }> = {
        ours: { accuracy: [], balanced_accuracy: [], macro_f1: [] },
        sklearn: { accuracy: [], balanced_accuracy: [], macro_f1: [] },
      };
      const keep = (side: 'ours' | 'sklearn', o: Scored): void => {
        perRun[side].accuracy.push(o.accuracy);
        perRun[side].balanced_accuracy.push(o.balanced_accuracy);
        perRun[side].macro_f1.push(o.macro_f1);
      };
      testRows.push(nTest);
      // split r, forest seed 42 + r on both sides
      const sides = {
        ours: async (r: number) => {
          const s = splits[r];
          const m = await b.child<Scored>('ours', [s.train, s.test, JSON.stringify(t), String(42 + r), String(trees)]);
          keep('ours', m.output);
          return scored(m);
        },
        sklearn: async (r: number) => {
          const s = splits[r];
          const m = await b.oracle<Scored & { features_out: number }>('sklearn_pipeline', 'evaluate', {
            train: s.train,
            test: s.test,
            label: t.label,
            numeric: s.numeric,
            categorical: s.categorical,
            trees,
            random_state: 42 + r,
          });
          oneHot = m.output.features_out;
          keep('sklearn', m.output);
          return scored(m);
        },
      };
      const run = { ours: 0, sklearn: 0 };
      const r: Record<'ours' | 'sklearn', Stats> = await b.compare(`table ${t.name}`, {
        ours: () => sides.ours(run.ours++),
        sklearn: () => sides.sklearn(run.sklearn++),
      });
      // the remaining splits, for accuracy only: each side in one process for all of them
      if (nSplits > b.runs) {
        const extra = splits.slice(b.runs).map((s, j) => ({ ...s, seed: 42 + b.runs + j }));
        const o = await b.child<Scored[]>('oursSplits', [JSON.stringify(t), String(trees), JSON.stringify(extra.map((s) => [s.train, s.test, s.seed]))]);
        o.output.forEach((x) => keep('ours', x));
        const sk = await b.oracle<{ results: Scored[] }>('sklearn_pipeline', 'evaluate_splits', {
          label: t.label,
          trees,
          splits: extra.map((s) => ({ train: s.train, test: s.test, numeric: s.numeric, categorical: s.categorical, random_state: s.seed })),
        });
        sk.output.results.forEach((x) => keep('sklearn', x));
      }
      splitCounts.push(nSplits);
      const acc = { ours: mean(perRun.ours.accuracy), sklearn: mean(perRun.sklearn.accuracy) };
      const diff = 100 * (acc.ours - acc.sklearn);
      // standard error of the mean paired (same split, same seed) difference
      const paired = perRun.ours.accuracy.map((a, j) => 100 * (a - perRun.sklearn.accuracy[j]));
      const se = paired.length > 1 ? Math.sqrt(paired.reduce((s, d) => s + (d - diff) ** 2, 0) / (paired.length - 1) / paired.length) : NaN;
      diffs.push(diff);
      b.record(`table ${t.name} per split`, perRun);
      const s0 = splits[0];
      rows.push([
        t.name,
        String(labelled.length),
        String(classes),
        String(splitCounts[splitCounts.length - 1]),
        String(s0.numeric.length),
        s0.categorical.join(', ') || '–',
        s0.excluded.join(', ') || '–',
        String(oneHot),
        acc.ours.toFixed(4),
        acc.sklearn.toFixed(4),
        `${signed(diff)} ± ${se.toFixed(2)} pt`,
        `${mean(perRun.ours.balanced_accuracy).toFixed(3)} / ${mean(perRun.sklearn.balanced_accuracy).toFixed(3)}`,
        `${mean(perRun.ours.macro_f1).toFixed(3)} / ${mean(perRun.sklearn.macro_f1).toFixed(3)}`,
        `${fmtStat(r.ours.train_s)} / ${fmtStat(r.sklearn.train_s)}`,
        `${fmtStat(pairedRatio(r.ours.peak_rss_mb, r.sklearn.peak_rss_mb))}×`,
      ]);
      b.check(`${t.name}: accuracy not below scikit-learn’s by more than 0.5 point`, diff >= -0.5, `${signed(diff)} pt`);
    }
    b.table(
      `Mean accuracy over stratified 80/20 splits (${ACCURACY_SPLITS} per table below ${LARGE_TEST} test rows, else ${b.runs}), ${trees} trees`,
      ['table', 'rows', 'classes', 'splits', 'numeric', 'categorical', 'left out', 'one-hot columns', 'accuracy ours', 'accuracy scikit-learn', 'difference ± SE', 'balanced acc. ours / sklearn', 'macro-F1 ours / sklearn', 'fit s ours / sklearn', 'peak RSS ours ÷ sklearn'],
      rows,
      [
        `Mean difference over the tables: ${signed(mean(diffs))} points; worst table: ${signed(Math.min(...diffs))} points. ` +
          `One test row is worth ${tables.map((t, i) => `${(100 / testRows[i]).toFixed(2)} pt (${t.name})`).join(', ')} of a split's accuracy: on the small tables a difference of a few tenths of a point is one or two rows over all splits.`,
        'Left out: columns our plan does not use (ids and free text: more distinct values than a category can carry; all-missing columns), plus label leaks named in the bench. Peak RSS: whole processes (ours includes Node and our reader, scikit-learn includes pandas).',
      ],
    );
    b.check('accuracy above scikit-learn’s on average over the tables', mean(diffs) > 0, `${signed(mean(diffs))} pt`);
  },
});
