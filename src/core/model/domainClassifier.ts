import { Random, shuffle } from '../util/random';
import { trainForest } from './forest';
import { rocAuc } from './metrics';
import { throwIfAborted } from '../util/errors';

/**
 * The domain classifier: can a model tell current rows from baseline rows? Our random forest is trained to
 * separate the two (label 1 = current) and scored by stratified k-fold cross-validation; an out-of-fold ROC AUC
 * near 0.5 means the sides look alike, near 1 that they are easy to tell apart. The interval is the folds' mean
 * ± Student's t (k − 1 degrees of freedom, 95 %) × their standard error. The features the forest splits on most
 * (mean decrease in impurity over the folds) are the ones that separate the sides. Multivariate drift
 * (drift/multivariate) is given it by its caller, so the drift engine does not depend on the model layer.
 */
export interface DomainClassifierOptions {
  folds?: number;
  trees?: number;
  seed?: number;
  threads?: number;
  signal?: AbortSignal;
}

export interface DomainClassifierResult {
  auc: number;
  auc_low: number;
  auc_high: number;
  fold_aucs: number[];
  /** feature name and mean decrease in impurity (sums to 1 over all features), most first */
  importances: { name: string; importance: number }[];
}

/** two-sided 97.5 % quantiles of Student's t for 1..30 degrees of freedom */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export async function domainClassifier(names: string[], baseline: Float64Array[], current: Float64Array[], opts: DomainClassifierOptions = {}): Promise<DomainClassifierResult> {
  const folds = Math.max(2, Math.floor(opts.folds ?? 5));
  const nb = baseline[0]?.length ?? 0;
  const nc = current[0]?.length ?? 0;
  const n = nb + nc;
  const X = names.map((_, j) => {
    const col = new Float64Array(n);
    col.set(baseline[j], 0);
    col.set(current[j], nb);
    return col;
  });
  const y = new Int32Array(n);
  y.fill(1, nb);
  // stratified folds: each side shuffled, dealt round-robin
  const rng = new Random(opts.seed ?? 42);
  const fold = new Int32Array(n);
  for (const [from, to] of [
    [0, nb],
    [nb, n],
  ]) {
    const idx = shuffle(Array.from({ length: to - from }, (_, i) => from + i), rng);
    idx.forEach((row, k) => (fold[row] = k % folds));
  }
  const aucs: number[] = [];
  const importance = new Float64Array(names.length);
  for (let f = 0; f < folds; f++) {
    throwIfAborted(opts.signal, 'multivariate drift');
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (fold[i] === f ? test : train).push(i);
    const pick = (rows: number[]) => X.map((col) => Float64Array.from(rows, (i) => col[i]));
    const forest = await trainForest(pick(train), Int32Array.from(train, (i) => y[i]), 2, {
      nTrees: opts.trees ?? 50,
      seed: (opts.seed ?? 42) + f,
      threads: opts.threads,
      signal: opts.signal,
    });
    const proba = forest.predictProba(pick(test));
    const score = Float64Array.from(test, (_, k) => proba[2 * k + 1]);
    aucs.push(rocAuc(Int32Array.from(test, (i) => y[i]), 1, score) ?? 0.5);
    const imp = forest.featureImportances();
    for (let j = 0; j < names.length; j++) importance[j] += imp[j] / folds;
  }
  const mean = aucs.reduce((a, b) => a + b, 0) / folds;
  const sd = Math.sqrt(aucs.reduce((a, b) => a + (b - mean) ** 2, 0) / (folds - 1));
  const half = T975[Math.min(folds - 1, T975.length) - 1] * (sd / Math.sqrt(folds));
  return {
    auc: mean,
    auc_low: Math.max(0, mean - half),
    auc_high: Math.min(1, mean + half),
    fold_aucs: aucs,
    importances: names.map((name, j) => ({ name, importance: importance[j] })).sort((a, b) => b.importance - a.importance),
  };
}
