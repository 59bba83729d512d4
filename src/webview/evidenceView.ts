/**
 * The dashboard's view of what a decision weighed (see evidence.ts for the words): the label-free estimate drawn as
 * an interval on an accuracy axis beside the held-out accuracy and, once known, the realised accuracy; the features
 * that matter (PSI × importance); and the escalation banner with its reset action. Text only via el() (dom.ts).
 */
import type { DecisionEvidence, EscalationState } from '../core/protocol';
import { el, fmt } from './dom';
import { escalationLine, estimateLine, impactLine, impactRows, realisedLine, realisedVerdict, valueLine, type Estimate } from './evidence';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** an accuracy axis with the interval as a band, the estimate and the held-out accuracy as ticks, the realised one as a dot */
function intervalBar(e: Estimate): HTMLElement {
  const values = [e.expected_accuracy, e.reference_accuracy, ...(e.interval ?? []), ...(e.realised_accuracy !== undefined ? [e.realised_accuracy] : [])].filter(Number.isFinite);
  const span = Math.max(0.02, Math.max(...values) - Math.min(...values));
  const lo = Math.max(0, Math.min(...values) - span * 0.25);
  const hi = Math.min(1, Math.max(...values) + span * 0.25);
  const x = (v: number) => `${(((v - lo) / (hi - lo || 1)) * 100).toFixed(2)}%`;
  // positions are set through the CSSOM (the webview's CSP allows no inline style attributes)
  const mark = (cls: string, v: number, title: string) => {
    const m = el('span', { class: cls, title });
    m.style.left = x(v);
    return m;
  };
  const parts: HTMLElement[] = [];
  if (e.interval) {
    const band = el('span', { class: 'iband', title: `95% interval ${pct(e.interval[0])}–${pct(e.interval[1])}` });
    band.style.left = x(e.interval[0]);
    band.style.width = `${(((e.interval[1] - e.interval[0]) / (hi - lo || 1)) * 100).toFixed(2)}%`;
    parts.push(band);
  }
  parts.push(mark('itick iestimate', e.expected_accuracy, `estimate ${pct(e.expected_accuracy)}`));
  parts.push(mark('itick ireference', e.reference_accuracy, `held-out accuracy ${pct(e.reference_accuracy)}`));
  if (e.realised_accuracy !== undefined) parts.push(mark(`idot irealised irealised-${realisedVerdict(e) ?? 'inside'}`, e.realised_accuracy, `realised ${pct(e.realised_accuracy)}`));
  const aria = `accuracy axis ${pct(lo)} to ${pct(hi)}: estimate ${pct(e.expected_accuracy)}${e.interval ? `, 95% interval ${pct(e.interval[0])} to ${pct(e.interval[1])}` : ''}, held-out ${pct(e.reference_accuracy)}${e.realised_accuracy !== undefined ? `, realised ${pct(e.realised_accuracy)}` : ''}`;
  return el(
    'div',
    { class: 'ibar-wrap' },
    el('div', { class: 'ibar', id: 'estimate-bar', role: 'img', 'aria-label': aria }, ...parts),
    el('div', { class: 'iaxis muted' }, el('span', {}, pct(lo)), el('span', {}, pct(hi))),
    el(
      'div',
      { class: 'ilegend muted' },
      el('span', { class: 'key key-band' }),
      '95% interval ',
      el('span', { class: 'key key-estimate' }),
      'estimate ',
      el('span', { class: 'key key-reference' }),
      'held-out accuracy ',
      e.realised_accuracy !== undefined ? el('span', { class: 'key key-realised' }) : null,
      e.realised_accuracy !== undefined ? 'realised' : null,
    ),
  );
}

