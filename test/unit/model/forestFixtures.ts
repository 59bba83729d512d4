/**
 * CICIDS-like synthetic flows for the forest tests and benchmark: 78 numeric features with padded header
 * names, a mix of heavy-tailed, integer, mostly-zero and pure-noise columns, labels BENIGN/DDoS/PortScan and
 * a few percent label noise, so accuracy lands in the high nineties as on the real data, not at 100 %.
 */
import * as fs from 'node:fs';
import { Random } from '../../../src/core/util/random';

export const CLASSES = ['BENIGN', 'DDoS', 'PortScan'];
const NAMED = [' Destination Port', ' Flow Duration', ' Total Fwd Packets', ' Total Backward Packets', 'Total Length of Fwd Packets'];

export interface FlowData {
  header: string[];
  X: Float64Array[];
  /** class index into CLASSES */
  y: Int32Array;
}

export function generateFlows(rows: number, seed: number, nFeatures = 78, labelNoise = 0.03): FlowData {
  const rng = new Random(seed, 7);
  const u = (): number => (rng.nextUint32() + 0.5) / 4294967296;
  const normal = (): number => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const header = Array.from({ length: nFeatures }, (_, f) => NAMED[f] ?? ` Feature ${f + 1}`);
  // per feature and class: a shift of the log-scale mean; a third of the features carry no signal
  const effect = Array.from({ length: nFeatures }, (_, f) =>
    f % 3 === 2 ? [0, 0, 0] : [0, (u() - 0.5) * 3, (u() - 0.5) * 3],
  );
  const X = Array.from({ length: nFeatures }, () => new Float64Array(rows));
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const r = u();
    const c = r < 0.6 ? 0 : r < 0.85 ? 1 : 2;
    for (let f = 0; f < nFeatures; f++) {
      const z = normal() + effect[f][c];
      switch (f % 4) {
        case 0:
          X[f][i] = Math.round(Math.exp(2 + z) * 1000) / 1000;
          break;
        case 1:
          X[f][i] = Math.floor(Math.exp(1 + z * 0.8));
          break;
        case 2:
          X[f][i] = u() < 0.7 ? 0 : Math.round(Math.exp(3 + z));
          break;
        default:
          X[f][i] = Math.round(z * 1e4) / 1e4;
      }
    }
    y[i] = u() < labelNoise ? rng.int(3) : c;
  }
  return { header, X, y };
}

/** Rows [from, to) as a CICIDS-style CSV (label column ` Label`, padded like the real files). */
export function writeFlowsCsv(file: string, d: FlowData, from = 0, to = d.y.length): void {
  const lines = [[...d.header, ' Label'].join(',')];
  for (let i = from; i < to; i++) {
    const row: string[] = d.X.map((col) => String(col[i]));
    row.push(CLASSES[d.y[i]]);
    lines.push(row.join(','));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

/** Trivial reader for the CSVs written above: numeric features, label by name in the last column. */
export function readFlowsCsv(file: string): { X: Float64Array[]; labels: string[] } {
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const nCols = lines[0].split(',').length - 1;
  const n = lines.length - 1;
  const X = Array.from({ length: nCols }, () => new Float64Array(n));
  const labels: string[] = [];
  for (let i = 0; i < n; i++) {
    const cells = lines[i + 1].split(',');
    for (let f = 0; f < nCols; f++) X[f][i] = Number(cells[f]);
    labels.push(cells[nCols]);
  }
  return { X, labels };
}

/** Column slice [from, to) of every feature. */
export function sliceRows(X: Float64Array[], from: number, to: number): Float64Array[] {
  return X.map((c) => c.subarray(from, to));
}
