import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeJsonAtomic } from '../util/atomicWrite';
import { CsvRowWriter } from './csvWriter';
import { Random } from '../util/random';

/**
 * Deterministic CICIDS2017-like flows. Each row draws a few latent quantities from its class (duration,
 * packet counts, payload sizes, TCP windows, flags) from heavy-tailed distributions; the 78 features are
 * derived from them as CICFlowMeter would, so they are correlated like the real ones. Zero-duration flows
 * give the real file's `Infinity`/`NaN` rates. `drift` moves benign traffic and the attack mix (covariate
 * shift); `concept` turns attacks evasive (benign-looking volumes, so an old model misses them).
 */

/** The 78 CICIDS2017 feature names, padded as in the MachineLearningCVE files (the repeated
 * " Fwd Header Length" carries pandas' ".1" suffix so names stay unique). */
export const CICIDS_FEATURES = [
  ' Destination Port', ' Flow Duration', ' Total Fwd Packets', ' Total Backward Packets',
  'Total Length of Fwd Packets', ' Total Length of Bwd Packets', ' Fwd Packet Length Max', ' Fwd Packet Length Min',
  ' Fwd Packet Length Mean', ' Fwd Packet Length Std', 'Bwd Packet Length Max', ' Bwd Packet Length Min',
  ' Bwd Packet Length Mean', ' Bwd Packet Length Std', 'Flow Bytes/s', ' Flow Packets/s', ' Flow IAT Mean',
  ' Flow IAT Std', ' Flow IAT Max', ' Flow IAT Min', 'Fwd IAT Total', ' Fwd IAT Mean', ' Fwd IAT Std', ' Fwd IAT Max',
  ' Fwd IAT Min', 'Bwd IAT Total', ' Bwd IAT Mean', ' Bwd IAT Std', ' Bwd IAT Max', ' Bwd IAT Min', 'Fwd PSH Flags',
  ' Bwd PSH Flags', ' Fwd URG Flags', ' Bwd URG Flags', ' Fwd Header Length', ' Bwd Header Length', 'Fwd Packets/s',
  ' Bwd Packets/s', ' Min Packet Length', ' Max Packet Length', ' Packet Length Mean', ' Packet Length Std',
  ' Packet Length Variance', 'FIN Flag Count', ' SYN Flag Count', ' RST Flag Count', ' PSH Flag Count',
  ' ACK Flag Count', ' URG Flag Count', ' CWE Flag Count', ' ECE Flag Count', ' Down/Up Ratio', ' Average Packet Size',
  ' Avg Fwd Segment Size', ' Avg Bwd Segment Size', ' Fwd Header Length.1', 'Fwd Avg Bytes/Bulk',
  ' Fwd Avg Packets/Bulk', ' Fwd Avg Bulk Rate', ' Bwd Avg Bytes/Bulk', ' Bwd Avg Packets/Bulk', 'Bwd Avg Bulk Rate',
  'Subflow Fwd Packets', ' Subflow Fwd Bytes', ' Subflow Bwd Packets', ' Subflow Bwd Bytes', 'Init_Win_bytes_forward',
  ' Init_Win_bytes_backward', ' act_data_pkt_fwd', ' min_seg_size_forward', 'Active Mean', ' Active Std',
  ' Active Max', ' Active Min', 'Idle Mean', ' Idle Std', ' Idle Max', ' Idle Min',
] as const;
export const CICIDS_LABEL = ' Label';
export const WEB_BRUTE_FORCE = 'Web Attack \uFFFD Brute Force';

interface ClassModel {
  port: (r: Random) => number;
  /** ln(µs) mean and sd of the flow duration */
  dur: [number, number];
  fwdPk: [number, number];
  bwdPk: [number, number];
  /** ln(bytes) of the mean payload per packet */
  fwdLen: [number, number];
  bwdLen: [number, number];
  winF: number[];
  winB: number[];
  /** a TCP window value that replaces the others with probability p (a new client OS) */
  winFNew?: { value: number; p: number };
  /** probabilities of FIN, SYN, RST, PSH, ACK, URG */
  flags: [number, number, number, number, number, number];
  zeroDur: number;
}

const pick = <T>(r: Random, xs: readonly T[]): T => xs[r.int(xs.length)];

