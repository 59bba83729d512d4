/**
 * The one message contract between the extension (dashboard panel) and the webview script. Imported by both
 * sides; every message crossing postMessage is checked with the guards below before it is used.
 * Browser-safe: no Node or vscode imports.
 */
import type { BaselineChoice, Decision, DriftReport, EscalationState, ModelVersion, Plan, SimulationResult, SimulationStep } from '../core/protocol';

/** one tracked drift check: overall PSI at a time, in the series of the baseline it was checked against */
export interface DriftPoint {
  time: number;
  psi: number;
  /** "production v2" or the baseline file's name */
  series: string;
  source: string;
}

/** what the dashboard renders: the extension's store, as the panel sends it (paths workspace-relative) */
export interface DashboardState {
  report?: DriftReport;
  baseline: BaselineChoice;
  /** "production v2's training data", "data/credit_base.csv" */
  baselineLabel: string;
  models: ModelVersion[];
  production?: string;
  decisions: Decision[];
  plans: Plan[];
  /** the agent's escalation: after consecutive failed validations it waits for a person */
  escalation?: EscalationState;
  driftHistory: DriftPoint[];
}

/** extension -> webview */
export type ToWebview =
  | { type: 'state'; state: DashboardState }
  | { type: 'focusFeature'; feature: string }
  | { type: 'csvFiles'; files: string[] }
  | { type: 'simulationStarted'; csv: string }
  | { type: 'simulationStep'; step: SimulationStep }
  | { type: 'simulationDone'; result: SimulationResult }
  | { type: 'simulationFailed'; error: string };

/** webview -> extension */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'refresh' }
  | { type: 'useProductionBaseline' }
  | { type: 'chooseBaseline' }
  | { type: 'runSimulation'; csv: string }
  | { type: 'approvePlan'; planId: string; approve: boolean }
  | { type: 'resetEscalation' }
  /** check the report's batch again, with multivariate drift */
  | { type: 'checkMultivariate' };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

export function isFromWebview(v: unknown): v is FromWebview {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'ready':
    case 'refresh':
    case 'useProductionBaseline':
    case 'chooseBaseline':
    case 'resetEscalation':
    case 'checkMultivariate':
      return true;
    case 'runSimulation':
      return isStr(v.csv) && v.csv.length > 0;
    case 'approvePlan':
      return isStr(v.planId) && typeof v.approve === 'boolean';
    default:
      return false;
  }
}

/** shape check of the envelope; payload objects come from our own extension and are rendered defensively */
export function isToWebview(v: unknown): v is ToWebview {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'state':
      return isObj(v.state) && Array.isArray(v.state.models) && isObj(v.state.baseline);
    case 'focusFeature':
      return isStr(v.feature);
    case 'csvFiles':
      return Array.isArray(v.files) && v.files.every(isStr);
    case 'simulationStarted':
      return isStr(v.csv);
    case 'simulationStep':
      return isObj(v.step) && isStr(v.step.name);
    case 'simulationDone':
      return isObj(v.result) && Array.isArray(v.result.steps);
    case 'simulationFailed':
      return isStr(v.error);
    default:
      return false;
  }
}
