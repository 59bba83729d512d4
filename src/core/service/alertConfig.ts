import { z } from 'zod';

/** What can raise an alert. */
export const ALERT_KINDS = ['severe_drift', 'awaiting_approval', 'validation_failed', 'deployed', 'rolled_back'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

const httpUrl = z
  .string()
  .url('must be an http(s) URL')
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be an http(s) URL');

/**
 * One webhook sink. The URL of a Slack or Teams incoming webhook is itself the secret, so it may come from an
 * environment variable (`urlEnv`) instead of the config file; either way it is never logged (see redactUrl).
 */
export const WebhookSchema = z
  .object({
    url: httpUrl.optional(),
    /** name of an environment variable holding the URL */
    urlEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name').optional(),
    /** slack: {text, blocks}; teams: a MessageCard. Both also accept the other's plain `text`. */
    format: z.enum(['slack', 'teams']).default('slack'),
    /** which events go to this sink (default: all) */
    events: z.array(z.enum(ALERT_KINDS)).min(1).optional(),
    /** extra request headers (e.g. an Authorization header); values are redacted in logs */
    headers: z.record(z.string(), z.string()).optional(),
  })
  .refine((w) => (w.url === undefined) !== (w.urlEnv === undefined), 'give exactly one of url or urlEnv');
export type WebhookConfig = z.infer<typeof WebhookSchema>;

export const AlertsConfigSchema = z
  .object({
    webhooks: z.array(WebhookSchema).default([]),
    /** per attempt */
    timeoutMs: z.number().int().positive().max(120_000).default(5000),
    /** attempts after the first; waits backoffMs, 2×, 4×… between them (or the server's Retry-After) */
    retries: z.number().int().min(0).max(10).default(3),
    backoffMs: z.number().int().min(0).max(600_000).default(1000),
  })
  .prefault({});
export type AlertsConfig = z.infer<typeof AlertsConfigSchema>;
