import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { simulate } from '../../../src/core/agent/twin';
import { runAgent } from '../../../src/core/agent/runAgent';
import { deploy } from '../../../src/core/model/deploy';
import { trainModel as train } from '../../../src/core/pipeline/training';
import { validate } from '../../../src/core/model/validate';
import { runCli } from '../../../src/core/cli/main';
import { stateDir } from '../../../src/core/config';
import type { SimulationStep } from '../../../src/core/protocol';
import { FakeTools, hashTree, makeCtx, report, sha256, tempWorkspace, writeCsv } from './fakes';
import { uniform } from '../../../src/core/util/random';

const rng = uniform;

/** Small CICIDS-like CSV: padded names, label from f1 (+ noise); `shift` moves every feature, the informative f1 included. */
function flows(file: string, rows: number, seed: number, shift = 0): string {
  const r = rng(seed);
  const lines = [' Flow Duration, Fwd Packets, Bwd Packets, Idle Mean, Label'];
  for (let i = 0; i < rows; i++) {
    const attack = r() < 0.4;
    const f1 = (attack ? 5 : 1) + r() * 3 + shift;
    lines.push([f1.toFixed(3), (r() * 10 + shift).toFixed(3), (r() * 10 + shift * 2).toFixed(3), (r() * 4 + shift).toFixed(3), attack ? 'DDoS' : 'BENIGN'].join(','));
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function guarded(ws: string): Record<string, string> {
  const h = hashTree(stateDir(ws));
  for (const f of ['base.csv', 'holdout.csv', 'current.csv']) h[f] = sha256(path.join(ws, f));
  // tracked runs too: a simulation logs its runs in the sandbox, never in the user's mlruns
  for (const [k, v] of Object.entries(hashTree(path.join(ws, 'mlruns')))) h[`mlruns/${k}`] = v;
  return h;
}

describe('digital twin', () => {
  it('real engine: runs drift → reason → retrain → validate → deploy in a sandbox; registry and baseline byte-identical', async () => {
    const ws = tempWorkspace();
    flows(path.join(ws, 'base.csv'), 600, 1);
    flows(path.join(ws, 'holdout.csv'), 200, 2);
    flows(path.join(ws, 'current.csv'), 300, 3, 8);
    // both models are perfect on this data: a candidate that ties production is let through (min_absolute_change 0) so the loop reaches deploy
    const ctx = makeCtx(ws, { training: { trees: 8 }, dataset: 'CICIDS2017', validation: { metrics: { balanced_accuracy: { min_absolute_change: 0 } } } });
    const v1 = await train(ctx, { baseData: 'base.csv' });
    assert.equal((await validate(ctx, { version: v1.version, holdout: 'holdout.csv' })).passed, true);
    await deploy(ctx, { version: v1.version });
    const before = guarded(ws);
    ctx.notes.length = 0;

    const sim = await simulate(ctx, { current: 'current.csv' });

    assert.ok(['RETRAIN', 'RETRAIN_URGENT'].includes(sim.decision.action), sim.decision.rationale);
    const names = sim.steps.map((s) => s.name);
    assert.deepEqual(names, ['check_drift', 'reason', 'retrain_model', 'validate_model', 'deploy_model', 'version_baseline', 'notify']);
    assert.ok(sim.steps.every((s) => s.status === 'completed' && s.seconds >= 0), JSON.stringify(sim.steps));
    assert.equal(sim.plan.status, 'completed');
    assert.equal(sim.validation?.passed, true);
    assert.ok(sim.candidate_metrics && sim.production_metrics);
    assert.ok(sim.would_change[0] === 'production would switch from v1 to v2', sim.would_change.join('\n'));
    assert.ok(sim.would_change.some((w) => /^accuracy .* → /.test(w)));
    // like with like: all rows of v1's cleaned training data (train + test split) against all of v2's
    const rows = sim.would_change.find((w) => w.startsWith('training data '));
    const v2 = sim.plan.steps.find((s) => s.tool === 'retrain_model')?.result as { rows: number };
    assert.equal(rows, `training data ${v1.rows} → ${v2.rows} rows (the new baseline for drift checks)`);
    // the sandbox stands for the workspace: its temporary folder never shows in what the user reads
    assert.ok(!ctx.logs.some((l) => l.includes('driftcatcher-twin-')), ctx.logs.join('\n'));
    assert.equal(sim.production_unchanged, true);
    // the independent check: every registry file and every data file hashes the same
    assert.deepEqual(guarded(ws), before);
    assert.ok(!fs.existsSync(path.join(ws, 'data')), 'no baseline written into the real workspace');
    const simSteps = ctx.notes.filter((n) => n.method === 'driftcatcher/simulationStep').map((n) => (n.params as { step: SimulationStep }).step.name);
    assert.deepEqual(simSteps, names);
    assert.ok(!ctx.notes.some((n) => n.method === 'driftcatcher/planChanged'), 'sandbox plans are not announced as real plans');

    // control: the same loop for real does change production (so the hash comparison can fail)
    const real = await runAgent(ctx, { current: 'current.csv', autonomy: 'autonomous' });
    assert.equal(real.plan.status, 'completed');
    assert.match(real.plan.goal, /^Retrain on current\.csv, /, 'the plan names the batch relative to the workspace');
    assert.notDeepEqual(guarded(ws), before);
    assert.equal(JSON.parse(fs.readFileSync(path.join(stateDir(ws), 'production.json'), 'utf8')).version, 'v2');

    // the CLI contract: agent --format json → {decision, plan: {id, status, steps}}
    let out = '';
    const code = await runCli(['agent', 'current.csv', '--autonomy', 'suggest', '--format', 'json', '--workspace', ws], {
      stdout: (s) => void (out += s),
      stderr: () => undefined,
      cwd: ws,
    });
    assert.equal(code, 0);
    const parsed = JSON.parse(out) as { decision: { action: string; source: string }; plan: { id: string; status: string; steps: unknown[] } };
    assert.ok(['MONITOR', 'RETRAIN', 'RETRAIN_URGENT'].includes(parsed.decision.action));
    assert.equal(parsed.plan.status, 'planned');
    assert.ok(parsed.plan.id && Array.isArray(parsed.plan.steps));
  });

  it('fakes: a failed gate in the twin reports that nothing would change, production untouched', async () => {
    const ws = tempWorkspace();
    FakeTools.seed(ws);
    const tools = new FakeTools();
    tools.gatePasses = false;
    tools.driftReport = report({ total: 10, drifted: 5, psi: 0.4 });
    writeCsv(path.join(ws, 'current.csv'), ['a', 'Label'], 10);
    const before = hashTree(stateDir(ws));
    const sim = await simulate(makeCtx(ws), { current: 'current.csv' }, tools);
    assert.equal(sim.plan.status, 'failed');
    assert.match(sim.would_change[0], /^nothing: candidate v2 fails the validation gate \(accuracy\)/);
    assert.equal(sim.production_unchanged, true);
    assert.deepEqual(hashTree(stateDir(ws)), before);
  });
});