function estimateView(ev: DecisionEvidence): HTMLElement {
  const e = ev.estimate;
  if (!e) return el('div', { id: 'estimate' }, el('h3', {}, 'Label-free accuracy estimate'), el('p', { class: 'muted' }, `no estimate: ${ev.estimate_unavailable ?? 'unavailable'}`));
  const realised = realisedLine(e);
  return el(
    'div',
    { id: 'estimate' },
    el('h3', {}, `Label-free accuracy estimate${ev.production ? ` of production ${ev.production}` : ''}`),
    el('p', { id: 'estimate-line' }, estimateLine(e)),
    intervalBar(e),
    el('p', { id: 'realised-line', class: realised ? `realised-${realisedVerdict(e) ?? 'inside'}` : 'muted' }, realised ?? 'realised accuracy: not known yet (the batch has no labels)'),
  );
}

function impactView(ev: DecisionEvidence): HTMLElement | null {
  const line = impactLine(ev);
  if (!line) return null;
  const rows = impactRows(ev);
  const maxW = Math.max(1e-12, ...rows.map((r) => r.weighted));
  const bar = (w: number) => {
    const b = el('span', { class: 'wbar' });
    b.style.width = `${Math.max(1, (w / maxW) * 100).toFixed(1)}%`;
    return el('span', { class: 'wbar-track' }, b);
  };
  return el(
    'div',
    { id: 'impact' },
    el('h3', {}, 'Drift weighted by feature importance'),
    el('p', { id: 'impact-line' }, line),
    rows.length
      ? el(
          'table',
          { id: 'impact-table' },
          el('thead', {}, el('tr', {}, ...['feature', 'PSI', 'noise PSI at this n', 'importance', 'PSI × importance', 'beyond noise'].map((h) => el('th', {}, h)))),
          el(
            'tbody',
            {},
            ...rows.map((r) =>
              el(
                'tr',
                { 'data-name': r.name },
                el('td', { class: 'feature-name' }, r.name.trim() || r.name),
                el('td', { class: 'num' }, fmt(r.psi)),
                el('td', { class: 'num' }, fmt(r.noise_psi)),
                el('td', { class: 'num' }, fmt(r.importance)),
                el('td', { class: 'wcell' }, bar(r.weighted), el('span', { class: 'num' }, fmt(r.weighted))),
                el('td', { class: r.significant ? 'fail' : 'muted' }, r.significant ? 'yes' : 'no'),
              ),
            ),
          ),
        )
      : null,
  );
}

/** everything the decision weighed, below its rationale */
export function evidenceView(ev: DecisionEvidence | undefined): HTMLElement | null {
  if (!ev) return null;
  const value = valueLine(ev);
  return el('div', { class: 'evidence', id: 'evidence' }, estimateView(ev), impactView(ev), value ? el('p', { id: 'value-line', class: 'muted' }, value) : null);
}

/** the agent waits for a person: why, since when, and the way out */
export function escalationView(e: EscalationState | undefined, onReset: () => void): HTMLElement | null {
  if (!e) return null;
  if (!e.escalated) {
    return e.consecutive_failed_validations > 0
      ? el('p', { id: 'escalation-count', class: 'muted' }, `${escalationLine(e)}; after ${e.threshold} the agent waits for a person.`)
      : null;
  }
  const reset = el('vscode-button', { id: 'reset-escalation', secondary: true }, 'Reset Escalation…');
  reset.addEventListener('click', onReset);
  return el(
    'div',
    { id: 'escalation', class: 'escalation', role: 'alert' },
    el('p', {}, el('strong', {}, `The agent waits for a person: ${escalationLine(e)}.`), ' Whatever its autonomy, every retrain plan waits for your review until you approve one or reset the escalation.'),
    el('ul', {}, ...e.failures.map((f) => el('li', {}, el('strong', {}, f.version), ` (${new Date(f.validated_at).toLocaleString()}): ${f.reason}`))),
    el('div', { class: 'row' }, reset, e.reset_at ? el('span', { class: 'muted' }, `last reset ${new Date(e.reset_at).toLocaleString()}`) : null),
  );
}
