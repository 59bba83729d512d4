import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { trainModel as train } from '../../../src/core/pipeline/training';
import { validate } from '../../../src/core/model/validate';
import { getVersion, productionVersion, rollback } from '../../../src/core/model/registry';
import { deploy } from '../../../src/core/model/deploy';
import { DriftCatcherError } from '../../../src/core/util/errors';
import { ctxFor, tempWorkspace } from './registryFixtures';
import { writeFlows } from './trainFixtures';

describe('validation gate', () => {
  it('passes a good candidate, refuses one trained on shuffled labels, and deploy then refuses it', async function () {
    this.timeout(120_000);
    const ws = tempWorkspace('dc-validate-');
    writeFlows(path.join(ws, 'good.csv'), { rows: 900, seed: 1 });
    writeFlows(path.join(ws, 'bad.csv'), { rows: 900, seed: 1, shuffleLabels: true });
    writeFlows(path.join(ws, 'holdout.csv'), { rows: 300, seed: 4 });
    const ctx = ctxFor(ws);

    const good = await train(ctx, { baseData: 'good.csv', trees: 10, holdout: 'holdout.csv' });
    assert.equal(good.validation?.passed, true, JSON.stringify(good.validation?.checks));
    await deploy(ctx, { version: good.version });

    const bad = await train(ctx, { baseData: 'bad.csv', trees: 10 });
    const v = await validate(ctx, { holdout: 'holdout.csv' }); // default: newest candidate
    assert.equal(v.version, bad.version);
    assert.equal(v.passed, false);
    assert.equal(v.holdout.rows, 300);
    assert.equal(v.production_metrics?.version, good.version);
    assert.ok(v.checks.some((c) => c.name === `balanced_accuracy_improves_on_${good.version}` && !c.passed));
    assert.equal(getVersion(ws, bad.version).status, 'rejected');
    await assert.rejects(deploy(ctx, { version: bad.version }), (e: unknown) => e instanceof DriftCatcherError && e.code === 'GATE');
    assert.equal(productionVersion(ws), good.version);
  });

  it('deploy re-validates a candidate against the production of the moment (stale comparison, concurrent deploys)', async function () {
    this.timeout(180_000);
    const ws = tempWorkspace('dc-stale-');
    writeFlows(path.join(ws, 'weak.csv'), { rows: 120, seed: 11 });
    writeFlows(path.join(ws, 'mid.csv'), { rows: 400, seed: 12 });
    writeFlows(path.join(ws, 'strong.csv'), { rows: 2400, seed: 13 });
    writeFlows(path.join(ws, 'holdout.csv'), { rows: 2400, seed: 14 }); // enough rows that v2's gain over v1 is beyond the holdout's sampling noise
    const ctx = ctxFor(ws);
    const v1 = await train(ctx, { baseData: 'weak.csv', trees: 1, holdout: 'holdout.csv' });
    assert.equal(v1.validation?.passed, true, JSON.stringify(v1.validation?.checks));
    await deploy(ctx, { version: v1.version });
    const v2 = await train(ctx, { baseData: 'mid.csv', trees: 3, holdout: 'holdout.csv' });
    const v3 = await train(ctx, { baseData: 'strong.csv', trees: 40, holdout: 'holdout.csv' });
    assert.equal(v2.validation?.passed, true, JSON.stringify(v2.validation?.checks));
    assert.equal(v3.validation?.passed, true, JSON.stringify(v3.validation?.checks));
    assert.equal(v2.validation?.production_metrics?.version, v1.version);

    await deploy(ctx, { version: v3.version });
    // v2 beat v1, but v3 is in production now: deploy compares again, on the same holdout, and refuses
    await assert.rejects(
      deploy(ctx, { version: v2.version }),
      (e: unknown) => e instanceof DriftCatcherError && e.code === 'GATE' && new RegExp(`re-validated against production ${v3.version} on the same holdout, it fails \\(balanced_accuracy`).test(e.message),
    );
    assert.equal(productionVersion(ws), v3.version);
    const again = getVersion(ws, v2.version);
    assert.equal(again.status, 'rejected');
    assert.equal(again.validation?.revalidated_for_deploy, true);
    assert.equal(again.validation?.production_metrics?.version, v3.version);

    // two deploys racing from the same starting point: whichever runs second is compared with the first's result
    await rollback(ctx); // production v1 again
    const v4 = await train(ctx, { baseData: 'mid.csv', trees: 4, holdout: 'holdout.csv' });
    const v5 = await train(ctx, { baseData: 'strong.csv', trees: 41, holdout: 'holdout.csv' });
    const results = await Promise.allSettled([deploy(ctx, { version: v5.version }), deploy(ctx, { version: v4.version })]);
    assert.equal(productionVersion(ws), v5.version, JSON.stringify(results.map((r) => r.status === 'rejected' ? String(r.reason) : r.value.version)));
  });
});

