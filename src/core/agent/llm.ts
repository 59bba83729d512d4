import OpenAI from 'openai';
import type { Config } from '../config';
import type { EngineContext } from '../engine';

/**
 * One JSON answer from any OpenAI-compatible chat endpoint (OpenRouter by default; Ollama, llama.cpp, LM Studio,
 * vLLM work too). Asks with a strict JSON schema; a server that rejects `json_schema` with a 4xx is asked again
 * with `json_object`. The whole exchange is bounded by `llm.timeoutMs` and never retried by the SDK: the policy
 * is the fallback, so a slow model must not stall the agent.
 */
export interface LlmAnswer {
  /** the model's raw message content */
  raw: string;
  /** how JSON was asked for: the endpoint's response_format, or only the prompt (the editor's chat models) */
  mode: 'json_schema' | 'json_object' | 'prompt';
  model: string;
}

/** Why the LLM produced nothing usable; `reason` ends up as the decision's fallback_reason. */
export class LlmError extends Error {
  constructor(
    readonly reason: string,
    /** what the model said, when there is something to keep for the decision log (truncated to the answer limit) */
    readonly raw?: string,
  ) {
    super(reason);
    this.name = 'LlmError';
  }
}

/** the HTTP response grew past its limit: reading stopped there */
class ResponseTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the response is larger than ${limit} bytes`);
  }
}

/** the answer text kept in the decision log at most (the raw text is stored once, cut here with a note) */
export function truncateAnswer(text: string, maxBytes: number): string {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes <= maxBytes) return text;
  const cut = Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
  return `${cut}… [truncated: ${bytes} bytes in all]`;
}

/**
 * fetch that stops reading a response body after `limit` bytes: a runaway or hostile endpoint cannot make the
 * agent buffer megabytes (the SDK would otherwise read the whole body before anything can look at it).
 */
function boundedFetch(limit: number): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    if (!res.body) return res;
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel().catch(() => undefined);
        throw new ResponseTooLarge(limit);
      }
      chunks.push(value);
    }
    return new Response(Buffer.concat(chunks), { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

function tooLarge(e: unknown): ResponseTooLarge | undefined {
  for (let c: unknown = e; c instanceof Error; c = (c as Error & { cause?: unknown }).cause) if (c instanceof ResponseTooLarge) return c;
  return undefined;
}

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export function makeClient(cfg: Config['llm']): OpenAI {
  return new OpenAI({
    baseURL: cfg.baseUrl,
    apiKey: cfg.apiKey,
    timeout: cfg.timeoutMs,
    maxRetries: 0,
    // the envelope around the answer, and JSON escaping that can double it, fit in twice the answer limit + 64 KiB
    fetch: boundedFetch(2 * cfg.maxAnswerBytes + 64 * 1024),
    defaultHeaders: { 'HTTP-Referer': 'https://github.com/driftcatcher/driftcatcher', 'X-Title': 'DriftCatcher' },
  });
}

export async function askJson(
  cfg: Config['llm'],
  messages: ChatMessage[],
  schema: { name: string; schema: Record<string, unknown> },
  signal?: AbortSignal,
): Promise<LlmAnswer> {
  if (!cfg.apiKey) throw new LlmError(cfg.keyWithheld ?? 'no API key configured (set OPENROUTER_API_KEY or OPENAI_API_KEY, or driftcatcher.llm.apiKey)');
  const client = makeClient(cfg);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), cfg.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
  const ask = async (mode: LlmAnswer['mode']): Promise<LlmAnswer> => {
    const completion = await client.chat.completions.create(
      {
        model: cfg.model,
        messages,
        temperature: 0,
        response_format:
          mode === 'json_schema'
            ? { type: 'json_schema', json_schema: { name: schema.name, strict: true, schema: schema.schema } }
            : { type: 'json_object' },
      },
      { signal: combined },
    );
    const content = completion.choices?.[0]?.message?.content;
    if (typeof content !== 'string' || !content.trim()) throw new LlmError('the model returned an empty answer');
    refuseLargeAnswer(content, cfg.maxAnswerBytes);
    return { raw: content, mode, model: cfg.model };
  };
  try {
    try {
      return await ask('json_schema');
    } catch (e) {
      if (!rejectsResponseFormat(e)) throw e;
      return await ask('json_object');
    }
  } catch (e) {
    if (e instanceof LlmError) throw e;
    const big = tooLarge(e);
    if (big) throw new LlmError(`answer too large: the response passed ${big.limit} bytes and was not read further (llm.maxAnswerBytes)`);
    if (deadline.signal.aborted && !signal?.aborted) throw new LlmError(`timeout: no answer within ${cfg.timeoutMs} ms`);
    if (signal?.aborted) throw new LlmError('cancelled');
    throw new LlmError(describe(e));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One answer from the editor's chat model (VS Code's vscode.lm, asked through the client). The same bounds as an
 * endpoint: the whole exchange within `llm.timeoutMs`, cancellable, never retried; JSON is asked for in the prompt
 * (these models have no response_format), and the answer goes through the same extraction and schema check.
 */
export async function askEditorModel(
  chat: EngineContext['chat'],
  cfg: Config['llm'],
  messages: ChatMessage[],
  signal?: AbortSignal,
): Promise<LlmAnswer> {
  if (!chat) {
    throw new LlmError("llm.provider is 'editor', but no editor is connected (the editor's chat model is only reachable from inside VS Code)");
  }
  const deadline = AbortSignal.timeout(cfg.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const timeout = new Promise<never>((_, reject) =>
    combined.addEventListener('abort', () => reject(new LlmError(signal?.aborted ? 'cancelled' : `timeout: no answer within ${cfg.timeoutMs} ms`)), { once: true }),
  );
  try {
    const reply = await Promise.race([
      chat({ messages, selector: cfg.editorModel, timeoutMs: cfg.timeoutMs, justification: 'DriftCatcher asks a language model whether a drifted model should be retrained.' }, combined),
      timeout,
    ]);
    if (typeof reply.text !== 'string' || !reply.text.trim()) throw new LlmError('the model returned an empty answer');
    refuseLargeAnswer(reply.text, cfg.maxAnswerBytes); // the editor's model is bounded like any endpoint
    return { raw: reply.text, mode: 'prompt', model: `editor:${reply.model}` };
  } catch (e) {
    if (e instanceof LlmError) throw e;
    throw new LlmError(`the editor's chat model failed: ${firstLine(e instanceof Error ? e.message : String(e))}`);
  }
}

