import * as assert from 'node:assert/strict';
import { uniform } from '../../../src/core/util/random';
import { LspClient, type Message } from './lspClient';
import { serverPerTest, tempWorkspace } from './fixtures';

/**
 * The server never goes deaf: malformed frames, bodies and messages written raw to its stdin are answered (or
 * logged) and the stream resynchronises at the next frame, so the request after them is answered. Ends with a
 * bounded, seeded fuzzer of corrupted frames.
 */

const frame = (body: string | Buffer, header?: string): Buffer => {
  const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([Buffer.from(header ?? `Content-Length: ${b.length}\r\n\r\n`, 'latin1'), b]);
};
const ping = (id: number | string): string => JSON.stringify({ jsonrpc: '2.0', id, method: 'driftcatcher/ping', params: {} });

describe('engine server framing: never deaf', function () {
  this.timeout(120_000);
  let c: LspClient;
  let nextId = 1000;

  serverPerTest(() => c);
  beforeEach(async () => {
    c = new LspClient();
    await c.initialize(tempWorkspace());
  });

  /** writes the bytes, then a ping, and returns the errors answered in between; the ping must be answered */
  async function afterGarbage(bytes: Buffer | string): Promise<Message[]> {
    const before = c.received.length;
    const id = nextId++;
    c.writeRaw(bytes);
    c.writeRaw(frame(ping(id)));
    const pong = await c.waitForMessage((m) => m.id === id);
    assert.equal((pong.result as { pong: boolean }).pong, true, JSON.stringify(pong));
    return c.received.slice(before).filter((m) => m.error);
  }

  const badFrames: Array<[string, string | Buffer, RegExp]> = [
    ['Content-Length: abc', frame(ping(1), 'Content-Length: abc\r\n\r\n'), /Content-Length must be a non-negative integer, got "abc"/],
    ['Content-Length: -5', frame(ping(1), 'Content-Length: -5\r\n\r\n'), /got "-5"/],
    ['a header block without Content-Length', frame(ping(1), 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n'), /no Content-Length/],
    ['a malformed header line', frame(ping(1), 'Content-Length 12\r\n\r\n'), /malformed frame header line/],
    ['bytes that are no frame at all', 'hello, server\r\n\r\n', /malformed frame header line/],
    ['a Content-Length beyond the limit', frame('{}', 'Content-Length: 9999999999\r\n\r\n'), /larger than the/],
    ['a Content-Length longer than the body (the next frame follows)', frame('{"jsonrpc":"2.0","id":5,"method":"driftcatcher/ping"}', 'Content-Length: 500\r\n\r\n'), /the next frame began after 53 of the 500 bytes/],
    ['a Content-Length shorter than the body', frame('{"jsonrpc":"2.0","id":5,"method":"driftcatcher/ping"}', 'Content-Length: 20\r\n\r\n'), /Parse error/],
    ['a body that is not JSON', frame('{"jsonrpc": "2.0", "id": 3, "method": '), /Parse error: /],
    ['a body that is not UTF-8 JSON', frame(Buffer.from([0xff, 0xfe, 0x00, 0x7b])), /Parse error: /],
  ];
  for (const [name, bytes, message] of badFrames) {
    it(`${name}: answered with -32700, and the next request is answered`, async () => {
      const errors = await afterGarbage(bytes);
      assert.ok(errors.length >= 1, 'an error was answered');
      assert.equal(errors[0].error!.code, -32700);
      assert.equal(errors[0].id, null);
      assert.match(errors[0].error!.message, message);
      assert.match(c.stderr, /driftcatcher: Parse error/);
    });
  }

  const badMessages: Array<[string, unknown, number, number | string | null, RegExp]> = [
    ['"jsonrpc": "1.0"', { jsonrpc: '1.0', id: 7, method: 'driftcatcher/ping', params: {} }, -32600, 7, /"jsonrpc" must be "2.0", got "1.0"/],
    ['no "jsonrpc"', { id: 'eight', method: 'driftcatcher/ping' }, -32600, 'eight', /"jsonrpc" must be "2.0", got nothing/],
    ['a batch', [{ jsonrpc: '2.0', id: 9, method: 'driftcatcher/ping' }], -32600, null, /batches are not supported/],
    ['a number', 42, -32600, null, /must be a JSON object/],
    ['a method that is not a string', { jsonrpc: '2.0', id: 10, method: 5 }, -32600, 10, /"method" must be a string/],
    ['an id that is an object', { jsonrpc: '2.0', id: { a: 1 }, method: 'driftcatcher/ping' }, -32600, null, /"id" must be a number or a string/],
    ['params that are a string', { jsonrpc: '2.0', id: 11, method: 'driftcatcher/ping', params: 'x' }, -32600, 11, /"params" must be an object or an array/],
    ['initialize without params', { jsonrpc: '2.0', id: 12, method: 'initialize' }, -32602, 12, /Invalid params for initialize/],
    ['hover without a position', { jsonrpc: '2.0', id: 13, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///x.csv' } } }, -32602, 13, /Invalid params for textDocument\/hover: .*position: .*expected object/],
  ];
  for (const [name, msg, code, id, message] of badMessages) {
    it(`${name}: answered with ${code}, never -32603`, async () => {
      const errors = await afterGarbage(frame(JSON.stringify(msg)));
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.equal(errors[0].error!.code, code);
      assert.equal(errors[0].id, id);
      assert.match(errors[0].error!.message, message);
    });
  }

  it('a notification with unusable params is logged, not answered (notifications never are), and the session goes on', async () => {
    const errors = await afterGarbage(frame(JSON.stringify({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: 5 } } })));
    assert.deepEqual(errors, []);
    assert.match(c.stderr, /driftcatcher: ignored: Invalid params for textDocument\/didOpen: .*textDocument/);
  });

  it('a request without params is answered; positional params are refused with -32602, never -32603', async () => {
    c.writeRaw(frame(JSON.stringify({ jsonrpc: '2.0', id: 'no-params', method: 'driftcatcher/listModels' })));
    assert.deepEqual((await c.waitForMessage((m) => m.id === 'no-params')).result, []);
    c.writeRaw(frame(JSON.stringify({ jsonrpc: '2.0', id: 'positional', method: 'driftcatcher/checkDrift', params: ['a.csv', 'b.csv'] })));
    const r = await c.waitForMessage((m) => m.id === 'positional');
    assert.equal(r.error?.code, -32602, JSON.stringify(r));
  });

  it('a frame written one byte at a time is read whole', async () => {
    const id = nextId++;
    const bytes = frame(ping(id));
    for (let i = 0; i < bytes.length; i++) c.writeRaw(bytes.subarray(i, i + 1));
    const pong = await c.waitForMessage((m) => m.id === id);
    assert.equal((pong.result as { pong: boolean }).pong, true);
  });

  it('stdin closing without a shutdown request exits non-zero (the client restarts the server)', async () => {
    const exited = new Promise<number | null>((resolve) => c.proc.once('exit', (code) => resolve(code)));
    c.proc.stdin.end();
    assert.equal(await exited, 1);
  });

  it('fuzzed frames (seeded, bounded): every request after each corruption is answered, nothing is -32603', async function () {
    this.timeout(240_000);
    const r = uniform(20261201);
    const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
    const randomBytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
    const valid = (): string => ping(`v${nextId++}`);
    const corruptions: Array<() => Buffer> = [
      () => frame(valid(), `Content-Length: ${pick(['x', '-1', '1e3', '', ' 12 13', '0x10', '99999999999'])}\r\n\r\n`),
      () => frame(valid(), pick(['\r\n', 'X-Foo: 1\r\n\r\n', 'Content-Type: a\r\n\r\n', 'content-length 3\r\n\r\n'])),
      () => {
        const body = Buffer.from(valid());
        return frame(body, `Content-Length: ${body.length + 1 + Math.floor(r() * 400)}\r\n\r\n`); // too long
      },
      () => {
        const body = Buffer.from(valid());
        return frame(body, `Content-Length: ${Math.max(1, Math.floor(r() * (body.length - 1)))}\r\n\r\n`); // too short
      },
      () => {
        const body = Buffer.from(valid());
        const k = Math.floor(r() * body.length);
        body[k] = pick([0x22, 0x7b, 0x7d, 0x00, 0xff, 0x5c]); // one corrupted byte
        return frame(body);
      },
      () => frame(randomBytes(1 + Math.floor(r() * 200))),
      () => randomBytes(1 + Math.floor(r() * 200)),
      () => frame(JSON.stringify(pick<unknown>([null, 'x', [1], { jsonrpc: '2.0' }, { jsonrpc: 2, id: 1, method: 'driftcatcher/ping' }, { jsonrpc: '2.0', id: true, method: 'x' }]))),
    ];
    const ROUNDS = 150;
    let answered = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const bad = pick(corruptions)();
      const id = `ok${i}`;
      const good = frame(ping(id));
      // written in random pieces: a reader must not depend on how the bytes arrive
      const all = Buffer.concat([bad, good]);
      for (let at = 0; at < all.length; ) {
        const n = 1 + Math.floor(r() * 64);
        c.writeRaw(all.subarray(at, at + n));
        at += n;
      }
      const pong = await c.waitForMessage((m) => m.id === id, 10_000);
      if ((pong.result as { pong?: boolean } | undefined)?.pong === true) answered++;
    }
    assert.equal(answered, ROUNDS);
    assert.deepEqual(c.received.filter((m) => m.error?.code === -32603).map((m) => m.error?.message), [], 'no internal errors');
    assert.ok(c.received.filter((m) => m.error?.code === -32700 || m.error?.code === -32600).length >= ROUNDS / 2);
    assert.equal(c.proc.exitCode, null, 'still running');
    assert.equal((await c.request<{ pong: boolean }>('driftcatcher/ping', {})).pong, true);
  });
});
