/**
 * Our random forest beside scikit-learn's (test/oracles/forest.py evaluate) on generated CICIDS-like training files
 * of 10k, 50k and 200k rows × 78 features, all scored on one independent 40k-row test file (a 2k-row split's noise,
 * ±0.45 points, is as large as the accuracy tolerance). Both sides read the same files, drop rows with a missing
 * or infinite feature, map BENIGN → 0 and every other class → 1, and train 100 trees with √features per split on
 * every core. Train and predict seconds are measured inside each process.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RandomForestClassifier as MlRandomForest } from 'ml-random-forest';
import { generateDemoCsv } from '../src/core/data/demoData';
import { loadLabelled, type LabelledData } from '../src/core/data/labelled';
import { saveForest, trainForest } from '../src/core/model/forest';
import { classificationMetrics } from '../src/core/model/metrics';
import { bench, fmtStat, sampleOf, type BenchContext } from './lib/harness';
import { pairedRatio } from './lib/stats';

const TREES = 100;

interface Scored {
  rows_train: number;
  rows_test: number;
  seconds: { train: number; predict: number };
  accuracy: number;
  f1: number;
  roc_auc: number | null;
  model_bytes: number;
}

/** Both files read by the engine, cleaned and mapped as the oracle does (BENIGN → 0, other classes → 1). */
async function loadPair(trainFile: string, testFile: string): Promise<{ tr: LabelledData; te: LabelledData }> {
  const tr = await loadLabelled(trainFile, { multiClass: false });
  if (tr.classes.length !== 2 || tr.classes[0] !== 'BENIGN') throw new Error(`expected BENIGN vs attacks, got ${tr.classes.join(', ')}`);
  const te = await loadLabelled(testFile, { multiClass: false, inputs: tr.inputs, classes: tr.classes });
  return { tr, te };
}

/** A trained model as the bench scores it. */
interface Fitted {
  predict(X: LabelledData): Int32Array;
  /** class probabilities, row-major (null when the model has none) */
  proba(X: LabelledData): Float64Array | null;
  bytes(): number;
}

/** Reads both files, times `fit` on the training file and the prediction of the test file, and scores it. */
async function scoreSide(trainFile: string, testFile: string, fit: (tr: LabelledData) => Promise<Fitted>): Promise<Scored> {
  const { tr, te } = await loadPair(trainFile, testFile);
  const t0 = process.hrtime.bigint();
  const model = await fit(tr);
  const t1 = process.hrtime.bigint();
  const pred = model.predict(te);
  const t2 = process.hrtime.bigint();
  const m = classificationMetrics(te.y, pred, model.proba(te), tr.classes);
  return {
    rows_train: tr.rows,
    rows_test: te.rows,
    seconds: { train: Number(t1 - t0) / 1e9, predict: Number(t2 - t1) / 1e9 },
    accuracy: m.accuracy,
    f1: m.f1,
    roc_auc: m.roc_auc,
    model_bytes: model.bytes(),
  };
}

/** Ours, in its own process: the engine's forest; its size is that of the model file it saves. */
function oursSide(trainFile: string, testFile: string, trees: number, maxFeatures: 'sqrt' | 'all'): Promise<Scored> {
  return scoreSide(trainFile, testFile, async (tr) => {
    const forest = await trainForest(tr.X, tr.y, tr.classes.length, { nTrees: trees, seed: 42, maxFeatures });
    return {
      predict: (d) => forest.predict(d.X),
      proba: (d) => forest.predictProba(d.X),
      bytes: () => {
        const modelFile = path.join(os.tmpdir(), `driftcatcher-bench-model-${process.pid}.json`);
        saveForest(modelFile, forest);
        const size = fs.statSync(modelFile).size;
        fs.rmSync(modelFile);
        return size;
      },
    };
  });
}

