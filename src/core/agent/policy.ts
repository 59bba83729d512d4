import type { Action } from '../protocol';
import type { DecisionContext } from './context';
import { fmt } from '../util/format';

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
  { id: 'R1', when: `evidence of impact: estimated or realised accuracy drop > ${THRESHOLDS.urgentDropPoints} points with its 95 % lower end > ${THRESHOLDS.retrainDropPoints} points`, then: 'RETRAIN_URGENT' },
  { id: 'R2', when: `≥ ${THRESHOLDS.retrainShare * 100} % of the model's feature importance on features drifted beyond sampling noise (PSI ≥ drift.moderate and above its no-drift spread at this n) and some evidence that performance suffered (the estimated or the realised drop's 95 % lower end > 0) or nothing to measure it with; or an estimated or realised drop whose lower end > ${THRESHOLDS.retrainDropPoints} points`, then: 'RETRAIN' },
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
  // estimated and realised drops with their conservative (95 %) ends: evidence that performance suffered
  const evidence = impactEvidence(c);
  // (without an impact analysis, the legacy rules below read the estimate themselves)
  const realisedEvidence = evidence.filter((e) => e.realised);
  const names = imp ? imp.top.map((f) => `${f.name} (PSI ${fmt(f.psi, 3)}, importance ${fmt(f.importance, 2)})`).join(', ') : '';
  const driftedImportance = imp !== undefined && imp.weighted_share_drifted >= THRESHOLDS.retrainShare;
  const driftWords = imp ? `${fmt(imp.weighted_share_drifted * 100, 0)}% of the model's feature importance sits on features drifted beyond sampling noise: ${names}` : '';
  const impactUrgent = imp ? evidence.filter((e) => e.points > THRESHOLDS.urgentDropPoints && e.low > THRESHOLDS.retrainDropPoints).map((e) => e.words) : undefined;
  const impactRetrain = imp
    ? [
        // drift alone is no evidence: seasonal or harmless shifts move features without costing accuracy. It
        // retrains when an estimated or realised drop corroborates it, or when nothing can measure the impact.
        driftedImportance && evidence.some((e) => e.low > 0) ? `${driftWords}, and ${evidence.filter((e) => e.low > 0).map((e) => e.words).join(' and ')}` : '',
        driftedImportance && evidence.length === 0 ? `${driftWords} (no estimate or realised accuracy to measure its impact)` : '',
        ...evidence.filter((e) => e.low > THRESHOLDS.retrainDropPoints && !driftedImportance).map((e) => e.words),
      ].filter(Boolean)
    : undefined;
  const urgentWhy = impactUrgent ?? [
    c.drift.severity === 'severe' ? 'overall drift is severe' : '',
    c.drift.share_drifted >= THRESHOLDS.urgentShare ? `${fmt(c.drift.share_drifted * 100, 0)}% of features drifted` : '',
    drop !== undefined && drop > THRESHOLDS.urgentDropPoints ? `estimated accuracy dropped ${fmt(drop, 1)} points` : '',
    ...realisedEvidence.filter((e) => e.points > THRESHOLDS.urgentDropPoints && e.low > THRESHOLDS.retrainDropPoints).map((e) => e.words),
  ].filter(Boolean);
  const retrainWhy = impactRetrain ?? [
    c.drift.severity === 'moderate' ? 'overall drift is moderate' : '',
    c.drift.share_drifted >= THRESHOLDS.retrainShare ? `${fmt(c.drift.share_drifted * 100, 0)}% of features drifted` : '',
    drop !== undefined && drop > THRESHOLDS.retrainDropPoints ? `estimated accuracy dropped ${fmt(drop, 1)} points` : '',
    ...realisedEvidence.filter((e) => e.low > THRESHOLDS.retrainDropPoints).map((e) => e.words),
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
      ? driftedImportance
        ? `Keep monitoring: ${driftWords}; but no evidence that performance suffered (${noImpactWords(c)}).`
        : `Keep monitoring: ${imp.significant_drifted} feature(s) drifted beyond sampling noise, carrying ${fmt(imp.weighted_share_drifted * 100, 0)}% of the model's importance, and no significant estimated accuracy drop.`
      : `Keep monitoring: max PSI ${fmt(c.drift.psi_max, 3)} and ${c.drift.n_drifted}/${c.drift.total_features} drifted features stay below the retrain thresholds.`;
  }
  // V1: retraining has not paid lately and nothing says performance suffered: drift alone does not retrain again
  const v = c.value;
  if (action === 'RETRAIN' && v?.unpaid_retrains !== undefined && v.backoff_after !== undefined && v.unpaid_retrains >= v.backoff_after && !evidence.some((e) => e.low > THRESHOLDS.retrainDropPoints)) {
    rules.push('V1');
    rationale = `Keep monitoring: the last ${v.unpaid_retrains} retrains did not beat production on the gate, and there is no evidence of an accuracy drop. (Without that: ${rationale.charAt(0).toLowerCase()}${rationale.slice(1)})`;
    action = 'MONITOR';
    confidence = 0.7;
  }

  considerations.push(
    `overall PSI mean ${fmt(c.drift.psi_mean, 3)}, max ${fmt(c.drift.psi_max, 3)} (moderate ≥ ${c.drift.thresholds.moderate}, severe ≥ ${c.drift.thresholds.severe})`,
    `${c.drift.n_drifted} of ${c.drift.total_features} features drifted (share ${fmt(c.drift.share_drifted, 2)})`,
  );
  if (c.estimate) {
    considerations.push(
      `label-free estimate (${c.estimate.method}): accuracy ${fmt(c.estimate.expected_accuracy, 3)}${c.estimate.interval ? ` (95 % ${fmt(c.estimate.interval[0], 3)}–${fmt(c.estimate.interval[1], 3)})` : ''} vs ${fmt(c.estimate.reference_accuracy, 3)} on the holdout`,
    );
  } else considerations.push(`no label-free accuracy estimate: ${c.estimate_unavailable ?? 'unavailable'}`);
  if (c.realised) {
    const r = c.realised;
    considerations.push(`realised accuracy on ${r.source} (labels arrived): ${fmt(r.accuracy, 3)} on ${r.rows} rows vs ${fmt(r.reference_accuracy, 3)} on the holdout (drop ${fmt(r.drop_points, 1)} points, 95 % lower end ${fmt(r.drop_low_points, 1)})`);
  }
  if (imp) {
    considerations.push(
      `importance-weighted drift: ${imp.significant_drifted} feature(s) beyond sampling noise, ${fmt(imp.weighted_share_drifted * 100, 0)}% of the model's importance${imp.importance_known ? '' : ' (the model records no importance: features weigh equally)'}${names ? `; most: ${names}` : ''}`,
    );
  }
  if (v) considerations.push(`expected value of a retrain: ${v.net_points === null ? 'unknown' : `${fmt(v.net_points, 2)} points`} (${v.basis}; cost ${v.cost_points} points)`);
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
    risks.push(`the production model passed validation with little room: ${c.risk.validation_weakest ?? `margin ${fmt(c.risk.validation_margin, 3)}`}`);
  }
  return { action, confidence: Math.round(clamp01(confidence) * 1000) / 1000, rationale, considerations, risks, rules };
}

