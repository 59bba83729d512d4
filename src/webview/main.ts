/**
 * The dashboard webview (browser IIFE bundled by esbuild into dist/webview.js). Renders DashboardData sent by the
 * extension; every string is inserted as text (see dom.ts). Charts: chart.js, bundled. Buttons and selects:
 * @vscode-elements/elements (the kept successor of the archived @vscode/webview-ui-toolkit).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { Decision, DriftReport, FeatureDrift, ModelVersion, Plan, SimulationResult, SimulationStep, ValidationResult } from '../core/protocol';
import { destroyAll, draw, theme } from './charts';
import { append, clear, el, fmt, pct } from './dom';
import { combobox } from './combobox';
import { comparisonSymbol, gateRows, planValidation } from './gate';
import { escalationView, evidenceView } from './evidenceView';
import { multivariateView } from './multivariateView';
import { histogramBins, TOP_CATEGORIES } from './histogram';
import { isToWebview, type DashboardState, type FromWebview } from './messages';
import { qualityGroups } from './quality';
import { virtualTable, type Column, type TableView } from './vtable';

declare function acquireVsCodeApi(): { postMessage(m: FromWebview): void; getState(): unknown; setState(s: unknown): void };
const vscode = acquireVsCodeApi();

const PSI_TOP = 25;

interface SimState {
  running: boolean;
  csv?: string;
  steps: SimulationStep[];
  result?: SimulationResult;
  error?: string;
}

const state: { data?: DashboardState; feature?: string; csvFiles: string[]; simCsv?: string; sim: SimState; table: TableView; columnsTable: TableView; qualityOpen: Set<string> } = {
  csvFiles: [],
  sim: { running: false, steps: [] },
  table: { sort: 'psi', dir: -1, filter: '', onlyFlagged: false },
  columnsTable: { sort: 'importance', dir: -1, filter: '', onlyFlagged: false },
  qualityOpen: new Set(),
};
const saved = vscode.getState() as { feature?: string; simCsv?: string; table?: TableView } | undefined;
if (saved && typeof saved.feature === 'string') state.feature = saved.feature;
if (saved && typeof saved.simCsv === 'string') state.simCsv = saved.simCsv;
if (saved?.table && typeof saved.table.sort === 'string' && typeof saved.table.filter === 'string') state.table = { ...state.table, ...saved.table };
const persist = () => vscode.setState({ feature: state.feature, simCsv: state.simCsv, table: state.table });

const app = document.getElementById('app')!;

window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  const m = ev.data;
  if (!isToWebview(m)) return;
  switch (m.type) {
    case 'state':
      // a new report: the twin's picker follows the batch just checked
      if (m.state.report && m.state.report.created_at !== state.data?.report?.created_at && state.data) state.simCsv = undefined;
      state.data = m.state;
      break;
    case 'focusFeature':
      state.feature = m.feature;
      persist();
      break;
    case 'csvFiles':
      state.csvFiles = m.files;
      break;
    case 'simulationStarted':
      state.sim = { running: true, csv: m.csv, steps: [] };
      state.simCsv = m.csv;
      break;
    case 'simulationStep':
      state.sim.steps = [...state.sim.steps.filter((s) => s.name !== m.step.name), m.step];
      renderSimulation(); // live: only the runner section
      return;
    case 'simulationDone':
      state.sim = { ...state.sim, running: false, steps: m.result.steps, result: m.result };
      break;
    case 'simulationFailed':
      state.sim = { ...state.sim, running: false, error: m.error };
      break;
  }
  render();
  if (m.type === 'focusFeature') document.getElementById('histogram')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
});

// re-theme the charts when the user switches colour theme (VS Code toggles body classes)
new MutationObserver(() => render()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

function section(id: string, title: string, ...children: (Node | string | null | undefined | false)[]): HTMLElement {
  return el('section', { id, class: 'card' }, el('h2', {}, title), ...children);
}

function severityBadge(sev: string): HTMLElement {
  return el('span', { class: `sev sev-${sev}` }, sev);
}

function button(label: string, onClick: () => void, attrs: Record<string, string | boolean | undefined> = {}): HTMLElement {
  const b = el('vscode-button', attrs, label);
  b.addEventListener('click', onClick);
  return b;
}

function render(): void {
  // a re-render (any state the engine announces) keeps the reader where they were: clearing the page would scroll it to the top
  const scroller = document.scrollingElement ?? document.documentElement;
  const top = scroller.scrollTop;
  destroyAll();
  clear(app);
  app.removeAttribute('aria-busy');
  const d = state.data;
  const report = d?.report;

  const header = el(
    'header',
    {},
    el('h1', {}, 'DriftCatcher'),
    el('span', { class: 'muted' }, d?.production ? `production model ${d.production}` : 'no production model'),
    el('span', { id: 'baseline-name' }, 'drift vs ', el('strong', {}, d?.baselineLabel ?? '…')),
    d?.baseline.kind === 'file' ? button('Use Production', () => vscode.postMessage({ type: 'useProductionBaseline' }), { secondary: true, id: 'use-production' }) : null,
    button('Change Baseline…', () => vscode.postMessage({ type: 'chooseBaseline' }), { secondary: true, id: 'choose-baseline' }),
    report ? severityBadge(report.overall.severity) : null,
    el('span', { class: 'spacer' }),
    button('Refresh', () => vscode.postMessage({ type: 'refresh' }), { secondary: true, id: 'refresh' }),
  );
  app.appendChild(header);

  if (!report) {
    app.appendChild(section('psi', 'Drift', el('p', { class: 'muted' }, 'No drift report yet: right-click a batch CSV and choose "Check Drift".')));
  } else {
    renderReport(report);
  }
  renderHistory(d);
  renderModels(d);
  renderAgent(d);
  app.appendChild(el('section', { id: 'simulation', class: 'card' }));
  renderSimulation();
  scroller.scrollTop = top;
}

function renderReport(report: DriftReport): void {
  const o = report.overall;
  const features = [...report.features].sort((a, b) => b.psi - a.psi);
  const shown = features.slice(0, PSI_TOP);
  const t = theme();
  const color = (f: FeatureDrift) => (f.severity === 'severe' ? t.red : f.severity === 'moderate' ? t.yellow : t.green);

  const canvas = el('canvas', { id: 'psi-canvas', role: 'img', 'aria-label': `PSI per feature: ${shown.map((f) => `${f.name.trim()} ${fmt(f.psi)}`).join(', ')}` });
  const summary = el(
    'p',
    { class: 'summary' },
    `${report.current.source} (${report.current.rows} rows) vs ${reportBaseline(report)} (${report.baseline.rows} rows): `,
    el('strong', {}, `${o.n_drifted}/${o.total_features} features drifted`),
    ` · mean PSI ${fmt(o.psi_mean)} · max PSI ${fmt(o.psi_max)}`,
    features.length > PSI_TOP ? ` · chart shows the top ${PSI_TOP} of ${features.length}, the table below all of them` : '',
  );
  const stale = state.data && !sameBaseline(report, state.data) ? el('p', { class: 'muted', id: 'stale-baseline' }, `This report was checked against ${reportBaseline(report)}; the baseline is now ${state.data.baselineLabel}. Check the batch again to compare with it.`) : null;

  app.appendChild(section('psi', 'PSI per feature', summary, stale, el('div', { class: 'chart tall' }, canvas)));
  canvas.parentElement!.style.height = `${Math.max(220, shown.length * 22 + 60)}px`;
  draw('psi', canvas, {
    type: 'bar',
    data: { labels: shown.map((f) => f.name.trim() || f.name), datasets: [{ label: 'PSI', data: shown.map((f) => f.psi), backgroundColor: shown.map(color) }] },
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      layout: { padding: { top: 14 } }, // room for the threshold labels
      plugins: {
        legend: { display: false },
        // @ts-expect-error options of our own plugin
        dcThresholds: { lines: [{ value: report.thresholds.moderate, label: String(report.thresholds.moderate), color: t.yellow }, { value: report.thresholds.severe, label: String(report.thresholds.severe), color: t.red }] },
      },
      scales: { x: { beginAtZero: true, suggestedMax: Math.max(0.25, ...shown.map((f) => f.psi)) * 1.05, title: { display: true, text: 'PSI' } } },
      onClick: (_e, els) => {
        const i = els[0]?.index;
        if (i !== undefined && shown[i]) selectFeature(shown[i].name);
      },
    },
  });

  const importance = importanceOf(state.data);
  const columns: Column<FeatureDrift>[] = [
    { key: 'name', label: 'feature', value: (f) => f.name.trim() || f.name, width: 'minmax(12em, 3fr)' },
    { key: 'kind', label: 'kind', value: (f) => f.kind, width: 'minmax(6em, 1fr)' },
    { key: 'psi', label: 'PSI', value: (f) => f.psi, cell: (f) => fmt(f.psi), numeric: true },
    { key: 'test', label: 'test', value: (f) => (f.test === 'ks' ? 'KS' : 'χ²'), width: 'minmax(3em, 0.6fr)' },
    { key: 'statistic', label: 'statistic', value: (f) => f.statistic, cell: (f) => fmt(f.statistic), numeric: true },
    { key: 'p', label: 'p-value', value: (f) => f.p_value, cell: (f) => (f.p_value < 1e-4 ? f.p_value.toExponential(1) : fmt(f.p_value, 4)), numeric: true },
    { key: 'js', label: 'JS', value: (f) => f.js_distance, cell: (f) => fmt(f.js_distance), numeric: true, title: 'Jensen–Shannon distance' },
    ...(importance.size ? [{ key: 'importance', label: 'importance', value: (f: FeatureDrift) => importance.get(f.name), cell: (f: FeatureDrift) => fmt(importance.get(f.name)), numeric: true, title: "the production model's impurity-based importance" }] : []),
    { key: 'severity', label: 'severity', value: (f) => ({ severe: 2, moderate: 1, none: 0 })[f.severity], cell: (f) => severityBadge(f.severity), numeric: true },
  ];
  const table = virtualTable({
    id: 'feature-table',
    rows: features,
    columns,
    name: (f) => f.name,
    view: state.table,
    onView: (v) => {
      state.table = v;
      persist();
    },
    flag: { label: 'drifted only', keep: (f) => f.drifted },
    selected: state.feature,
    onSelect: (f) => selectFeature(f.name),
    noun: 'features',
  });
  app.appendChild(section('features', 'Features', table));
  const names = new Set(features.map((f) => f.name));
  app.appendChild(
    section(
      'multivariate',
      report.multivariate ? `Multivariate drift (${report.multivariate.drifted ? 'drifted' : 'none'})` : 'Multivariate drift',
      multivariateView(report.multivariate, { measure: () => vscode.postMessage({ type: 'checkMultivariate' }), select: selectFeature, known: (n) => names.has(n) }),
    ),
  );
  if (report.quality.length) {
    app.appendChild(
      section(
        'quality',
        `Data quality (${report.quality.length} findings)`,
        qualityGroups(report.quality, state.qualityOpen, (kind, open) => {
          if (open) state.qualityOpen.add(kind);
          else state.qualityOpen.delete(kind);
        }),
      ),
    );
  }
  renderHistogram(features);
}

/** the production model's importance per feature name, when it records one */
function importanceOf(d: DashboardState | undefined): Map<string, number> {
  const prod = d?.models.find((m) => m.version === d.production);
  return new Map((prod?.columns ?? []).filter((c) => c.kind !== 'excluded').map((c) => [c.name, c.importance]));
}

