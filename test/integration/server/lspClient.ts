import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A deliberately tiny JSON-RPC client with hand-written LSP framing (`Content-Length: N\r\n\r\n<json>`), to prove
 * that any language can drive the server without vscode-languageclient. It records every byte both ways so a
 * test can show the real transcript (docs/protocol.md's worked example comes from it).
 */
export interface RpcError {
  code: number;
  message: string;
  data?: { code?: string };
}
export interface Message {
  jsonrpc: '2.0';
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: RpcError;
}

export class RpcResponseError extends Error {
  constructor(readonly error: RpcError) {
    super(`${error.code}: ${error.message}`);
  }
}

export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const SERVER_JS = path.join(REPO_ROOT, 'dist', 'server.js');

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly notifications: Message[] = [];
  /** every message the server sent, in order */
  readonly received: Message[] = [];
  readonly transcript: Array<{ dir: 'client→server' | 'server→client'; bytes: string }> = [];
  stderr = '';
  private buf = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number | string, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly waiters: Array<{ pred: (m: Message) => boolean; resolve: (m: Message) => void }> = [];

  /** `argv`: what to run with node, by default the bundled server */
  constructor(argv: string[] = [SERVER_JS, '--stdio'], cwd = REPO_ROOT) {
    this.proc = spawn(process.execPath, argv, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.proc.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.proc.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.proc.on('exit', () => {
      for (const p of this.pending.values()) p.reject(new Error(`server exited; stderr: ${this.stderr}`));
      this.pending.clear();
    });
  }

  /** write raw bytes (malformed frames in the framing tests) */
  writeRaw(bytes: string | Buffer): void {
    this.transcript.push({ dir: 'client→server', bytes: bytes.toString() });
    this.proc.stdin.write(bytes);
  }

  /** resolves with the first message from the server (past or future) that matches */
  async waitForMessage(pred: (m: Message) => boolean, timeoutMs = 10_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.received.find(pred);
      if (hit) return hit;
      if (this.proc.exitCode !== null) throw new Error(`server exited (${this.proc.exitCode}); stderr: ${this.stderr}`);
      if (Date.now() > deadline) throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.received.slice(-5))}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** write one framed message */
  send(msg: Message): void {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    const frame = Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
    this.transcript.push({ dir: 'client→server', bytes: frame.toString('utf8') });
    this.proc.stdin.write(frame);
  }

  /** send a request; returns its id and a promise of the result (rejects with RpcResponseError) */
  start<T = unknown>(method: string, params?: unknown): { id: number; result: Promise<T> } {
    const id = this.nextId++;
    const result = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
    this.send({ jsonrpc: '2.0', id, method, params });
    return { id, result };
  }

  request<T = unknown>(method: string, params?: unknown): Promise<T> {
    return this.start<T>(method, params).result;
  }

  notify(method: string, params?: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  cancel(id: number): void {
    this.notify('$/cancelRequest', { id });
  }

  /** resolves with the first notification (past or future) that matches */
  waitFor(pred: (m: Message) => boolean, timeoutMs = 30_000): Promise<Message> {
    const seen = this.notifications.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out waiting for a notification; got: ${this.notifications.map((n) => n.method).join(', ')}`)), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(t);
          resolve(m);
        },
      });
    });
  }

  async initialize(workspace: string, extra: { capabilities?: object; initializationOptions?: unknown } = {}): Promise<unknown> {
    const uri = pathToFileURL(workspace).href;
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: path.basename(workspace) }],
      capabilities: extra.capabilities ?? { window: { workDoneProgress: true } },
      initializationOptions: extra.initializationOptions,
    });
    this.notify('initialized', {});
    return result;
  }

  async shutdown(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    try {
      await this.request('shutdown');
      this.notify('exit');
    } catch {
      this.proc.kill();
    }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      const headerEnd = this.buf.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buf.subarray(0, headerEnd).toString('ascii');
      const m = /Content-Length: *(\d+)/i.exec(header);
      if (!m) throw new Error(`bad header from server: ${header}`);
      const len = Number(m[1]);
      const start = headerEnd + 4;
      if (this.buf.length < start + len) return;
      const body = this.buf.subarray(start, start + len).toString('utf8');
      this.transcript.push({ dir: 'server→client', bytes: `${header}\r\n\r\n${body}` });
      this.buf = this.buf.subarray(start + len);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(msg: Message): void {
    this.received.push(msg);
    if (msg.method !== undefined && msg.id !== undefined && msg.id !== null) {
      // a request from the server: accept progress tokens, answer everything else with null
      this.send({ jsonrpc: '2.0', id: msg.id, result: null });
      return;
    }
    if (msg.method !== undefined) {
      this.notifications.push(msg);
      for (const w of [...this.waiters]) {
        if (w.pred(msg)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(msg);
        }
      }
      return;
    }
    const p = msg.id !== undefined && msg.id !== null ? this.pending.get(msg.id) : undefined;
    if (!p) return;
    this.pending.delete(msg.id as number);
    if (msg.error) p.reject(new RpcResponseError(msg.error));
    else p.resolve(msg.result);
  }
}
