import type { Config } from '../config';
import { datasetOf } from '../data/datasetConfig';
import type { ClassificationMetrics, HoldoutOverlap, ValidationCheck } from '../protocol';
import { fmt } from '../util/format';
import { GATE_METRICS, type GateMetric, type MetricThreshold, type ValidationConfig } from './gateConfig';
import { pairedDifferences, type DifferenceBounds, type PairedPredictions } from './gateSignificance';

/**
 * The champion/challenger gate. Every check compares the candidate's value of a metric with a threshold in the
 * metric's own units, after MLflow's `MetricThreshold`:
 *   floor        value ≥ threshold                                   (metrics.<m>.threshold, or the flat form)
 *   improvement  value ≥ production + min_absolute_change            (and ≥ production × (1 + min_relative_change))
 *   regression   value ≥ production − maxRegression                  (validation.guarded)
 * Improvement and regression compare two models on the same rows, so they hold with validation.confidence (95 %,
 * one-sided): with both models' predictions per row, the needed value grows by the holdout's sampling noise of
 * the difference (paired bootstrap, model/gateSignificance.ts). An improvement is a superiority test with margin
 * min_absolute_change, a regression check a non-inferiority test with margin maxRegression.
 *   baseline     value > the majority-class predictor's              (balanced accuracy and macro-F1: a constant model never passes)
 *   overlap      holdout rows the candidate trained on ≤ maxHoldoutOverlap
 * (reversed for a metric whose lower values are better). Production's checks need a production model scored on the
 * same rows; without one only floors, baseline and overlap apply.
 */

export interface GateInputs {
  candidate: ClassificationMetrics;
  production?: ClassificationMetrics & { version: string };
  overlap?: HoldoutOverlap;
  /** name of the candidate, for messages */
  version?: string;
  /** both models' predictions on the same holdout rows: the production checks then account for sampling noise */
  paired?: PairedPredictions;
}

/** The workspace's gate settings with the dataset config's (e.g. CICIDS2017's absolute floors) beneath them. */
export function effectiveValidation(config: Config): ValidationConfig {
  const v = config.validation;
  const fromDataset = datasetOf(config).validation ?? {};
  return {
    ...v,
    accuracy: v.accuracy ?? fromDataset.accuracy,
    precision: v.precision ?? fromDataset.precision,
    recall: v.recall ?? fromDataset.recall,
    f1: v.f1 ?? fromDataset.f1,
  };
}

/** Every metric's MetricThreshold, with the flat floors folded in. */
export function metricThresholds(v: ValidationConfig): Partial<Record<GateMetric, MetricThreshold>> {
  const out: Partial<Record<GateMetric, MetricThreshold>> = {};
  for (const m of GATE_METRICS) {
    const t = v.metrics[m];
    const flat = m === 'accuracy' || m === 'precision' || m === 'recall' || m === 'f1' ? v[m] : undefined;
    if (t || flat !== undefined) out[m] = { greater_is_better: true, ...t, ...(t?.threshold === undefined && flat !== undefined ? { threshold: flat } : {}) };
  }
  return out;
}

/** A metric's value, NaN when it was not measured (ROC-AUC without probabilities, metrics of an older file). */
export function metricValue(m: ClassificationMetrics, name: string): number {
  const v = (m as unknown as Record<string, unknown>)[name];
  return typeof v === 'number' ? v : Number.NaN;
}

function majorityValue(m: ClassificationMetrics, name: 'balanced_accuracy' | 'macro_f1'): number {
  const b = (m as unknown as { majority_baseline?: Record<string, unknown> }).majority_baseline;
  const v = b?.[name];
  return typeof v === 'number' ? v : Number.NaN;
}

/** a metric in a check's message; a metric that could not be computed says so */
const measured = (x: number): string => fmt(x, 4, 'not measured');
/** a tiny tolerance so that 0.9 computed as 0.8999999999 does not fail a 0.9 threshold */
const EPS = 1e-12;

