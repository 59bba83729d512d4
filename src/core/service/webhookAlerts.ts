import type { AlertsConfig, WebhookConfig } from './alertConfig';
import { alertFor, slackPayload, teamsPayload, type AlertMessage } from './alertMessages';
import type { ServiceEvent } from './events';

/**
 * Delivers alerts to the configured webhooks: one queue per webhook (alerts arrive in order), bounded, delivered in
 * the background so a slow or hanging endpoint never delays an operation. Each attempt has a timeout; network
 * errors, timeouts, 5xx and 429 are retried with exponential backoff (or the server's Retry-After), other 4xx are
 * not. Webhook URLs and header values are secrets: logs show only the URL's origin.
 */
export interface AlertHooks {
  log(message: string, level: 'info' | 'warn' | 'error'): void;
  delivered?(kind: string, ok: boolean): void;
}

/** alerts waiting per webhook; beyond it the oldest is dropped (and said so) */
const MAX_QUEUE = 100;
/** a Retry-After longer than this is not honoured as such */
const MAX_RETRY_AFTER_MS = 60_000;

interface Sink {
  queue: AlertMessage[];
  busy: boolean;
}

export class WebhookAlerts {
  private readonly sinks = new Map<string, Sink>();
  private readonly closing = new AbortController();
  private readonly idle = new Set<() => void>();
  private readonly warned = new Set<string>();

  constructor(
    private readonly config: () => AlertsConfig,
    private readonly hooks: AlertHooks,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /** feed from the EventTap: queue an alert for every webhook that wants this kind */
  observe(e: ServiceEvent): void {
    const msg = alertFor(e);
    if (!msg) return;
    let cfg: AlertsConfig;
    try {
      cfg = this.config();
    } catch (err) {
      this.hooks.log(`alert ${msg.kind} not sent: the configuration cannot be read (${(err as Error).message})`, 'error');
      return;
    }
    cfg.webhooks.forEach((w, i) => {
      if (w.events && !w.events.includes(msg.kind)) return;
      const key = `${i}:${w.url ?? `$${w.urlEnv}`}`;
      const sink = this.sinks.get(key) ?? { queue: [], busy: false };
      this.sinks.set(key, sink);
      if (sink.queue.length >= MAX_QUEUE) {
        const dropped = sink.queue.shift() as AlertMessage;
        this.hooks.log(`alerts.webhooks[${i}]: more than ${MAX_QUEUE} alerts waiting; dropped the oldest (${dropped.kind})`, 'warn');
        this.hooks.delivered?.(dropped.kind, false);
      }
      sink.queue.push(msg);
      if (!sink.busy) void this.drain(sink, i, w);
    });
  }

  /** true while any alert waits or is being sent */
  get pending(): boolean {
    return [...this.sinks.values()].some((s) => s.busy || s.queue.length > 0);
  }

  /** wait until every queued alert is delivered or given up, at most `ms`; then stop retrying */
  async close(ms: number): Promise<void> {
    if (this.pending) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(done, ms);
        function done(): void {
          clearTimeout(t);
          resolve();
        }
        this.idle.add(done);
      });
    }
    this.closing.abort();
  }

  private async drain(sink: Sink, index: number, w: WebhookConfig): Promise<void> {
    sink.busy = true;
    try {
      for (let msg = sink.queue.shift(); msg; msg = sink.queue.shift()) {
        const ok = await this.deliver(index, w, msg);
        this.hooks.delivered?.(msg.kind, ok);
      }
    } finally {
      sink.busy = false;
      if (!this.pending) for (const f of [...this.idle]) this.idle.delete(f), f();
    }
  }

  private async deliver(index: number, w: WebhookConfig, msg: AlertMessage): Promise<boolean> {
    const where = `alerts.webhooks[${index}]`;
    const url = w.url ?? (w.urlEnv ? process.env[w.urlEnv] : undefined);
    if (!url) {
      if (!this.warned.has(where)) this.hooks.log(`${where}: the environment variable ${w.urlEnv} is not set; alerts to it are not sent`, 'error');
      this.warned.add(where);
      return false;
    }
    const cfg = this.config();
    const secrets = [url, ...Object.values(w.headers ?? {})];
    const body = JSON.stringify(w.format === 'teams' ? teamsPayload(msg) : slackPayload(msg));
    const attempts = 1 + cfg.retries;
    let last = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (this.closing.signal.aborted) break;
      let waitMs = cfg.backoffMs * 2 ** (attempt - 1);
      try {
        const res = await this.fetchImpl(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...w.headers },
          body,
          redirect: 'error', // a redirect could carry the payload elsewhere
          signal: AbortSignal.any([AbortSignal.timeout(cfg.timeoutMs), this.closing.signal]),
        });
        await res.body?.cancel().catch(() => undefined);
        if (res.ok) return true;
        last = `HTTP ${res.status}`;
        if (res.status !== 429 && res.status < 500) break; // the request itself is wrong: retrying cannot help
        const retryAfter = Number(res.headers.get('retry-after'));
        if (Number.isFinite(retryAfter) && retryAfter > 0) waitMs = Math.min(retryAfter * 1000, MAX_RETRY_AFTER_MS);
      } catch (e) {
        last = describeFetchError(e, cfg.timeoutMs);
      }
      if (attempt < attempts) await sleep(waitMs, this.closing.signal);
    }
    this.hooks.log(redact(`${where}: alert '${msg.kind}' to ${redactUrl(url)} not delivered after ${attempts} attempt(s): ${last || 'stopped'}`, secrets), 'error');
    return false;
  }
}

function describeFetchError(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  if (err.name === 'AbortError') return 'stopped';
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}

/** only the origin: Slack/Teams webhook URLs carry their secret in the path */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return '(invalid URL)';
  }
}

/** belt and braces: no secret appears in a message even if some library quoted it */
export function redact(message: string, secrets: string[]): string {
  let out = message;
  for (const s of secrets) if (s.length >= 8) out = out.split(s).join('[redacted]');
  return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
