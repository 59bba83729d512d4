/**
 * Service load test on loopback: `driftcatcher serve --http` answering N concurrent `POST /drift/check` of a
 * 50k-row CICIDS-like batch (against a baseline profile), while `/health` is polled every 100 ms. Measures that all
 * checks complete, the server's peak RSS (sampled from /proc; worker threads included) against its idle RSS, and
 * /health latency (target < 50 ms). Reference in the same run: one `driftcatcher drift` CLI process on the same
 * files. Sizes: DC_BENCH_SERVICE_ROWS (50000), DC_BENCH_SERVICE_CONCURRENCY (200), DC_BENCH_SERVICE_RUNS (3).
 * Writes bench/results/service.json and service.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemoCsv } from '../src/core/data/demoData';
import { writeFileAtomic, writeJsonAtomic } from '../src/core/util/atomicWrite';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const ROWS = Number(process.env.DC_BENCH_SERVICE_ROWS ?? 50_000);
const CONCURRENCY = Number(process.env.DC_BENCH_SERVICE_CONCURRENCY ?? 200);
const RUNS = Number(process.env.DC_BENCH_SERVICE_RUNS ?? 3);

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

interface Run {
  seconds: number;
  ok: number;
  statuses: Record<string, number>;
  idle_rss_mb: number;
  peak_rss_mb: number;
  health_ms: { p50: number; p95: number; max: number; n: number };
}

async function oneRun(ws: string): Promise<Run> {
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
    Array.from({ length: CONCURRENCY }, async () => {
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

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build (npm run bench does)');
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-bench-service-'));
  try {
    console.log(`generating ${ROWS}-row baseline and batch in ${ws}`);
    await generateDemoCsv(path.join(ws, 'baseline.csv'), { rows: ROWS, seed: 11 });
    await generateDemoCsv(path.join(ws, 'current.csv'), { rows: ROWS, seed: 12, drift: 0.35 });
    const prof = spawnSync(process.execPath, [CLI, 'profile', 'baseline.csv', '-o', 'baseline-profile.json', '--workspace', ws], { encoding: 'utf8' });
    if (prof.status !== 0) throw new Error(prof.stderr);
    const mb = fs.statSync(path.join(ws, 'current.csv')).size / 1e6;

    // reference: one CLI process checking the same batch
    const cli: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const c0 = performance.now();
      const r = spawnSync(process.execPath, [CLI, 'drift', 'baseline-profile.json', 'current.csv', '--format', 'json', '--workspace', ws], { encoding: 'utf8', maxBuffer: 64 << 20 });
      if (r.status !== 0 && r.status !== 1) throw new Error(r.stderr);
      cli.push((performance.now() - c0) / 1000);
    }
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      console.log(`run ${i + 1}/${RUNS}: ${CONCURRENCY} concurrent POST /drift/check`);
      runs.push(await oneRun(ws));
    }
    const result = {
      rows: ROWS,
      batch_mb: mb,
      concurrency: CONCURRENCY,
      cores: os.cpus().length,
      load_before: os.loadavg()[0],
      runs,
      median: {
        seconds: median(runs.map((r) => r.seconds)),
        checks_per_second: median(runs.map((r) => CONCURRENCY / r.seconds)),
        peak_rss_mb: median(runs.map((r) => r.peak_rss_mb)),
        idle_rss_mb: median(runs.map((r) => r.idle_rss_mb)),
        health_p95_ms: median(runs.map((r) => r.health_ms.p95)),
        health_max_ms: median(runs.map((r) => r.health_ms.max)),
      },
      cli_reference_seconds: median(cli),
      all_completed: runs.every((r) => r.ok === CONCURRENCY),
    };
    const m = result.median;
    const md = [
      '# Service load test (loopback)',
      '',
      `${CONCURRENCY} concurrent \`POST /drift/check\` of a ${ROWS}-row batch (${mb.toFixed(1)} MB) against a baseline profile, on ${result.cores} cores; medians of ${RUNS} runs (\`npm run bench service\`).`,
      '',
      '| what | measured | target |',
      '| --- | ---: | --- |',
      `| checks completed (200) | ${runs.map((r) => r.ok).join(' / ')} of ${CONCURRENCY} | all |`,
      `| wall time for all checks | ${m.seconds.toFixed(1)} s (${m.checks_per_second.toFixed(2)} checks/s) | — |`,
      `| one CLI process, same check (reference) | ${result.cli_reference_seconds.toFixed(2)} s | — |`,
      `| server RSS idle → peak | ${m.idle_rss_mb.toFixed(0)} → ${m.peak_rss_mb.toFixed(0)} MB | bounded (independent of concurrency) |`,
      `| /health latency during the load: p95 / max | ${m.health_p95_ms.toFixed(1)} / ${m.health_max_ms.toFixed(1)} ms | < 50 ms |`,
      '',
      'Heavy jobs run in worker threads, at most one per core; queued checks hold only their parameters, so memory',
      'does not grow with the number of waiting requests, and the main thread stays free for /health.',
      '',
    ].join('\n');
    writeJsonAtomic(path.join(ROOT, 'bench', 'results', 'service.json'), result);
    writeFileAtomic(path.join(ROOT, 'bench', 'results', 'service.md'), md);
    if (!result.all_completed) throw new Error(`not every check completed: ${JSON.stringify(runs.map((r) => r.statuses))}`);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(`error: ${(e as Error).message}`);
  process.exit(1);
});
