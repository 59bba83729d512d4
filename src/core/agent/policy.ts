import type { Action } from '../protocol';
import type { DecisionContext } from './context';

/**
 * The rule policy: deterministic, documented, and the fallback whenever the LLM is absent or misbehaves.
 * Rules R1–R3 pick the action from the drift and the label-free accuracy estimate; constraints C1–C3 then bound
 * any action, the LLM's included (the LLM may choose, but never past these). README "The agent: how DriftCatcher
 * decides" prints this table.
 */
export const THRESHOLDS = {
  /** share of drifted features */
  urgentShare: 0.3,
  retrainShare: 0.1,
  /** estimated accuracy drop vs the holdout, percentage points */
  urgentDropPoints: 5,
  retrainDropPoints: 2,
  /** constraints and risk notes */
  failedPlansRisk: 2,
  thinValidationMargin: 0.02,
} as const;

export interface PolicyRule {
  id: string;
  when: string;
  then: string;
}

export const POLICY_TABLE: PolicyRule[] = [
  { id: 'R1', when: `evidence of impact: estimated accuracy drop > ${THRESHOLDS.urgentDropPoints} points and its 95 % interval's lower end > ${THRESHOLDS.retrainDropPoints} points`, then: 'RETRAIN_URGENT' },
  { id: 'R2', when: `≥ ${THRESHOLDS.retrainShare * 100} % of the model's feature importance on features drifted beyond sampling noise (PSI ≥ drift.moderate and above its no-drift spread at this n), or the estimated drop's lower end > ${THRESHOLDS.retrainDropPoints} points`, then: 'RETRAIN' },
  { id: 'R3', when: 'none of the above', then: 'MONITOR' },
  { id: 'V1', when: 'RETRAIN, but the last agent.backoffAfterUnpaidRetrains (2) retrains were not deployed by the gate and there is no evidence of an accuracy drop', then: 'MONITOR' },
  { id: 'C1', when: 'the batch has no label column (nothing to retrain on)', then: 'MONITOR, risk noted: label a sample' },
  { id: 'C2', when: 'last retrain less than agent.minHoursBetweenRetrains ago', then: 'RETRAIN → MONITOR (deferred); RETRAIN_URGENT kept, noted' },
  { id: 'C3', when: 'outside agent.maintenanceWindow', then: 'RETRAIN → MONITOR (deferred); RETRAIN_URGENT kept, risk noted' },
  { id: 'K1', when: `≥ ${THRESHOLDS.failedPlansRisk} failed plans in the last 7 days`, then: 'risk noted, confidence × 0.8' },
  { id: 'K2', when: `the production model failed its last validation, or passed its weakest check by < ${THRESHOLDS.thinValidationMargin}`, then: 'risk noted' },
];

export interface PolicyResult {
  action: Action;
  confidence: number;
  rationale: string;
  considerations: string[];
  risks: string[];
  /** ids of the rules that fired, in order */
  rules: string[];
}

const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));
const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));

interface Signal {
  name: string;
  value: number;
  retrain: number;
  urgent: number;
}

/** Numeric signals with their two thresholds (the estimate only when there is one). */
function signals(c: DecisionContext): Signal[] {
  const s: Signal[] = [
    { name: 'max PSI', value: c.drift.psi_max, retrain: c.drift.thresholds.moderate, urgent: c.drift.thresholds.severe },
    { name: 'share drifted', value: c.drift.share_drifted, retrain: THRESHOLDS.retrainShare, urgent: THRESHOLDS.urgentShare },
  ];
  if (c.estimate) s.push({ name: 'estimated accuracy drop (points)', value: c.estimate.drop_points, retrain: THRESHOLDS.retrainDropPoints, urgent: THRESHOLDS.urgentDropPoints });
  return s;
}

