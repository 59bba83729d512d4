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
  cbpe_multiclass {"reference": [[p per class]], "labels": [class index], "current": [[p per class]]}
      -> {"expected_accuracy": a}: the same with k > 2 classes: CalibratedClassifierCV(method="isotonic") fits one
         isotonic calibrator per class (one-vs-rest) and normalises each row; a = the mean over current rows of the
         calibrated probability of the raw argmax class (NannyML's multi-class CBPE)
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
        """A 'model' whose class probabilities are the row's features (binary: P(class 1) alone), frozen."""

        def fit(self, X, y):
            import numpy as np

            self.classes_ = np.arange(max(2, np.asarray(X).shape[1]))
            return self

        def predict_proba(self, X):
            import numpy as np

            X = np.asarray(X, dtype=float)
            if X.shape[1] == 1:
                return np.column_stack([1 - X[:, 0], X[:, 0]])
            return X

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


def cbpe_multiclass(request):
    import warnings

    import numpy as np
    from sklearn.calibration import CalibratedClassifierCV

    warnings.simplefilter("ignore")
    ref = np.asarray(field(request, "reference", list), dtype=float)
    labels = np.asarray(field(request, "labels", list), dtype=int)
    cur = np.asarray(field(request, "current", list), dtype=float)
    scorer = _scorer()().fit(ref, labels)
    cal = CalibratedClassifierCV(scorer, method="isotonic", cv="prefit").fit(ref, labels)
    p = cal.predict_proba(cur)
    predicted = cur.argmax(axis=1)
    return {"expected_accuracy": float(p[np.arange(len(cur)), predicted].mean())}


if __name__ == "__main__":
    oracle_cli.main(__doc__, {"isotonic": isotonic, "cbpe_binary": cbpe_binary, "cbpe_multiclass": cbpe_multiclass}, requires=["numpy", "sklearn"])
