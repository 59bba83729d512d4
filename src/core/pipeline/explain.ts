import type { EngineContext } from '../engine';
import type { DriftExplanation, DriftReport, ExplainDriftParams, ModelColumn } from '../protocol';
import { explainDrift as explainReport } from '../drift/explain';
import { checkDrift } from './drift';
import { getVersion, productionVersion } from '../model/registry';
import { lastReport, rememberReport } from '../server/lastReport';
import { DriftCatcherError } from '../util/errors';

/**
 * `explainDrift`: the latest drift report (or a new check of `current`) in words, with the production model's
 * feature importances when a model is in production, so the features the model leans on come first.
 */
export async function explainDrift(ctx: EngineContext, p: ExplainDriftParams): Promise<DriftExplanation> {
  let report: DriftReport | undefined;
  if (p.current) {
    report = await checkDrift(ctx, { current: p.current, baseline: p.baseline, label: p.label });
    rememberReport(ctx.workspace, report); // a new check is the workspace's latest report, as with checkDrift
  } else report = lastReport(ctx.workspace);
  if (!report) {
    throw new DriftCatcherError('no drift report yet: check a file first (give `current`, or run checkDrift)', 'NOT_FOUND');
  }
  const importance = productionImportance(ctx.workspace);
  return explainReport(report, { top: p.top, ...importance });
}

function productionImportance(ws: string): { importance?: Map<string, number>; importanceSource?: string } {
  const v = productionVersion(ws);
  if (!v) return {};
  let columns: ModelColumn[] | undefined;
  try {
    columns = getVersion(ws, v).columns;
  } catch {
    return {}; // a broken registry entry does not stop an explanation; `models` reports it
  }
  if (!columns?.length) return {};
  return { importance: new Map(columns.map((c) => [c.name, c.importance])), importanceSource: `production model ${v}` };
}
