/**
 * The one message contract between the extension (dashboard panel) and the webview script. Imported by both
 * sides; every message crossing postMessage is checked with the guards below before it is used.
 * Browser-safe: no Node or vscode imports.
 */
import type { DashboardData, DriftReport, SimulationResult, SimulationStep } from '../core/protocol';

/** extension -> webview */
export type ToWebview =
  | { type: 'data'; data: DashboardData }
  | { type: 'report'; report: DriftReport }
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
  | { type: 'runSimulation'; csv: string }
  | { type: 'approvePlan'; planId: string; approve: boolean };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

export function isFromWebview(v: unknown): v is FromWebview {
  if (!isObj(v)) return false;
  switch (v.type) {
    case 'ready':
    case 'refresh':
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
    case 'data':
      return isObj(v.data) && Array.isArray(v.data.models);
    case 'report':
      return isObj(v.report) && Array.isArray(v.report.features);
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
