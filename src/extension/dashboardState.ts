import * as vscode from 'vscode';
import type { DriftReport, TrackedRun } from '../core/protocol';
import type { DashboardState, DriftPoint } from '../webview/messages';
import { baselineLabel, type Store } from './store';
import { basename } from './trees/driftTree';

/** where drift checks are tracked (tracking/pipelineRuns.ts) */
const DRIFT_EXPERIMENT = 'drift_monitoring';

/** the store as the dashboard renders it; nothing is fetched here */
export function dashboardState(store: Store): DashboardState {
  return {
    report: store.report && relativeSources(store.report),
    baseline: store.baseline,
    baselineLabel: baselineLabel(store.baseline),
    models: store.models,
    production: store.production,
    decisions: store.decisions,
    plans: store.plans,
    escalation: store.escalation,
    driftHistory: driftHistory(store.runs),
  };
}

/** tracked drift checks, oldest first, each in the series of the baseline it used */
export function driftHistory(runs: TrackedRun[]): DriftPoint[] {
  return runs
    .filter((r) => r.experiment === DRIFT_EXPERIMENT && typeof r.metrics.overall_psi === 'number')
    .map((r) => ({
      time: Date.parse(r.tags.timestamp ?? '') || r.start_time,
      psi: r.metrics.overall_psi,
      series: r.tags.baseline_model_version ? `production ${r.tags.baseline_model_version}` : r.tags.baseline_source ? basename(r.tags.baseline_source) : 'baseline not recorded',
      source: rel(r.tags.data_source ?? ''),
    }))
    .sort((a, b) => a.time - b.time);
}

function relativeSources(r: DriftReport): DriftReport {
  return { ...r, current: { ...r.current, source: rel(r.current.source) }, baseline: { ...r.baseline, source: rel(r.baseline.source) } };
}

function rel(p: string): string {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) ? vscode.workspace.asRelativePath(p) : p;
}