/** whether a report was checked against the baseline the workspace uses now */
function sameBaseline(r: DriftReport, d: DashboardState): boolean {
  const b = d.baseline;
  if (b.kind === 'production') return r.baseline.model_version === b.version;
  return !r.baseline.model_version && (r.baseline.source === b.source || r.baseline.source.endsWith(`/${b.source}`));
}

/** what a report was checked against, named as the header names the chosen baseline */
function reportBaseline(r: DriftReport): string {
  return r.baseline.model_version ? `production ${r.baseline.model_version}'s training data` : r.baseline.source;
}

function selectFeature(name: string): void {
  state.feature = name;
  persist();
  render();
  document.getElementById('histogram')?.scrollIntoView({ block: 'start' });
}

function statsOf(f: FeatureDrift): HTMLElement {
  const stat = (label: string, value: string) => el('div', {}, el('span', {}, label), value);
  return el(
    'div',
    { class: 'stats', id: 'feature-stats' },
    stat('kind', f.kind),
    stat('PSI', fmt(f.psi)),
    stat(f.test === 'ks' ? 'KS statistic' : 'χ² statistic', fmt(f.statistic)),
    stat('p-value', f.p_value < 1e-4 ? f.p_value.toExponential(2) : fmt(f.p_value, 4)),
    stat('Jensen–Shannon', fmt(f.js_distance)),
    f.wasserstein !== null ? stat('Wasserstein / σ', fmt(f.wasserstein)) : null,
    stat('missing', `${pct(f.missing_rate_baseline)} → ${pct(f.missing_rate_current)}`),
  );
}

