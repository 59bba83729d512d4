// `npm run evaluate`: builds every stream (bench/streams/build.mjs and the demo stream), replays each under the
// never / always / psi / agent policies with `driftcatcher evaluate`, and writes per-stream reports to
// bench/results/evaluate/<stream>/ plus a summary with the decision-quality goals to bench/results/evaluate.md.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const work = path.join(root, 'bench', '.work', 'streams');
const results = path.join(root, 'bench', 'results');
const cli = path.join(root, 'dist', 'cli.js');
const only = process.argv.slice(2);

const streams = [
  { name: 'demo', dir: path.join(work, 'demo'), args: [] },
  { name: 'seattle-weather', dir: path.join(work, 'seattle-weather'), args: ['--label', 'weather'] },
  { name: 'flights', dir: path.join(work, 'flights'), args: ['--label', 'status'] },
  { name: 'birdstrikes', dir: path.join(work, 'birdstrikes'), args: ['--label', 'damage'] },
].filter((s) => !only.length || only.includes(s.name));

const run = (args) => execFileSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 }).toString();
if (streams.some((s) => s.name === 'demo')) run([cli, 'demo-stream', path.join(work, 'demo')]);
const real = streams.filter((s) => s.name !== 'demo').map((s) => s.name);
if (real.length) run([path.join(root, 'bench', 'streams', 'build.mjs'), work, ...real]);

// the machine's load while the replays ran: accuracies do not depend on it, training seconds do
const loadBefore = os.loadavg()[0];
const started = Date.now();
const rows = [];
for (const s of streams) {
  const out = path.join(results, 'evaluate', s.name);
  run([cli, 'evaluate', s.dir, '--output', out, ...s.args]);
  const r = JSON.parse(fs.readFileSync(path.join(out, 'evaluate.json'), 'utf8'));
  const by = Object.fromEntries(r.summary.map((p) => [p.policy, p]));
  const best = Math.max(by.never.cost_adjusted, by.always.cost_adjusted, by.psi.cost_adjusted);
  const a = by.agent;
  const helps = by.always.mean_accuracy - by.never.mean_accuracy > r.settings.cost_per_retrain * by.always.retrains;
  rows.push({
    name: s.name,
    batches: r.stream.batches.length,
    never: by.never,
    always: by.always,
    psi: by.psi,
    agent: a,
    gapToBest: (a.cost_adjusted - best) * 100,
    belowNever: (by.never.mean_accuracy - a.mean_accuracy) * 100,
    helps,
  });
}

const loadAfter = os.loadavg()[0];
const minutes = (Date.now() - started) / 60_000;
const f4 = (x) => x.toFixed(4);
const ok = (b) => (b ? 'met' : '**not met**');
const lines = [
  '# Decision quality on real and demo streams (`npm run evaluate`)',
  '',
  'Each stream is replayed prequentially under four policies from the same initial model (bench/streams/README.md says how the streams are built; each stream\'s own report, plot and per-batch table are in `bench/results/evaluate/<stream>/`). Cost-adjusted score = mean accuracy − 0.005 × retrains. Training seconds are wall time on shared, busy cores: noisy, unlike the accuracies. The estimate is CBPE calibrated on the deployed model\'s newest held-out rows plus a bias correction learnt from the earlier batches that model scored whose labels have arrived (README: "What the estimate is"); "CBPE alone" is the same without the correction, and the coverage is the share of batches whose realised accuracy fell inside the estimate\'s 95 % interval.',
  '',
  '| stream | batches | never | always | psi | agent | agent retrains (always) | agent − best of never/always/psi | agent below never | estimate MAE (agent, points) | CBPE alone MAE | realised inside the interval | plot |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ...rows.map((r) => `| ${r.name} | ${r.batches} | ${f4(r.never.cost_adjusted)} | ${f4(r.always.cost_adjusted)} | ${f4(r.psi.cost_adjusted)} | ${f4(r.agent.cost_adjusted)} | ${r.agent.retrains} (${r.always.retrains}) | ${r.gapToBest >= 0 ? '+' : ''}${r.gapToBest.toFixed(2)} pt | ${r.belowNever.toFixed(2)} pt | ${r.agent.estimate_mae_points === null ? '—' : r.agent.estimate_mae_points.toFixed(2)} | ${r.agent.cbpe_mae_points == null ? '—' : r.agent.cbpe_mae_points.toFixed(2)} | ${r.agent.estimate_coverage == null ? '—' : `${Math.round(r.agent.estimate_coverage * 100)} %`} | [svg](evaluate/${r.name}/evaluate.svg) |`),
  '',
  '## Goals',
  '',
  '| stream | cost-adjusted within 0.3 pt of the best | mean accuracy ≥ never − 0.5 pt | retrains fewer than always where retraining does not pay | estimate MAE ≤ 2 pt (demo) |',
  '|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.name} | ${ok(r.gapToBest >= -0.3)} (${r.gapToBest.toFixed(2)}) | ${ok(r.belowNever <= 0.5)} (${r.belowNever.toFixed(2)}) | ${r.helps ? 'retraining pays here' : ok(r.agent.retrains < r.always.retrains)} | ${r.name === 'demo' ? `${ok(r.agent.estimate_mae_points !== null && r.agent.estimate_mae_points <= 2)} (${r.agent.estimate_mae_points?.toFixed(2)})` : '—'} |`),
  '',
  `Measured with Node ${process.version} on ${os.availableParallelism()} CPUs (${process.platform}-${process.arch}), ${minutes.toFixed(1)} min; 1-minute load average ${loadBefore.toFixed(1)} at the start and ${loadAfter.toFixed(1)} at the end (the cores were shared: training seconds are inflated, accuracies and decisions are not).`,
  '',
];
fs.writeFileSync(path.join(results, 'evaluate.md'), lines.join('\n'));
process.stdout.write(lines.join('\n') + '\n');
