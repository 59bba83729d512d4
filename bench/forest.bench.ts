/**
 * Forest benchmark: our random forest side by side with scikit-learn (shared/anchors/sklearn_forest.py) in the
 * same run, on CICIDS-like data of 10k, 50k and 200k training rows × 78 features, scored on one independent
 * 40k-row test file; both sides get the same files, both drop rows with NaN/inf features,
 * map BENIGN → 0 and everything else → 1, train 100 trees on all (2) cores. Each side runs in its own process
 * under /usr/bin/time for wall time, CPU time and peak RSS; train/predict seconds come from inside the process.
 * Writes bench/results/forest.json and forest.md.
 *
 * `node out/bench/forest.bench.js --child TRAIN TEST` is the "ours" side (used by the bench itself).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { generateDemoCsv } from '../src/core/data/demoData';
import { loadLabelled } from '../src/core/data/labelled';
import { trainForest, saveForest } from '../src/core/model/forest';
import { classificationMetrics } from '../src/core/model/metrics';
import { writeJsonAtomic, writeFileAtomic } from '../src/core/util/atomicWrite';

const ROOT = path.resolve(__dirname, '..', '..');
const ANCHOR = [path.join(ROOT, '..', 'shared', 'anchors', 'sklearn_forest.py'), '/work/shared/anchors/sklearn_forest.py'].find((p) =>
  fs.existsSync(p),
);
const DATA = path.join(os.tmpdir(), 'driftcatcher-bench', 'forest');
const SIZES = (process.env.FOREST_BENCH_SIZES ?? '10000,50000,200000').split(',').map(Number);
const TREES = 100;

interface Side {
  rows_train: number;
  rows_test: number;
  train_s: number;
  predict_s: number;
  predict_rows_per_s: number;
  accuracy: number;
  f1: number;
  roc_auc: number | null;
  model_bytes: number;
  wall_s: number;
  cpu_s: number;
  peak_rss_mb: number;
}

/** Runs a process under /usr/bin/time: wall seconds, user+system CPU seconds, peak RSS. */
function measure(cmd: string, args: string[]): { wall_s: number; cpu_s: number; peak_rss_mb: number; stdout: string } {
  const timeFile = path.join(DATA, `time-${process.pid}.txt`);
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, cmd, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const [wall, user, sys, kb] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(/\s+/).map(Number);
  return { wall_s: wall, cpu_s: user + sys, peak_rss_mb: kb / 1024, stdout: r.stdout };
}

/**
 * Per size, a generated training CSV of that many rows; one independent 40k-row test CSV (another seed) shared by
 * every size and both sides, so accuracy differences are not lost in the noise of a small split (a 2k-row test set
 * moves by ±0.45 points between seeds). Cached across runs.
 */
const TEST_ROWS = 40_000;
async function splitFiles(rows: number): Promise<{ train: string; test: string }> {
  fs.mkdirSync(DATA, { recursive: true });
  const train = path.join(DATA, `train-full-${rows}.csv`);
  const test = path.join(DATA, `test-independent-${TEST_ROWS}.csv`);
  if (!fs.existsSync(train)) await generateDemoCsv(train, { rows, seed: 20170 + rows });
  if (!fs.existsSync(test)) await generateDemoCsv(test, { rows: TEST_ROWS, seed: 4242 });
  return { train, test };
}

/** The "ours" side, in a child process so its peak RSS is its own. Prints one JSON object. */
async function child(trainFile: string, testFile: string): Promise<void> {
  const tr = await loadLabelled(trainFile, { multiClass: false });
  if (tr.classes.length !== 2 || tr.classes[0] !== 'BENIGN') throw new Error(`expected BENIGN vs attacks, got ${tr.classes.join(', ')}`);
  const te = await loadLabelled(testFile, { multiClass: false, featureNames: tr.features, classes: tr.classes });
  const t0 = process.hrtime.bigint();
  const forest = await trainForest(tr.X, tr.y, 2, { nTrees: TREES, seed: 42 });
  const t1 = process.hrtime.bigint();
  const pred = forest.predict(te.X);
  const t2 = process.hrtime.bigint();
  const m = classificationMetrics(te.y, pred, forest.predictProba(te.X), tr.classes);
  const modelFile = path.join(DATA, `model-${process.pid}.json`);
  saveForest(modelFile, forest);
  const bytes = fs.statSync(modelFile).size;
  fs.rmSync(modelFile);
  const predict_s = Number(t2 - t1) / 1e9;
  process.stdout.write(
    JSON.stringify({
      rows_train: tr.rows,
      rows_test: te.rows,
      train_s: Number(t1 - t0) / 1e9,
      predict_s,
      accuracy: m.accuracy,
      f1: m.f1,
      roc_auc: m.roc_auc,
      model_bytes: bytes,
    }) + '\n',
  );
}

