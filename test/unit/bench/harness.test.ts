import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cachedData, fmtStat, parseBenchOptions } from '../../../bench/lib/harness';
import { median, pairedRatio, summarize, summarizeSamples } from '../../../bench/lib/stats';

describe('bench harness: repetitions, medians and spreads', () => {
  it('median and min–max of odd and even run counts', () => {
    assert.deepEqual(summarize([3, 1, 2]), { median: 2, min: 1, max: 3, runs: [3, 1, 2] });
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([])));
  });

  it('summarizes each metric of the runs, skipping non-finite values', () => {
    const s = summarizeSamples([{ wall_s: 2, rss: 10 }, { wall_s: 4, rss: NaN }, { wall_s: 3 }]);
    assert.deepEqual(s.wall_s, { median: 3, min: 2, max: 4, runs: [2, 4, 3] });
    assert.deepEqual(s.rss.runs, [10]);
  });

  it('ratios pair the runs of one repetition before summarizing', () => {
    // load doubled in run 2 for both sides: paired ratios stay 2, the ratio of medians would not show that
    const ours = summarize([1, 2, 1.1]);
    const theirs = summarize([2, 4, 2.2]);
    const r = pairedRatio(theirs, ours);
    assert.deepEqual(r.runs, [2, 2, 2]);
    assert.equal(r.min, r.max);
  });

  it('a full run needs at least 3 repetitions; quick mode may use fewer', () => {
    assert.deepEqual(parseBenchOptions([]), { quick: false, runs: 3 });
    assert.throws(() => parseBenchOptions(['--runs', '2']), /at least 3 times/);
    assert.deepEqual(parseBenchOptions(['--quick', '--runs', '1']), { quick: true, runs: 1 });
    assert.throws(() => parseBenchOptions(['--runs', 'x']), /whole number/);
  });

  it('prints the median with its spread, and one value when the runs agree', () => {
    assert.equal(fmtStat(summarize([3.2, 2.95, 3.03])), '3.03 (2.95–3.20)');
    assert.equal(fmtStat(summarize([0.9, 0.9, 0.9])), '0.90');
    assert.equal(fmtStat(summarize([1.4, 1.3, 1.6]), 0), '1.4 (1.3–1.6)');
    assert.equal(fmtStat(undefined), '–');
  });

  it('a generated input is made again when its generator changed, or when it has no stamp', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-benchdata-'));
    try {
      const file = path.join(dir, 'input.csv');
      let made = 0;
      const make = async (f: string) => void fs.writeFileSync(f, `x\n${++made}\n`);
      await cachedData(file, 'gen-a', make);
      await cachedData(file, 'gen-a', make);
      assert.equal(made, 1);
      await cachedData(file, 'gen-b', make);
      assert.equal(made, 2);
      assert.equal(fs.readFileSync(file, 'utf8'), 'x\n2\n');
      fs.rmSync(`${file}.made-by`);
      await cachedData(file, 'gen-b', make);
      assert.equal(made, 3);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['input.csv', 'input.csv.made-by']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