function renderHistogram(features: FeatureDrift[]): void {
  const withBins = features.filter((f) => f.bins && f.bins.expected.length);
  if (!withBins.length) return;
  const f = withBins.find((x) => x.name === state.feature) ?? withBins[0];
  const byName = new Map(withBins.map((x) => [x.name, x]));
  const picker = combobox({ id: 'feature-select', label: 'Feature', items: withBins.map((x) => x.name), value: f.name, detail: (n) => `PSI ${fmt(byName.get(n)?.psi)}`, onPick: selectFeature });
  const bins = histogramBins(f);
  const canvas = el('canvas', { id: 'hist-canvas', role: 'img', 'aria-label': `Histogram of ${f.name}: ${bins.labels.map((l, i) => `${l} ${pct(bins.expected[i])} → ${pct(bins.actual[i])}`).join(', ')}` });
  app.appendChild(
    section(
      'histogram',
      'Baseline vs current',
      el('div', { class: 'row' }, picker, el('span', { class: 'muted' }, `PSI ${fmt(f.psi)} · `, severityBadge(f.severity))),
      statsOf(f),
      bins.other ? el('p', { class: 'muted' }, `the ${TOP_CATEGORIES} categories with the largest share, and ${bins.other} more as "other"`) : null,
      el('div', { class: 'chart' }, canvas),
    ),
  );
  const t = theme();
  draw('hist', canvas, {
    type: 'bar',
    data: {
      labels: bins.labels.map((l) => (l.length > 28 ? `${l.slice(0, 27)}…` : l)),
      datasets: [
        { label: 'baseline', data: bins.expected, backgroundColor: t.blue },
        { label: 'current', data: bins.actual, backgroundColor: t.orange },
      ],
    },
    options: {
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, title: { display: true, text: 'share of rows' } } },
      plugins: { tooltip: { callbacks: { title: (items) => bins.labels[items[0]?.dataIndex ?? 0] ?? '' } } },
    },
  });
}

