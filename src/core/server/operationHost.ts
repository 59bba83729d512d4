import type { Config } from '../config';
import type { EngineContext } from '../engine';
import { Methods, type ChatReply, type ChatRequest, type RequestTypes } from '../protocol';
import { CancelledError, DriftCatcherError } from '../util/errors';
import { confineParams, operationFor, type AnyOperation, type Effect, type Method } from '../operations';
import { JobScheduler, runInWorker } from './jobs';
import { cleanupAfterKill } from './killCleanup';
import { isDriftReport, rememberReport } from './lastReport';
import { describeIssue } from '../params';
import type { WorkspacePaths } from './workspacePaths';

/**
 * Runs protocol methods for a front end that serves them — the JSON-RPC server, the HTTP API, the watch daemon:
 * params validated against the operation's schema, paths confined to the workspace, then the operation itself on
 * the calling thread (trivial ones) or in a worker thread (heavy ones: at most one per core, retrains one at a
 * time, with progress and cancellation). One host per process keeps that admission global.
 */
export interface HostSinks {
  /** an engine notification (from this thread or a worker) */
  notify(method: string, params: unknown): void;
  log(message: string, level: 'info' | 'warn' | 'error'): void;
  /** a method finished: its result, after the effects were applied */
  result?(method: Method, result: unknown): void;
  /** what a front end does beyond the shared effects (the editor server re-checks open CSVs on 'production') */
  effect?(effect: Effect, result: unknown): void;
  /** the editor's chat model, when the front end's client offers one (llm.provider "editor") */
  chat?(request: ChatRequest): Promise<ChatReply>;
}

export interface RunOptions {
  signal: AbortSignal;
  progress?: (percentage: number | undefined, message: string) => void;
  /** a heavy job left the queue and started (light ones start at once) */
  started?: () => void;
}

export class OperationHost {
  readonly scheduler = new JobScheduler();

  constructor(
    readonly paths: WorkspacePaths,
    readonly config: () => Config,
    private readonly sinks: HostSinks,
  ) {}

  /** the first workspace folder: relative paths resolve against it and the engine keeps its state there */
  get workspace(): string {
    return this.paths.primary;
  }

  async run<M extends Method>(method: M, raw: unknown, opts: RunOptions): Promise<RequestTypes[M][1]> {
    const spec = operationFor(method);
    if (!spec) throw new DriftCatcherError(`${method} is not an engine method`, 'NOT_FOUND');
    const config = this.config();
    // an untrusted folder is only read: drift checks (their report kept in memory) and read-only operations
    if (config.trust?.restricted && !spec.readOnly && method !== Methods.checkDrift) {
      throw new DriftCatcherError(
        `${method.replace('driftcatcher/', '')} is not available in an untrusted workspace, where DriftCatcher only reads (drift checks): trust the folder to train, deploy, version baselines or run the agent`,
        'UNTRUSTED',
      );
    }
    const parsed = spec.params.safeParse(raw ?? {});
    if (!parsed.success) throw new DriftCatcherError(describeIssue(parsed.error), 'BAD_INPUT');
    const params = this.confinePaths(spec, parsed.data as Record<string, unknown>);
    const ctx: EngineContext = {
      workspace: this.workspace,
      config,
      signal: opts.signal,
      progress: opts.progress,
      chat: this.sinks.chat?.bind(this.sinks),
      notify: (m, p) => this.sinks.notify(m, p),
      log: (m) => this.sinks.log(m, 'info'),
    };
    let result: unknown;
    if (spec.heavy) {
      result = await this.scheduler.run(spec.exclusive, opts.signal, () => {
        opts.started?.();
        return runInWorker(
          { method, params, workspace: ctx.workspace, config: ctx.config },
          {
            progress: (pct, msg) => opts.progress?.(pct, msg),
            notify: (m, p) => this.sinks.notify(m, p),
            log: (m) => this.sinks.log(m, 'info'),
            chat: ctx.chat,
            afterKill: () => {
              const removed = cleanupAfterKill(ctx.workspace, this.scheduler.busy > 1, spec.exclusive !== undefined);
              if (removed.length) this.sinks.log(`${method} was stopped forcibly; removed ${removed.join(', ')}`, 'warn');
            },
          },
          opts.signal,
        );
      });
    } else {
      opts.started?.();
      result = await spec.run(ctx, params as never);
    }
    if (opts.signal.aborted) throw new CancelledError(method);
    this.applyEffects(spec, result, config.trust?.restricted !== true);
    this.sinks.result?.(method, result);
    return result as RequestTypes[M][1];
  }

  /** is `method` heavy (worker thread, possibly queued)? */
  isHeavy(method: Method): boolean {
    return operationFor(method)?.heavy === true;
  }

  private confinePaths(spec: AnyOperation, params: Record<string, unknown>): Record<string, unknown> {
    return confineParams(spec, params, (p, field) => this.paths.resolve(p, field));
  }

  private applyEffects(spec: AnyOperation, result: unknown, persist: boolean): void {
    for (const effect of spec.effects ?? []) {
      if (effect === 'report') {
        const report = isDriftReport(result) ? result : (result as { report?: unknown } | undefined)?.report;
        if (isDriftReport(report)) rememberReport(this.workspace, report, persist);
      }
      this.sinks.effect?.(effect, result);
    }
  }
}
