import { format } from 'node:util';
import {
  AbstractMessageReader,
  createConnection,
  ErrorCodes,
  ProposedFeatures,
  StreamMessageWriter,
  type Connection,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageReader,
} from 'vscode-languageserver/node';
import { checkLspParams } from './lspGuards';

/**
 * A strict reader of LSP frames (`Content-Length: N\r\n\r\n<N bytes of JSON>`) that never goes deaf.
 * vscode-jsonrpc's reader fires an error and stops making sense of the stream after a bad header (`Content-Length:
 * abc`, `-5`, none at all), and silently drops malformed JSON. Here every problem is answered or logged and the
 * stream is resynchronised at the next `Content-Length:` header:
 *  - a bad frame header (no or non-numeric Content-Length, too long, a malformed line) → -32700 (id null);
 *  - a body that is not JSON → -32700 (id null); a body overrun by the next frame's header (a Content-Length
 *    larger than what was sent) is cut there and answered the same way, so the next frame is not swallowed;
 *  - JSON that is not a JSON-RPC 2.0 message (`"jsonrpc": "1.0"`, none, a batch, a non-string method, a bad id) →
 *    -32600 (with the request's id when it has a usable one);
 *  - LSP requests the server handles with params it cannot use (e.g. `initialize` without capabilities) → -32602.
 * Responses to malformed responses are never sent (a response is not answered); such messages are only logged.
 */

/** frames larger than this are refused (an editor syncs documents up to 50 MB) */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;
/** a header block without its blank line after this many bytes is garbage */
const MAX_HEADER_BYTES = 8 * 1024;
const HEADER_END = Buffer.from('\r\n\r\n', 'ascii');
const CONTENT_LENGTH = 'content-length:';
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export interface FrameProblem {
  /** JSON-RPC error code of the answer */
  code: number;
  message: string;
  /** the request's id when known; null otherwise */
  id: string | number | null;
  /** false when nothing may be answered (a malformed response or notification): log only */
  answer: boolean;
}

export class StrictFrameReader extends AbstractMessageReader implements MessageReader {
  private chunks: Buffer[] = [];
  private total = 0;
  /** body length of the frame being read, -1 while reading headers */
  private bodyLength = -1;
  /** bytes of the pending body already searched for an overrunning header */
  private scanned = 0;
  /** the last bytes searched (latin1), so a header split across chunks is still found */
  private scanTail = '';
  private callback: DataCallback | undefined;

  constructor(
    private readonly readable: NodeJS.ReadableStream,
    private readonly onProblem: (p: FrameProblem) => void,
  ) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    const onData = (chunk: Buffer | string): void => this.onData(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    const onError = (e: Error): void => this.fireError(e);
    const onEnd = (): void => this.fireClose();
    this.readable.on('data', onData);
    this.readable.on('error', onError);
    this.readable.on('end', onEnd);
    this.readable.on('close', onEnd);
    return {
      dispose: () => {
        this.readable.off('data', onData);
        this.readable.off('error', onError);
        this.readable.off('end', onEnd);
        this.readable.off('close', onEnd);
      },
    };
  }

  /** feed bytes (the stream's data events; tests call it directly) */
  onData(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.total += chunk.length;
    for (;;) {
      if (this.bodyLength < 0) {
        if (!this.readHeaders()) return;
      } else if (!this.readBody()) return;
    }
  }

