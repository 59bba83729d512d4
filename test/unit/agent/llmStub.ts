import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible `/chat/completions` endpoint on 127.0.0.1 for the agent's LLM tests: it records every request
 * (body, headers — the Authorization header included — and URL) and answers what the test's handler says.
 */
export interface LlmRequest {
  body: { model: string; messages: { role: string; content: string }[]; response_format: { type: string; json_schema?: { strict?: boolean; schema: unknown } } };
  headers: http.IncomingHttpHeaders;
  url: string;
}
export type LlmHandler = (req: LlmRequest, res: http.ServerResponse, n: number) => void;

/** a chat completion whose message is `content` */
export const completion = (content: string) => ({
  id: 'c1',
  object: 'chat.completion',
  created: 1,
  model: 'test-model',
  choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
});

export function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export class LlmStub {
  /** the requests since the last reset() */
  received: LlmRequest[] = [];
  handler: LlmHandler = (_r, res) => send(res, 500, { error: { message: 'no handler set' } });

  private constructor(
    private readonly server: http.Server,
    /** the endpoint's base URL, for llm.baseUrl / OPENAI_BASE_URL */
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<LlmStub> {
    let stub: LlmStub | undefined;
    const server = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c) => (data += c));
      req.on('end', () => {
        const r: LlmRequest = { body: JSON.parse(data || '{}'), headers: req.headers, url: req.url ?? '' };
        stub!.received.push(r);
        if (!r.url.endsWith('/chat/completions')) return send(res, 404, { error: { message: 'not found' } });
        stub!.handler(r, res, stub!.received.length);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    stub = new LlmStub(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
    return stub;
  }

  /** forget the requests seen so far */
  reset(): void {
    this.received = [];
  }

  /** the Authorization header of each request since the last reset() */
  get authorizations(): (string | undefined)[] {
    return this.received.map((r) => r.headers.authorization);
  }

  close(): void {
    this.server.closeAllConnections();
    this.server.close();
  }
}
