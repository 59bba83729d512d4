import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHoldout } from '../../../src/core/model/holdout';
import { DriftCatcherError } from '../../../src/core/util/errors';
import { ctxFor, tempWorkspace } from './registryFixtures';

/** The holdout command's own errors; what it holds out is tested with the ledger (ledger.test.ts). */
describe('holdout builder', () => {
  it('refuses a bad fraction and an empty folder', async () => {
    const ws = tempWorkspace('dc-holdout-');
    fs.mkdirSync(path.join(ws, 'empty'));
    await assert.rejects(createHoldout(ctxFor(ws), { dataDir: 'empty', output: 'h.csv' }), (e: unknown) => e instanceof DriftCatcherError && /no CSV files in empty/.test(e.message));
    await assert.rejects(createHoldout(ctxFor(ws), { dataDir: 'empty', output: 'h.csv', sampleFraction: 1.5 }), /sample fraction must be in \(0, 1\)/);
  });
});
