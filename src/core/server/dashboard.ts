import type { EngineContext } from '../engine';
import { listPlans } from '../agent/runAgent';
import { listVersions, productionVersion } from '../model/registry';
import type { DashboardData, MetricPoint } from '../protocol';
import { metricHistory } from '../tracking/queries';
import { errorMessage } from '../util/errors';
import { lastReport } from './lastReport';
import { currentEscalation } from '../agent/escalation';

/** where the drift monitoring runs log the overall PSI (tracking/pipelineRuns.ts) */
export const DRIFT_HISTORY = { experiment: 'drift_monitoring', metric: 'overall_psi' } as const;

/**
 * Everything the dashboard shows, in one answer: the latest drift report, the model versions, the drift
 * history, decisions and plans. A part that cannot be read is left empty (and logged) rather than failing
 * the whole dashboard.
 */
export async function dashboardData(ctx: EngineContext, _params: Record<string, never> = {}): Promise<DashboardData> {
  const ws = ctx.workspace;
  const part = async <T>(what: string, fallback: T, fn: () => Promise<T> | T): Promise<T> => {
    try {
      return await fn();
    } catch (e) {
      ctx.log?.(`dashboard: ${what} unavailable: ${errorMessage(e)}`);
      return fallback;
    }
  };
  const [models, production, driftHistory, plans] = await Promise.all([
    part('models', [], () => listVersions(ws)),
    part('production version', undefined, () => productionVersion(ws)),
    part<MetricPoint[]>('drift history', [], () => metricHistory(ctx, DRIFT_HISTORY)),
    part('decisions and plans', { decisions: [], plans: [] }, () => listPlans(ctx, {})),
  ]);
  const escalation = await part('escalation', undefined, () => currentEscalation(ctx));
  const out: DashboardData = { models, driftHistory, decisions: plans.decisions, plans: plans.plans, ...(escalation ? { escalation } : {}) };
  const report = lastReport(ws);
  if (report) out.report = report;
  if (production) out.production = production;
  return out;
}
