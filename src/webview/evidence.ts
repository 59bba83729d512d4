/**
 * What a decision weighed, in words and rows people read: the label-free accuracy estimate with its interval (and the
 * realised accuracy once the batch's labels are known), the drift weighted by the model's feature importance, and
 * the agent's escalation. Used by the dashboard and the approval prompt (browser-safe: no imports at run time).
 */
import type { DecisionEvidence, EscalationState } from '../core/protocol';

const pct1 = (x: number | null | undefined): string => (typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—');
const num = (x: number | null | undefined, d = 3): string => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '—');

export type Estimate = NonNullable<DecisionEvidence['estimate']>;

/** where the realised accuracy lies against the estimate's interval */
export function realisedVerdict(e: Estimate): 'inside' | 'below' | 'above' | undefined {
  if (e.realised_accuracy === undefined || !e.interval) return undefined;
  const [lo, hi] = e.interval;
  return e.realised_accuracy < lo ? 'below' : e.realised_accuracy > hi ? 'above' : 'inside';
}

/** "estimated accuracy 91.2% (95% interval 89.0%–93.1%), 3.8 points below the 95.0% on held-out rows" */
export function estimateLine(e: Estimate): string {
  const interval = e.interval ? ` (95% interval ${pct1(e.interval[0])}–${pct1(e.interval[1])})` : '';
  const drop = Number.isFinite(e.drop_points) ? (e.drop_points >= 0 ? `${e.drop_points.toFixed(1)} points below` : `${(-e.drop_points).toFixed(1)} points above`) : 'against';
  return `estimated accuracy ${pct1(e.expected_accuracy)}${interval} on ${e.current_rows} rows, ${drop} the ${pct1(e.reference_accuracy)} on held-out rows`;
}

/** "realised 90.4% on 600 labelled rows — inside the interval", or undefined before the labels are known */
export function realisedLine(e: Estimate): string | undefined {
  if (e.realised_accuracy === undefined) return undefined;
  const v = realisedVerdict(e);
  const where = v === 'inside' ? 'inside the interval' : v === 'below' ? 'below the interval: the estimate was optimistic' : v === 'above' ? 'above the interval: the estimate was pessimistic' : 'no interval to compare with';
  const error = ((e.realised_accuracy - e.expected_accuracy) * 100).toFixed(1);
  return `realised ${pct1(e.realised_accuracy)} on ${e.realised_rows ?? '?'} labelled rows (${Number(error) >= 0 ? '+' : ''}${error} points vs the estimate), ${where}`;
}

export type ImpactRow = NonNullable<DecisionEvidence['impact']>['top'][number] & { weighted: number };

/** the features that weigh most: PSI × importance, most first */
export function impactRows(ev: DecisionEvidence): ImpactRow[] {
  return (ev.impact?.top ?? []).map((f) => ({ ...f, weighted: f.psi * f.importance })).sort((a, b) => b.weighted - a.weighted);
}

/** "42.0% of the model's importance sits on 3 features drifted beyond sampling noise (importance-weighted PSI 0.310)" */
export function impactLine(ev: DecisionEvidence): string | undefined {
  const i = ev.impact;
  if (!i) return undefined;
  const share = `${pct1(i.weighted_share_drifted)} of the model's importance sits on ${i.significant_drifted} feature${i.significant_drifted === 1 ? '' : 's'} drifted beyond sampling noise`;
  return `${share} (importance-weighted PSI ${num(i.weighted_psi)})${i.importance_known ? '' : ' — no importances recorded: every feature weighs the same'}`;
}

/** "expected gain 3.2 points − cost 0.5 = net 2.7 points (the estimated accuracy lost …)" */
export function valueLine(ev: DecisionEvidence): string | undefined {
  const v = ev.value;
  if (!v) return undefined;
  if (v.expected_gain_points === null || v.net_points === null) return `value of a retrain unknown: ${v.basis} (cost ${num(v.cost_points, 1)} points)`;
  return `a retrain is worth ${num(v.net_points, 1)} points: expected gain ${num(v.expected_gain_points, 1)} − cost ${num(v.cost_points, 1)} (${v.basis})`;
}

/** the evidence as sentences, for the approval prompt and the Agent view's tooltip */
export function evidenceLines(ev: DecisionEvidence | undefined): string[] {
  if (!ev) return [];
  const out: string[] = [];
  if (ev.estimate) {
    out.push(estimateLine(ev.estimate));
    const r = realisedLine(ev.estimate);
    if (r) out.push(r);
  } else if (ev.estimate_unavailable) out.push(`no label-free estimate: ${ev.estimate_unavailable}`);
  const i = impactLine(ev);
  if (i) {
    const top = impactRows(ev).filter((f) => f.significant).slice(0, 3).map((f) => `${f.name.trim() || f.name} PSI ${num(f.psi, 2)} × importance ${num(f.importance, 2)}`);
    out.push(top.length ? `${i}: ${top.join(', ')}` : i);
  }
  const v = valueLine(ev);
  if (v) out.push(v);
  return out;
}

/** "2 validations failed in a row (v3, v4)" */
export function escalationLine(e: EscalationState): string {
  const versions = e.failures.map((f) => f.version).join(', ');
  return `${e.consecutive_failed_validations} validation${e.consecutive_failed_validations === 1 ? '' : 's'} failed in a row${versions ? ` (${versions})` : ''}`;
}
