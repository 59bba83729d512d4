import * as vscode from 'vscode';
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';
import type { NotificationTypes, RequestTypes, ServerRequestTypes } from '../core/protocol';
import { Methods } from '../core/protocol';

type Method = keyof RequestTypes;
type LanguageClientModule = typeof import('vscode-languageclient/node');
type Handler<M extends keyof NotificationTypes> = (params: NotificationTypes[M]) => void;

export interface RequestOptions {
  /** show a cancellable progress notification with this title, fed by the server's $/progress */
  progress?: string;
  /** cancels the request (a language-model tool call the user stopped) */
  token?: vscode.CancellationToken;
}

/** thrown (and swallowed by the command wrapper) when the user cancels a request */
export class RequestCancelled extends Error {}

const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60_000;

/**
 * The extension's one connection to the DriftCatcher server (dist/server.js, LSP over stdio, run by VS Code's own
 * Node). vscode-languageclient is imported lazily so activation stays cheap; requests made before the server is up
 * wait for it. A crashed server is restarted (a few times) and the user is told.
 */
export class ServerConnection implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private starting: Promise<LanguageClient> | undefined;
  private readonly handlers: Array<[string, (p: unknown) => void]> = [];
  private readonly requestHandlers: Array<[string, (p: unknown, token: vscode.CancellationToken) => Promise<unknown>]> = [];
  private readonly crashes: number[] = [];
  private seq = 0;
  private readonly onReadyEmitter = new vscode.EventEmitter<void>();
  /** fires after every (re)start, so views can reload */
  readonly onReady = this.onReadyEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
    private readonly initOptions: () => Promise<unknown>,
  ) {}

  start(): Promise<LanguageClient> {
    this.starting ??= this.doStart().catch((e: unknown) => {
      this.starting = undefined;
      const msg = e instanceof Error ? e.message : String(e);
      this.output.appendLine(`server failed to start: ${msg}`);
      void vscode.window.showErrorMessage(`DriftCatcher: the server failed to start: ${msg}`, 'Show Log').then((a) => a && this.output.show());
      throw e;
    });
    return this.starting;
  }

  /** dist/languageClient.js, required at run time (not bundled into extension.js: see languageClient.ts) */
  private loadClientModule(): LanguageClientModule {
    const file = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'languageClient.js').fsPath;
    return require(file) as LanguageClientModule;
  }

  private async doStart(): Promise<LanguageClient> {
    const lc = this.loadClientModule();
    const serverModule = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'server.js').fsPath;
    const run = { module: serverModule, transport: lc.TransportKind.stdio, runtime: process.execPath, options: { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } } };
    const serverOptions: ServerOptions = { run, debug: run };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [{ scheme: 'file', pattern: '**/*.csv' }],
      outputChannel: this.output,
      // the server reads { config } (driftcatcher.config.json-shaped overrides)
      // trust: an untrusted folder gets read-only drift; a trusted one may choose the endpoints your key goes to
      initializationOptions: { config: await this.initOptions(), trust: { workspace: vscode.workspace.isTrusted } },
      errorHandler: {
        error: () => ({ action: lc.ErrorAction.Continue }),
        closed: () => {
          const now = Date.now();
          this.crashes.push(now);
          while (this.crashes.length && now - this.crashes[0] > RESTART_WINDOW_MS) this.crashes.shift();
          if (this.crashes.length > MAX_RESTARTS) {
            void vscode.window
              .showErrorMessage(`DriftCatcher: the server stopped ${this.crashes.length} times in 3 minutes and will not be restarted. Reload the window to try again.`, 'Show Log')
              .then((a) => a && this.output.show());
            return { action: lc.CloseAction.DoNotRestart, handled: true };
          }
          void vscode.window.showWarningMessage('DriftCatcher: the server stopped unexpectedly and was restarted.', 'Show Log').then((a) => a && this.output.show());
          return { action: lc.CloseAction.Restart, handled: true };
        },
      },
    };
    const client = new lc.LanguageClient('driftcatcher', 'DriftCatcher', serverOptions, clientOptions);
    for (const [method, handler] of this.handlers) client.onNotification(method, handler);
    for (const [method, handler] of this.requestHandlers) client.onRequest(method, relayErrors(lc, handler));
    client.onDidChangeState((e) => {
      if (e.newState === lc.State.Running) this.onReadyEmitter.fire();
    });
    this.client = client;
    await client.start();
    return client;
  }

  /** answer a request the server sends to the client; register before or after start, survives restarts */
  onRequest<M extends keyof ServerRequestTypes>(method: M, handler: (params: ServerRequestTypes[M][0], token: vscode.CancellationToken) => Promise<ServerRequestTypes[M][1]>): void {
    this.requestHandlers.push([method, handler as (p: unknown, t: vscode.CancellationToken) => Promise<unknown>]);
    if (this.client) this.client.onRequest(method, relayErrors(this.loadClientModule(), handler as (p: unknown, t: vscode.CancellationToken) => Promise<unknown>));
  }

  /** register before or after start; survives restarts (the client re-installs its handlers) */
  onNotification<M extends keyof NotificationTypes>(method: M, handler: Handler<M>): void {
    this.handlers.push([method, handler as (p: unknown) => void]);
    this.client?.onNotification(method, handler);
  }

  async request<M extends Method>(method: M, params: RequestTypes[M][0], opts: RequestOptions = {}): Promise<RequestTypes[M][1]> {
    const client = await this.start();
    if (!opts.progress) return opts.token ? client.sendRequest(method, params, opts.token) : client.sendRequest(method, params);
    const lc = this.loadClientModule();
    return vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `DriftCatcher: ${opts.progress}`, cancellable: true },
      async (progress, token) => {
        const workDoneToken = `driftcatcher-${process.pid}-${++this.seq}`;
        let last = 0;
        const sub = client.onProgress(lc.WorkDoneProgress.type, workDoneToken, (v) => {
          if (v.kind === 'end') return;
          const pct = v.percentage;
          const increment = typeof pct === 'number' && pct > last ? pct - last : undefined;
          if (typeof pct === 'number') last = Math.max(last, pct);
          progress.report({ message: v.message, increment });
        });
        try {
          return await client.sendRequest(method, { ...params, workDoneToken }, token);
        } catch (e) {
          if (token.isCancellationRequested) throw new RequestCancelled(`${opts.progress} cancelled`);
          throw e;
        } finally {
          sub.dispose();
        }
      },
    );
  }

  /** push new settings (incl. the API key) to the running server */
  async pushSettings(): Promise<void> {
    if (!this.client || !this.client.isRunning()) return;
    await this.client.sendNotification('workspace/didChangeConfiguration', { settings: { config: await this.initOptions(), trust: { workspace: vscode.workspace.isTrusted } } });
  }

  async ping(): Promise<boolean> {
    const r = await this.request(Methods.ping, {});
    return r.pong === true;
  }

  /** pid of the server process (diagnostics and the restart test; the client keeps it in a private field) */
  get serverPid(): number | undefined {
    const proc = (this.client as unknown as { _serverProcess?: { pid?: number } } | undefined)?._serverProcess;
    return proc?.pid;
  }

  get isRunning(): boolean {
    return this.client?.isRunning() ?? false;
  }

  dispose(): void {
    void this.client?.stop();
    this.onReadyEmitter.dispose();
  }
}

/**
 * A request handler whose errors reach the server with their own message: the JSON-RPC library would otherwise wrap
 * any plain Error as "Request <method> failed with message: …", and the engine shows that message to the user.
 */
function relayErrors(lc: LanguageClientModule, handler: (p: unknown, t: vscode.CancellationToken) => Promise<unknown>): (p: unknown, t: vscode.CancellationToken) => Promise<unknown> {
  return async (p, t) => {
    try {
      return await handler(p, t);
    } catch (e) {
      if (e instanceof lc.ResponseError) throw e;
      throw new lc.ResponseError(lc.ErrorCodes.InternalError, e instanceof Error ? e.message : String(e));
    }
  };
}
