import * as fs from 'node:fs';
import * as path from 'node:path';
import { Random, shuffle } from '../../../src/core/util/random';

/**
 * Small labelled CSVs for the model tests: CICIDS-style padded headers, two informative features and one
 * noise feature, BENIGN vs DDoS (and PortScan when asked), a few Infinity/NaN rows that cleaning must drop.
 */
export interface GenOptions {
  rows: number;
  seed?: number;
  /** shift added to the informative features (drift) */
  shift?: number;
  classes?: string[];
  /** rows (at the start) with an Infinity or NaN cell */
  dirtyRows?: number;
  /** shuffle the labels: a model trained on this learns nothing */
  shuffleLabels?: boolean;
}

export function writeFlows(file: string, o: GenOptions): void {
  const rng = new Random(o.seed ?? 1);
  const classes = o.classes ?? ['BENIGN', 'DDoS'];
  const lines = [' Flow Duration, Total Fwd Packets, Noise,Label'];
  const labels: string[] = [];
  const feats: string[] = [];
  for (let i = 0; i < o.rows; i++) {
    const c = i % 3 === 0 ? 1 + (i % 2) * (classes.length - 2) : 0; // about 1/3 attacks
    const cls = Math.min(c, classes.length - 1);
    const a = rng.normal(cls * 3 + (o.shift ?? 0), 1);
    const b = rng.normal(-cls * 2, 1);
    const noise = rng.normal(0, 1);
    let fa = a.toFixed(4);
    if (i < (o.dirtyRows ?? 0)) fa = i % 2 ? 'Infinity' : 'NaN';
    feats.push(`${fa},${b.toFixed(4)},${noise.toFixed(4)}`);
    labels.push(classes[cls]);
  }
  if (o.shuffleLabels) shuffle(labels, rng);
  for (let i = 0; i < o.rows; i++) lines.push(`${feats[i]},${labels[i]}`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join('\n') + '\n');
}