function ours(train: string, test: string): Side {
  const m = measure(process.execPath, [__filename, '--child', train, test]);
  const j = JSON.parse(m.stdout) as Omit<Side, 'wall_s' | 'cpu_s' | 'peak_rss_mb' | 'predict_rows_per_s'>;
  return { ...j, predict_rows_per_s: j.rows_test / j.predict_s, wall_s: m.wall_s, cpu_s: m.cpu_s, peak_rss_mb: m.peak_rss_mb };
}

function sklearn(train: string, test: string): Side {
  if (!ANCHOR) throw new Error('shared/anchors/sklearn_forest.py not found');
  const m = measure('/usr/bin/python3', [ANCHOR, train, test, '--trees', String(TREES), '--jobs', '-1']);
  const j = JSON.parse(m.stdout) as Omit<Side, 'wall_s' | 'cpu_s' | 'peak_rss_mb' | 'predict_rows_per_s'>;
  return {
    rows_train: j.rows_train,
    rows_test: j.rows_test,
    train_s: j.train_s,
    predict_s: j.predict_s,
    predict_rows_per_s: j.rows_test / j.predict_s,
    accuracy: j.accuracy,
    f1: j.f1,
    roc_auc: j.roc_auc,
    model_bytes: j.model_bytes,
    wall_s: m.wall_s,
    cpu_s: m.cpu_s,
    peak_rss_mb: m.peak_rss_mb,
  };
}

const f = (v: number, d = 2): string => v.toFixed(d);

async function main(): Promise<void> {
  const results: { rows: number; ours: Side; sklearn: Side; ratio: Record<string, number> }[] = [];
  for (const rows of SIZES) {
    const { train, test } = await splitFiles(rows);
    console.log(`forest bench: ${rows} rows — ours…`);
    const o = ours(train, test);
    console.log(`  ours: train ${f(o.train_s)} s, accuracy ${f(o.accuracy, 4)}; sklearn…`);
    const s = sklearn(train, test);
    console.log(`  sklearn: train ${f(s.train_s)} s, accuracy ${f(s.accuracy, 4)}`);
    results.push({
      rows,
      ours: o,
      sklearn: s,
      ratio: {
        train_time: o.train_s / s.train_s,
        train_cpu: o.cpu_s / s.cpu_s,
        predict_speed: o.predict_rows_per_s / s.predict_rows_per_s,
        accuracy_points: 100 * (o.accuracy - s.accuracy),
        model_bytes: o.model_bytes / s.model_bytes,
        peak_rss: o.peak_rss_mb / s.peak_rss_mb,
      },
    });
  }
  const machine = { cpus: os.availableParallelism(), node: process.version, loadavg_at_end: os.loadavg().map((v) => +v.toFixed(2)) };
  writeJsonAtomic(path.join(ROOT, 'bench', 'results', 'forest.json'), { trees: TREES, machine, date: new Date().toISOString(), results });

  const md = [
    `# Forest: ours vs scikit-learn (${TREES} trees, ${machine.cpus} cores, ${new Date().toISOString().slice(0, 10)})`,
    '',
    'Same files for both: a generated CICIDS-like training CSV of each size and one independent 40k-row test CSV (78 features; rows with NaN/inf dropped; BENIGN vs attacks).',
    'Train/predict seconds measured inside each process; CPU and peak RSS of the whole process from /usr/bin/time',
    '(ours includes reading the CSVs with our reader, sklearn includes pandas). Ratios are ours ÷ sklearn.',
    `Load average at the end: ${machine.loadavg_at_end.join(' ')} (the cores are shared; wall times move with it, CPU seconds less).`,
    '',
    '| rows | impl | train rows | train s | process CPU s | predict rows/s | accuracy | F1 | ROC-AUC | model MB | peak RSS MB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of results) {
    for (const [name, s] of [['ours', r.ours], ['sklearn', r.sklearn]] as const) {
      md.push(
        `| ${r.rows} | ${name} | ${s.rows_train} | ${f(s.train_s)} | ${f(s.cpu_s, 1)} | ${Math.round(s.predict_rows_per_s)} | ${f(s.accuracy, 4)} | ${f(s.f1, 4)} | ${s.roc_auc === null ? '–' : f(s.roc_auc, 4)} | ${f(s.model_bytes / 1e6, 1)} | ${f(s.peak_rss_mb, 0)} |`,
      );
    }
    const q = r.ratio;
    md.push(
      `| ${r.rows} | **ratio** | | **${f(q.train_time)}×** | ${f(q.train_cpu)}× | ${f(q.predict_speed)}× | ${q.accuracy_points >= 0 ? '+' : ''}${f(q.accuracy_points)} pt | | | ${f(q.model_bytes)}× | ${f(q.peak_rss)}× |`,
    );
  }
  md.push('', 'Target: train time ≤ 1.0× sklearn at accuracy within 0.5 point.', '');
  writeFileAtomic(path.join(ROOT, 'bench', 'results', 'forest.md'), md.join('\n'));
  console.log(md.join('\n'));
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).catch((e) => {
    console.error(e);
    process.exit(1);
  });
} else {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
