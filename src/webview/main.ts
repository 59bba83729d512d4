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
import type { Decision, DriftReport, FeatureDrift, Plan, SimulationResult, SimulationStep } from '../core/protocol';
import { destroyAll, draw, theme } from './charts';
import { append, clear, el, fmt, pct } from './dom';
import { isToWebview, type DashboardState, type FromWebview } from './messages';

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

const state: { data?: DashboardState; feature?: string; csvFiles: string[]; simCsv?: string; sim: SimState } = {
  csvFiles: [],
  sim: { running: false, steps: [] },
};
const saved = vscode.getState() as { feature?: string; simCsv?: string } | undefined;
if (saved && typeof saved.feature === 'string') state.feature = saved.feature;
if (saved && typeof saved.simCsv === 'string') state.simCsv = saved.simCsv;
const persist = () => vscode.setState({ feature: state.feature, simCsv: state.simCsv });

const app = document.getElementById('app')!;

window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  const m = ev.data;
  if (!isToWebview(m)) return;
  switch (m.type) {
    case 'state':
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
    features.length > PSI_TOP ? ` · chart shows the ${PSI_TOP} highest of ${features.length}` : '',
  );

  const table = el('table', { id: 'feature-table' }, el('thead', {}, el('tr', {}, ...['feature', 'PSI', 'test', 'statistic', 'p-value', 'JS', 'severity'].map((h) => el('th', {}, h)))));
  const tbody = el('tbody');
  for (const f of features.filter((x) => x.drifted).concat(features.filter((x) => !x.drifted)).slice(0, 40)) {
    const tr = el(
      'tr',
      { class: f.name === state.feature ? 'selected' : undefined, tabindex: 0, title: 'Show histogram' },
      el('td', { class: 'feature-name' }, f.name),
      el('td', {}, fmt(f.psi)),
      el('td', {}, f.test === 'ks' ? 'KS' : 'χ²'),
      el('td', {}, fmt(f.statistic)),
      el('td', {}, f.p_value < 1e-4 ? f.p_value.toExponential(1) : fmt(f.p_value, 4)),
      el('td', {}, fmt(f.js_distance)),
      el('td', {}, severityBadge(f.severity)),
    );
    const select = () => selectFeature(f.name);
    tr.addEventListener('click', select);
    tr.addEventListener('keydown', (e) => e.key === 'Enter' && select());
    tbody.appendChild(tr);
  }
  table.appendChild(tbody);

  app.appendChild(section('psi', 'PSI per feature', summary, el('div', { class: 'chart tall', style: undefined }, canvas)));
  canvas.parentElement!.style.height = `${Math.max(220, shown.length * 22 + 60)}px`;
  const chart = draw('psi', canvas, {
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
  void chart;

  app.appendChild(section('features', 'Features (drifted first)', table));
  if (report.quality.length) {
    app.appendChild(
      section('quality', 'Data quality', el('ul', {}, ...report.quality.map((q) => el('li', {}, el('code', {}, q.kind), ' ', el('span', { class: 'feature-name' }, q.feature), ': ', q.message)))),
    );
  }
  renderHistogram(features);
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

function binLabels(f: FeatureDrift): string[] {
  const b = f.bins!;
  if (b.categories && b.categories.length === b.expected.length) return b.categories;
  // numeric: interior edges e, bins (-∞,e0) [e0,e1) … [e_last,∞), plus a last "missing / ±∞" bin
  const e = b.edges ?? [];
  const withMissing = e.length + 2 === b.expected.length;
  if (!withMissing && e.length + 1 !== b.expected.length) return b.expected.map((_, i) => `bin ${i + 1}`);
  const n = (x: number) => (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-2) ? x.toExponential(1) : Number(x.toFixed(2)).toString());
  return b.expected.map((_, i) =>
    withMissing && i === e.length + 1 ? 'missing / ±∞' : e.length === 0 ? 'all values' : i === 0 ? `< ${n(e[0])}` : i === e.length ? `≥ ${n(e[i - 1])}` : `${n(e[i - 1])} – ${n(e[i])}`,
  );
}

function renderHistogram(features: FeatureDrift[]): void {
  const withBins = features.filter((f) => f.bins && f.bins.expected.length);
  if (!withBins.length) return;
  const f = withBins.find((x) => x.name === state.feature) ?? withBins[0];
  const select = el('vscode-single-select', { id: 'feature-select', 'aria-label': 'Feature' });
  for (const x of withBins) select.appendChild(el('vscode-option', { value: x.name, selected: x.name === f.name }, x.name.trim() || x.name));
  select.addEventListener('change', () => selectFeature((select as unknown as { value: string }).value));
  const canvas = el('canvas', { id: 'hist-canvas', role: 'img', 'aria-label': `Histogram of ${f.name}` });
  app.appendChild(
    section('histogram', 'Baseline vs current', el('div', { class: 'row' }, select, el('span', { class: 'muted' }, `PSI ${fmt(f.psi)} · `, severityBadge(f.severity))), el('div', { class: 'chart' }, canvas)),
  );
  const t = theme();
  draw('hist', canvas, {
    type: 'bar',
    data: {
      labels: binLabels(f),
      datasets: [
        { label: 'baseline', data: f.bins!.expected, backgroundColor: t.blue },
        { label: 'current', data: f.bins!.actual, backgroundColor: t.orange },
      ],
    },
    options: { maintainAspectRatio: false, scales: { y: { beginAtZero: true, title: { display: true, text: 'share of rows' } } } },
  });
}

/** one series per baseline (a check against production v1 and one against v2 measure different things), on a time axis */
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
  const canvas = el('canvas', { id: 'models-canvas', role: 'img', 'aria-label': 'Model metrics by version' });
  const list = el('p', { class: 'muted' }, models.map((m) => `${m.version}: ${m.status}${m.version === d?.production && m.status !== 'production' ? ' (production)' : ''}`).join(' · '));
  app.appendChild(section('models', 'Model metrics across versions', list, el('div', { class: 'chart' }, canvas)));
  const t = theme();
  const metric = (k: 'accuracy' | 'precision' | 'recall' | 'f1', color: string) => ({ label: k, data: models.map((m) => m.metrics[k]), backgroundColor: color });
  draw('models', canvas, {
    type: 'bar',
    data: { labels: models.map((m) => (m.version === d?.production ? `${m.version} ★` : m.version)), datasets: [metric('accuracy', t.blue), metric('precision', t.green), metric('recall', t.orange), metric('f1', t.purple)] },
    options: { maintainAspectRatio: false, scales: { y: { min: Math.max(0, Math.min(...models.map((m) => Math.min(m.metrics.accuracy, m.metrics.f1))) - 0.05), max: 1 } } },
  });
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
    dec.considerations.length ? el('div', {}, el('h3', {}, 'Considerations'), el('ul', {}, ...dec.considerations.map((c) => el('li', {}, c)))) : null,
    dec.risks.length ? el('div', {}, el('h3', {}, 'Risks'), el('ul', {}, ...dec.risks.map((c) => el('li', {}, c)))) : null,
  );
}