function renderHistory(d: DashboardState | undefined): void {
  const points = d?.driftHistory ?? [];
  if (!points.length) return;
  const series = [...new Set(points.map((p) => p.series))];
  const t = theme();
  const palette = [t.purple, t.blue, t.orange, t.green, t.yellow, t.red];
  const canvas = el('canvas', { id: 'history-canvas', role: 'img', 'aria-label': `Overall drift over time, ${series.length} series: ${series.join(', ')}` });
  app.appendChild(section('history', 'Overall drift over time', el('p', { class: 'muted' }, 'Mean PSI of each tracked drift check; one line per baseline it was checked against.'), el('div', { class: 'chart' }, canvas)));
  const day = 86_400_000;
  const span = points[points.length - 1].time - points[0].time;
  const tick = (v: number | string) => {
    const date = new Date(Number(v));
    return span < day ? date.toLocaleTimeString() : span < 30 * day ? date.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }) : date.toLocaleDateString();
  };
  draw('history', canvas, {
    type: 'line',
    data: {
      datasets: series.map((name, i) => ({
        label: `vs ${name}`,
        data: points.filter((p) => p.series === name).map((p) => ({ x: p.time, y: p.psi })),
        borderColor: palette[i % palette.length],
        backgroundColor: palette[i % palette.length],
      })),
    },
    options: {
      maintainAspectRatio: false,
      parsing: false,
      scales: {
        x: { type: 'linear', ticks: { callback: tick, maxRotation: 0, autoSkip: true, maxTicksLimit: 8 }, title: { display: true, text: 'time of the check' } },
        y: { beginAtZero: true, title: { display: true, text: 'mean PSI' } },
      },
      plugins: {
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? new Date(Number(items[0].parsed.x)).toLocaleString() : ''),
            label: (item) => {
              const p = points.filter((q) => q.series === series[item.datasetIndex])[item.dataIndex];
              return `${p?.source ?? ''} vs ${series[item.datasetIndex]}: ${fmt(item.parsed.y)}`;
            },
          },
        },
      },
    },
  });
}

