/**
 * End-to-end drift check: our CLI (`node dist/cli.js drift BASELINE.csv CURRENT.csv --format json`) beside the
 * pandas/numpy pipeline (test/oracles/psi.py drift) on the same generated CICIDS-like files — a 50k-row baseline
 * and a 500k-row current file — and our CLI alone on a 2M-row current file to show that memory stays flat.
 * Both sides read both files, profile the baseline and compute PSI for every feature; ours also computes KS/χ²,
 * Jensen–Shannon, Wasserstein and the data-quality findings and tracks the run, the pipeline computes PSI only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateDemoCsv } from '../src/core/data/demoData';
import { bench, fmtNumber, fmtStat, ROOT, sampleOf, type BenchContext } from './lib/harness';
import { pairedRatio } from './lib/stats';

const CLI = path.join(ROOT, 'dist', 'cli.js');

interface CliReport {
  overall: { psi_mean: number };
  features: { name: string; psi: number }[];
}
interface PandasReport {
  psi: Record<string, number>;
  psi_mean: number;
}

/** The current file repeated `times` times (same distribution; generating 2M rows would dominate the bench). */
async function repeatBody(src: string, times: number, dst: string): Promise<void> {
  const buf = fs.readFileSync(src);
  const body = buf.subarray(buf.indexOf(10) + 1);
  const fd = fs.openSync(dst, 'w');
  try {
    fs.writeSync(fd, buf);
    for (let i = 1; i < times; i++) fs.writeSync(fd, body);
  } finally {
    fs.closeSync(fd);
  }
}

bench({
  name: 'drift',
  title: 'Drift check: ours vs the pandas/numpy pipeline',
  description:
    'A generated CICIDS-like baseline (50k rows × 79 columns) against a drifted current file (500k rows), end to end in a fresh process: ' +
    'our CLI (`driftcatcher drift BASELINE.csv CURRENT.csv --format json`) and the pandas/numpy pipeline (test/oracles/psi.py `drift`). ' +
    'Both read both files, profile the baseline and compute PSI per feature; ours also computes KS/χ², Jensen–Shannon, Wasserstein and the ' +
    'data-quality findings and logs the tracked run. Then our CLI alone on a 2M-row current file (the 500k body four times) to show that ' +
    'memory does not grow with the file.',
  async run(b: BenchContext) {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} missing: npm run build (npm run bench does it)`);
    const baseRows = b.size(50_000, 2_000);
    const curRows = b.size(500_000, 5_000);
    const baseline = await b.data(`baseline-${baseRows}.csv`, (f) => generateDemoCsv(f, { rows: baseRows, seed: 11 }).then(() => undefined));
    const current = await b.data(`current-${curRows}.csv`, (f) => generateDemoCsv(f, { rows: curRows, seed: 12, drift: 0.35 }).then(() => undefined));
    const current4x = await b.data(`current-${curRows * 4}-repeated.csv`, (f) => repeatBody(current, 4, f));
    const mb = (f: string) => fs.statSync(f).size / 1e6;
    const workspace = path.join(b.dataDir, 'drift-workspace');

    const ours = async (cur: string) => {
      fs.rmSync(workspace, { recursive: true, force: true }); // each run tracks into a fresh workspace
      fs.mkdirSync(workspace, { recursive: true });
      return b.node<CliReport>(CLI, ['drift', baseline, cur, '--format', 'json', '--workspace', workspace]);
    };
    let last: { ours?: CliReport; pandas?: PandasReport } = {};
    const r = await b.compare('drift', {
      ours: async () => {
        const m = await ours(current);
        last.ours = m.output;
        return sampleOf(m);
      },
      pandas: async () => {
        const m = await b.oracle<PandasReport>('psi', 'drift', { baseline, current });
        last.pandas = m.output;
        return sampleOf(m);
      },
    });
    const big = await b.repeat('drift-4x', async () => sampleOf(await ours(current4x)));

    const psiOurs = Object.fromEntries(last.ours!.features.map((f) => [f.name, f.psi]));
    const psiDiff = Math.max(...Object.entries(last.pandas!.psi).map(([k, v]) => Math.abs(v - (psiOurs[k] ?? Infinity))));
    const features = Object.keys(last.pandas!.psi).length;
    last = {};
    const speed = pairedRatio(r.pandas.wall_s, r.ours.wall_s);
    const cpu = pairedRatio(r.pandas.cpu_s, r.ours.cpu_s);
    const memory = pairedRatio(r.ours.peak_rss_mb, r.pandas.peak_rss_mb);
    const growth = big.peak_rss_mb.median / r.ours.peak_rss_mb.median;

    const rowsLabel = (n: number) => `${(n / 1000).toLocaleString('en-US')}k`;
    b.table(
      `${rowsLabel(baseRows)}-row baseline (${mb(baseline).toFixed(1)} MB) + ${rowsLabel(curRows)}-row current (${mb(current).toFixed(0)} MB)`,
      ['measure', 'DriftCatcher CLI', 'pandas/numpy pipeline', 'ratio'],
      [
        ['wall s', fmtStat(r.ours.wall_s), fmtStat(r.pandas.wall_s), `${fmtStat(speed, 1)}× faster`],
        ['process CPU s (user + system)', fmtStat(r.ours.cpu_s), fmtStat(r.pandas.cpu_s), `${fmtStat(cpu, 1)}× less`],
        ['peak RSS MB', fmtStat(r.ours.peak_rss_mb, 0), fmtStat(r.pandas.peak_rss_mb, 0), `${fmtStat(memory)}×`],
        [`PSI, largest difference over ${features} features`, psiDiff.toExponential(1), '', ''],
      ],
      ['Ratios are taken run by run (both sides ran back to back), then summarized.'],
    );
    b.table(
      `Our CLI on a ${rowsLabel(curRows * 4)}-row current file (${mb(current4x).toFixed(0)} MB)`,
      ['measure', 'DriftCatcher CLI', `vs the ${rowsLabel(curRows)}-row run`],
      [
        ['wall s', fmtStat(big.wall_s), `${fmtNumber(big.wall_s.median / r.ours.wall_s.median, 2)}×`],
        ['peak RSS MB', fmtStat(big.peak_rss_mb, 0), `${fmtNumber(growth, 2)}×`],
      ],
    );
    b.record('files', { baseline: { rows: baseRows, mb: mb(baseline) }, current: { rows: curRows, mb: mb(current) }, current_4x: { rows: curRows * 4, mb: mb(current4x) } });
    b.record('ratios', { speed, cpu, memory, rss_growth_4x: growth, psi_max_abs_diff: psiDiff });
    b.check('≥ 5× faster than the pandas pipeline (wall)', speed.median >= 5, `${speed.median.toFixed(1)}×`);
    b.check('≤ 1/5 of its peak memory', memory.median <= 0.2, `${memory.median.toFixed(3)}×`);
    b.check(`memory flat from ${rowsLabel(curRows)} to ${rowsLabel(curRows * 4)} rows (≤ 1.15×)`, growth <= 1.15, `${growth.toFixed(2)}×`);
    b.check('PSI equal to the pipeline’s to 1e-12', psiDiff <= 1e-12, psiDiff.toExponential(1));
  },
});
