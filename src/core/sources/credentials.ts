import { trustAdvice, type Config } from '../config';
import { uriHost } from './uri';

/**
 * Database credentials stay with the hosts the user chose — the same rule as the LLM key and its endpoint
 * (config.ts, TrustState). The user's ClickHouse user/password (CLICKHOUSE_USER / CLICKHOUSE_PASSWORD, or
 * sources.clickhouse), PGPASSWORD and the catch-all lines of ~/.pgpass are sent to a host only when:
 * - the workspace is trusted (`--trust-workspace-sources`, VS Code workspace trust): any host its files or the
 *   requests to a server on it name; or
 * - the user chose the host: the engine's own host variable (CLICKHOUSE_HOST, libpq's PGHOST), `sources.trustedHosts`
 *   from the user's settings or `--trust-source-host` (never from driftcatcher.config.json), or a source URI typed on
 *   the command line.
 * Any other host — one named only by driftcatcher.config.json, a baseline profile, a JSON-RPC, HTTP or MCP request —
 * is still connected to, without credentials: a server that needs none works; one that asks for a password fails
 * with the reason and the flag or setting that allows it.
 */
export interface HostTrust {
  /** every host may receive credentials: the workspace, and requests to a server on it, are trusted */
  anyHost: boolean;
  /** hosts the user chose, "host" or "host:port" */
  hosts: readonly string[];
}

export type NetworkEngine = 'clickhouse' | 'postgresql';

/** the engines' own variables naming the user's server (PGHOST may list several, comma-separated, as libpq reads it) */
const HOST_ENV: Record<NetworkEngine, string> = { clickhouse: 'CLICKHOUSE_HOST', postgresql: 'PGHOST' };

/** the trust a configuration carries: set by the front end (trust flags, editor) and the user's own settings */
export function hostTrust(config: Pick<Config, 'trust' | 'sources'>): HostTrust {
  return { anyHost: config.trust?.sources === true, hosts: config.sources.trustedHosts };
}

export function hostChosen(trust: HostTrust, engine: NetworkEngine, host: string, port: number, env: NodeJS.ProcessEnv): boolean {
  if (trust.anyHost) return true;
  const fromEnv = (env[HOST_ENV[engine]] ?? '').split(',');
  return [...trust.hosts, ...fromEnv].some((entry) => matchesHost(entry, host, port));
}

/** "host" matches any port of that host; "host:port" only that port; names compare case-insensitively */
export function matchesHost(entry: string, host: string, port: number): boolean {
  const e = entry.trim();
  if (!e) return false;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(e);
  const plain = bracketed || (e.match(/:/g) ?? []).length > 1 ? undefined : /^([^:]+)(?::(\d+))?$/.exec(e);
  const [name, p] = bracketed ? [bracketed[1], bracketed[2]] : plain ? [plain[1], plain[2]] : [e, undefined]; // a bare IPv6 address has no port
  return bare(name) === bare(host) && (p === undefined || Number(p) === port);
}

const bare = (host: string): string => host.replace(/^\[|\]$/g, '').toLowerCase();

/** "host:port" as a user writes it for --trust-source-host */
export function hostPort(host: string, port: number): string {
  return `${uriHost(bare(host))}:${port}`;
}

/** why `what` was not sent to the host, and how the user lets it go there */
export function withheldMessage(what: string, engine: NetworkEngine, host: string, port: number): string {
  return `${what} not sent to ${hostPort(host, port)}, a host you did not choose: ${allowAdvice(engine, host, port)}`;
}

/** how the user lets credentials go to a host they did not choose */
export function allowAdvice(engine: NetworkEngine, host: string, port: number): string {
  const hp = hostPort(host, port);
  return trustAdvice('--trust-workspace-sources', `allow the host (--trust-source-host ${hp}, sources.trustedHosts in your settings, or ${HOST_ENV[engine]})`);
}
