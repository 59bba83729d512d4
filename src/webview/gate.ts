/**
 * The validation gate as people read it: per check, the candidate's value beside production's on the same holdout,
 * the threshold and the result. Used by the dashboard and by the approval prompt (browser-safe: no imports).
 */
import type { ClassificationMetrics, Plan, ValidationResult } from '../core/protocol';

export interface GateRow {
  name: string;
  candidate: number;
  production?: number;
  threshold: number;
  comparison: ValidationResult['checks'][number]['comparison'];
  passed: boolean;
  /** the check in words, when the engine says it */
  message?: string;
}

export function gateRows(v: ValidationResult): GateRow[] {
  const prod = v.production_metrics as (ClassificationMetrics & Record<string, unknown>) | undefined;
  return v.checks.map((c) => {
    // production's value of the checked metric on the same rows: the check's own reference, else production's metrics
    const fromRef = c.reference && /production/i.test(c.reference.of) ? c.reference.value : undefined;
    const p = fromRef ?? prod?.[c.metric ?? c.name];
    return { name: c.name, candidate: c.value, production: typeof p === 'number' ? p : undefined, threshold: c.threshold, comparison: c.comparison, passed: c.passed, message: c.message };
  });
}

const SYMBOL: Record<GateRow['comparison'], string> = { '>=': '≥', '<=': '≤', '>': '>', '<': '<' };
export const comparisonSymbol = (c: GateRow['comparison']): string => SYMBOL[c] ?? c;

/** the validation a plan ran (its validate_model step's result), if any */
export function planValidation(plan: Plan): ValidationResult | undefined {
  const r = plan.steps.find((s) => s.tool === 'validate_model' && s.status === 'completed')?.result as Partial<ValidationResult> | undefined;
  return r && Array.isArray(r.checks) && typeof r.passed === 'boolean' && r.holdout ? (r as ValidationResult) : undefined;
}

const n = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(3));

/** one line per check: "f1 0.912 vs production 0.887 (needs ≥ 0.85) ✓" */
export function gateLines(v: ValidationResult): string[] {
  return gateRows(v).map((r) => `${r.name} ${n(r.candidate)}${r.production !== undefined ? ` vs production ${n(r.production)}` : ''} (needs ${comparisonSymbol(r.comparison)} ${n(r.threshold)}) ${r.passed ? '✓' : '✗'}`);
}
