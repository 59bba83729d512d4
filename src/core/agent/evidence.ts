import type { Decision, DecisionEvidence } from '../protocol';
import type { DecisionContext } from './context';
import type { DecisionRecord } from './decisionLog';

/**
 * The figures of a decision context that a person checks the decision against (protocol DecisionEvidence): the
 * label-free estimate with its interval and realised accuracy, the importance-weighted drift, the value of a retrain.
 * Derived from the logged context, so a decision read back from the log shows the same figures it was made on.
 */
export function decisionEvidence(c: DecisionContext): DecisionEvidence {
  const e = c.estimate;
  const out: DecisionEvidence = {};
  if (c.production) out.production = c.production.version;
  if (e) {
    out.estimate = {
      method: e.method,
      expected_accuracy: e.expected_accuracy,
      ...(e.interval ? { interval: e.interval } : {}),
      reference_accuracy: e.reference_accuracy,
      drop_points: e.drop_points,
      current_rows: e.current_rows,
      ...(e.realised_accuracy !== undefined ? { realised_accuracy: e.realised_accuracy, realised_rows: e.realised_rows } : {}),
    };
  }
  if (c.estimate_unavailable) out.estimate_unavailable = c.estimate_unavailable;
  if (c.drift.impact) out.impact = c.drift.impact;
  if (c.value) out.value = { expected_gain_points: c.value.expected_gain_points, cost_points: c.value.cost_points, net_points: c.value.net_points, basis: c.value.basis };
  return out;
}

/** a logged decision as clients see it: the decision with its evidence */
export function decisionWithEvidence(r: Pick<DecisionRecord, 'decision' | 'context'>): Decision {
  return { ...r.decision, evidence: decisionEvidence(r.context) };
}
