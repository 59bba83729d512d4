import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  MarkupKind,
  type CodeAction,
  type Connection,
  type Diagnostic,
  type Hover,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { readChosenBaseline } from '../pipeline/baselineChoice';
import { loadProfile } from '../drift/profile';
import { getVersion, productionVersion } from '../model/registry';
import { Methods, type DriftReport, type FeatureDrift } from '../protocol';
import { errorMessage } from '../util/errors';
import { fmtCompact, pct } from '../util/format';
import { escapeMarkdown } from '../util/markdown';
import { cellAt, cellForFeature, headerCells, type HeaderCell } from './csvHeader';
import type { EngineHost } from './host';

/** the client-side command a code action asks the editor to run (the VS Code extension registers it) */
export const OPEN_DASHBOARD_COMMAND = 'driftcatcher.openDashboard';

interface DocState {
  report: DriftReport;
  generation: number;
}

/**
 * Drift in the editor: an opened CSV that shares columns with the production model's baseline is checked
 * against it (the file on disk, streamed by the drift engine in a worker) and its drifted header cells get
 * diagnostics; hovering a header cell shows the feature's statistics; a code action opens the dashboard.
 */
export class CsvInsight {
  private readonly states = new Map<string, DocState>();
  private readonly generations = new Map<string, number>();
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly server: EngineHost) {}

  private documents?: TextDocuments<TextDocument>;

  register(connection: Connection, documents: TextDocuments<TextDocument>): void {
    this.documents = documents;
    documents.onDidOpen((e) => void this.check(e.document));
    documents.onDidSave((e) => void this.check(e.document));
    documents.onDidClose((e) => this.forget(e.document.uri));
    connection.onHover((p) => {
      const doc = documents.get(p.textDocument.uri);
      return doc ? this.hover(doc, doc.offsetAt(p.position)) : null;
    });
    connection.onCodeAction((p) => {
      const doc = documents.get(p.textDocument.uri);
      if (!doc) return [];
      return this.codeActions(doc, doc.offsetAt(p.range.start), p.context.diagnostics);
    });
  }

  /** the production model (and so the baseline) may have changed: check every open CSV again */
  recheckOpen(): void {
    for (const doc of this.documents?.all() ?? []) void this.check(doc);
  }

  /** check a CSV document and publish its diagnostics (empty when it shares nothing with the baseline) */
  async check(doc: TextDocument): Promise<void> {
    const file = csvPath(doc.uri);
    if (!file) return;
    const generation = (this.generations.get(doc.uri) ?? 0) + 1;
    this.generations.set(doc.uri, generation);
    this.running.get(doc.uri)?.abort();
    const aborter = new AbortController();
    this.running.set(doc.uri, aborter);
    try {
      const real = fs.realpathSync.native(file);
      if (!this.server.workspacePaths.contains(real)) return; // only files inside the workspace are read
      const cells = this.cellsOf(doc);
      if (!this.sharesColumns(cells)) return this.publish(doc.uri, []);
      const report = await this.server.run(Methods.measureDrift, { current: real }, { signal: aborter.signal });
      if (this.generations.get(doc.uri) !== generation) return; // superseded by a newer open/save
      this.states.set(doc.uri, { report, generation });
      this.publish(doc.uri, diagnosticsFor(report, cells, doc));
    } catch (e) {
      if (!aborter.signal.aborted) this.server.log(`no drift diagnostics for ${file}: ${errorMessage(e)}`, 'warn');
    } finally {
      if (this.running.get(doc.uri) === aborter) this.running.delete(doc.uri);
    }
  }

  /** whether the header shares a column with the baseline every view uses (the chosen one, else production's) */
  private sharesColumns(cells: HeaderCell[]): boolean {
    const ws = this.server.workspace;
    const chosen = readChosenBaseline(ws);
    let features: string[];
    if (chosen) {
      features = loadProfile(chosen.profile).features.map((f) => f.name);
    } else {
      const prod = productionVersion(ws);
      if (!prod) return false;
      features = getVersion(ws, prod).features;
    }
    return features.some((f) => cellForFeature(cells, f) !== undefined);
  }

  private forget(uri: string): void {
    this.running.get(uri)?.abort();
    this.states.delete(uri);
    this.generations.set(uri, (this.generations.get(uri) ?? 0) + 1);
    this.publish(uri, []);
  }

  private publish(uri: string, diagnostics: Diagnostic[]): void {
    void this.server.connection.sendDiagnostics({ uri, diagnostics });
  }

  /** the header cells as the engine names them (the reader's header scanner, with the configured column limit) */
  private cellsOf(doc: TextDocument): HeaderCell[] {
    let maxColumns: number | undefined;
    try {
      maxColumns = this.server.config().csv.maxColumns;
    } catch {
      maxColumns = undefined; // a broken config is reported by the requests; the default limit applies here
    }
    return headerCells(doc.getText(), maxColumns);
  }

  private featureAt(doc: TextDocument, offset: number): { cell: HeaderCell; feature: FeatureDrift; report: DriftReport } | undefined {
    const state = this.states.get(doc.uri);
    if (!state) return undefined;
    const cell = cellAt(this.cellsOf(doc), offset);
    if (!cell) return undefined;
    const feature = state.report.features.find((f) => f.name === cell.name) ?? state.report.features.find((f) => f.name.trim() === cell.name);
    return feature ? { cell, feature, report: state.report } : undefined;
  }

  /** `offset`: where the pointer is, in the document text */
  hover(doc: TextDocument, offset: number): Hover | null {
    const hit = this.featureAt(doc, offset);
    if (!hit) return null;
    const { cell, feature, report } = hit;
    return {
      contents: { kind: MarkupKind.Markdown, value: featureMarkdown(feature, report) },
      range: { start: doc.positionAt(cell.nameStart), end: doc.positionAt(cell.nameEnd) },
    };
  }

  codeActions(doc: TextDocument, offset: number, diagnostics: Diagnostic[]): CodeAction[] {
    const fromDiagnostics = diagnostics.filter((d) => d.source === 'driftcatcher' && typeof featureOf(d) === 'string');
    const features = new Set(fromDiagnostics.map((d) => featureOf(d) as string));
    const hit = this.featureAt(doc, offset);
    if (hit) features.add(hit.feature.name);
    return [...features].map((feature) => ({
      title: `Open DriftCatcher dashboard on ${feature.trim()}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: fromDiagnostics.filter((d) => featureOf(d) === feature),
      command: { title: `Open DriftCatcher dashboard on ${feature.trim()}`, command: OPEN_DASHBOARD_COMMAND, arguments: [feature] },
    }));
  }
}

function featureOf(d: Diagnostic): unknown {
  return typeof d.data === 'object' && d.data !== null ? (d.data as { feature?: unknown }).feature : undefined;
}

function csvPath(uri: string): string | undefined {
  if (!uri.startsWith('file:') || !uri.toLowerCase().endsWith('.csv')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** where a text offset is (a TextDocument's positionAt) */
export interface OffsetPositions {
  positionAt(offset: number): { line: number; character: number };
}

/** one diagnostic per drifted feature, on its header cell: warning for moderate, error for severe */
export function diagnosticsFor(report: DriftReport, cells: HeaderCell[], doc: OffsetPositions): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of report.features) {
    if (f.severity === 'none') continue;
    const cell = cellForFeature(cells, f.name);
    if (!cell) continue;
    out.push({
      range: { start: doc.positionAt(cell.nameStart), end: doc.positionAt(cell.nameEnd) },
      severity: f.severity === 'severe' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      source: 'driftcatcher',
      code: `drift-${f.severity}`,
      message: driftMessage(f, report),
      data: { feature: f.name },
    });
  }
  return out;
}

/**
 * `Flow Duration: PSI 0.34 (severe) · KS p=3e-12` — the Problems panel lists many columns of one file, so the message
 * starts with the column; categorical ones add how many rows carry categories the baseline never saw.
 */
export function driftMessage(f: FeatureDrift, report?: DriftReport): string {
  const fresh = report && newCategories(f, report);
  return `${f.name.trim() || f.name}: PSI ${f.psi.toFixed(2)} (${f.severity}) · ${f.test === 'ks' ? 'KS' : 'χ²'} p=${formatP(f.p_value)}${fresh ? ` · ${fresh}` : ''}`;
}

/** the new-categories finding of a categorical feature, short: "new categories in 12 rows" */
function newCategories(f: FeatureDrift, report: DriftReport): string | undefined {
  const q = report.quality.find((x) => x.kind === 'new_categories' && x.feature === f.name);
  return q ? `new categories in ${q.value ?? '?'} rows` : undefined;
}

export function formatP(p: number): string {
  if (!Number.isFinite(p)) return String(p);
  if (p === 0) return '0';
  if (p < 0.001) return p.toExponential(0); // 3e-12
  return Number(p.toPrecision(2)).toString();
}

/** categorical hovers list this many of the categories whose share moved most */
const TOP_SHIFTS = 8;

/**
 * The hover: the feature's drift statistics and where its mass moved. Numeric: every bin, two bins per table row so
 * the whole histogram fits without scrolling. Categorical: the categories whose share moved most and the new ones.
 */
export function featureMarkdown(f: FeatureDrift, report: DriftReport): string {
  const lines = [
    `**${escapeMarkdown(f.name.trim())}** — ${f.kind}, drift **${f.severity}**`,
    '',
    '| statistic | value |',
    '|---|---|',
    `| PSI | ${fmtCompact(f.psi)} (moderate ≥ ${report.thresholds.moderate}, severe ≥ ${report.thresholds.severe}) |`,
    `| ${f.test === 'ks' ? 'KS statistic' : 'χ² statistic'} | ${fmtCompact(f.statistic)} |`,
    `| p-value | ${formatP(f.p_value)} |`,
    `| Jensen-Shannon distance | ${fmtCompact(f.js_distance)} |`,
  ];
  if (f.wasserstein !== null) lines.push(`| Wasserstein / σ | ${fmtCompact(f.wasserstein)} |`);
  lines.push(`| missing (baseline → current) | ${pct(f.missing_rate_baseline)} → ${pct(f.missing_rate_current)} |`);
  const fresh = f.kind === 'categorical' ? report.quality.find((x) => x.kind === 'new_categories' && x.feature === f.name) : undefined;
  if (fresh) lines.push(`| new categories | ${newCategoriesCell(fresh.message, f.name)} |`);
  lines.push('', `Baseline ${report.baseline.rows} rows · current ${report.current.rows} rows`);
  const bins = f.bins;
  if (bins && bins.expected.length && bins.expected.length === bins.actual.length) {
    // category values come from data: escaped so no markup comes out of them (bin edges are numbers)
    const labels = bins.categories ? categoryLabels(bins.categories) : binLabels(bins.edges ?? [], bins.expected.length);
    const rows = bins.expected.map((e, i) => ({ label: labels[i] ?? `bin ${i + 1}`, e, a: bins.actual[i], d: Math.abs(bins.actual[i] - e) }));
    if (bins.categories) {
      const moved = rows.sort((x, y) => y.d - x.d).slice(0, TOP_SHIFTS);
      lines.push('', `Top category shifts (${Math.min(TOP_SHIFTS, rows.length)} of ${rows.length}):`, '', '| category | baseline | current |', '|---|--:|--:|', ...moved.map((m) => `| ${m.label} | ${pct(m.e)} | ${pct(m.a)} |`));
    } else {
      const half = Math.ceil(rows.length / 2);
      const cell = (m: (typeof rows)[number] | undefined) => (m ? `${m.label} | ${pct(m.e)} → ${pct(m.a)}` : ' | ');
      lines.push('', '| bin | baseline → current | bin | baseline → current |', '|---|--:|---|--:|', ...rows.slice(0, half).map((m, i) => `| ${cell(m)} | ${cell(rows[half + i])} |`));
    }
  }
  return lines.join('\n');
}

/**
 * The engine's "'NAME': N categories never seen in the baseline (R rows), e.g. X, Y" without the name, the values
 * (from the data) escaped; a message of another shape is escaped whole.
 */
function newCategoriesCell(message: string, name: string): string {
  const prefix = `'${name}': `;
  const text = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  const at = text.indexOf(', e.g. ');
  const ours = at >= 0 ? text.slice(0, at) : '';
  return /^[\u2265\d\s]*categories never seen in the baseline \(\d+ rows?\)$/.test(ours)
    ? `${ours}, e.g. ${escapeMarkdown(text.slice(at + ', e.g. '.length))}`
    : escapeMarkdown(text);
}

/**
 * The hover's category labels: the baseline's categories (values from the data) escaped, then the report's own
 * "(other/new)" and "(missing)" bins (always the last two) as they are.
 */
function categoryLabels(categories: string[]): string[] {
  const own = (c: string, i: number): boolean => i >= categories.length - 2 && (c === '(other/new)' || c === '(missing)');
  return categories.map((c, i) => (own(c, i) ? c : escapeMarkdown(c)));
}

function binLabels(edges: number[], n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const lo = i === 0 ? '-∞' : fmtCompact(edges[i - 1]);
    const hi = i >= edges.length ? '∞' : fmtCompact(edges[i]);
    return `${lo} … ${hi}`;
  });
}