const CLASSES: Record<string, ClassModel> = {
  BENIGN: {
    port: (r) => {
      const u = r.next();
      return u < 0.4 ? 53 : u < 0.65 ? 443 : u < 0.8 ? 80 : u < 0.9 ? pick(r, [123, 137, 22, 8080, 389, 445, 139, 88]) : 1024 + r.int(64000);
    },
    dur: [11, 3],
    fwdPk: [1.2, 1.1],
    bwdPk: [1.0, 1.2],
    fwdLen: [3.8, 1.0],
    bwdLen: [4.8, 1.3],
    winF: [-1, 29200, 8192, 65535, 255, 26883],
    winB: [-1, 0, 229, 28960, 65160],
    flags: [0.1, 0.05, 0.01, 0.3, 0.35, 0.05],
    zeroDur: 0.003,
  },
  DDoS: {
    port: (r) => (r.next() < 0.99 ? 80 : 1024 + r.int(64000)),
    dur: [13.5, 1.2],
    fwdPk: [1.3, 0.4],
    bwdPk: [1.2, 0.6],
    fwdLen: [1.5, 0.8],
    bwdLen: [7.5, 0.6],
    winF: [8192, 256, 29200],
    winB: [229, 0, 235],
    flags: [0.02, 0.01, 0, 0.05, 0.6, 0.3],
    zeroDur: 0.002,
  },
  PortScan: {
    port: (r) => 1 + r.int(10000),
    dur: [3.5, 1.0],
    fwdPk: [0, 0.2],
    bwdPk: [0, 0.3],
    fwdLen: [-2, 1],
    bwdLen: [1.8, 0.3],
    winF: [1024, 29200, 512],
    winB: [0, -1],
    flags: [0, 0.02, 0.01, 0.02, 0.05, 0],
    zeroDur: 0.02,
  },
  'DoS Hulk': {
    port: () => 80,
    dur: [11, 2.5],
    fwdPk: [1.5, 0.6],
    bwdPk: [1.5, 0.6],
    fwdLen: [5.5, 0.5],
    bwdLen: [6.5, 1.5],
    winF: [29200, 251, 254],
    winB: [235, 0, -1],
    flags: [0.05, 0.02, 0, 0.6, 0.4, 0.1],
    zeroDur: 0.002,
  },
  Bot: {
    port: (r) => (r.next() < 0.6 ? 8080 : 1024 + r.int(64000)),
    dur: [11.5, 2],
    fwdPk: [1.2, 0.5],
    bwdPk: [1.0, 0.5],
    fwdLen: [4.5, 0.6],
    bwdLen: [4.2, 0.6],
    winF: [8192, 237],
    winB: [-1, 8192, 237],
    flags: [0.05, 0.02, 0, 0.5, 0.5, 0],
    zeroDur: 0.002,
  },
  [WEB_BRUTE_FORCE]: {
    port: () => 80,
    dur: [15, 1.2],
    fwdPk: [1.5, 0.4],
    bwdPk: [1.3, 0.4],
    fwdLen: [3, 0.5],
    bwdLen: [2.5, 0.8],
    winF: [29200],
    winB: [28960, 235],
    flags: [0.2, 0.02, 0, 0.7, 0.8, 0],
    zeroDur: 0.002,
  },
  'FTP-Patator': {
    port: () => 21,
    dur: [15, 1],
    fwdPk: [2.3, 0.3],
    bwdPk: [2.5, 0.3],
    fwdLen: [2.5, 0.4],
    bwdLen: [3.2, 0.4],
    winF: [29200],
    winB: [227],
    flags: [0.3, 0.02, 0, 0.9, 0.9, 0],
    zeroDur: 0.002,
  },
};

/** attack classes and their share among attacks */
const ATTACK_MIX: [string, number][] = [
  ['DDoS', 0.4],
  ['PortScan', 0.3],
  ['DoS Hulk', 0.15],
  ['Bot', 0.06],
  [WEB_BRUTE_FORCE, 0.04],
  ['FTP-Patator', 0.05],
];

