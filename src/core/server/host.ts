import type { Connection } from 'vscode-languageserver';
import type { Config } from '../config';
import type { Method, ResultOf } from '../operations';
import type { RunOptions } from './operationHost';
import type { WorkspacePaths } from './workspacePaths';

/**
 * What the server's parts (editor diagnostics, watch mode) need of the server: its workspace, configuration, log,
 * connection, and `run` — a protocol method through the operation registry, as a client request would.
 */
export interface EngineHost {
  readonly connection: Connection;
  readonly workspacePaths: WorkspacePaths;
  readonly workspace: string;
  config(): Config;
  log(message: string, level?: 'info' | 'warn' | 'error'): void;
  run<M extends Method>(method: M, raw: unknown, opts: RunOptions): Promise<ResultOf<M>>;
}
