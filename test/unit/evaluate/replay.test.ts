import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LabelVault } from '../../../src/core/evaluate/labelVault';
import { loadStream, type ReplayStream } from '../../../src/core/evaluate/stream';
import { calibrationSet, MIN_CALIBRATION_ROWS, replaySettings, trainOnSeen, type ReplayModel, type ReplaySettings } from '../../../src/core/evaluate/replayModel';
import { replayPolicy } from '../../../src/core/evaluate/replay';
import { POLICIES, type RetrainPolicy } from '../../../src/core/evaluate/policies';
import { evaluateStream } from '../../../src/core/evaluate/evaluateStream';
import type { EngineContext } from '../../../src/core/engine';
import { FAST, TINY_SHIFT_AT, tempDir, testContext, writeTinyStream } from './fixtures';
import { Random } from '../../../src/core/util/random';

describe('evaluate: prequential replay on a tiny stream', function () {
  let root: string;
  let ctx: EngineContext;
  let stream: ReplayStream;
  let s: ReplaySettings;
  let initial: ReplayModel;

  /** The stream, with every vault a replay opens kept for inspection. */
  function spied(): { stream: ReplayStream; vaults: LabelVault[] } {
    const vaults: LabelVault[] = [];
    return {
      vaults,
      stream: {
        ...stream,
        openVault: () => {
          const v = stream.openVault();
          vaults.push(v);
          return v;
        },
      },
    };
  }

  before(async () => {
    root = tempDir();
    writeTinyStream(path.join(root, 'stream'));
    ctx = testContext(root);
    s = replaySettings(ctx.config, FAST);
    stream = await loadStream(path.join(root, 'stream'));
    initial = await trainOnSeen(stream, stream.openVault(), 0, s);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads the batches in name order with the labels kept out of them', () => {
    assert.deepEqual(stream.batches.map((b) => path.basename(b.file)), ['batch_0.csv', 'batch_1.csv', 'batch_2.csv', 'batch_3.csv']);
    assert.deepEqual(stream.classes, ['BENIGN', 'ATTACK']);
    assert.equal('y' in stream.batches[1].data, false);
  });

  it('no label leakage: a batch is scored before its labels are read, and a retrain at t reads batches 0..t only', async () => {
    const seenAtDecision: { t: number; scored: boolean; next: boolean }[] = [];
    const { stream: st, vaults } = spied();
    const spy: RetrainPolicy = {
      name: 'always',
      async decide(_ctx, input) {
        const v = vaults[0];
        seenAtDecision.push({ t: input.batch, scored: v.isReleased(input.batch), next: input.batch + 1 < v.batches && v.isReleased(input.batch + 1) });
        return { retrain: true, reason: 'spy' };
      },
    };
    await replayPolicy(ctx, st, spy, initial, s);
    assert.equal(vaults.length, 1);
    const events = vaults[0].events;
    // the policy decides after batch t was scored and before t + 1 was
    assert.deepEqual(seenAtDecision, [1, 2, 3].map((t) => ({ t, scored: true, next: false })));
    for (let t = 1; t < stream.batches.length; t++) {
      const scoredAt = events.findIndex((e) => e.kind === 'score' && e.batch === t);
      const firstRead = events.findIndex((e) => e.kind === 'labels' && e.batch === t);
      assert.ok(scoredAt >= 0 && firstRead > scoredAt, `batch ${t}: scored at event ${scoredAt}, labels first read at ${firstRead}`);
      // between scoring t and scoring t + 1 (the retrain at step t), only batches 0..t are read, each once
      const nextScore = events.findIndex((e) => e.kind === 'score' && e.batch === t + 1);
      const window = events.slice(scoredAt + 1, nextScore < 0 ? undefined : nextScore);
      assert.deepEqual(window.map((e) => e.batch), Array.from({ length: t + 1 }, (_, k) => k));
    }
  });

  it('the policy sees the previous batch\'s realised accuracy, only while the model that predicted it is deployed', async () => {
    const seen: { t: number; realised: string | null; accuracy?: number; model: number }[] = [];
    const spy: RetrainPolicy = {
      name: 'always',
      async decide(_ctx, input) {
        seen.push({ t: input.batch, realised: input.realised?.source ?? null, accuracy: input.realised?.accuracy, model: input.deployed.trainedAt });
        return { retrain: input.batch === 2, reason: 'spy' };
      },
    };
    const run = await replayPolicy(ctx, stream, spy, initial, s);
    // batch 1: nothing labelled yet; batch 2: batch 1's score by the initial model
    assert.equal(seen[0].realised, null);
    assert.equal(seen[1].realised, path.basename(stream.batches[1].file));
    assert.equal(seen[1].accuracy, run.steps[0].accuracy);
    // after the retrain at 2 is deployed, batch 2 was predicted by a model no longer in production
    assert.equal(run.steps[1].deployed, true, 'the tiny stream shifts: the retrain at 2 is deployed');
    assert.equal(seen[2].model, 2);
    assert.equal(seen[2].realised, null);
  });

  it('never retrains nothing; always retrains after every batch; the retrained models recover after the shift', async () => {
    const never = await replayPolicy(ctx, stream, POLICIES.never, initial, s);
    const always = await replayPolicy(ctx, stream, POLICIES.always, initial, s);
    assert.deepEqual(never.steps.map((x) => x.retrain), [false, false, false]);
    assert.deepEqual(never.steps.map((x) => x.file), ['batch_1.csv', 'batch_2.csv', 'batch_3.csv'], 'batches named without machine paths');
    assert.deepEqual(always.steps.map((x) => x.retrain), [true, true, true]);
    assert.equal(never.steps.filter((x) => x.train_seconds !== undefined).length, 0);
    assert.equal(always.steps.filter((x) => typeof x.train_seconds === 'number').length, 3);
    // the same model predicts until a retrain: identical accuracy up to and including the shift batch
    assert.equal(always.steps[0].accuracy, never.steps[0].accuracy);
    assert.ok(never.steps[TINY_SHIFT_AT - 1].accuracy < 0.8, `the stale model on the shifted batch: ${never.steps[TINY_SHIFT_AT - 1].accuracy}`);
    // batch 3 is predicted by a model that saw batch 2
    assert.equal(always.steps[2].model_from_batch, always.steps[1].deployed ? 2 : 1);
    assert.ok(always.steps[1].deployed, `gate: ${always.steps[1].gate_failed?.join(', ')}`);
    assert.ok(always.steps[2].accuracy > never.steps[2].accuracy + 0.1, `${always.steps[2].accuracy} vs ${never.steps[2].accuracy}`);
  });

  it('psi and agent keep the model while nothing drifts and retrain when the stream shifts', async () => {
    for (const name of ['psi', 'agent'] as const) {
      const run = await replayPolicy(ctx, stream, POLICIES[name], initial, s);
      assert.equal(run.steps[0].retrain, false, `${name} at batch 1: ${run.steps[0].reason}`);
      assert.equal(run.steps[1].retrain, true, `${name} at batch 2: ${run.steps[1].reason}`);
      assert.equal(run.steps[1].severity, 'severe');
    }
    const agent = await replayPolicy(ctx, stream, POLICIES.agent, initial, s);
    assert.match(agent.steps[0].reason, /^MONITOR \(policy\)/);
    assert.match(agent.steps[1].reason, /^RETRAIN(_URGENT)? \(policy\)/);
  });

  it('evaluateStream reports every policy and leaves the workspace untouched', async () => {
    const r = await evaluateStream(ctx, { stream: 'stream', policies: ['never', 'always'], costPerRetrain: 0.01, settings: FAST });
    assert.deepEqual(r.summary.map((p) => [p.policy, p.retrains, p.batches]), [['never', 0, 3], ['always', 3, 3]]);
    const always = r.summary[1];
    assert.ok(Math.abs(always.cost_adjusted - (always.mean_accuracy - 0.01 * 3)) < 1e-12);
    assert.equal(fs.existsSync(path.join(root, '.driftcatcher')), false);
    assert.equal(fs.existsSync(path.join(root, 'mlruns')), false);
  });

  it('the estimate calibrates on the newest held-out rows and, once labels arrive, corrects its bias for the same model only', async () => {
    const model = await trainOnSeen(stream, stream.openVault(), 0, s);
    const later = await trainOnSeen(stream, (() => {
      const v = stream.openVault();
      for (let t = 1; t <= 2; t++) v.score(t, new Int32Array(stream.batches[t].data.rows));
      return v;
    })(), 2, s);
    // 150 held-out rows per batch: fewer than MIN_CALIBRATION_ROWS, so the batch before the newest joins in
    const perBatch = later.holdout.y.length / 3;
    assert.equal(calibrationSet(later, 2).y.length, 2 * perBatch);
    assert.ok(2 * perBatch >= MIN_CALIBRATION_ROWS && perBatch < MIN_CALIBRATION_ROWS);
    assert.equal(calibrationSet(model, 2).y.length, model.holdout.y.length);

    const never = await replayPolicy(ctx, stream, POLICIES.never, initial, s);
    const [first, second, third] = never.steps;
    assert.equal(first.cbpe_accuracy, undefined, 'no labelled batch yet: the plain CBPE figure');
    assert.notEqual(second.cbpe_accuracy, undefined);
    // after the shift, the concept change CBPE cannot see shows in batch 2's labels; batch 3's estimate learns from it
    const cbpeErr = Math.abs(third.accuracy - third.cbpe_accuracy!);
    assert.ok(cbpeErr > 0.03, `CBPE alone misses the shift by ${cbpeErr}`);
    assert.ok(Math.abs(third.estimate_error!) < cbpeErr / 2, `corrected error ${third.estimate_error} vs CBPE ${cbpeErr}`);
    // a deploy starts the new model from its own calibration, corrected at most by the replaced model's trend
    const always = await replayPolicy(ctx, stream, POLICIES.always, initial, s);
    for (const st of always.steps) {
      if (st.model_from_batch === st.batch - 1 && st.batch > 1) assert.ok(st.cbpe_accuracy === undefined || st.bias_forecast === 'carried trend', JSON.stringify(st));
    }
  });

  it('a model deployed while the old one\'s trend was in force starts one slope off CBPE, closer to what its labels show', async () => {
    // a concept that moves further every batch: ATTACK when a > θ, θ = 0.05 k² (the batch-0 model keeps θ = 0)
    const dir = path.join(root, 'trend');
    fs.mkdirSync(dir, { recursive: true });
    for (let k = 0; k < 8; k++) {
      const r = new Random(300 + k);
      const lines = ['a,b,Label'];
      for (let i = 0; i < 1500; i++) {
        const a = r.normal(0, 1.5);
        lines.push(`${a.toFixed(4)},${r.normal(0, 1).toFixed(4)},${a > 0.05 * k * k ? 'ATTACK' : 'BENIGN'}`);
      }
      fs.writeFileSync(path.join(dir, `batch_${k}.csv`), lines.join('\n') + '\n');
    }
    const drifting = await loadStream(dir);
    const first = await trainOnSeen(drifting, drifting.openVault(), 0, s);
    const retrainAt = 5;
    const once: RetrainPolicy = { name: 'always', decide: async (_ctx, input) => ({ retrain: input.batch === retrainAt, reason: 'test' }) };
    const run = await replayPolicy(ctx, drifting, once, first, s);
    const at = (b: number) => run.steps.find((x) => x.batch === b)!;
    assert.equal(at(retrainAt).bias_forecast, 'trend', JSON.stringify(at(retrainAt)));
    assert.equal(at(retrainAt).deployed, true, JSON.stringify(at(retrainAt).gate_failed));
    const next = at(retrainAt + 1);
    assert.equal(next.model_from_batch, retrainAt);
    assert.equal(next.bias_forecast, 'carried trend');
    assert.ok(next.estimated_accuracy! < next.cbpe_accuracy!, 'the concept keeps moving the way it moved');
    assert.ok(Math.abs(next.estimate_error!) < Math.abs(next.accuracy - next.cbpe_accuracy!), JSON.stringify(next));
    // the new model's own labels take over from the next batch on
    assert.notEqual(at(retrainAt + 2).bias_forecast, 'carried trend');
  });
});
