/**
 * Service load test on loopback: `driftcatcher serve --http` answering N concurrent `POST /drift/check` of a
 * 50k-row CICIDS-like batch (against a baseline profile) while `/health` is polled every 100 ms: all checks must
 * complete, the server's peak RSS (sampled from /proc, worker threads included) must stay bounded, /health must stay
 * under 50 ms. Reference in the same run: one `driftcatcher drift` CLI process on the same files.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemoCsv } from '../src/core/data/demoData';
import { bench, fmtStat, ROOT, sampleOf } from './lib/harness';

const CLI = path.join(ROOT, 'dist', 'cli.js');

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

interface Run {
  seconds: number;
  ok: number;
  statuses: Record<string, number>;
  idle_rss_mb: number;
  peak_rss_mb: number;
  health_ms: { p50: number; p95: number; max: number; n: number };
}

async function oneRun(ws: string, concurrency: number): Promise<Run> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--http', '127.0.0.1:0', '--workspace', ws, '--grace', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const t0 = Date.now();
  let base = '';
  while (!base) {
    const m = /HTTP API on (http:\/\/[^ ]+) /.exec(log);
    if (m) base = m[1];
    else if (Date.now() - t0 > 30_000 || proc.exitCode !== null) throw new Error(`the server did not start:\n${log}`);
    else await new Promise((r) => setTimeout(r, 50));
  }
  await fetch(`${base}/health`);
  const idle = rssMb(proc.pid as number);
  let peak = idle;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(proc.pid as number))), 100);
  const health: number[] = [];
  let running = true;
  const poller = (async () => {
    while (running) {
      const h0 = performance.now();
      await (await fetch(`${base}/health`)).text();
      health.push(performance.now() - h0);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const s0 = performance.now();
  const answers = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const res = await fetch(`${base}/drift/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', prefer: 'wait=600' },
        body: JSON.stringify({ baseline: 'baseline-profile.json', current: 'current.csv' }),
      });
      const body = (await res.json()) as { overall?: { severity: string } };
      return res.status === 200 && body.overall ? 200 : res.status;
    }),
  );
  const seconds = (performance.now() - s0) / 1000;
  running = false;
  await poller;
  clearInterval(sampler);
  proc.kill('SIGTERM');
  await new Promise((r) => proc.on('exit', r));
  const statuses: Record<string, number> = {};
  for (const s of answers) statuses[s] = (statuses[s] ?? 0) + 1;
  return {
    seconds,
    ok: statuses['200'] ?? 0,
    statuses,
    idle_rss_mb: idle,
    peak_rss_mb: peak,
    health_ms: { p50: quantile(health, 0.5), p95: quantile(health, 0.95), max: Math.max(...health), n: health.length },
  };
}

bench({
  name: 'service',
  title: 'Service load test: concurrent drift checks over HTTP (loopback)',
  description:
    'N concurrent `POST /drift/check` of one batch against a baseline profile on `driftcatcher serve --http`, /health polled every ' +
    '100 ms meanwhile; the server RSS sampled from /proc every 100 ms. Reference: one `driftcatcher drift` process on the same files.',
  async run(b) {
    const rows = b.size(50_000, 2_000);
    const concurrency = b.size(200, 10);
    const baseline = await b.data(`service-baseline-${rows}.csv`, (f) => generateDemoCsv(f, { rows, seed: 11 }).then(() => undefined));
    const current = await b.data(`service-current-${rows}.csv`, (f) => generateDemoCsv(f, { rows, seed: 12, drift: 0.35 }).then(() => undefined));
    // the server only reads inside its workspace: a fresh one holding the two files
    const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-bench-service-'));
    try {
      fs.copyFileSync(baseline, path.join(ws, 'baseline.csv'));
      fs.copyFileSync(current, path.join(ws, 'current.csv'));
      // CLI paths are relative to the current directory: name the workspace's files in full
      const inWs = (f: string) => path.join(ws, f);
      await b.node(CLI, ['profile', inWs('baseline.csv'), '-o', inWs('baseline-profile.json'), '--workspace', ws, '--format', 'json']);
      const cli = await b.repeat('one CLI drift check', async () =>
        sampleOf(await b.node(CLI, ['drift', inWs('baseline-profile.json'), inWs('current.csv'), '--format', 'json', '--workspace', ws])),
      );
      const runs: Run[] = [];
      const load = await b.repeat(`${concurrency} concurrent checks`, async () => {
        const r = await oneRun(ws, concurrency);
        runs.push(r);
        return { wall_s: r.seconds, ok: r.ok, idle_rss_mb: r.idle_rss_mb, peak_rss_mb: r.peak_rss_mb, health_p95_ms: r.health_ms.p95, health_max_ms: r.health_ms.max };
      });
      b.record('runs', runs);
      const mb = fs.statSync(path.join(ws, 'current.csv')).size / 1e6;
      b.table(`${concurrency} concurrent POST /drift/check of a ${rows}-row batch (${mb.toFixed(1)} MB)`, ['measure', 'median (min–max)', 'target'], [
        ['checks answered 200', `${fmtStat(load.ok, 0)} of ${concurrency}`, 'all'],
        ['wall time for all checks, s', fmtStat(load.wall_s, 1), '—'],
        ['one CLI process, same check, s (reference)', fmtStat(cli.wall_s), '—'],
        ['server RSS idle, MB', fmtStat(load.idle_rss_mb, 0), '—'],
        ['server RSS peak, MB', fmtStat(load.peak_rss_mb, 0), 'bounded'],
        ['/health p95 during the load, ms', fmtStat(load.health_p95_ms, 1), '< 50'],
        ['/health max during the load, ms', fmtStat(load.health_max_ms, 1), '—'],
      ], ['Heavy jobs run in worker threads, at most one per core; queued checks hold only their parameters.']);
      b.check('every check completed', load.ok.min === concurrency, `${load.ok.min} of ${concurrency} in the worst run`);
      b.check('/health p95 under 50 ms during the load', load.health_p95_ms.median < 50, `${load.health_p95_ms.median.toFixed(1)} ms`);
      b.check('memory bounded (peak RSS under 1 GB)', load.peak_rss_mb.max < 1024, `${load.peak_rss_mb.max.toFixed(0)} MB`);
    } finally {
      fs.rmSync(ws, { recursive: true, force: true });
    }
  },
});
