import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { trainForest } from '../../../src/core/model/forest';
import { classificationMetrics } from '../../../src/core/model/metrics';
import { runOracle } from '../../oracles/oracle';
import { generateFlows, readFlowsCsv, writeFlowsCsv } from './forestFixtures';

describe('forest: against scikit-learn (oracle forest.py)', function () {
  this.timeout(300_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dc-sklearn-'))));
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  it("reaches scikit-learn's accuracy within 0.5 point on the same split", async () => {
    const d = generateFlows(5000, 11);
    const trainCsv = path.join(dir, 'train.csv');
    const testCsv = path.join(dir, 'test.csv');
    writeFlowsCsv(trainCsv, d, 0, 4000);
    writeFlowsCsv(testCsv, d, 4000, 5000);

    const sk = runOracle<{ accuracy: number; rows_test: number }>('forest', 'evaluate', { train: trainCsv, test: testCsv, jobs: 2 });

    // the same files, read back, labels mapped the oracle's way: BENIGN → 0, anything else → 1
    const tr = readFlowsCsv(trainCsv);
    const te = readFlowsCsv(testCsv);
    const yTr = Int32Array.from(tr.labels, (l) => (l === 'BENIGN' ? 0 : 1));
    const yTe = Int32Array.from(te.labels, (l) => (l === 'BENIGN' ? 0 : 1));
    const forest = await trainForest(tr.X, yTr, 2, { nTrees: 100, seed: 42 });
    const m = classificationMetrics(yTe, forest.predict(te.X), forest.predictProba(te.X), ['BENIGN', 'ATTACK']);

    assert.equal(sk.rows_test, m.rows);
    console.log(`    accuracy: ours ${m.accuracy.toFixed(4)}, sklearn ${sk.accuracy.toFixed(4)}`);
    assert.ok(sk.accuracy > 0.9, 'the generated problem is learnable');
    assert.ok(Math.abs(m.accuracy - sk.accuracy) <= 0.005, `ours ${m.accuracy} vs sklearn ${sk.accuracy}`);
  });
});
