/**
 * Seeded mixed tables for the benches: numeric columns with 5 % missing cells, categorical columns with 4–40
 * categories (3 % missing); the class depends on a few of each, with label noise. `flip` turns that share of the
 * labels round (concept drift: the same inputs, another answer).
 */
import * as fs from 'node:fs';
import { Random } from '../../src/core/util/random';

export interface Shape {
  name: string;
  rows: number;
  numeric: number;
  categorical: number;
}

/** Writes `rows` rows of the shape's table (the same seed gives the same file). */
export function writeTable(file: string, s: Shape, rows: number, seed: number, flip = 0): void {
  const r = new Random(seed, 11);
  const u = (): number => r.nextUint32() / 2 ** 32;
  const cards = Array.from({ length: s.categorical }, (_, c) => 4 + ((c * 7) % 37));
  const header = [...Array.from({ length: s.numeric }, (_, f) => `x${f}`), ...cards.map((_, c) => `cat${c}`), 'label'];
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, header.join(',') + '\n');
  let chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    const cells: string[] = new Array(header.length);
    let score = 0;
    for (let f = 0; f < s.numeric; f++) {
      const v = u();
      if (f < 6) score += f % 2 ? v : -v;
      cells[f] = u() < 0.05 ? '' : (v * 100).toFixed(3);
    }
    for (let c = 0; c < s.categorical; c++) {
      const k = r.int(cards[c]);
      if (c < 3) score += (k * 13) % cards[c] < cards[c] / 2 ? 0.5 : -0.5;
      cells[s.numeric + c] = u() < 0.03 ? '' : `v${k}`;
    }
    const yes = score + (u() - 0.5) * 0.8 > 0;
    cells[header.length - 1] = (flip > 0 && u() < flip ? !yes : yes) ? 'yes' : 'no';
    chunk.push(cells.join(','));
    if (chunk.length === 2000) {
      fs.writeSync(fd, chunk.join('\n') + '\n');
      chunk = [];
    }
  }
  if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
  fs.closeSync(fd);
}