function renderModels(d: DashboardState | undefined): void {
  const models = [...(d?.models ?? [])].sort((a, b) => Number(a.version.slice(1)) - Number(b.version.slice(1)));
  if (!models.length) return;
  const canvas = el('canvas', { id: 'models-canvas', role: 'img', 'aria-label': `Model metrics by version: ${models.map((m) => `${m.version} accuracy ${fmt(m.metrics.accuracy)} balanced accuracy ${fmt(m.metrics.balanced_accuracy)} macro-F1 ${fmt(m.metrics.macro_f1)} recall ${fmt(m.metrics.recall)}`).join('; ')}` });
  const t = theme();
  type Key = 'accuracy' | 'balanced_accuracy' | 'macro_f1' | 'precision' | 'recall' | 'f1';
  const metric = (k: Key, label: string, color: string) => ({ label, data: models.map((m) => (typeof m.metrics[k] === 'number' ? m.metrics[k] : null)), backgroundColor: color });
  const datasets = [metric('accuracy', 'accuracy', t.blue), metric('balanced_accuracy', 'balanced accuracy', t.green), metric('macro_f1', 'macro-F1', t.purple), metric('precision', 'precision', t.yellow), metric('recall', 'recall', t.orange)].filter((ds) => ds.data.some((v) => v !== null));
  const table = el(
    'table',
    { id: 'models-table' },
    el('thead', {}, el('tr', {}, ...['version', 'status', 'accuracy', 'balanced acc.', 'macro-F1', 'lowest class recall', 'majority baseline (acc. / bal. acc.)', 'features', 'validation'].map((h) => el('th', {}, h)))),
    el(
      'tbody',
      {},
      ...[...models].reverse().map((m) => {
        const worst = [...(m.metrics.per_class ?? [])].sort((a, b) => a.recall - b.recall)[0];
        const mb = m.metrics.majority_baseline;
        const cols = m.columns ?? [];
        const kinds = cols.length ? `${cols.filter((c) => c.kind === 'numeric').length} numeric · ${cols.filter((c) => c.kind === 'categorical').length} categorical · ${cols.filter((c) => c.kind === 'excluded').length} excluded` : `${m.features.length}`;
        return el(
          'tr',
          { class: m.version === d?.production ? 'selected' : undefined },
          el('td', {}, m.version === d?.production ? `${m.version} ★` : m.version),
          el('td', {}, m.status),
          el('td', { class: 'num' }, fmt(m.metrics.accuracy)),
          el('td', { class: 'num' }, fmt(m.metrics.balanced_accuracy)),
          el('td', { class: 'num' }, fmt(m.metrics.macro_f1)),
          el('td', {}, worst ? `${worst.class}: ${fmt(worst.recall)}` : '—'),
          el('td', {}, mb ? `${mb.class}: ${fmt(mb.accuracy)} / ${fmt(mb.balanced_accuracy)}` : '—'),
          el('td', {}, kinds),
          el('td', {}, m.validation ? el('span', { class: m.validation.passed ? 'pass' : 'fail' }, m.validation.passed ? 'passed' : 'failed') : '—'),
        );
      }),
    ),
  );
  app.appendChild(section('models', 'Model metrics across versions', el('div', { class: 'chart' }, canvas), table));
  draw('models', canvas, {
    type: 'bar',
    data: { labels: models.map((m) => (m.version === d?.production ? `${m.version} ★` : m.version)), datasets },
    // from 0: a recall of 0.34 must be drawn, not cut off
    options: { maintainAspectRatio: false, scales: { y: { min: 0, max: 1, title: { display: true, text: 'on the test split' } } } },
  });
  renderModelColumns(models.find((m) => m.version === d?.production) ?? models[models.length - 1]);
}

/** the model's feature list: how it uses each column (numeric / categorical / excluded and why) and its importance */
function renderModelColumns(m: ModelVersion): void {
  const cols = m.columns ?? m.features.map((name) => ({ name, kind: 'numeric' as const, importance: Number.NaN }));
  if (!cols.length) return;
  const table = virtualTable({
    id: 'model-columns',
    rows: cols,
    columns: [
      { key: 'name', label: 'column', value: (c) => c.name.trim() || c.name, width: 'minmax(12em, 3fr)' },
      { key: 'kind', label: 'used as', value: (c) => c.kind, width: 'minmax(7em, 1fr)' },
      { key: 'importance', label: 'importance', value: (c) => c.importance, cell: (c) => fmt(c.importance), numeric: true },
      { key: 'categories', label: 'categories', value: (c) => ('categories' in c ? c.categories : undefined), numeric: true },
      { key: 'reason', label: 'why excluded', value: (c) => ('reason' in c ? c.reason : undefined) ?? '', width: 'minmax(10em, 3fr)' },
    ],
    name: (c) => c.name,
    view: state.columnsTable,
    onView: (v) => (state.columnsTable = v),
    flag: { label: 'excluded only', keep: (c) => c.kind === 'excluded' },
    noun: 'columns',
    maxHeight: 300,
  });
  app.appendChild(section('model-features', `Features of ${m.version} (${m.label} predicted from ${m.features.length} features)`, table));
}

