import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkDoneProgressReporter,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { z } from 'zod';
import { loadConfig, UNTRUSTED, type Config, type ConfigInput, type TrustState } from '../config';
import { describeChoice } from '../pipeline/baselineChoice';
import { productionVersion } from '../model/registry';
import { Methods, Notifications, ServerRequests, type BaselineChoice, type NotificationTypes, type RequestTypes } from '../protocol';
import { DriftCatcherError, errorMessage } from '../util/errors';
import { CsvInsight } from './csvInsight';
import { operationFor, type Method } from '../operations';
import { OperationHost, type RunOptions } from './operationHost';
import type { EngineHost } from './host';
import { describeIssue } from '../params';
import { throttleProgress } from './progressThrottle';
import { WatchPipeline } from '../watch/watchPipeline';
import { StateWatch } from './stateWatch';
import { escalationState } from '../agent/escalation';
import { WorkspacePaths } from './workspacePaths';
import { createStdioConnection, type StrictFrameReader } from './stdioFraming';
import { packageVersion } from '../util/version';

/**
 * Start the server on a connection (default: stdin/stdout through the strict frame reader, which answers or logs
 * every malformed frame and resynchronises instead of going deaf). dist/server.js (main.ts) and `driftcatcher serve
 * --stdio` both call this; when stdin closes the process exits (0 after a shutdown request, else 1).
 */
export function startServer(connection?: Connection, options: ServerOptions = {}): DriftCatcherServer {
  let reader: StrictFrameReader | undefined;
  if (!connection) ({ connection, reader } = createStdioConnection());
  const server = new DriftCatcherServer(connection, options);
  reader?.onClose(() => process.exit(server.shutdownRequested ? 0 : 1));
  connection.listen();
  return server;
}

export interface ServerOptions {
  /**
   * what the command line trusts (--trust-workspace-llm, --trust-workspace-sources, --trust-source-host); a client
   * that reports the editor's workspace trust decides `endpoints` and `sources` itself
   */
  trust?: TrustState;
}

/** what a client may pass as `initializationOptions` (and as `settings` of didChangeConfiguration) */
const InitOptionsSchema = z
  .object({
    /** configuration overrides on top of driftcatcher.config.json (editor settings) */
    config: z.record(z.string(), z.unknown()).optional(),
    /** the editor's workspace trust: untrusted → read-only drift only; trusted → workspace endpoints get credentials */
    trust: z.object({ workspace: z.boolean() }).optional(),
  })
  .optional();

export type { RunOptions } from './operationHost';

/**
 * The DriftCatcher engine as a JSON-RPC/LSP server. Every protocol method goes through `run`: params are
 * validated, paths confined to the workspace, then the registry's operation (operations.ts) runs on the main thread
 * (trivial ones) or in a worker thread (heavy ones, retrains one at a time).
 */
export class DriftCatcherServer implements EngineHost {
  readonly documents = new TextDocuments(TextDocument);
  private paths?: WorkspacePaths;
  private configOverrides: ConfigInput = {};
  private progressSupported = false;
  private operationHost?: OperationHost;
  private readonly active = new Set<AbortController>();
  private readonly insight: CsvInsight;
  private watch?: Promise<WatchPipeline | undefined>;
  private stateWatch?: StateWatch;
  /** the last registry / baseline state told to clients: the same state is not sent twice (op + file watcher) */
  private readonly lastState = new Map<string, string>();
  /** the baseline (describeChoice, as JSON) the open CSVs were last checked against */
  private checkedAgainst?: string;

  constructor(
    readonly connection: Connection,
    private readonly options: ServerOptions = {},
  ) {
    this.insight = new CsvInsight(this);
    connection.onInitialize((p) => this.initialize(p));
    connection.onInitialized(() => this.startWatching());
    connection.onDidChangeConfiguration((p) => this.changeConfiguration(p.settings));
    connection.onShutdown(() => this.shutdown());
    for (const method of Object.values(Methods)) {
      // vscode-jsonrpc passes (token) without params and (...params, token) for positional ones: take the token last
      connection.onRequest(method, (...args: unknown[]) => {
        const token = args.pop() as CancellationToken;
        return this.handle(method, args.length <= 1 ? args[0] : args, token);
      });
    }
    this.insight.register(connection, this.documents);
    this.documents.listen(connection);
  }

