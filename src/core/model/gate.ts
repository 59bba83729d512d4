import type { Config } from '../config';
import type { ClassificationMetrics, ValidationCheck } from '../protocol';

/**
 * The validation gate's checks: absolute thresholds on the candidate, and — when a production model was
 * evaluated on the same holdout — "not worse than production by more than maxRegression" per metric.
 * Comparison checks carry the difference candidate − production as value and −maxRegression as threshold.
 */
export const GATED_METRICS = ['accuracy', 'precision', 'recall', 'f1'] as const;

export function gateChecks(
  candidate: ClassificationMetrics,
  thresholds: Config['validation'],
  production?: ClassificationMetrics & { version: string },
): ValidationCheck[] {
  const checks: ValidationCheck[] = GATED_METRICS.map((m) => check(m, candidate[m], thresholds[m]));
  if (production) {
    for (const m of GATED_METRICS) {
      checks.push(check(`${m}_vs_production_${production.version}`, candidate[m] - production[m], -thresholds.maxRegression));
    }
  }
  return checks;
}

function check(name: string, value: number, threshold: number): ValidationCheck {
  // a tiny tolerance so that 0.9 computed as 0.8999999999 does not fail a 0.9 threshold
  return { name, value, threshold, comparison: '>=', passed: Number.isFinite(value) && value >= threshold - 1e-12 };
}