/** An answer over llm.maxAnswerBytes is not used; the decision log keeps its first maxBytes. */
function refuseLargeAnswer(content: string, maxBytes: number): void {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes > maxBytes) throw new LlmError(`answer too large: ${bytes} bytes, over the ${maxBytes}-byte limit (llm.maxAnswerBytes)`, truncateAnswer(content, maxBytes));
}

/** A client error (400/404/415/422) on the first try: the server likely does not support json_schema. */
function rejectsResponseFormat(e: unknown): boolean {
  return e instanceof OpenAI.APIError && typeof e.status === 'number' && [400, 404, 415, 422].includes(e.status);
}

function describe(e: unknown): string {
  if (e instanceof OpenAI.APIConnectionTimeoutError) return 'timeout: the request timed out';
  if (e instanceof OpenAI.APIError && typeof e.status === 'number') return `HTTP ${e.status}: ${firstLine(e.message)}`;
  if (e instanceof OpenAI.APIConnectionError) return `connection failed: ${firstLine(e.message)}`;
  return `LLM call failed: ${firstLine(e instanceof Error ? e.message : String(e))}`;
}

const firstLine = (s: string): string => s.split('\n')[0].slice(0, 300);

/**
 * Tolerant JSON extraction for models that wrap their answer: the text itself, else a ```json fenced block,
 * else the first balanced {...} (string- and escape-aware). Returns undefined when nothing parses.
 */
export function extractJson(text: string): unknown {
  const attempts: string[] = [text.trim()];
  const fence = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  if (fence) attempts.push(fence[1].trim());
  const balanced = firstBalancedObject(text);
  if (balanced) attempts.push(balanced);
  for (const a of attempts) {
    try {
      return JSON.parse(a);
    } catch {
      /* next */
    }
  }
  return undefined;
}

function firstBalancedObject(text: string): string | undefined {
  for (let start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === '\\') i++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) {
        const candidate = text.slice(start, i + 1);
        try {
          JSON.parse(candidate);
          return candidate;
        } catch {
          break; // try the next '{'
        }
      }
    }
  }
  return undefined;
}