  get workspacePaths(): WorkspacePaths {
    if (!this.paths) throw new DriftCatcherError('the server is not initialized: send initialize first', 'BAD_INPUT');
    return this.paths;
  }

  get workspace(): string {
    return this.workspacePaths.primary;
  }

  /** the client said whether the folder is trusted (undefined: it did not say; only the CLI flag trusts endpoints) */
  private workspaceTrusted: boolean | undefined;

  get trust(): TrustState {
    return this.trustWith(this.workspaceTrusted);
  }

  /** the editor's workspace trust, when the client reports it, wins over the command line's flags */
  private trustWith(workspaceTrusted: boolean | undefined): TrustState {
    const flags = this.options.trust ?? UNTRUSTED;
    return { endpoints: workspaceTrusted ?? flags.endpoints, sources: workspaceTrusted ?? flags.sources, restricted: workspaceTrusted === false, sourceHosts: flags.sourceHosts };
  }

  config(): Config {
    return loadConfig(this.workspace, this.configOverrides, process.env, this.trust);
  }

  notify<M extends keyof NotificationTypes>(method: M, params: NotificationTypes[M]): void {
    // the escalation derives from the versions' validations: it travels with every registry change, from any source
    if (method === Notifications.modelsChanged) params = this.withEscalation(params as NotificationTypes[typeof Notifications.modelsChanged]) as NotificationTypes[M];
    if (method === Notifications.modelsChanged || method === Notifications.baselineChanged) {
      const json = JSON.stringify(params);
      if (this.lastState.get(method) === json) return;
      this.lastState.set(method, json);
    }
    void this.connection.sendNotification(method, params);
  }

  private withEscalation(p: NotificationTypes[typeof Notifications.modelsChanged]): NotificationTypes[typeof Notifications.modelsChanged] {
    try {
      return { ...p, escalation: escalationState(this.workspace, this.config().agent.escalateAfterFailedValidations) };
    } catch (e) {
      this.log(`the escalation state cannot be read: ${errorMessage(e)}`, 'warn');
      return p;
    }
  }

  log(message: string, level: 'info' | 'warn' | 'error' = 'info'): void {
    this.notify(Notifications.log, { level, message });
  }

