import * as assert from 'node:assert/strict';
import type { ReplayRun, ReplayStep } from '../../../src/core/evaluate/replay';
import { costAdjusted, DEFAULT_COST_PER_RETRAIN, summarise } from '../../../src/core/evaluate/summary';
import { breakEvenCost } from '../../../src/core/evaluate/format';
import { accuracySvg, escapeXml } from '../../../src/core/evaluate/plot';

function step(batch: number, accuracy: number, retrain: boolean, deployed?: boolean, seconds?: number): ReplayStep {
  return {
    batch, file: `b${batch}.csv`, rows: 100, accuracy, model_from_batch: 0, psi_mean: 0, psi_max: 0, severity: 'none',
    estimated_accuracy: null, retrain, reason: '', ...(retrain ? { deployed, train_seconds: seconds } : {}),
  };
}

describe('evaluate: bookkeeping and report', () => {
  const run: ReplayRun = {
    policy: 'agent',
    steps: [step(1, 0.9, false), step(2, 0.7, true, true, 1.5), step(3, 0.8, true, false, 2), step(4, 0.95, false)],
  };

  it('counts retrains, deploys and training seconds; mean and worst accuracy', () => {
    const s = summarise(run, 0.02);
    assert.equal(s.batches, 4);
    assert.equal(s.retrains, 2);
    assert.equal(s.deploys, 1);
    assert.equal(s.train_seconds, 3.5);
    assert.ok(Math.abs(s.mean_accuracy - 0.8375) < 1e-12);
    assert.equal(s.min_accuracy, 0.7);
    assert.deepEqual(s.accuracy, [0.9, 0.7, 0.8, 0.95]);
  });

  it('cost-adjusted score = mean accuracy − cost × retrains', () => {
    assert.ok(Math.abs(summarise(run, 0.02).cost_adjusted - (0.8375 - 0.02 * 2)) < 1e-12);
    assert.ok(Math.abs(costAdjusted(0.9, 10, DEFAULT_COST_PER_RETRAIN) - 0.85) < 1e-12);
    assert.equal(costAdjusted(0.9, 0, 1), 0.9);
  });

  it('break-even cost: where two policies score the same', () => {
    const always = { ...summarise({ policy: 'always', steps: run.steps.map((x) => ({ ...x, retrain: true })) }, 0), mean_accuracy: 0.9 };
    const agent = { ...summarise(run, 0), mean_accuracy: 0.88 };
    const be = breakEvenCost(always, agent)!;
    assert.ok(Math.abs(be - 0.02 / 2) < 1e-12);
    assert.ok(Math.abs(costAdjusted(always.mean_accuracy, 4, be) - costAdjusted(agent.mean_accuracy, 2, be)) < 1e-12);
    assert.equal(breakEvenCost(agent, agent), null);
  });

  it('plots one line per policy, rings at deployed retrains, and escapes text', () => {
    const s = { ...summarise(run, 0), policy: 'a<b>&"c"' };
    const svg = accuracySvg([s], [{ ...run, policy: s.policy }], 'T <script>');
    assert.equal((svg.match(/<polyline /g) ?? []).length, 1);
    assert.equal((svg.match(/<circle /g) ?? []).length, 2); // one deployed retrain + the legend's ring
    assert.ok(svg.includes('T &lt;script&gt;'));
    assert.ok(svg.includes('a&lt;b&gt;&amp;&quot;c&quot;'));
    assert.ok(!svg.includes('<script>'));
    assert.equal(escapeXml(`'`), '&apos;');
  });
});