function decisionView(dec: Decision): HTMLElement {
  return el(
    'div',
    { class: 'decision' },
    el(
      'div',
      { class: 'row' },
      el('strong', { class: 'action' }, dec.action),
      el('span', { class: `source source-${dec.source}` }, dec.source === 'llm' ? 'decided by the LLM' : 'decided by the rule policy'),
      el('span', { class: 'muted' }, new Date(dec.created_at).toLocaleString()),
    ),
    el('div', { class: 'confidence' }, el('span', {}, `confidence ${pct(dec.confidence)}`), el('meter', { min: 0, max: 1, value: dec.confidence })),
    dec.fallback_reason ? el('p', { class: 'muted' }, `policy instead of LLM: ${dec.fallback_reason}`) : null,
    el('p', { class: 'rationale' }, dec.rationale),
    evidenceView(dec.evidence),
    dec.considerations.length ? el('div', {}, el('h3', {}, 'Considerations'), el('ul', {}, ...dec.considerations.map((c) => el('li', {}, c)))) : null,
    dec.risks.length ? el('div', {}, el('h3', {}, 'Risks'), el('ul', {}, ...dec.risks.map((c) => el('li', {}, c)))) : null,
  );
}

/** the gate's checks: candidate vs production on the same holdout, threshold, result */
function gateView(v: ValidationResult): HTMLElement {
  return el(
    'div',
    { class: 'gate' },
    el('p', {}, el('strong', {}, `Validation ${v.passed ? 'passed' : 'failed'}`), ` · ${v.version} on ${v.holdout.path} (${v.holdout.rows} rows)${v.production_metrics ? ` · production ${v.production_metrics.version} on the same rows` : ''}`),
    el(
      'table',
      { class: 'gate-checks' },
      el('thead', {}, el('tr', {}, ...['check', 'candidate', 'production', 'threshold', 'result'].map((h) => el('th', {}, h)))),
      el(
        'tbody',
        {},
        ...gateRows(v).map((r) =>
          el('tr', {}, el('td', {}, r.name), el('td', { class: 'num' }, fmt(r.candidate)), el('td', { class: 'num' }, fmt(r.production)), el('td', { class: 'num' }, `${comparisonSymbol(r.comparison)} ${fmt(r.threshold)}`), el('td', { class: r.passed ? 'pass' : 'fail', title: r.message }, r.passed ? 'pass' : 'fail')),
        ),
      ),
    ),
  );
}

function planView(plan: Plan): HTMLElement {
  const validation = planValidation(plan);
  const steps = el('ol', { class: 'steps' }, ...plan.steps.map((s) => el('li', { class: `step step-${s.status}` }, el('span', { class: 'step-status' }, s.status.replace('_', ' ')), ' ', s.tool.replace(/_/g, ' '), s.error ? el('span', { class: 'error' }, ` — ${s.error}`) : null)));
  const review = plan.review_required && plan.status === 'awaiting_approval';
  const actions =
    plan.status === 'awaiting_approval'
      ? el(
          'div',
          { class: 'row' },
          button(review ? 'Approve after Review' : 'Approve', () => vscode.postMessage({ type: 'approvePlan', planId: plan.id, approve: true }), { id: 'approve' }),
          button('Reject', () => vscode.postMessage({ type: 'approvePlan', planId: plan.id, approve: false }), { secondary: true, id: 'reject' }),
          review ? el('span', { class: 'muted' }, approveAfterReview(plan)) : null,
        )
      : null;
  return el(
    'div',
    { class: 'plan' },
    el('p', {}, el('strong', {}, plan.goal), ` · ${plan.interrupted ? 'interrupted' : plan.status.replace('_', ' ')} · autonomy ${plan.autonomy}`),
    plan.review_required ? el('p', { class: 'review', id: 'review-required' }, el('strong', {}, 'Review required: '), plan.review_required) : null,
    steps,
    validation ? gateView(validation) : null,
    plan.error ? el('p', { class: 'error' }, plan.error) : null,
    actions,
  );
}

