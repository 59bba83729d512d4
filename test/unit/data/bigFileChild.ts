// Child process of bigFile.test.ts: streams one CSV and reports rows, Infinity count and its own RSS growth,
// so the measurement is the reader's alone (not the heap earlier tests left in the mocha process).
import { streamCsv } from '../../../src/core/data/csvReader';

async function main(): Promise<void> {
  const file = process.argv[2];
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  let rows = 0;
  let inf = 0;
  const res = await streamCsv(file, {}, (b) => {
    rows += b.rowCount;
    const col = b.numbers[2];
    for (let i = 0; i < b.rowCount; i++) if (col[i] === Infinity) inf++;
    peak = Math.max(peak, process.memoryUsage().rss);
  });
  process.stdout.write(JSON.stringify({ rows, resRows: res.rows, bytes: res.bytes, inf, growthMb: (peak - rss0) / 1e6 }));
}

void main();