export interface DemoCsvOptions {
  rows: number;
  seed: number;
  /** covariate drift, 0 none .. 1 severe */
  drift?: number;
  /** share of attack rows (default 0.3) */
  attackShare?: number;
  /** concept drift, 0 .. 1: share of volumetric attacks that imitate benign volumes */
  concept?: number;
}

/** Writes one labelled CICIDS-like CSV (atomically). */
export async function generateDemoCsv(file: string, opts: DemoCsvOptions): Promise<{ rows: number; classes: Record<string, number> }> {
  const r = new Random(opts.seed);
  const d = Math.max(0, Math.min(1.5, opts.drift ?? 0));
  const concept = Math.max(0, Math.min(1, opts.concept ?? 0));
  const attackShare = Math.max(0, Math.min(1, (opts.attackShare ?? 0.3) * (1 + 0.5 * d)));
  // the attack mix moves towards DDoS as drift grows
  const mix = ATTACK_MIX.map(([n, w]) => [n, n === 'DDoS' ? w * (1 + 2 * d) : n === 'PortScan' ? w * (1 - 0.6 * d) : w] as [string, number]);
  const mixTotal = mix.reduce((a, [, w]) => a + w, 0);
  const benign = driftedBenign(d);
  const counts: Record<string, number> = {};
  const row: (number | string)[] = new Array(CICIDS_FEATURES.length + 1);
  await CsvRowWriter.write(file, [...CICIDS_FEATURES, CICIDS_LABEL], async (w) => {
    for (let i = 0; i < opts.rows; i++) {
      let label = 'BENIGN';
      if (r.next() < attackShare) {
        let u = r.next() * mixTotal;
        for (const [n, wt] of mix) {
          label = n;
          if ((u -= wt) < 0) break;
        }
      }
      counts[label] = (counts[label] ?? 0) + 1;
      let m = label === 'BENIGN' ? benign : CLASSES[label];
      // a few attacks are indistinguishable from benign traffic: the irreducible error of the task
      if (label !== 'BENIGN' && r.next() < 0.015) m = benign;
      const evasive = (label === 'DDoS' || label === 'DoS Hulk') && r.next() < concept;
      flowRow(r, m, evasive ? benign : undefined, row);
      row[row.length - 1] = label;
      const flushing = w.writeRow(row);
      if (flushing) await flushing;
    }
  });
  return { rows: opts.rows, classes: counts };
}

