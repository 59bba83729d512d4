import { strict as assert } from 'node:assert';
import type { Table } from '../../../src/core/data/table';
import { TableBuilder } from '../../../src/core/data/tableBuilder';
import { Random } from '../../../src/core/util/random';
import { buildProfile } from '../../../src/core/drift/profile';
import { DriftAccumulator, DEFAULT_THRESHOLDS } from '../../../src/core/drift/driftReport';
import { multivariateDrift } from '../../../src/core/drift/multivariate';
import { domainClassifier } from '../../../src/core/model/domainClassifier';
import { fitPca, reconstructionErrors, symmetricEigen } from '../../../src/core/drift/multivariate/pca';
import { runOracle } from '../../oracles/oracle';

/**
 * Multivariate drift against scikit-learn on its bundled real data (wine, breast cancer): PCA reconstruction
 * errors equal to sklearn's StandardScaler + PCA to 1e-9, the domain classifier's AUC within 0.05 of a
 * scikit-learn forest's; and on the "butterfly" case (a correlation flips, no feature's distribution changes)
 * univariate PSI sees nothing while both multivariate methods flag drift.
 */
type Data = { columns: string[]; rows: number[][]; target: number[] };

function table(columns: string[], rows: number[][]): Table {
  const b = new TableBuilder();
  b.add({
    header: columns,
    startRow: 0,
    rowCount: rows.length,
    numbers: columns.map((_, j) => Float64Array.from(rows, (r) => r[j])),
    texts: columns.map(() => null),
    bytesRead: 0,
    totalBytes: 0,
  });
  return b.build();
}

