import type { z } from 'zod';
import type { Operation } from '../engine';
import { Methods, type RequestTypes } from '../protocol';
import { deploy, listModels, rollback } from '../model/registry';
import { paramSchemas } from './params';

/**
 * The server's single dispatch table: each protocol method is served by one engine operation (the function
 * the CLI calls). Adding a method is one line here.
 *
 * - heavy: runs in a worker thread (reads big CSVs, trains, simulates), with progress and cancellation;
 *   otherwise answered on the main thread at once, even while heavy jobs run.
 * - exclusive: jobs of the same class run one at a time, in arrival order (one retrain at a time).
 * - paths: params fields holding file paths; each is resolved and confined to the workspace folders.
 * - effects: what the server does with a result besides answering (remember the latest drift report,
 *   tell clients about a changed plan).
 */
export type Method = keyof RequestTypes;
export type Effect = 'report' | 'plan';

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

export const dispatch: { [M in Method]?: MethodSpec<M> } = {
  [Methods.ping]: { op: ping, params: paramSchemas.none, heavy: false },
  [Methods.listModels]: { op: listModels, params: paramSchemas.none, heavy: false },
  [Methods.deploy]: { op: deploy, params: paramSchemas.deploy, heavy: false },
  [Methods.rollback]: { op: rollback, params: paramSchemas.none, heavy: false },
};

export function specFor(method: string): AnySpec | undefined {
  return (dispatch as Record<string, AnySpec | undefined>)[method];
}
