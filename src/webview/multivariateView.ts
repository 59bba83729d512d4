/**
 * The dashboard's multivariate drift section (words in multivariate.ts): the verdict, the domain classifier and the
 * PCA reconstruction error with their rules, the features that separate the sides (a click shows the feature's
 * histogram), and the notes. Without a multivariate part in the report: how to measure it. Text only via el().
 */
import type { MultivariateDrift } from '../core/protocol';
import { el, fmt } from './dom';
import { domainClassifierLine, multivariateVerdict, reconstructionLine, sampleLine, separatingFeatures } from './multivariate';

export function multivariateView(m: MultivariateDrift | undefined, actions: { measure: () => void; select: (feature: string) => void; known: (feature: string) => boolean }): HTMLElement {
  if (!m) {
    const measure = el('vscode-button', { id: 'measure-multivariate', secondary: true }, 'Measure Multivariate Drift');
    measure.addEventListener('click', actions.measure);
    return el(
      'div',
      { id: 'multivariate-body' },
      el('p', { class: 'muted' }, 'Not measured for this check. It finds changes no single feature shows (correlations, joint shifts): a classifier that tries to tell the two samples apart, and the PCA reconstruction error. Turn on the setting driftcatcher.drift.multivariate to measure it with every check, or measure it for this batch now.'),
      el('div', { class: 'row' }, measure),
    );
  }
  const top = separatingFeatures(m);
  const maxImp = Math.max(1e-12, ...top.map((t) => t.importance));
  const row = (t: { name: string; importance: number }) => {
    const bar = el('span', { class: 'wbar' });
    bar.style.width = `${Math.max(1, (t.importance / maxImp) * 100).toFixed(1)}%`;
    const name = el('td', { class: 'feature-name' }, t.name.trim() || t.name);
    const tr = el('tr', { 'data-name': t.name }, name, el('td', { class: 'wcell' }, el('span', { class: 'wbar-track' }, bar), el('span', { class: 'num' }, `${(t.importance * 100).toFixed(1)}%`)));
    if (actions.known(t.name)) {
      tr.classList.add('clickable');
      tr.setAttribute('title', 'show its histogram');
      tr.addEventListener('click', () => actions.select(t.name));
    }
    return tr;
  };
  const dc = m.domain_classifier;
  const r = m.reconstruction;
  return el(
    'div',
    { id: 'multivariate-body' },
    el('p', { id: 'multivariate-verdict', class: m.drifted ? 'fail' : 'pass' }, multivariateVerdict(m)),
    el('p', { class: 'muted', id: 'multivariate-sample' }, sampleLine(m)),
    el(
      'table',
      { id: 'multivariate-table' },
      el('thead', {}, el('tr', {}, ...['method', 'result', 'drifted'].map((h) => el('th', {}, h)))),
      el(
        'tbody',
        {},
        el('tr', {}, el('td', {}, 'domain classifier (random forest)'), el('td', { id: 'multivariate-auc' }, domainClassifierLine(m)), el('td', { class: dc.drifted ? 'fail' : 'pass' }, dc.drifted ? 'yes' : 'no')),
        el('tr', {}, el('td', {}, 'PCA reconstruction error'), el('td', { id: 'multivariate-pca' }, reconstructionLine(m)), el('td', { class: r?.drifted ? 'fail' : r ? 'pass' : 'muted' }, r ? (r.drifted ? 'yes' : 'no') : '—')),
      ),
    ),
    top.length
      ? el(
          'div',
          {},
          el('h3', {}, `Features that separate the samples most (share of the classifier's importance, AUC ${fmt(dc.auc)})`),
          el('table', { id: 'multivariate-features' }, el('thead', {}, el('tr', {}, el('th', {}, 'feature'), el('th', {}, 'importance'))), el('tbody', {}, ...top.map(row))),
        )
      : null,
    m.notes.length ? el('ul', { class: 'muted', id: 'multivariate-notes' }, ...m.notes.map((n) => el('li', {}, n))) : null,
  );
}
