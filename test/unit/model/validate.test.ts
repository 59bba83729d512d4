import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { train } from '../../../src/core/model/train';
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
    assert.ok(v.checks.some((c) => c.name === 'accuracy' && !c.passed && c.value < 0.8));
    assert.ok(v.checks.some((c) => c.name === `f1_vs_production_${good.version}` && !c.passed));
    assert.equal(getVersion(ws, bad.version).status, 'rejected');
    await assert.rejects(deploy(ctx, { version: bad.version }), (e: unknown) => e instanceof DriftCatcherError && e.code === 'GATE');
    assert.equal(productionVersion(ws), good.version);

    // a second good model deploys, and rollback restores the first
    const good2 = await train(ctx, { baseData: 'good.csv', trees: 12, holdout: 'holdout.csv' });
    assert.equal(good2.validation?.passed, true);
    await deploy(ctx, {});
    assert.equal(productionVersion(ws), good2.version);
    assert.equal((await rollback(ctx)).version, good.version);
    assert.equal(productionVersion(ws), good.version);
  });
});
