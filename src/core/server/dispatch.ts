import type { z } from 'zod';
import type { Operation } from '../engine';
import { Methods, type RequestTypes } from '../protocol';
import { checkDrift, profileBaseline } from '../drift/checkDrift';
import { deploy, listModels, rollback } from '../model/registry';
import { train } from '../model/train';
import { validate } from '../model/validate';
import { createHoldout } from '../model/holdout';
import { abandonPlan, approvePlan, listPlans, resumePlan, runAgent, simulate } from '../agent/operations';
import { realTools } from '../agent/realTools';
import { listRunsOp, metricHistoryOp } from '../tracking/queries';
import { baselineHistoryOp, restoreBaselineOp } from '../versioning/baseline';
import { writeDemoData } from '../data/demoData';
import { dashboardData } from './dashboard';
import { paramSchemas } from './params';

/**
 * The server's single dispatch table: each protocol method is served by one engine operation (the function
 * the CLI calls). Adding a method is one line here.
 *
 * - heavy: runs in a worker thread (reads big CSVs, trains, simulates), with progress and cancellation;
 *   otherwise answered on the main thread at once, even while heavy jobs run.
 * - exclusive: jobs of the same class run one at a time, in arrival order (one retrain at a time).
 * - paths: params fields holding file paths; each is resolved and confined to the workspace folders.
 * - effects: what the server does with a result besides answering: 'report' remembers it as the
 *   workspace's latest drift report (the operations send their own notifications); 'production' re-checks the
 *   open CSVs, whose diagnostics compare against the production model's baseline.
 */
export type Method = keyof RequestTypes;
export type Effect = 'report' | 'production';

export interface MethodSpec<M extends Method> {
  op: Operation<RequestTypes[M][0], RequestTypes[M][1]>;
  params: z.ZodType<RequestTypes[M][0], unknown>;
  heavy: boolean;
  exclusive?: 'retrain';
  paths?: readonly string[];
  effects?: readonly Effect[];
}
export type AnySpec = MethodSpec<Method>;

const ping: Operation<Record<string, never>, { pong: true; time: number }> = async () => ({ pong: true, time: Date.now() });
const writeDemo: Operation<{ dir: string }, { files: string[] }> = async (_ctx, p) => ({ files: (await writeDemoData(p.dir)).files });

/** every method of the protocol must have an entry (a missing one is a compile error) */
export const dispatch: { [M in Method]: MethodSpec<M> } = {
  [Methods.checkDrift]: { op: checkDrift, params: paramSchemas.checkDrift, heavy: true, paths: ['current', 'baseline'], effects: ['report'] },
  [Methods.profileBaseline]: { op: profileBaseline, params: paramSchemas.profileBaseline, heavy: true, paths: ['baseline', 'output'] },
  [Methods.train]: { op: train, params: paramSchemas.train, heavy: true, exclusive: 'retrain', paths: ['baseData', 'newData', 'holdout'] },
  [Methods.validate]: { op: validate, params: paramSchemas.validate, heavy: true, paths: ['holdout'] },
  [Methods.createHoldout]: { op: createHoldout, params: paramSchemas.createHoldout, heavy: true, paths: ['dataDir', 'output'] },
  [Methods.runAgent]: { op: (ctx, p) => runAgent(ctx, p, realTools), params: paramSchemas.runAgent, heavy: true, exclusive: 'retrain', paths: ['current'], effects: ['report', 'production'] },
  [Methods.approvePlan]: { op: (ctx, p) => approvePlan(ctx, p, realTools), params: paramSchemas.approvePlan, heavy: true, exclusive: 'retrain', effects: ['production'] },
  [Methods.resumePlan]: { op: (ctx, p) => resumePlan(ctx, realTools, p), params: paramSchemas.planId, heavy: true, exclusive: 'retrain', effects: ['production'] },
  [Methods.abandonPlan]: { op: abandonPlan, params: paramSchemas.planId, heavy: false },
  [Methods.simulate]: { op: (ctx, p) => simulate(ctx, p, realTools), params: paramSchemas.simulate, heavy: true, exclusive: 'retrain', paths: ['current'] },
  [Methods.deploy]: { op: deploy, params: paramSchemas.deploy, heavy: false, effects: ['production'] },
  [Methods.rollback]: { op: rollback, params: paramSchemas.none, heavy: false, effects: ['production'] },
  [Methods.listModels]: { op: listModels, params: paramSchemas.none, heavy: false },
  [Methods.listRuns]: { op: listRunsOp, params: paramSchemas.listRuns, heavy: false },
  [Methods.metricHistory]: { op: metricHistoryOp, params: paramSchemas.metricHistory, heavy: false },
  [Methods.listPlans]: { op: listPlans, params: paramSchemas.none, heavy: false },
  [Methods.baselineHistory]: { op: baselineHistoryOp, params: paramSchemas.none, heavy: false },
  [Methods.restoreBaseline]: { op: restoreBaselineOp, params: paramSchemas.restoreBaseline, heavy: false },
  [Methods.writeDemo]: { op: writeDemo, params: paramSchemas.writeDemo, heavy: true, paths: ['dir'] },
  [Methods.dashboardData]: { op: dashboardData, params: paramSchemas.none, heavy: false },
  [Methods.ping]: { op: ping, params: paramSchemas.none, heavy: false },
};

export function specFor(method: string): AnySpec | undefined {
  return (dispatch as Record<string, AnySpec | undefined>)[method];
}