  /** Parses a header block when one is complete; false when more bytes are needed. */
  private readHeaders(): boolean {
    const head = this.peek(Math.min(this.total, MAX_HEADER_BYTES + HEADER_END.length));
    const end = head.indexOf(HEADER_END);
    if (end < 0) {
      if (this.total > MAX_HEADER_BYTES) return this.resync(`no end of the frame header within ${MAX_HEADER_BYTES} bytes`);
      return false;
    }
    let length = -1;
    for (const line of head.toString('latin1', 0, end).split('\r\n')) {
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon) : '';
      if (!TOKEN.test(name)) return this.resync(`malformed frame header line ${JSON.stringify(line.slice(0, 80))}`);
      if (name.toLowerCase() !== 'content-length') continue;
      const value = line.slice(colon + 1).trim();
      if (!/^\d{1,10}$/.test(value)) return this.resync(`Content-Length must be a non-negative integer, got ${JSON.stringify(value.slice(0, 40))}`);
      length = Number(value);
      if (length > MAX_FRAME_BYTES) return this.resync(`Content-Length ${length} is larger than the ${MAX_FRAME_BYTES}-byte limit`);
    }
    if (length < 0) return this.resync('the frame header has no Content-Length');
    this.consume(end + HEADER_END.length);
    this.bodyLength = length;
    this.scanned = 0;
    this.scanTail = '';
    return true;
  }

  /** Delivers, answers or drops one body when it is complete; false when more bytes are needed. */
  private readBody(): boolean {
    const declared = this.bodyLength;
    const overrun = this.findNextHeader();
    if (overrun >= 0) {
      this.consume(overrun);
      this.bodyLength = -1;
      this.problem(ErrorCodes.ParseError, `Parse error: the next frame began after ${overrun} of the ${declared} bytes its Content-Length declared`);
      return true;
    }
    if (this.total < declared) return false;
    const bytes = this.peek(declared);
    const text = bytes.toString('utf8');
    this.bodyLength = -1;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      // a body cut short by a too-large Content-Length may end in the start of the next frame's header: keep that
      const next = bytes.toString('latin1').toLowerCase().indexOf(CONTENT_LENGTH);
      this.consume(next >= 0 ? next : declared);
      this.problem(ErrorCodes.ParseError, `Parse error: ${(e as Error).message}`);
      return true;
    }
    this.consume(declared);
    this.deliver(value);
    return true;
  }

  /**
   * Where the next frame's `Content-Length: N\r\n` starts inside the pending body, or -1. Raw CR LF after a header
   * can never be part of a JSON text (not inside strings, and `C` starts no JSON token), so a match means the
   * declared length overran into the next frame. Only bytes not searched before are searched (plus a small overlap).
   */
  private findNextHeader(): number {
    const upto = Math.min(this.total, this.bodyLength + 40); // a header starting inside the body may end past it
    let at = 0; // offset of the chunk in the buffer
    for (const chunk of this.chunks) {
      const from = Math.max(this.scanned, at);
      const to = Math.min(upto, at + chunk.length);
      if (from < to) {
        const text = this.scanTail + chunk.toString('latin1', from - at, to - at);
        const m = /content-length:[ \t]*\d+\r\n/i.exec(text);
        if (m) {
          const where = from - this.scanTail.length + m.index;
          return where < this.bodyLength ? where : -1;
        }
        this.scanTail = text.slice(-40);
        this.scanned = to;
      }
      at += chunk.length;
      if (at >= upto) break;
    }
    return -1;
  }

  private deliver(value: unknown): void {
    const issue = invalidMessage(value);
    if (issue) {
      this.onProblem(issue);
      return;
    }
    const msg = value as { id?: string | number; method?: string; params?: unknown };
    if (typeof msg.method === 'string') {
      const bad = checkLspParams(msg.method, msg.params);
      if (bad) {
        const request = msg.id !== undefined;
        this.onProblem({ code: ErrorCodes.InvalidParams, message: `Invalid params for ${msg.method}: ${bad}`, id: request ? msg.id! : null, answer: request });
        return;
      }
    }
    this.callback?.(value as Message);
  }

  /** report a frame problem and skip to the next `Content-Length:` header */
  private resync(why: string): boolean {
    this.problem(ErrorCodes.ParseError, `Parse error: ${why}; skipped to the next frame`);
    const buffered = this.peek(this.total);
    const lower = buffered.toString('latin1').toLowerCase();
    const next = lower.indexOf(CONTENT_LENGTH, 1);
    // keep a possibly split "Content-Length:" at the end
    this.consume(next >= 0 ? next : Math.max(1, this.total - CONTENT_LENGTH.length));
    return next >= 0;
  }

  private problem(code: number, message: string): void {
    this.onProblem({ code, message, id: null, answer: true });
  }

  /** the first n buffered bytes as one buffer (the chunks covering them are joined once, so peeking again is free) */
  private peek(n: number): Buffer {
    if (this.chunks.length === 0) return Buffer.alloc(0);
    if (this.chunks[0].length < n) {
      let k = 0;
      let len = 0;
      while (k < this.chunks.length && len < n) len += this.chunks[k++].length;
      this.chunks.splice(0, k, Buffer.concat(this.chunks.slice(0, k), len));
    }
    return this.chunks[0].subarray(0, n);
  }

  private consume(n: number): void {
    this.total -= n;
    while (n > 0 && this.chunks.length) {
      const c = this.chunks[0];
      if (c.length <= n) {
        n -= c.length;
        this.chunks.shift();
      } else {
        this.chunks[0] = c.subarray(n);
        n = 0;
      }
    }
  }
}

/** A JSON-RPC 2.0 message shape problem (with what may be answered), or undefined for a well-formed message. */
export function invalidMessage(v: unknown): FrameProblem | undefined {
  const bad = (message: string, id: string | number | null = null, answer = true): FrameProblem => ({
    code: ErrorCodes.InvalidRequest,
    message: `Invalid Request: ${message}`,
    id,
    answer,
  });
  if (Array.isArray(v)) return bad('batches are not supported; send one message per frame');
  if (typeof v !== 'object' || v === null) return bad('a message must be a JSON object');
  const m = v as Record<string, unknown>;
  const usableId = typeof m.id === 'string' || (typeof m.id === 'number' && Number.isFinite(m.id)) ? (m.id as string | number) : null;
  const isResponse = m.method === undefined && ('result' in m || 'error' in m);
  if (m.jsonrpc !== '2.0') return bad(`"jsonrpc" must be "2.0", got ${JSON.stringify(m.jsonrpc) ?? 'nothing'}`, usableId, !isResponse);
  if (isResponse) {
    if (m.id !== null && usableId === null) return bad('a response id must be a number, a string or null', null, false);
    return undefined;
  }
  if (typeof m.method !== 'string') return bad(m.method === undefined ? 'no "method" (and not a response)' : '"method" must be a string', usableId);
  if ('id' in m && usableId === null) return bad('"id" must be a number or a string');
  if (m.params !== undefined && (typeof m.params !== 'object' || m.params === null)) return bad('"params" must be an object or an array', usableId, usableId !== null);
  return undefined;
}

/**
 * The server's connection over stdin/stdout through StrictFrameReader. Frame problems are answered on stdout and
 * logged on stderr; console output goes to stderr (stdout carries only frames).
 */
export function createStdioConnection(
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream = process.stdout,
): { connection: Connection; reader: StrictFrameReader } {
  const writer = new StreamMessageWriter(output);
  const reader = new StrictFrameReader(input, (p) => {
    process.stderr.write(`driftcatcher: ${p.answer ? '' : 'ignored: '}${p.message}\n`);
    if (p.answer) void writer.write({ jsonrpc: '2.0', id: p.id, error: { code: p.code, message: p.message } } as Message);
  });
  for (const level of ['log', 'info', 'debug', 'warn', 'error'] as const) {
    console[level] = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);
  }
  return { connection: createConnection(ProposedFeatures.all, reader, writer), reader };
}