  private initialize(p: InitializeParams): InitializeResult {
    const folders = (p.workspaceFolders ?? []).map((f) => fileURLToPath(f.uri));
    if (!folders.length && p.rootUri) folders.push(fileURLToPath(p.rootUri));
    if (!folders.length && p.rootPath) folders.push(p.rootPath);
    if (!folders.length) folders.push(process.cwd());
    this.paths = new WorkspacePaths(folders);
    const opts = InitOptionsSchema.safeParse(p.initializationOptions);
    if (!opts.success) throw new ResponseError(ErrorCodes.InvalidParams, `initializationOptions: ${describeIssue(opts.error)}`);
    this.configOverrides = (opts.data?.config ?? {}) as ConfigInput;
    this.workspaceTrusted = opts.data?.trust?.workspace;
    this.config(); // fail initialize on a broken driftcatcher.config.json rather than on every request
    this.progressSupported = p.capabilities.window?.workDoneProgress === true;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true } },
        experimental: { driftcatcher: { methods: Object.values(Methods), notifications: Object.values(Notifications) } },
      },
      serverInfo: { name: 'driftcatcher', version: packageVersion() },
    };
  }

  private startWatching(): void {
    if (!this.stateWatch) {
      try {
        this.checkedAgainst = JSON.stringify(describeChoice(this.workspace, productionVersion(this.workspace)));
      } catch {
        // unreadable now: the first change re-checks
      }
    }
    this.stateWatch ??= new StateWatch(this.workspace, {
      // changed by another process (a request of ours has told the clients already, and re-checked)
      onModels: (models, production) => this.changedElsewhere(Notifications.modelsChanged, { models, production }),
      onBaseline: (choice) => this.changedElsewhere(Notifications.baselineChanged, choice),
      onError: (message) => this.log(message, 'warn'),
    });
    // watch mode: the same pipeline as `driftcatcher watch`, on the configured folders, if any
    const before = this.watch;
    this.watch = (async () => {
      await (await before)?.stop();
      const w = this.config().watch;
      if (!w.folders.length) return undefined;
      if (this.trust.restricted) {
        this.log('watch mode is off: the workspace is not trusted (drift diagnostics still work)');
        return undefined;
      }
      return WatchPipeline.start(
        { workspace: this.workspace, config: () => this.config(), resolve: (p, f) => this.workspacePaths.resolve(p, `watch.${f}`), run: (m, p, o) => this.run(m, p, o), log: (m, l) => this.log(m, l) },
        { folders: w.folders, intervalSeconds: w.checkIntervalSeconds, schedule: w.schedule },
      );
    })().catch((e: unknown) => {
      this.log(`watch mode not started: ${errorMessage(e)}`, 'error');
      return undefined;
    });
  }

  /**
   * Editor settings changed (`{settings: {config}}`, the same shape as initializationOptions): later requests use
   * them at once, and watch mode restarts on the new folders and schedule. A broken value is reported and ignored.
   */
  private changeConfiguration(settings: unknown): void {
    const parsed = InitOptionsSchema.safeParse(settings);
    const next = (parsed.success ? parsed.data?.config : undefined) as ConfigInput | undefined;
    if (!parsed.success || !next || !this.paths) {
      if (!parsed.success) this.log(`settings ignored: ${describeIssue(parsed.error)}`, 'warn');
      return;
    }
    const trusted = parsed.data?.trust?.workspace ?? this.workspaceTrusted;
    try {
      loadConfig(this.workspace, next, process.env, this.trustWith(trusted));
    } catch (e) {
      this.log(`settings ignored, the previous ones stay in force: ${errorMessage(e)}`, 'warn');
      return;
    }
    this.configOverrides = next;
    this.workspaceTrusted = trusted;
    this.startWatching();
  }

  private changedElsewhere<M extends typeof Notifications.modelsChanged | typeof Notifications.baselineChanged>(method: M, params: NotificationTypes[M]): void {
    this.notify(method, params);
    this.recheckIfBaselineMoved();
  }

  /**
   * Header diagnostics compare against the workspace's baseline (production's profile or the chosen file): when
   * that moved — a deploy, a rollback, Use as Baseline, here or in another process — check the open CSVs again,
   * once per move.
   */
  private recheckIfBaselineMoved(): void {
    let choice: string;
    try {
      choice = JSON.stringify(describeChoice(this.workspace, productionVersion(this.workspace)));
    } catch (e) {
      this.log(`the baseline cannot be read: ${errorMessage(e)}`, 'warn');
      return;
    }
    if (choice === this.checkedAgainst) return;
    this.checkedAgainst = choice;
    this.notify(Notifications.baselineChanged, JSON.parse(choice) as BaselineChoice);
    this.insight.recheckOpen();
  }
  /** a `shutdown` request came: closing stdin afterwards is a clean exit */
  shutdownRequested = false;

  private async shutdown(): Promise<void> {
    this.shutdownRequested = true;
    this.stateWatch?.close();
    for (const a of this.active) a.abort();
    await (await this.watch)?.stop();
  }

  /** a JSON-RPC request: progress, cancellation and error mapping around `run` */
  private async handle(method: Method, raw: unknown, token: CancellationToken): Promise<unknown> {
    if (!this.paths) throw new ResponseError(ErrorCodes.ServerNotInitialized, `${method}: the server is not initialized (send initialize first)`, { code: 'BAD_INPUT' });
    const aborter = new AbortController();
    this.active.add(aborter);
    token.onCancellationRequested(() => aborter.abort());
    const op = operationFor(method);
    const progress = op?.heavy ? this.progressFor(method, raw, aborter) : undefined;
    try {
      return await this.run(method, raw, { signal: aborter.signal, progress: progress?.report });
    } catch (e) {
      throw toResponseError(e, method, aborter.signal.aborted);
    } finally {
      progress?.done();
      this.active.delete(aborter);
    }
  }

  /**
   * Work-done progress: on the client's `workDoneToken` when it sent one, else on a server-created token when
   * the client supports `window/workDoneProgress/create` (the job does not wait for the client's answer).
   */
  private progressFor(method: string, raw: unknown, aborter: AbortController): { report: RunOptions['progress']; done: () => void } {
    const title = `DriftCatcher: ${method.replace(/^driftcatcher\//, '')}`;
    const workDoneToken = typeof raw === 'object' && raw !== null ? (raw as { workDoneToken?: unknown }).workDoneToken : undefined;
    let reporter: WorkDoneProgressReporter | undefined;
    let finished = false;
    if (typeof workDoneToken === 'string' || typeof workDoneToken === 'number') {
      reporter = this.connection.window.attachWorkDoneProgress(workDoneToken);
      reporter.begin(title, 0, 'starting', true);
    } else if (this.progressSupported) {
      this.connection.window.createWorkDoneProgress().then(
        (r) => {
          if (finished) return r.done();
          r.token.onCancellationRequested(() => aborter.abort());
          r.begin(title, 0, 'starting', true);
          reporter = r;
        },
        () => undefined, // the client refused a progress token: run without progress
      );
    }
    return {
      report: throttleProgress((pct, msg) => (pct === undefined ? reporter?.report(msg) : reporter?.report(pct, msg)), 100),
      done: () => {
        finished = true;
        reporter?.done();
      },
    };
  }

  /** Run a protocol method (also used by diagnostics and watch mode) through the shared operation host. */
  run<M extends Method>(method: M, raw: unknown, opts: RunOptions): Promise<RequestTypes[M][1]> {
    if (!operationFor(method)) throw new ResponseError(ErrorCodes.MethodNotFound, `${method} is not served by this server`);
    return this.host.run(method, raw, opts);
  }

  private get host(): OperationHost {
    this.operationHost ??= new OperationHost(this.workspacePaths, () => this.config(), {
      notify: (m, p) => this.notify(m as keyof NotificationTypes, p as never),
      log: (m, level) => this.log(m, level),
      effect: (effect) => {
        if (effect === 'production' || effect === 'baseline') this.recheckIfBaselineMoved();
      },
      // the client's chat model (VS Code's vscode.lm): a client without it answers MethodNotFound, and the policy decides
      chat: (request) => this.connection.sendRequest(ServerRequests.chat, request),
    });
    return this.operationHost;
  }
}

/**
 * Errors on the wire: one-line message, `data.code` from DriftCatcherError. Cancellation is -32800
 * (RequestCancelled); bad params and paths outside the workspace -32602 (InvalidParams); other engine errors
 * -32803 (RequestFailed); anything unexpected -32603 (InternalError).
 */
export function toResponseError(e: unknown, method: string, cancelled: boolean): ResponseError<{ code: string }> {
  if (e instanceof ResponseError) return e as ResponseError<{ code: string }>;
  if (cancelled || (e instanceof DriftCatcherError && e.code === 'CANCELLED')) {
    return new ResponseError(LSPErrorCodes.RequestCancelled, `${method} was cancelled`, { code: 'CANCELLED' });
  }
  if (e instanceof DriftCatcherError) {
    const rpc =
      e.code === 'BAD_INPUT' || e.code === 'OUTSIDE_WORKSPACE'
        ? ErrorCodes.InvalidParams
        : e.code === 'INTERNAL'
          ? ErrorCodes.InternalError
          : LSPErrorCodes.RequestFailed;
    return new ResponseError(rpc, errorMessage(e), { code: e.code });
  }
  return new ResponseError(ErrorCodes.InternalError, `internal error: ${errorMessage(e)}`, { code: 'INTERNAL' });
}