export function evaluatePolicy(c: DecisionContext): PolicyResult {
  const considerations: string[] = [];
  const risks: string[] = [];
  const rules: string[] = [];
  const sig = signals(c);
  const drop = c.estimate?.drop_points;
  const imp = c.drift.impact;
  // the conservative end of the estimated drop (95 %): evidence that performance suffered
  const dropLow = c.estimate?.interval ? (c.estimate.reference_accuracy - c.estimate.interval[1]) * 100 : undefined;
  const names = imp ? imp.top.map((f) => `${f.name} (PSI ${fmt(f.psi)}, importance ${fmt(f.importance, 2)})`).join(', ') : '';
  const impactUrgent = imp
    ? [
        drop !== undefined && dropLow !== undefined && dropLow > THRESHOLDS.retrainDropPoints && drop > THRESHOLDS.urgentDropPoints
          ? `estimated accuracy dropped ${fmt(drop, 1)} points (at least ${fmt(dropLow, 1)}, 95 %)`
          : '',
      ].filter(Boolean)
    : undefined;
  const impactRetrain = imp
    ? [
        imp.weighted_share_drifted >= THRESHOLDS.retrainShare
          ? `${fmt(imp.weighted_share_drifted * 100, 0)}% of the model's feature importance sits on features drifted beyond sampling noise: ${names}`
          : '',
        dropLow !== undefined && dropLow > THRESHOLDS.retrainDropPoints ? `estimated accuracy dropped ${fmt(drop!, 1)} points (at least ${fmt(dropLow, 1)}, 95 %)` : '',
      ].filter(Boolean)
    : undefined;
  const urgentWhy = impactUrgent ?? [
    c.drift.severity === 'severe' ? 'overall drift is severe' : '',
    c.drift.share_drifted >= THRESHOLDS.urgentShare ? `${fmt(c.drift.share_drifted * 100, 0)}% of features drifted` : '',
    drop !== undefined && drop > THRESHOLDS.urgentDropPoints ? `estimated accuracy dropped ${fmt(drop, 1)} points` : '',
  ].filter(Boolean);
  const retrainWhy = impactRetrain ?? [
    c.drift.severity === 'moderate' ? 'overall drift is moderate' : '',
    c.drift.share_drifted >= THRESHOLDS.retrainShare ? `${fmt(c.drift.share_drifted * 100, 0)}% of features drifted` : '',
    drop !== undefined && drop > THRESHOLDS.retrainDropPoints ? `estimated accuracy dropped ${fmt(drop, 1)} points` : '',
  ].filter(Boolean);

  let action: Action;
  let confidence: number;
  let rationale: string;
  if (urgentWhy.length) {
    action = 'RETRAIN_URGENT';
    rules.push('R1');
    // how far past the urgent line the strongest signal is
    const m = Math.max(0, ...sig.map((s) => (s.value - s.urgent) / s.urgent));
    confidence = 0.6 + 0.35 * clamp01(m);
    rationale = `Retrain urgently: ${urgentWhy.join('; ')}.`;
  } else if (retrainWhy.length) {
    action = 'RETRAIN';
    rules.push('R2');
    // between the two lines: sure when far from both
    const up = Math.max(0, ...sig.map((s) => (s.value - s.retrain) / s.retrain));
    const down = Math.min(...sig.map((s) => (s.urgent - s.value) / s.urgent));
    confidence = 0.55 + 0.4 * clamp01(Math.min(up, down) * 2);
    rationale = `Retrain: ${retrainWhy.join('; ')}.`;
  } else {
    action = 'MONITOR';
    rules.push('R3');
    const below = Math.min(...sig.map((s) => (s.retrain - s.value) / s.retrain));
    confidence = 0.6 + 0.35 * clamp01(below);
    rationale = imp
      ? `Keep monitoring: ${imp.significant_drifted} feature(s) drifted beyond sampling noise, carrying ${fmt(imp.weighted_share_drifted * 100, 0)}% of the model's importance, and no significant estimated accuracy drop.`
      : `Keep monitoring: max PSI ${fmt(c.drift.psi_max)} and ${c.drift.n_drifted}/${c.drift.total_features} drifted features stay below the retrain thresholds.`;
  }
  // V1: retraining has not paid lately and nothing says performance suffered: drift alone does not retrain again
  const v = c.value;
  if (action === 'RETRAIN' && v?.unpaid_retrains !== undefined && v.backoff_after !== undefined && v.unpaid_retrains >= v.backoff_after && !(dropLow !== undefined && dropLow > THRESHOLDS.retrainDropPoints)) {
    rules.push('V1');
    rationale = `Keep monitoring: the last ${v.unpaid_retrains} retrains did not beat production on the gate, and there is no evidence of an accuracy drop. (Without that: ${rationale.charAt(0).toLowerCase()}${rationale.slice(1)})`;
    action = 'MONITOR';
    confidence = 0.7;
  }

  considerations.push(
    `overall PSI mean ${fmt(c.drift.psi_mean)}, max ${fmt(c.drift.psi_max)} (moderate ≥ ${c.drift.thresholds.moderate}, severe ≥ ${c.drift.thresholds.severe})`,
    `${c.drift.n_drifted} of ${c.drift.total_features} features drifted (share ${fmt(c.drift.share_drifted, 2)})`,
  );
  if (c.estimate) {
    considerations.push(
      `label-free estimate (${c.estimate.method}): accuracy ${fmt(c.estimate.expected_accuracy)}${c.estimate.interval ? ` (95 % ${fmt(c.estimate.interval[0])}–${fmt(c.estimate.interval[1])})` : ''} vs ${fmt(c.estimate.reference_accuracy)} on the holdout`,
    );
  } else considerations.push(`no label-free accuracy estimate: ${c.estimate_unavailable ?? 'unavailable'}`);
  if (imp) {
    considerations.push(
      `importance-weighted drift: ${imp.significant_drifted} feature(s) beyond sampling noise, ${fmt(imp.weighted_share_drifted * 100, 0)}% of the model's importance${imp.importance_known ? '' : ' (the model records no importance: features weigh equally)'}${names ? `; most: ${names}` : ''}`,
    );
  }
  if (v) considerations.push(`expected value of a retrain: ${v.net_points === null ? 'unknown' : `${fmt(v.net_points, 2)} points`} (gain from ${v.basis}, cost ${v.cost_points} points)`);
  if (c.cost.estimated_seconds !== null) considerations.push(`retraining would take about ${fmt(c.cost.estimated_seconds, 0)} s on ${c.cost.rows} rows`);

  const bounded = applyConstraints(action, c);
  if (bounded.action !== action) confidence = bounded.confidence ?? confidence;
  action = bounded.action;
  rules.push(...bounded.rules);
  considerations.push(...bounded.considerations);
  risks.push(...bounded.risks);
  // an override explains itself first; the drift's own call follows as the reason it was considered
  if (bounded.rationale) rationale = `${bounded.rationale} (Without that constraint: ${rationale.charAt(0).toLowerCase()}${rationale.slice(1)})`;

  if (c.risk.recent_failed_plans >= THRESHOLDS.failedPlansRisk) {
    rules.push('K1');
    confidence *= 0.8;
    risks.push(`${c.risk.recent_failed_plans} plans failed in the last 7 days`);
  }
  if (c.risk.validation_passed === false) {
    rules.push('K2');
    risks.push(`the production model failed its last validation (${c.risk.validation_weakest ?? 'see its validation.json'})`);
  } else if (c.risk.validation_margin !== null && c.risk.validation_margin < THRESHOLDS.thinValidationMargin) {
    rules.push('K2');
    risks.push(`the production model passed validation with little room: ${c.risk.validation_weakest ?? `margin ${fmt(c.risk.validation_margin)}`}`);
  }
  return { action, confidence: Math.round(clamp01(confidence) * 1000) / 1000, rationale, considerations, risks, rules };
}

