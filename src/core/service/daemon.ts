import type { FastifyInstance } from 'fastify';
import { buildApp } from '../http/app';
import { isLoopback, loadOrCreateToken } from '../http/auth';
import type { JobStore } from '../http/jobs';
import { DriftCatcherError, errorMessage } from '../util/errors';
import type { TrustState } from '../config';
import { ServiceProcess, type LogLevel } from './serviceProcess';

/**
 * A long-running DriftCatcher process: `driftcatcher serve --http [HOST:]PORT` and `driftcatcher watch DIR…`.
 * SIGTERM / SIGINT stop it gracefully: no new requests or batches; a running batch or job may finish within the
 * grace period, then it is cancelled (its worker stops, no partial files) and the process exits 0. A second signal
 * cancels at once.
 */
export interface DaemonOptions {
  workspace: string;
  http?: { host: string; port: number };
  watch?: { folders: string[]; intervalSeconds?: number; schedule?: string };
  /** serve only: also run watch mode when driftcatcher.config.json names watch.folders */
  watchFromConfig?: boolean;
  graceSeconds: number;
  version: string;
  stderr: (s: string) => void;
  /** what the command line trusts (trust flags); default: nothing the workspace or a request names */
  trust?: TrustState;
  /** called once listening (tests, the CLI's readiness line) */
  onListening?: (url: string) => void;
}

export interface Daemon {
  service: ServiceProcess;
  app?: FastifyInstance;
  jobs?: JobStore;
  url?: string;
  /** graceful stop; resolves when everything has stopped */
  stop(): Promise<void>;
  /** resolves with the exit code once stopped by a signal or stop() */
  exited: Promise<number>;
}

export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  const log = (message: string, level: LogLevel = 'info'): void => opts.stderr(`${new Date().toISOString()} ${level.padEnd(5)} ${message}\n`);
  const service = new ServiceProcess({ workspace: opts.workspace, log, trust: opts.trust });
  let app: FastifyInstance | undefined;
  let jobs: JobStore | undefined;
  let url: string | undefined;
  try {
    if (opts.http) {
      const loopback = isLoopback(opts.http.host);
      let token: string | undefined;
      if (!loopback) {
        const t = loadOrCreateToken(service.workspace);
        token = t.token;
        log(`${opts.http.host} is not a loopback address: every request except /health needs the bearer token in ${t.file}${t.created ? ' (generated now)' : ''}`);
      }
      ({ app, jobs } = await buildApp({ service, token, loopback, version: opts.version }));
      await app.listen({ host: opts.http.host, port: opts.http.port });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : opts.http.port;
      url = `http://${opts.http.host.includes(':') ? `[${opts.http.host}]` : opts.http.host}:${port}`;
      log(`HTTP API on ${url} (OpenAPI at ${url}/openapi.json, metrics at ${url}/metrics)`);
    }
    const cfg = service.config().watch;
    if (opts.watch) {
      await service.startWatch({ folders: opts.watch.folders, intervalSeconds: opts.watch.intervalSeconds ?? cfg.checkIntervalSeconds, schedule: opts.watch.schedule ?? cfg.schedule });
    } else if (opts.watchFromConfig && cfg.folders.length) {
      // the API is the point of `serve`: watch mode that cannot start (another daemon has the workspace) is reported, not fatal
      await service.startWatch({ folders: cfg.folders, intervalSeconds: cfg.checkIntervalSeconds, schedule: cfg.schedule }).catch((e: unknown) => log(`watch mode not started: ${errorMessage(e)}`, 'warn'));
    }
  } catch (e) {
    await app?.close();
    throw e;
  }
  if (url) opts.onListening?.(url);

  let stopping: Promise<void> | undefined;
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => (resolveExit = r));
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log(`stopping (running work may finish within ${opts.graceSeconds} s, then it is cancelled)`);
      // stop accepting requests first; jobs already running finish or are cancelled like the watch batch
      const closing = app?.close();
      const graceMs = opts.graceSeconds * 1000;
      await Promise.all([service.stop(graceMs), jobs ? cancelAfter(jobs, graceMs) : undefined]);
      await closing;
      log('stopped');
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolveExit(0);
    })();
    return stopping;
  };
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    signals++;
    if (signals === 1) {
      log(`${sig} received`);
      void stop();
    } else {
      log(`${sig} again: cancelling now`, 'warn');
      void service.watch?.stop(0);
      void jobs?.cancelAll();
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return { service, app, jobs, url, stop, exited };
}

async function cancelAfter(jobs: JobStore, graceMs: number): Promise<void> {
  const busy = (): boolean => {
    const c = jobs.counts();
    return c.running + c.queued > 0;
  };
  const deadline = Date.now() + graceMs;
  while (busy() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  await jobs.cancelAll();
}

/** `[HOST:]PORT`: `8080`, `0.0.0.0:8080`, `[::1]:8080`; the host defaults to 127.0.0.1 */
export function parseListen(spec: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]:|([^:[\]]+):)?(\d{1,5})$/.exec(spec.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new DriftCatcherError(`--http takes [HOST:]PORT, e.g. 8080 or 0.0.0.0:8080 (got '${spec}')`, 'BAD_INPUT');
  return { host: m[1] ?? m[2] ?? '127.0.0.1', port };
}