/**
 * The npm package ml-random-forest on the same data: bagged CART trees (ml-cart), every feature considered at
 * every split (ml-cart cannot sample features per split; its forest's maxFeatures samples them per tree).
 */
function mlRandomForestSide(trainFile: string, testFile: string, trees: number): Promise<Scored> {
  const rowsOf = (d: LabelledData) => Array.from({ length: d.rows }, (_, i) => d.X.map((col) => col[i]));
  return scoreSide(trainFile, testFile, async (tr) => {
    const forest = new MlRandomForest({ nEstimators: trees, maxFeatures: 1.0, replacement: false, useSampleBagging: true, noOOB: true, seed: 42 });
    forest.train(rowsOf(tr), Array.from(tr.y));
    return {
      predict: (d) => Int32Array.from(forest.predict(rowsOf(d)) as number[]),
      proba: () => null,
      bytes: () => Buffer.byteLength(JSON.stringify(forest.toJSON())),
    };
  });
}

function scoredSample(m: { sample: { wall_s: number; cpu_s: number; peak_rss_mb: number }; output: Scored }) {
  const o = m.output;
  return sampleOf(m, {
    train_s: o.seconds.train,
    predict_rows_per_s: o.rows_test / o.seconds.predict,
    accuracy: o.accuracy,
    f1: o.f1,
    roc_auc: o.roc_auc ?? NaN,
    model_mb: o.model_bytes / 1e6,
    rows_train: o.rows_train,
    rows_test: o.rows_test,
  });
}

