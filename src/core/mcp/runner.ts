import type { Method, ResultOf } from '../operations';

/** what runs engine operations: the shared operation host (server/operationHost.ts) fits this */
export interface OperationRunner {
  readonly workspace: string;
  run<M extends Method>(
    method: M,
    params: unknown,
    opts: { signal: AbortSignal; progress?: (percentage: number | undefined, message: string) => void },
  ): Promise<ResultOf<M>>;
}
