import { Random } from '../util/random';
import { matrixSummary } from './metrics';
import type { GateMetric } from './gateConfig';

/**
 * How sure the gate can be that a candidate differs from production, from the same holdout rows. Both models
 * predicted every row, so the comparison is paired: resampling rows (a bootstrap) keeps each row's pair of
 * predictions together, and the spread of the metric's difference over the resamples is the sampling noise of
 * that holdout at that size — for accuracy the bootstrap reproduces McNemar's variance ((b + c)/n², b and c the
 * rows only one model got right); for balanced accuracy and macro-F1 no closed form is needed.
 *
 * Why the gate needs it: a candidate that "beats" production by 0.2 points on a 900-row holdout has not shown
 * anything (the noise there is ±1 point), and the evaluation replays showed such candidates, once deployed,
 * scoring worse on the batches that followed. The one-sided lower bound of the difference at the configured
 * confidence is what a check may rely on.
 */
export interface PairedPredictions {
  /** true class per row */
  y: Int32Array;
  /** the candidate's and production's predicted class per row, on the same rows */
  candidate: Int32Array;
  production: Int32Array;
  classes: string[];
}

export interface DifferenceBounds {
  /** candidate − production on the holdout */
  difference: number;
  /** one-sided lower and upper bounds of the difference at `confidence` (each), from the bootstrap */
  low: number;
  high: number;
  confidence: number;
  rows: number;
}

/** Metrics that follow from the confusion matrix (ROC-AUC needs scores and is compared on the point value). */
export const PAIRED_METRICS: readonly GateMetric[] = ['accuracy', 'balanced_accuracy', 'macro_f1', 'precision', 'recall', 'f1'];

export interface BootstrapOptions {
  confidence: number;
  rounds: number;
  seed?: number;
}

type MatrixMetric = (typeof PAIRED_METRICS)[number];

function metricOf(matrix: number[][], classes: string[], m: MatrixMetric): number {
  return matrixSummary(matrix, classes)[m as keyof ReturnType<typeof matrixSummary>] as number;
}

/** Quantile with linear interpolation between order statistics (numpy's default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = Math.min(n - 1, Math.max(0, q * (n - 1)));
  const i = Math.floor(pos);
  const f = pos - i;
  return i + 1 < n ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/**
 * Bounds of candidate − production for each metric, from one paired bootstrap (the same resamples for every
 * metric). The resample is drawn over the k³ cells (true class, candidate's class, production's class): each row
 * is one draw, so the cost is rounds × rows, independent of the number of metrics.
 */
export function pairedDifferences(p: PairedPredictions, metrics: readonly GateMetric[], opts: BootstrapOptions): Map<GateMetric, DifferenceBounds> {
  const n = p.y.length;
  const k = p.classes.length;
  if (p.candidate.length !== n || p.production.length !== n) throw new Error('pairedDifferences: one prediction per row and model expected');
  const wanted = metrics.filter((m): m is MatrixMetric => (PAIRED_METRICS as readonly string[]).includes(m));
  const out = new Map<GateMetric, DifferenceBounds>();
  if (n === 0 || wanted.length === 0) return out;
  const cell = new Int32Array(n);
  for (let i = 0; i < n; i++) cell[i] = (p.y[i] * k + p.candidate[i]) * k + p.production[i];
  const matrices = (counts: ArrayLike<number>): [number[][], number[][]] => {
    const c = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    const q = Array.from({ length: k }, () => new Array<number>(k).fill(0));
    for (let code = 0; code < counts.length; code++) {
      const w = counts[code];
      if (!w) continue;
      const t = Math.floor(code / (k * k));
      c[t][Math.floor(code / k) % k] += w;
      q[t][code % k] += w;
    }
    return [c, q];
  };
  const full = new Float64Array(k * k * k);
  for (let i = 0; i < n; i++) full[cell[i]]++;
  const [c0, p0] = matrices(full);
  const point = wanted.map((m) => metricOf(c0, p.classes, m) - metricOf(p0, p.classes, m));

  const rounds = Math.max(1, Math.floor(opts.rounds));
  const diffs = wanted.map(() => new Float64Array(rounds));
  const rng = new Random(opts.seed ?? 20240611);
  const counts = new Float64Array(k * k * k);
  for (let b = 0; b < rounds; b++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[cell[rng.int(n)]]++;
    const [c, q] = matrices(counts);
    wanted.forEach((m, j) => (diffs[j][b] = metricOf(c, p.classes, m) - metricOf(q, p.classes, m)));
  }
  wanted.forEach((m, j) => {
    const d = diffs[j].sort();
    out.set(m, { difference: point[j], low: quantile(d, 1 - opts.confidence), high: quantile(d, opts.confidence), confidence: opts.confidence, rows: n });
  });
  return out;
}