function holds(value: number, comparison: ValidationCheck['comparison'], threshold: number): boolean {
  if (!Number.isFinite(value) || !Number.isFinite(threshold)) return false;
  switch (comparison) {
    case '>=':
      return value >= threshold - EPS;
    case '<=':
      return value <= threshold + EPS;
    case '>':
      return value > threshold + EPS;
    case '<':
      return value < threshold - EPS;
  }
}

export function gateChecks(inputs: GateInputs, v: ValidationConfig): ValidationCheck[] {
  const { candidate, production } = inputs;
  const checks: ValidationCheck[] = [];
  const thresholds = metricThresholds(v);

  for (const [m, t] of Object.entries(thresholds) as [GateMetric, MetricThreshold][]) {
    if (t.threshold === undefined) continue;
    const value = metricValue(candidate, m);
    const cmp = t.greater_is_better ? '>=' : '<=';
    const passed = holds(value, cmp, t.threshold);
    const word = t.greater_is_better ? (passed ? 'meets the floor' : 'is below the floor') : passed ? 'meets the ceiling' : 'is above the ceiling';
    checks.push({ name: m, kind: 'floor', metric: m, value, threshold: t.threshold, comparison: cmp, passed, message: `${m} ${measured(value)} ${word} ${measured(t.threshold)}` });
  }

  if (v.beatMajority) {
    for (const m of ['balanced_accuracy', 'macro_f1'] as const) {
      const value = metricValue(candidate, m);
      const base = majorityValue(candidate, m);
      const passed = holds(value, '>', base);
      checks.push({
        name: `${m}_beats_majority_class`,
        kind: 'baseline',
        metric: m,
        value,
        threshold: base,
        comparison: '>',
        passed,
        reference: { of: 'majority-class predictor', value: base },
        message: `${m} ${measured(value)} ${passed ? 'beats' : 'does not beat'} the majority-class predictor's ${measured(base)}`,
      });
    }
  }

  if (production) {
    const pv = production.version;
    const bounds = differenceBounds(inputs, thresholds, v);
    const improved = new Set<GateMetric>();
    for (const [m, t] of Object.entries(thresholds) as [GateMetric, MetricThreshold][]) {
      const value = metricValue(candidate, m);
      const ref = metricValue(production, m);
      const up = t.greater_is_better;
      const cmp = up ? '>=' : '<=';
      const noise = samplingNoise(bounds.get(m), up);
      const required: [string, number, string][] = [];
      if (t.min_absolute_change !== undefined) required.push([`${m}_improves_on_${pv}`, t.min_absolute_change, `${t.min_absolute_change}`]);
      if (t.min_relative_change !== undefined) required.push([`${m}_improves_on_${pv}_relative`, Math.abs(ref) * t.min_relative_change, `${(t.min_relative_change * 100).toFixed(1)} %`]);
      for (const [name, change, said] of required) {
        improved.add(m);
        const threshold = up ? ref + change + noise.amount : ref - change - noise.amount;
        const passed = holds(value, cmp, threshold);
        checks.push({
          name,
          kind: 'improvement',
          metric: m,
          value,
          threshold,
          comparison: cmp,
          passed,
          reference: { of: `production ${pv}`, value: ref },
          ...noise.field,
          message: `${m} ${measured(value)} ${passed ? 'beats' : 'does not beat'} production ${pv} (${measured(ref)}) by the required ${said}${noise.words} (needs ${cmp} ${measured(threshold)})`,
        });
      }
    }
    for (const m of v.guarded) {
      if (improved.has(m)) continue; // an improvement check on the metric is stricter
      const value = metricValue(candidate, m);
      const ref = metricValue(production, m);
      const noise = samplingNoise(bounds.get(m), true);
      const threshold = ref - v.maxRegression + noise.amount;
      const passed = holds(value, '>=', threshold);
      checks.push({
        name: `${m}_not_below_${pv}`,
        kind: 'regression',
        metric: m,
        value,
        threshold,
        comparison: '>=',
        passed,
        reference: { of: `production ${pv}`, value: ref },
        ...noise.field,
        message: passed
          ? `${m} ${measured(value)} is within ${v.maxRegression} of production ${pv} (${measured(ref)}) or better${noise.words}`
          : noise.amount > 0
            ? `${m} ${measured(value)} is not shown to be within ${v.maxRegression} of production ${pv} (${measured(ref)})${noise.words} (needs >= ${measured(threshold)})`
            : `${m} ${measured(value)} is more than ${v.maxRegression} below production ${pv} (${measured(ref)})`,
      });
    }
  }

  if (inputs.overlap) {
    const o = inputs.overlap;
    const passed = o.rows <= v.maxHoldoutOverlap;
    const who = inputs.version ?? 'the candidate';
    checks.push({
      name: 'holdout_overlap',
      kind: 'overlap',
      value: o.rows,
      threshold: v.maxHoldoutOverlap,
      comparison: '<=',
      passed,
      message:
        (o.rows === 0 ? `no holdout row is in ${who}'s training data` : `${o.rows} holdout row(s) are in ${who}'s training data (allowed ${v.maxHoldoutOverlap})`) +
        (o.unverified ? `; ${o.unverified} could not be checked (a lineage file is gone or changed)` : ''),
    });
  }
  return checks;
}