bench({
  name: 'forest',
  title: 'Random forest: ours vs scikit-learn',
  description:
    `Generated CICIDS-like training files of each size (78 features) and one independent 40k-row test file for every size; both sides read the ` +
    `same files, map BENIGN → 0 and other classes → 1, and train ${TREES} trees (√features per split, ` +
    'bootstrap, unlimited depth) on every core. *ours* is `src/core/model/forest` (worker threads); *scikit-learn* is `RandomForestClassifier` ' +
    '(test/oracles/forest.py `evaluate`, n_jobs=-1), which drops the rows with a missing or infinite feature (its forest cannot take them); ours keeps them and routes missing values per split. Train and predict seconds are measured inside each process; CPU and peak RSS are the whole ' +
    'process’s (ours includes our CSV reader, scikit-learn includes pandas). Model size: our JSON file vs the pickle.',
  children: {
    ours: ([train, test, trees, maxFeatures]) => oursSide(train, test, Number(trees), maxFeatures === 'all' ? 'all' : 'sqrt'),
    'ml-random-forest': ([train, test, trees]) => mlRandomForestSide(train, test, Number(trees)),
  },
  async run(b: BenchContext) {
    const sizes = b.size([10_000, 50_000, 200_000], [2_000]);
    const testRows = b.size(40_000, 1_000);
    const test = await b.data(`test-independent-${testRows}.csv`, (f) => generateDemoCsv(f, { rows: testRows, seed: 4242 }).then(() => undefined));
    const rows: string[][] = [];
    for (const size of sizes) {
      const train = await b.data(`train-${size}.csv`, (f) => generateDemoCsv(f, { rows: size, seed: 20170 + size }).then(() => undefined));
      const r = await b.compare(`forest-${size}`, {
        ours: async () => scoredSample(await b.child<Scored>('ours', [train, test, String(TREES), 'sqrt'])),
        sklearn: async () => scoredSample(await b.oracle<Scored>('forest', 'evaluate', { train, test, trees: TREES, jobs: -1 })),
      });
      for (const side of ['ours', 'sklearn'] as const) {
        const s = r[side];
        rows.push([
          String(size),
          side === 'ours' ? 'ours' : 'scikit-learn',
          String(s.rows_train.median),
          fmtStat(s.train_s),
          fmtStat(s.cpu_s, 1),
          fmtStat(s.predict_rows_per_s, 0),
          s.accuracy.median.toFixed(4),
          s.f1.median.toFixed(4),
          s.roc_auc ? s.roc_auc.median.toFixed(4) : '–',
          s.model_mb.median.toFixed(1),
          fmtStat(s.peak_rss_mb, 0),
        ]);
      }
      const points = 100 * (r.ours.accuracy.median - r.sklearn.accuracy.median);
      rows.push([
        String(size),
        '**ours ÷ scikit-learn**',
        '',
        `**${fmtStat(pairedRatio(r.ours.train_s, r.sklearn.train_s))}×**`,
        `${fmtStat(pairedRatio(r.ours.cpu_s, r.sklearn.cpu_s))}×`,
        `${fmtStat(pairedRatio(r.ours.predict_rows_per_s, r.sklearn.predict_rows_per_s))}×`,
        `${points >= 0 ? '+' : ''}${points.toFixed(2)} pt`,
        '',
        '',
        `${(r.ours.model_mb.median / r.sklearn.model_mb.median).toFixed(2)}×`,
        `${fmtStat(pairedRatio(r.ours.peak_rss_mb, r.sklearn.peak_rss_mb))}×`,
      ]);
      b.check(`${size} rows: train time ≤ 1.0× scikit-learn’s`, pairedRatio(r.ours.train_s, r.sklearn.train_s).median <= 1, `${pairedRatio(r.ours.train_s, r.sklearn.train_s).median.toFixed(2)}×`);
      b.check(`${size} rows: accuracy within 0.5 point of scikit-learn’s`, Math.abs(points) <= 0.5, `${points >= 0 ? '+' : ''}${points.toFixed(2)} pt`);
    }
    b.table(
      `${TREES} trees, tested on ${testRows.toLocaleString('en-US')} independent rows`,
      ['training file rows', 'side', 'rows after cleaning', 'train s', 'process CPU s', 'predict rows/s', 'accuracy', 'F1', 'ROC-AUC', 'model MB', 'peak RSS MB'],
      rows,
      ['Ratios are taken run by run (both sides ran back to back), then summarized; accuracy is the same in every run (fixed seeds).'],
    );

    // ml-random-forest: the npm package, on a training set small enough for it
    const smallRows = b.size(4_000, 300);
    const smallTrees = 1; // one tree of ml-random-forest on 4k rows already takes tens of seconds
    const small = await b.data(`train-${smallRows}.csv`, (f) => generateDemoCsv(f, { rows: smallRows, seed: 20170 + smallRows }).then(() => undefined));
    const version = b.packageVersion('ml-random-forest');
    const m = await b.compare('ml-random-forest', {
      ours: async () => scoredSample(await b.child<Scored>('ours', [small, test, String(smallTrees), 'all'])),
      'ml-random-forest': async () => scoredSample(await b.child<Scored>('ml-random-forest', [small, test, String(smallTrees)])),
      sklearn: async () => scoredSample(await b.oracle<Scored>('forest', 'evaluate', { train: small, test, trees: smallTrees, jobs: -1, max_features: 'all' })),
    });
    b.table(
      `ml-random-forest ${version}: one tree on ${smallRows.toLocaleString('en-US')} rows × 78 features`,
      ['side', 'train s', 'peak RSS MB', 'accuracy', 'ml-random-forest ÷ side (train time)'],
      (['ours', 'sklearn', 'ml-random-forest'] as const).map((k) => [
        k === 'sklearn' ? 'scikit-learn' : k,
        fmtStat(m[k].train_s),
        fmtStat(m[k].peak_rss_mb, 0),
        m[k].accuracy.median.toFixed(4),
        k === 'ml-random-forest' ? '1' : `${fmtStat(pairedRatio(m['ml-random-forest'].train_s, m[k].train_s), 0)}×`,
      ]),
      ['Like for like, all three consider every feature at every split here (bagged trees: ml-cart cannot sample features per split). One tree uses one core on every side.'],
    );
  },
});