describe('drift/multivariate', function () {
  this.timeout(300_000);

  it('PCA reconstruction error equals scikit-learn (StandardScaler + PCA for 65 % of the variance) on wine', () => {
    const wine = runOracle<Data>('multivariate', 'dataset', { name: 'wine' });
    const ref = wine.rows.filter((_, i) => i % 2 === 0);
    const ana = wine.rows.filter((_, i) => i % 2 === 1);
    const sk = runOracle<{ components: number; explained: number; reference_errors: number[]; analysis_errors: number[] }>('multivariate', 'pca_reconstruction', { reference: ref, analysis: ana, variance: 0.65 });
    const cols = (rows: number[][]) => wine.columns.map((_, j) => Float64Array.from(rows, (r) => r[j]));
    const model = fitPca(cols(ref), 0.65);
    assert.equal(model.k, sk.components);
    assert.ok(Math.abs(model.explained - sk.explained) < 1e-9, `${model.explained} vs ${sk.explained}`);
    for (const [ours, theirs] of [
      [reconstructionErrors(model, cols(ref)), sk.reference_errors],
      [reconstructionErrors(model, cols(ana)), sk.analysis_errors],
    ] as const) {
      theirs.forEach((e, i) => assert.ok(Math.abs(ours[i] - e) < 1e-9, `row ${i}: ${ours[i]} vs ${e}`));
    }
  });

  it('the eigen-decomposition reproduces its matrix', () => {
    const r = new Random(3);
    const p = 12;
    const m = new Float64Array(p * p);
    for (let i = 0; i < p; i++) for (let j = i; j < p; j++) m[i * p + j] = m[j * p + i] = r.normal();
    const { values, vectors } = symmetricEigen(m, p);
    for (let i = 0; i < p; i++) {
      for (let j = 0; j < p; j++) {
        let s = 0;
        for (let k = 0; k < p; k++) s += vectors[i * p + k] * values[k] * vectors[j * p + k];
        assert.ok(Math.abs(s - m[i * p + j]) < 1e-10);
      }
    }
  });

  it('domain classifier on breast cancer: random halves look alike, benign vs malignant do not (AUC within 0.05 of scikit-learn)', async () => {
    const bc = runOracle<Data>('multivariate', 'dataset', { name: 'breast_cancer' });
    const shuffled = bc.rows.map((r, i) => ({ r, t: bc.target[i], k: (i * 7919) % 569 })).sort((a, b) => a.k - b.k);
    const halves = [shuffled.filter((_, i) => i % 2 === 0), shuffled.filter((_, i) => i % 2 === 1)];
    const profileOf = (rows: number[][]) => buildProfile(table(bc.columns, rows), { label: null });
    const same = await multivariateDrift(table(bc.columns, halves[0].map((x) => x.r)), table(bc.columns, halves[1].map((x) => x.r)), profileOf(halves[0].map((x) => x.r)), { classifier: domainClassifier, trees: 50 });
    assert.ok(same.domain_classifier.auc_low < 0.5 + 0.05 && same.domain_classifier.auc < 0.6, JSON.stringify(same.domain_classifier));
    assert.equal(same.domain_classifier.drifted, false);
    assert.equal(same.reconstruction?.drifted, false, JSON.stringify(same.reconstruction));

    const benign = bc.rows.filter((_, i) => bc.target[i] === 1);
    const malignant = bc.rows.filter((_, i) => bc.target[i] === 0);
    const shift = await multivariateDrift(table(bc.columns, benign), table(bc.columns, malignant), profileOf(benign), { classifier: domainClassifier, trees: 50 });
    const sk = runOracle<{ auc: number }>('multivariate', 'domain_auc', { reference: benign, analysis: malignant, folds: 5, trees: 50 });
    assert.ok(Math.abs(shift.domain_classifier.auc - sk.auc) < 0.05, `ours ${shift.domain_classifier.auc} vs sklearn ${sk.auc}`);
    assert.ok(shift.domain_classifier.drifted && shift.domain_classifier.auc_low > 0.9);
    assert.ok(shift.domain_classifier.auc_low <= shift.domain_classifier.auc && shift.domain_classifier.auc <= shift.domain_classifier.auc_high);
    // the known separating measurements of this data set (size and concavity of the worst cells)
    const top = shift.domain_classifier.top_features.map((f) => f.name);
    assert.ok(top.some((n) => /^worst (perimeter|radius|area|concave points)$/.test(n)), top.join(', '));
    assert.equal(shift.reconstruction?.drifted, true);
  });

  it('butterfly: a correlation flips, univariate PSI sees nothing, both multivariate methods flag it', async () => {
    const make = (seed: number, sign: number, n: number): number[][] => {
      const r = new Random(seed);
      return Array.from({ length: n }, () => {
        const x = r.normal();
        return [x, sign * x + 0.3 * r.normal(), r.normal()];
      });
    };
    const cols = ['f1', 'f2', 'f3'];
    const base = table(cols, make(1, 1, 3000));
    const profile = buildProfile(base, { label: null });
    const check = async (cur: Table) => {
      const acc = new DriftAccumulator(profile);
      acc.bind(cols);
      acc.add({ header: cols, startRow: 0, rowCount: cur.rowCount, numbers: cur.columns.map((c) => (c as { values: Float64Array }).values), texts: [null, null, null], bytesRead: 0, totalBytes: 0 });
      return { univariate: acc.finish(DEFAULT_THRESHOLDS), multivariate: await multivariateDrift(base, cur, profile, { classifier: domainClassifier, trees: 50 }) };
    };
    const stable = await check(table(cols, make(2, 1, 2000)));
    const flipped = await check(table(cols, make(3, -1, 2000)));
    assert.equal(flipped.univariate.overall.severity, 'none', 'each feature keeps its distribution');
    assert.equal(stable.multivariate.drifted, false, JSON.stringify(stable.multivariate));
    assert.equal(flipped.multivariate.reconstruction?.drifted, true);
    assert.ok(flipped.multivariate.reconstruction!.current_error > 1.5 * flipped.multivariate.reconstruction!.baseline_error);
    assert.equal(flipped.multivariate.domain_classifier.drifted, true);
    assert.deepEqual(new Set(flipped.multivariate.domain_classifier.top_features.slice(0, 2).map((f) => f.name)), new Set(['f1', 'f2']));
  });
});