/** Paired bounds of candidate − production for the metrics the production checks compare (none without paired predictions). */
function differenceBounds(inputs: GateInputs, thresholds: Partial<Record<GateMetric, MetricThreshold>>, v: ValidationConfig): Map<GateMetric, DifferenceBounds> {
  if (!inputs.paired || v.confidence <= 0.5) return new Map();
  const metrics = [...new Set<GateMetric>([...(Object.keys(thresholds) as GateMetric[]), ...v.guarded])];
  return pairedDifferences(inputs.paired, metrics, { confidence: v.confidence, rounds: v.bootstrapRounds });
}

/**
 * How much of the observed difference sampling alone can explain, in the metric's units (point − the
 * one-sided bound on the better side): the needed value grows by it, so a check passes exactly when the bound
 * clears the required change.
 */
function samplingNoise(b: DifferenceBounds | undefined, greaterIsBetter: boolean): { amount: number; field: Partial<ValidationCheck>; words: string } {
  if (!b) return { amount: 0, field: {}, words: '' };
  const amount = Math.max(0, greaterIsBetter ? b.difference - b.low : b.high - b.difference);
  const pct = Math.round(b.confidence * 100);
  return {
    amount,
    field: { significance: { confidence: b.confidence, noise: amount, rows: b.rows, difference: [b.low, b.high] } },
    words: ` with ${pct} % confidence on the same ${b.rows} rows (sampling noise ${measured(amount)})`,
  };
}

/** One line per failed check, for errors and logs ("accuracy 0.7645 is below the floor 0.9000"). */
export function failedChecks(checks: ValidationCheck[]): string {
  return checks
    .filter((c) => !c.passed)
    .map(describeCheck)
    .join('; ');
}

export function describeCheck(c: ValidationCheck): string {
  if (c.message) return c.message;
  // results written before checks carried a message
  const opposite = { '>=': '<', '<=': '>', '>': '<=', '<': '>=' } as const;
  return `${c.name} ${measured(c.value)} ${c.passed ? c.comparison : opposite[c.comparison]} ${measured(c.threshold)}`;
}

/**
 * How far the weakest check cleared its threshold, in the metric's units (negative: a check failed).
 * Overlap checks count rows, not a metric, and stay out.
 */
export function weakestMargin(checks: ValidationCheck[]): { margin: number; check: ValidationCheck } | undefined {
  let best: { margin: number; check: ValidationCheck } | undefined;
  for (const c of checks) {
    if (c.kind === 'overlap') continue;
    const m = c.comparison === '>=' || c.comparison === '>' ? c.value - c.threshold : c.threshold - c.value;
    if (!Number.isFinite(m)) continue;
    if (!best || m < best.margin) best = { margin: m, check: c };
  }
  return best;
}