/** what approving a plan that waits for review lets the agent do */
function approveAfterReview(plan: Plan): string {
  const deploys = plan.steps.some((s) => s.tool === 'deploy_model');
  return `Approving ends the escalation and lets the agent retrain and validate${deploys ? (plan.autonomy === 'suggest' ? '' : '; a candidate that passes the gate is deployed without asking again') : ''}.`;
}

function renderAgent(d: DashboardState | undefined): void {
  const pending = d?.plans.filter((p) => p.status === 'awaiting_approval') ?? [];
  const dec = d?.decisions?.[0];
  const escalation = escalationView(d?.escalation, () => vscode.postMessage({ type: 'resetEscalation' }));
  if (!dec && !pending.length) {
    app.appendChild(section('agent', "Agent's decision", escalation, el('p', { class: 'muted' }, 'The agent has not decided anything yet. Run "DriftCatcher: Run Agent" or try the digital twin below.')));
    return;
  }
  // a plan waiting for approval comes first, with the numbers to decide on
  const plan = pending[0] ?? d?.plans.find((p) => p.decision_id === dec?.id);
  const planDecision = plan ? d?.decisions.find((x) => x.id === plan.decision_id) : dec;
  app.appendChild(
    section('agent', pending.length ? `A plan awaits your approval${pending.length > 1 ? ` (1 of ${pending.length})` : ''}` : "Agent's decision", escalation, planDecision ? decisionView(planDecision) : null, plan ? planView(plan) : null),
  );
}

function renderSimulation(): void {
  const host = document.getElementById('simulation');
  if (!host) return;
  clear(host);
  const sim = state.sim;
  const files = state.csvFiles;
  // the batch just checked is the one to simulate, unless the user picked another
  const checked = state.data?.report?.current.source;
  const preferred = state.simCsv && files.includes(state.simCsv) ? state.simCsv : checked && files.includes(checked) ? checked : (files.find((f) => /drift/i.test(f)) ?? files[0]);
  state.simCsv = preferred;
  const select = combobox({
    id: 'sim-csv',
    label: 'Batch CSV',
    items: files,
    value: preferred,
    disabled: sim.running,
    onPick: (f) => {
      state.simCsv = f;
      persist();
    },
  });
  const run = button(sim.running ? 'Running…' : 'Run simulation', () => state.simCsv && vscode.postMessage({ type: 'runSimulation', csv: state.simCsv }), { id: 'run-simulation', disabled: sim.running || !files.length });
  append(
    host,
    el('h2', {}, 'Digital twin'),
    el('p', { class: 'muted' }, 'Replays the agent on a copy of the workspace: check drift, decide, retrain, validate — production stays untouched.'),
    el('div', { class: 'row' }, select, run, sim.running ? el('vscode-progress-ring', { 'aria-label': 'running' }) : null),
  );
  if (sim.csv || sim.steps.length) {
    host.appendChild(
      el('ol', { id: 'sim-steps', class: 'steps' }, ...sim.steps.map((s) => el('li', { class: `step step-${s.status}` }, el('span', { class: 'step-status' }, s.status), ' ', s.name, ` (${s.seconds.toFixed(2)} s)`, s.detail ? el('span', { class: 'muted' }, ` — ${s.detail}`) : null))),
    );
  }
  if (sim.error) host.appendChild(el('p', { class: 'error', id: 'sim-error' }, sim.error));
  const r = sim.result;
  if (r) {
    host.appendChild(
      el(
        'div',
        { id: 'sim-result' },
        el('p', {}, el('strong', {}, 'Simulation complete'), ` · decision ${r.decision.action} (${pct(r.decision.confidence)}, ${r.decision.source}) · production ${r.production_unchanged ? 'unchanged' : 'CHANGED'}`),
        r.candidate_metrics ? el('p', { class: 'muted' }, `candidate f1 ${fmt(r.candidate_metrics.f1)}${r.production_metrics ? ` vs production f1 ${fmt(r.production_metrics.f1)}` : ''}${r.validation ? ` · validation ${r.validation.passed ? 'passed' : 'failed'}` : ''}`) : null,
        r.would_change.length ? el('div', {}, el('h3', {}, 'A deploy would change'), el('ul', {}, ...r.would_change.map((w) => el('li', {}, w)))) : null,
      ),
    );
  }
}

render();
vscode.postMessage({ type: 'ready' });