interface Evidence {
  /** the drop in points, its one-sided 95 % lower end, and the sentence that says so */
  points: number;
  low: number;
  words: string;
  realised: boolean;
}

/** Measured or estimated performance drops of the production model: what lets drift count as impact. */
function impactEvidence(c: DecisionContext): Evidence[] {
  const out: Evidence[] = [];
  const e = c.estimate;
  if (e?.interval) {
    const low = (e.reference_accuracy - e.interval[1]) * 100;
    out.push({ realised: false, points: e.drop_points, low, words: `estimated accuracy dropped ${fmt(e.drop_points, 1)} points (at least ${fmt(low, 1)}, 95 %)` });
  }
  const r = c.realised;
  if (r) out.push({ realised: true, points: r.drop_points, low: r.drop_low_points, words: `realised accuracy on ${r.source} fell ${fmt(r.drop_points, 1)} points below the holdout's (at least ${fmt(r.drop_low_points, 1)}, 95 %)` });
  return out;
}

function noImpactWords(c: DecisionContext): string {
  const parts: string[] = [];
  if (c.estimate) parts.push(`estimated accuracy ${fmt(c.estimate.expected_accuracy, 3)} vs ${fmt(c.estimate.reference_accuracy, 3)} on the holdout`);
  else parts.push('no label-free estimate');
  if (c.realised) parts.push(`realised ${fmt(c.realised.accuracy, 3)} on ${c.realised.source}`);
  return parts.join(', ');
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