export interface Bounded {
  action: Action;
  rules: string[];
  considerations: string[];
  risks: string[];
  /** prefix explaining an override */
  rationale?: string;
  /** confidence of an override (hard constraints are certain) */
  confidence?: number;
}

/** Constraints C1–C3, applied to the policy's and the LLM's action alike. */
export function applyConstraints(action: Action, c: DecisionContext): Bounded {
  const out: Bounded = { action, rules: [], considerations: [], risks: [] };
  if (action === 'MONITOR') return out;
  if (!c.labels.available) {
    out.rules.push('C1');
    out.risks.push(`drift warrants ${action} but the batch has no label column: label a sample to retrain`);
    out.action = 'MONITOR';
    out.rationale = 'Keep monitoring: the batch has no label column, so there is nothing to retrain on; label a sample.';
    out.confidence = 0.9;
    return out;
  }
  const h = c.time.hours_since_last_retrain;
  if (h !== null && h < c.time.min_hours_between_retrains) {
    out.rules.push('C2');
    if (action === 'RETRAIN') {
      out.action = 'MONITOR';
      out.rationale = `Retrain deferred: the last retrain was ${h.toFixed(1)} h ago (minimum ${c.time.min_hours_between_retrains} h).`;
      out.confidence = 0.8;
      return out;
    }
    out.considerations.push(`urgent: overrides the minimum of ${c.time.min_hours_between_retrains} h between retrains (last ${h.toFixed(1)} h ago)`);
  }
  if (!c.time.in_maintenance_window) {
    out.rules.push('C3');
    if (action === 'RETRAIN') {
      out.action = 'MONITOR';
      out.rationale = `Retrain deferred to the maintenance window ${c.time.maintenance_window}.`;
      out.confidence = 0.8;
      return out;
    }
    out.risks.push(`deploying outside the maintenance window ${c.time.maintenance_window}`);
  }
  return out;
}
