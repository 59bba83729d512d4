import * as assert from 'node:assert/strict';
import type { MultivariateDrift } from '../../../src/core/protocol';
import { domainClassifierLine, multivariateVerdict, reconstructionLine, sampleLine, separatingFeatures } from '../../../src/webview/multivariate';

const drift = (over: Partial<MultivariateDrift> = {}): MultivariateDrift => ({
  rows: { baseline: 5000, current: 4200 },
  features: ['a', 'b', 'c'],
  domain_classifier: { auc: 0.734, auc_low: 0.7012, auc_high: 0.7668, folds: 5, drifted: true, top_features: [{ name: 'b', importance: 0.2 }, { name: 'a', importance: 0.7 }, { name: 'c', importance: 0.1 }] },
  reconstruction: { components: 2, explained_variance: 0.71, baseline_error: 1.01, current_error: 1.42, lower: 0.95, upper: 1.08, drifted: true },
  drifted: true,
  notes: [],
  seconds: 3.14,
  ...over,
});

describe('webview/multivariate: multivariate drift in words', () => {
  it('names which method flagged the drift, or says the samples look alike', () => {
    assert.equal(multivariateVerdict(drift()), 'multivariate drift: a classifier tells current rows from baseline rows, and the PCA reconstruction error left its normal band');
    const pcaOnly = drift({ domain_classifier: { ...drift().domain_classifier, drifted: false } });
    assert.equal(multivariateVerdict(pcaOnly), 'multivariate drift: the PCA reconstruction error left its normal band');
    assert.match(multivariateVerdict(drift({ drifted: false, reconstruction: null, domain_classifier: { ...drift().domain_classifier, drifted: false } })), /^no multivariate drift/);
  });

  it('the AUC with its interval and the rule it was judged by', () => {
    assert.equal(domainClassifierLine(drift()), 'ROC AUC 0.734 (95% interval 0.701–0.767, 5-fold cross-validation): the sides are told apart (interval above 0.5 and AUC ≥ 0.55)');
  });

  it('the reconstruction error against its band, above / inside / below; none says why to look at the notes', () => {
    assert.equal(reconstructionLine(drift()), "current error 1.420 vs baseline 1.010, normal band 0.950–1.080: above the band (2 components, 71.0% of the baseline's variance)");
    const r = drift().reconstruction!;
    assert.match(reconstructionLine(drift({ reconstruction: { ...r, current_error: 1.0, drifted: false } })), /: inside the band \(/);
    assert.match(reconstructionLine(drift({ reconstruction: { ...r, current_error: 0.5 } })), /: below the band \(/);
    assert.equal(reconstructionLine(drift({ reconstruction: null })), 'no PCA reconstruction error (see the notes)');
  });

  it('sample sizes, and the separating features most important first', () => {
    assert.equal(sampleLine(drift()), '5,000 baseline and 4,200 current rows sampled, 3 features, 3.1 s');
    assert.deepEqual(separatingFeatures(drift()).map((f) => f.name), ['a', 'b', 'c']);
    assert.deepEqual(separatingFeatures(drift(), 1).map((f) => f.name), ['a']);
  });
});
