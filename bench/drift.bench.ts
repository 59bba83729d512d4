/**
 * Drift benchmark: our CLI (`node dist/cli.js drift BASELINE.csv CURRENT.csv --format json`) side by side with the
 * seed's pandas/numpy pipeline (shared/anchors/seed_drift.py) in the same run, on a 50k-row CICIDS-like baseline
 * and a 500k-row current file; our CLI also on a 2M-row current file to show that memory stays flat.
 * Wall time and peak RSS of each process come from /usr/bin/time; read throughput from an in-process streamCsv
 * pass (ours) and the anchor's own read timing. Writes bench/results/drift.json and drift.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { generateDemoCsv } from '../src/core/data/demoData';
import { streamCsv } from '../src/core/data/csvReader';
import { writeJsonAtomic, writeFileAtomic } from '../src/core/util/atomicWrite';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const SEED_DRIFT = '/work/shared/anchors/seed_drift.py';
const ANCHOR = fs.existsSync(path.join(ROOT, '..', 'shared', 'anchors', 'seed_drift.py'))
  ? path.join(ROOT, '..', 'shared', 'anchors', 'seed_drift.py')
  : SEED_DRIFT;
const DATA = path.join(os.tmpdir(), 'driftcatcher-bench');

interface Measured {
  seconds: number;
  /** user + system CPU seconds: fairer than wall time when other jobs share the cores */
  cpu_seconds: number;
  peak_rss_mb: number;
  stdout: string;
}

/** Runs a command under /usr/bin/time: wall seconds and the peak RSS of the process. */
function measure(cmd: string, args: string[]): Measured {
  const timeFile = path.join(DATA, `time-${process.pid}.txt`);
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, cmd, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const [secs, user, sys, kb] = fs.readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-4).map(Number);
  return { seconds: secs, cpu_seconds: user + sys, peak_rss_mb: kb / 1024, stdout: r.stdout };
}

async function ensureData(): Promise<{ baseline: string; current500k: string; current2m: string }> {
  fs.mkdirSync(DATA, { recursive: true });
  const baseline = path.join(DATA, 'baseline-50k.csv');
  const current500k = path.join(DATA, 'current-500k.csv');
  const current2m = path.join(DATA, 'current-2m.csv');
  const stamp = path.join(DATA, 'stamp-v1');
  if (!fs.existsSync(stamp)) {
    console.log('generating bench data (once, cached in', DATA, ')');
    if (!fs.existsSync(current500k)) {
      await generateDemoCsv(baseline, { rows: 50_000, seed: 11 });
      await generateDemoCsv(current500k, { rows: 500_000, seed: 12, drift: 0.35 });
    }
    // 2M rows: the 500k body four times (same distribution; generation would dominate the bench otherwise)
    const buf = fs.readFileSync(current500k);
    const nl = buf.indexOf(10);
    const fd = fs.openSync(current2m, 'w');
    fs.writeSync(fd, buf);
    for (let i = 0; i < 3; i++) fs.writeSync(fd, buf.subarray(nl + 1));
    fs.closeSync(fd);
    fs.writeFileSync(stamp, '');
  }
  return { baseline, current500k, current2m };
}

async function readThroughput(file: string): Promise<{ mb_per_s: number; seconds: number; mb: number }> {
  const t0 = process.hrtime.bigint();
  const res = await streamCsv(file, {}, () => undefined);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return { mb_per_s: res.bytes / 1e6 / s, seconds: s, mb: res.bytes / 1e6 };
}

function ours(baseline: string, current: string) {
  // its own workspace, so the tracked drift runs land beside the bench data, not in the checkout
  const m = measure(process.execPath, [CLI, 'drift', baseline, current, '--format', 'json', '--workspace', DATA]);
  const j = JSON.parse(m.stdout) as { overall: { psi_mean: number }; features: { name: string; psi: number }[] };
  return { seconds: m.seconds, cpu_seconds: m.cpu_seconds, peak_rss_mb: m.peak_rss_mb, psi_mean: j.overall.psi_mean, psi: Object.fromEntries(j.features.map((f) => [f.name, f.psi])) };
}