/** Benign traffic under covariate drift: longer flows, bigger payloads, a new client TCP window, more HTTPS. */
function driftedBenign(d: number): ClassModel {
  const b = CLASSES.BENIGN;
  if (d === 0) return b;
  return {
    ...b,
    port: (r) => (r.next() < 0.25 * d ? 443 : b.port(r)),
    dur: [b.dur[0] + 1.4 * d, b.dur[1]],
    fwdPk: [b.fwdPk[0] + 0.4 * d, b.fwdPk[1]],
    fwdLen: [b.fwdLen[0] + 0.7 * d, b.fwdLen[1]],
    bwdLen: [b.bwdLen[0] - 0.6 * d, b.bwdLen[1] * (1 + 0.2 * d)],
    // a new client OS: its TCP window replaces part of the old ones
    winFNew: { value: 64240, p: 0.3 * d },
  };
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;
const logn = (r: Random, [mu, sd]: [number, number]) => Math.exp(r.normal(mu, sd));

/** Fills `out` with the 78 features of one flow drawn from `m` (volumes from `volume` when given). */
function flowRow(r: Random, m: ClassModel, volume: ClassModel | undefined, out: (number | string)[]): void {
  const v = volume ?? m;
  const port = m.port(r);
  const dur = r.next() < m.zeroDur ? 0 : Math.max(1, Math.round(logn(r, v.dur)));
  const nF = Math.max(1, Math.round(logn(r, v.fwdPk)));
  const nB = Math.max(0, Math.round(logn(r, v.bwdPk) - 0.3));
  const side = (n: number, len: [number, number]) => {
    if (n === 0) return { tot: 0, max: 0, min: 0, mean: 0, std: 0 };
    const mean = Math.max(0, Math.round(logn(r, len)));
    const std = n > 1 ? mean * (0.1 + 0.7 * r.next()) : 0;
    const max = Math.round(mean + std * (1 + 2 * r.next()));
    const min = Math.max(0, Math.round(mean - std * (0.5 + r.next())));
    return { tot: n * mean, max, min, mean, std: round6(std) };
  };
  const f = side(nF, v.fwdLen);
  const b = side(nB, v.bwdLen);
  const n = nF + nB;
  const bytes = f.tot + b.tot;
  const flowBytes = dur === 0 ? (bytes > 0 ? Infinity : NaN) : round6((bytes / dur) * 1e6);
  const flowPkts = dur === 0 ? (bytes > 0 ? Infinity : NaN) : round6((n / dur) * 1e6);
  const iat = (total: number, k: number) => {
    if (k <= 1 || total === 0) return [0, 0, 0, 0, 0];
    const mean = total / (k - 1);
    const std = mean * (0.2 + r.next());
    const max = Math.min(total, Math.round(mean + std * (1 + r.next())));
    const min = Math.max(0, Math.round(mean * r.next() * 0.5));
    return [Math.round(total), round6(mean), round6(std), max, min];
  };
  const flowIat = iat(dur, n);
  const fwdIat = iat(Math.round(dur * (0.6 + 0.4 * r.next())), nF);
  const bwdIat = iat(nB > 1 ? Math.round(dur * (0.5 + 0.5 * r.next())) : 0, nB);
  const hdr = pick(r, [20, 32, 40]);
  const fl = m.flags.map((p) => (r.next() < p ? 1 : 0));
  const pktMean = n > 0 ? round6(bytes / n) : 0;
  const pktStd = round6(Math.max(f.std, b.std, Math.abs(f.mean - b.mean) / 2));
  const minLen = nB > 0 ? Math.min(f.min, b.min) : f.min;
  const maxLen = Math.max(f.max, b.max);
  const long = dur > 5e6;
  const active = long ? Math.round(logn(r, [12, 1])) : 0;
  const idle = long ? Math.round(dur * (0.3 + 0.6 * r.next())) : 0;
  const perSec = (k: number) => round6((k / Math.max(dur, 1)) * 1e6);
  const vals: number[] = [
    port, dur, nF, nB, f.tot, b.tot, f.max, f.min, f.mean, f.std, b.max, b.min, b.mean, b.std, flowBytes, flowPkts,
    flowIat[1], flowIat[2], flowIat[3], flowIat[4], fwdIat[0], fwdIat[1], fwdIat[2], fwdIat[3], fwdIat[4],
    bwdIat[0], bwdIat[1], bwdIat[2], bwdIat[3], bwdIat[4],
    fl[3], 0, fl[5] && r.next() < 0.1 ? 1 : 0, 0, nF * hdr, nB * hdr, perSec(nF), perSec(nB),
    minLen, maxLen, pktMean, pktStd, round6(pktStd * pktStd),
    fl[0], fl[1], fl[2], fl[3], fl[4], fl[5], 0, fl[2] && r.next() < 0.5 ? 1 : 0,
    nF > 0 ? Math.floor(nB / nF) : 0, n > 1 ? round6((bytes / n) * (n / (n - 1))) : pktMean, f.mean, b.mean, nF * hdr,
    0, 0, 0, 0, 0, 0,
    nF, f.tot, nB, b.tot, m.winFNew && r.next() < m.winFNew.p ? m.winFNew.value : pick(r, m.winF), pick(r, m.winB), Math.floor(nF * r.next() * (f.mean > 0 ? 1 : 0)), hdr,
    active, long ? round6(active * 0.3 * r.next()) : 0, long ? Math.round(active * 1.5) : 0, long ? Math.round(active * 0.5) : 0,
    idle, long ? round6(idle * 0.2 * r.next()) : 0, long ? Math.round(idle * 1.3) : 0, long ? Math.round(idle * 0.7) : 0,
  ];
  for (let k = 0; k < vals.length; k++) out[k] = vals[k];
}

/** Drift settings of the demo batches (tuned so PSI lands in the documented bands, see test/unit/data). */
export const DEMO_DRIFT = { none: 0, moderate: 0.7, severe: 1 } as const;
/**
 * Concept drift of the severe batch: part of its DoS traffic turns evasive, so the production model's realised
 * accuracy falls and retraining pays; covariate drift alone rightly leaves a good model in place.
 */
const SEVERE_CONCEPT = 0.3;

export interface DemoDataFiles {
  baseline: string;
  /** labelled files the holdout is sampled from; never used for training, so validation is honest */
  holdoutPool: string[];
  batches: { none: string; moderate: string; severe: string };
  files: string[];
}

/** Baseline, a holdout pool (its own folder) and three current batches (no / moderate / severe drift, the severe one with evasive attacks) in `dir`. */
export async function writeDemoData(
  dir: string,
  opts: { seed?: number; baselineRows?: number; holdoutRows?: number; batchRows?: number } = {},
): Promise<DemoDataFiles> {
  const seed = opts.seed ?? 2017;
  fs.mkdirSync(path.join(dir, 'holdout-pool'), { recursive: true });
  const baseline = path.join(dir, 'baseline.csv');
  const holdoutPool = [path.join(dir, 'holdout-pool', 'flows_day1.csv'), path.join(dir, 'holdout-pool', 'flows_day2.csv')];
  const batches = {
    none: path.join(dir, 'batch_none.csv'),
    moderate: path.join(dir, 'batch_moderate.csv'),
    severe: path.join(dir, 'batch_severe.csv'),
  };
  await generateDemoCsv(baseline, { rows: opts.baselineRows ?? 20000, seed });
  for (const [i, f] of holdoutPool.entries()) await generateDemoCsv(f, { rows: opts.holdoutRows ?? 8000, seed: seed + 10 + i });
  const rows = opts.batchRows ?? 10000;
  await generateDemoCsv(batches.none, { rows, seed: seed + 2, drift: DEMO_DRIFT.none });
  await generateDemoCsv(batches.moderate, { rows, seed: seed + 3, drift: DEMO_DRIFT.moderate });
  await generateDemoCsv(batches.severe, { rows, seed: seed + 4, drift: DEMO_DRIFT.severe, concept: SEVERE_CONCEPT });
  return { baseline, holdoutPool, batches, files: [baseline, ...holdoutPool, batches.none, batches.moderate, batches.severe] };
}

export interface DemoStreamBatch {
  file: string;
  index: number;
  drift: number;
  concept: number;
}

/**
 * Time-ordered labelled batches `batch_000.csv …`: a stable stretch (the first 40 %, no drift), then covariate and
 * concept drift grow gradually (to 65 %), then jump (a new evasive attack wave), so a model trained on batch 0
 * loses accuracy over time and retraining only pays once the data moves. Batch 0, the initial training data, has
 * `initialRows` rows (default 4 × rows, as a model starts from a larger baseline). Writes `stream.json`.
 */
export async function writeDemoStream(
  dir: string,
  opts: { batches?: number; seed?: number; rows?: number; initialRows?: number } = {},
): Promise<{ files: string[]; schedule: DemoStreamBatch[] }> {
  const n = Math.max(2, opts.batches ?? 12);
  const seed = opts.seed ?? 4242;
  const rows = opts.rows ?? 2000;
  fs.mkdirSync(dir, { recursive: true });
  const stable = Math.max(1, Math.round(0.4 * n));
  const jump = Math.max(stable + 1, Math.round(0.65 * n));
  const schedule: DemoStreamBatch[] = [];
  for (let k = 0; k < n; k++) {
    const gradual = k < stable ? 0 : k < jump ? (k - stable + 1) / (jump - stable) : 1;
    const sudden = k >= jump;
    const drift = sudden ? 1.2 : 0.9 * gradual;
    const concept = sudden ? 0.8 : 0.3 * gradual;
    const file = path.join(dir, `batch_${String(k).padStart(3, '0')}.csv`);
    await generateDemoCsv(file, { rows: k === 0 ? (opts.initialRows ?? 4 * rows) : rows, seed: seed + k, drift, concept });
    schedule.push({ file, index: k, drift: Math.round(drift * 1000) / 1000, concept: Math.round(concept * 1000) / 1000 });
  }
  writeJsonAtomic(path.join(dir, 'stream.json'), { batches: schedule.map((s) => ({ ...s, file: path.basename(s.file) })) });
  return { files: schedule.map((s) => s.file), schedule };
}
