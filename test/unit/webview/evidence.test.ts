import * as assert from 'node:assert/strict';
import type { DecisionEvidence, EscalationState } from '../../../src/core/protocol';
import { escalationLine, estimateLine, evidenceLines, impactLine, impactRows, realisedLine, realisedVerdict, valueLine } from '../../../src/webview/evidence';

const estimate = (over: Partial<NonNullable<DecisionEvidence['estimate']>> = {}): NonNullable<DecisionEvidence['estimate']> => ({
  method: 'cbpe',
  expected_accuracy: 0.912,
  interval: [0.89, 0.931],
  reference_accuracy: 0.95,
  drop_points: 3.8,
  current_rows: 600,
  ...over,
});

describe('webview/evidence: what a decision weighed, in words', () => {
  it('the estimate with its interval, and the drop read the right way round', () => {
    assert.equal(estimateLine(estimate()), 'estimated accuracy 91.2% (95% interval 89.0%–93.1%) on 600 rows, 3.8 points below the 95.0% on held-out rows');
    assert.match(estimateLine(estimate({ drop_points: -1.5, interval: undefined })), /^estimated accuracy 91\.2% on 600 rows, 1\.5 points above the 95\.0%/);
  });

  it('the realised accuracy once known: inside, below or above the interval, with the error in points', () => {
    assert.equal(realisedLine(estimate()), undefined, 'no labels yet');
    const inside = estimate({ realised_accuracy: 0.9, realised_rows: 600 });
    assert.equal(realisedVerdict(inside), 'inside');
    assert.equal(realisedLine(inside), 'realised 90.0% on 600 labelled rows (-1.2 points vs the estimate), inside the interval');
    const below = estimate({ realised_accuracy: 0.8, realised_rows: 600 });
    assert.equal(realisedVerdict(below), 'below');
    assert.match(realisedLine(below)!, /below the interval: the estimate was optimistic$/);
    assert.equal(realisedVerdict(estimate({ realised_accuracy: 0.97 })), 'above');
    // the interval's ends count as inside
    assert.equal(realisedVerdict(estimate({ realised_accuracy: 0.89 })), 'inside');
  });

  it('importance-weighted drift: features ordered by PSI × importance, a drifted feature the model ignores weighs nothing', () => {
    const ev: DecisionEvidence = {
      impact: {
        weighted_psi: 0.31,
        weighted_share_drifted: 0.42,
        significant_drifted: 2,
        importance_known: true,
        top: [
          { name: 'unused', psi: 2.0, noise_psi: 0.05, significant: true, importance: 0 },
          { name: ' Flow Duration', psi: 0.3, noise_psi: 0.05, significant: true, importance: 0.3 },
          { name: 'port', psi: 0.4, noise_psi: 0.05, significant: true, importance: 0.5 },
        ],
      },
    };
    const rows = impactRows(ev);
    assert.deepEqual(rows.map((r) => r.name), ['port', ' Flow Duration', 'unused']);
    assert.ok(Math.abs(rows[0].weighted - 0.2) < 1e-12);
    assert.equal(rows[2].weighted, 0);
    assert.equal(impactLine(ev), "42.0% of the model's importance sits on 2 features drifted beyond sampling noise (importance-weighted PSI 0.310)");
    assert.match(evidenceLines(ev)[0], /: port PSI 0\.40 × importance 0\.50, Flow Duration PSI 0\.30 × importance 0\.30, unused PSI 2\.00 × importance 0\.00$/);
    assert.match(impactLine({ impact: { ...ev.impact!, importance_known: false } })!, /no importances recorded: every feature weighs the same$/);
  });

  it('the value of a retrain, known or not; no estimate says why', () => {
    assert.equal(valueLine({ value: { expected_gain_points: 3.2, cost_points: 0.5, net_points: 2.7, basis: 'the estimated accuracy lost' } }), 'a retrain is worth 2.7 points: expected gain 3.2 − cost 0.5 (the estimated accuracy lost)');
    assert.match(valueLine({ value: { expected_gain_points: null, cost_points: 0.5, net_points: null, basis: 'no estimate of the gain' } })!, /^value of a retrain unknown: no estimate of the gain/);
    assert.deepEqual(evidenceLines({ estimate_unavailable: 'no holdout' }), ['no label-free estimate: no holdout']);
    assert.deepEqual(evidenceLines(undefined), []);
  });

  it('the escalation in one line', () => {
    const e: EscalationState = { escalated: true, consecutive_failed_validations: 2, threshold: 2, failures: [{ version: 'v3', validated_at: '', reason: '' }, { version: 'v4', validated_at: '', reason: '' }], reset_at: null };
    assert.equal(escalationLine(e), '2 validations failed in a row (v3, v4)');
    assert.equal(escalationLine({ ...e, consecutive_failed_validations: 1, failures: [e.failures[0]] }), '1 validation failed in a row (v3)');
  });
});