function anchor(baseline: string, current: string) {
  const m = measure('/usr/bin/python3', [ANCHOR, baseline, current]);
  const j = JSON.parse(m.stdout) as { read_current_s: number; total_s: number; overall_psi_mean: number; psi: Record<string, number> };
  return { seconds: m.seconds, cpu_seconds: m.cpu_seconds, peak_rss_mb: m.peak_rss_mb, read_current_s: j.read_current_s, internal_total_s: j.total_s, psi_mean: j.overall_psi_mean, psi: j.psi };
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} missing: run npm run build first`);
  const { baseline, current500k, current2m } = await ensureData();
  const mb = (f: string) => fs.statSync(f).size / 1e6;

  console.log('read throughput (ours, in-process)…');
  const read = await readThroughput(current500k);
  console.log('ours on 500k…');
  const o500 = ours(baseline, current500k);
  console.log('anchor on 500k…');
  const a500 = anchor(baseline, current500k);
  console.log('ours on 2M…');
  const o2m = ours(baseline, current2m);

  const maxDiff = Math.max(...Object.keys(a500.psi).map((k) => Math.abs(a500.psi[k] - (o500.psi[k] ?? Infinity))));
  const result = {
    machine: { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` },
    files: {
      baseline: { rows: 50_000, mb: mb(baseline) },
      current_500k: { rows: 500_000, mb: mb(current500k) },
      current_2m: { rows: 2_000_000, mb: mb(current2m) },
    },
    read_mb_per_s: { ours: read.mb_per_s, anchor: mb(current500k) / a500.read_current_s },
    drift_500k: {
      ours: { seconds: o500.seconds, cpu_seconds: o500.cpu_seconds, peak_rss_mb: o500.peak_rss_mb, psi_mean: o500.psi_mean },
      anchor: { seconds: a500.seconds, cpu_seconds: a500.cpu_seconds, internal_seconds: a500.internal_total_s, peak_rss_mb: a500.peak_rss_mb, psi_mean: a500.psi_mean },
      speedup: a500.seconds / o500.seconds,
      cpu_speedup: a500.cpu_seconds / o500.cpu_seconds,
      memory_ratio: o500.peak_rss_mb / a500.peak_rss_mb,
      psi_max_abs_diff: maxDiff,
    },
    drift_2m: { ours: { seconds: o2m.seconds, cpu_seconds: o2m.cpu_seconds, peak_rss_mb: o2m.peak_rss_mb }, rss_growth_vs_500k: o2m.peak_rss_mb / o500.peak_rss_mb },
    targets: {
      speedup_at_least_3: a500.seconds / o500.seconds >= 3,
      memory_at_most_quarter: o500.peak_rss_mb / a500.peak_rss_mb <= 0.25,
      memory_flat_500k_to_2m: o2m.peak_rss_mb / o500.peak_rss_mb <= 1.15,
      psi_parity_1e9: maxDiff <= 1e-9,
    },
    created_at: new Date().toISOString(),
  };
  const resultsDir = path.join(ROOT, 'bench', 'results');
  writeJsonAtomic(path.join(resultsDir, 'drift.json'), result);
  const f = (x: number, d = 2) => x.toFixed(d);
  const md = [
    '# Drift benchmark',
    '',
    `50k-row baseline (${f(result.files.baseline.mb, 1)} MB) vs CICIDS-like current files; ${result.machine.cpus} cores, Node ${result.machine.node}. ` +
      'Wall time and peak RSS per process from /usr/bin/time; both tools run in the same bench run.',
    '',
    '| measure | DriftCatcher CLI | seed_drift.py (pandas) | ratio |',
    '| --- | ---: | ---: | ---: |',
    `| read throughput, 500k rows (${f(result.files.current_500k.mb, 0)} MB) | ${f(read.mb_per_s, 0)} MB/s | ${f(result.read_mb_per_s.anchor, 0)} MB/s | ${f(read.mb_per_s / result.read_mb_per_s.anchor, 1)}× |`,
    `| end-to-end drift, 50k + 500k rows, wall | ${f(o500.seconds)} s | ${f(a500.seconds)} s | ${f(result.drift_500k.speedup, 1)}× faster |`,
    `| end-to-end drift, 50k + 500k rows, CPU (user+sys) | ${f(o500.cpu_seconds)} s | ${f(a500.cpu_seconds)} s | ${f(result.drift_500k.cpu_speedup, 1)}× less |`,
    `| peak RSS, 50k + 500k rows | ${f(o500.peak_rss_mb, 0)} MB | ${f(a500.peak_rss_mb, 0)} MB | ${f(result.drift_500k.memory_ratio, 3)} |`,
    `| end-to-end drift, 50k + 2M rows (${f(result.files.current_2m.mb, 0)} MB), wall / CPU | ${f(o2m.seconds)} s / ${f(o2m.cpu_seconds)} s | – | |`,
    `| peak RSS, 50k + 2M rows | ${f(o2m.peak_rss_mb, 0)} MB | – | ${f(result.drift_2m.rss_growth_vs_500k, 2)}× the 500k run |`,
    `| PSI max abs difference (78 features) | ${maxDiff.toExponential(2)} | | |`,
    '',
    `Load average during the run: ${os.loadavg().map((x) => x.toFixed(1)).join(' / ')} (1/5/15 min) on ${result.machine.cpus} cores — wall times are only comparable within one run.`,
    '',
    `Targets: ≥ 3× faster ${result.targets.speedup_at_least_3 ? 'met' : 'MISSED'} · ≤ 1/4 of the peak memory ${result.targets.memory_at_most_quarter ? 'met' : 'MISSED'} · memory flat from 500k to 2M rows ${result.targets.memory_flat_500k_to_2m ? 'met' : 'MISSED'} · PSI parity ≤ 1e-9 ${result.targets.psi_parity_1e9 ? 'met' : 'MISSED'}.`,
    '',
  ].join('\n');
  writeFileAtomic(path.join(resultsDir, 'drift.md'), md);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
