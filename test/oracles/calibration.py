#!/usr/bin/env python3
"""scikit-learn's isotonic calibration, for the label-free (CBPE) accuracy estimate.

commands (request = one JSON object):
  isotonic {"x": [numbers], "y": [numbers], "at": [numbers]}
      -> {"fitted": [...]}: IsotonicRegression(increasing=True, out_of_bounds="clip") fit on (x, y), predicted at `at`
  cbpe_binary {"reference": [p1], "labels": [0/1], "current": [p1]}
      -> {"calibrated": [...], "expected_accuracy": a}: a fixed binary scorer whose P(class 1) is the given score,
         calibrated by CalibratedClassifierCV(method="isotonic") on the reference rows (the prefit scorer is not
         refit); each current row is predicted class 1 when its raw score is above 0.5 and is right with the
         calibrated probability of its predicted class; a = the mean of that over the current rows (NannyML's CBPE)
"""
import oracle_cli
from oracle_cli import field


def isotonic(request):
    import numpy as np
    from sklearn.isotonic import IsotonicRegression

    x = np.asarray(field(request, "x", list), dtype=float)
    y = np.asarray(field(request, "y", list), dtype=float)
    at = np.asarray(field(request, "at", list), dtype=float)
    fit = IsotonicRegression(increasing=True, out_of_bounds="clip").fit(x, y)
    return {"fitted": fit.predict(at).tolist()}


def _scorer():
    from sklearn.base import BaseEstimator, ClassifierMixin

    class FixedScore(ClassifierMixin, BaseEstimator):
        """A 'model' whose P(class 1) is the row's only feature: the forest's score, frozen."""

        def fit(self, X, y):
            self.classes_ = [0, 1]
            return self

        def predict_proba(self, X):
            import numpy as np

            p = np.asarray(X, dtype=float)[:, 0]
            return np.column_stack([1 - p, p])

    return FixedScore


def cbpe_binary(request):
    import warnings

    import numpy as np
    from sklearn.calibration import CalibratedClassifierCV

    warnings.simplefilter("ignore")
    ref = np.asarray(field(request, "reference", list), dtype=float).reshape(-1, 1)
    labels = np.asarray(field(request, "labels", list), dtype=int)
    cur = np.asarray(field(request, "current", list), dtype=float).reshape(-1, 1)
    scorer = _scorer()().fit(ref, labels)
    cal = CalibratedClassifierCV(scorer, method="isotonic", cv="prefit").fit(ref, labels)
    p1 = cal.predict_proba(cur)[:, 1]
    predicted_one = cur[:, 0] > 0.5
    right = np.where(predicted_one, p1, 1 - p1)
    return {"calibrated": p1.tolist(), "expected_accuracy": float(right.mean())}


if __name__ == "__main__":
    oracle_cli.main(__doc__, {"isotonic": isotonic, "cbpe_binary": cbpe_binary}, requires=["numpy", "sklearn"])