function planView(plan: Plan): HTMLElement {
  const steps = el('ol', { class: 'steps' }, ...plan.steps.map((s) => el('li', { class: `step step-${s.status}` }, el('span', { class: 'step-status' }, s.status.replace('_', ' ')), ' ', s.tool.replace(/_/g, ' '), s.error ? el('span', { class: 'error' }, ` — ${s.error}`) : null)));
  const actions =
    plan.status === 'awaiting_approval'
      ? el('div', { class: 'row' }, button('Approve', () => vscode.postMessage({ type: 'approvePlan', planId: plan.id, approve: true }), { id: 'approve' }), button('Reject', () => vscode.postMessage({ type: 'approvePlan', planId: plan.id, approve: false }), { secondary: true, id: 'reject' }))
      : null;
  return el('div', { class: 'plan' }, el('p', {}, el('strong', {}, plan.goal), ` · ${plan.status.replace('_', ' ')} · autonomy ${plan.autonomy}`), steps, plan.error ? el('p', { class: 'error' }, plan.error) : null, actions);
}

function renderAgent(d: DashboardState | undefined): void {
  const dec = d?.decisions?.[0];
  if (!dec) {
    app.appendChild(section('agent', "Agent's decision", el('p', { class: 'muted' }, 'The agent has not decided anything yet. Run "DriftCatcher: Run Agent" or try the digital twin below.')));
    return;
  }
  const plan = d?.plans.find((p) => p.decision_id === dec.id);
  app.appendChild(section('agent', "Agent's decision", decisionView(dec), plan ? planView(plan) : null));
}

function renderSimulation(): void {
  const host = document.getElementById('simulation');
  if (!host) return;
  clear(host);
  const sim = state.sim;
  const files = state.csvFiles;
  const preferred = state.simCsv && files.includes(state.simCsv) ? state.simCsv : (files.find((f) => /drift/i.test(f)) ?? files[0]);
  state.simCsv = preferred;
  const select = el('vscode-single-select', { id: 'sim-csv', 'aria-label': 'Batch CSV', disabled: sim.running });
  for (const f of files) select.appendChild(el('vscode-option', { value: f, selected: f === preferred }, f));
  select.addEventListener('change', () => {
    state.simCsv = (select as unknown as { value: string }).value;
    persist();
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
