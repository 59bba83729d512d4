#!/usr/bin/env python3
"""scikit-learn's classification metrics for class codes given as JSON.

commands (request = one JSON object):
  scores {"y_true": [codes], "y_pred": [codes], "k": K, "y_train": [codes]}   (class codes 0..K-1)
      -> {model, baseline, baseline_class}: accuracy, balanced accuracy, macro F1, F1 (binary: of class 1),
         per-class precision/recall/F1/support (labels 0..K-1, zero_division=0); "baseline" the same for
         DummyClassifier(strategy="most_frequent") fit on y_train
  paired_bootstrap {"y_true": [codes], "candidate": [codes], "production": [codes], "k": K, "rounds": R,
                    "confidence": c, "seed": s}
      -> per metric (accuracy, balanced_accuracy, macro_f1): difference (candidate - production), low / high
         (numpy quantiles at 1 - c and c of R paired resamples of the rows, metrics by scikit-learn);
         "mcnemar": accuracy's difference with its standard error from the discordant pairs
         (sqrt(b + c - (b - c)^2 / n) / n) and the one-sided normal bound at c (scipy)
"""
import warnings

import oracle_cli
from oracle_cli import field


def scores_of(y_true, y_pred, k):
    from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score, precision_recall_fscore_support

    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=list(range(k)), zero_division=0)
    if k == 2:
        f1 = f1_score(y_true, y_pred, pos_label=1, average="binary", zero_division=0)
    else:
        f1 = f1_score(y_true, y_pred, labels=list(range(k)), average="macro", zero_division=0)
    return {
        "accuracy": accuracy_score(y_true, y_pred),
        "balanced_accuracy": balanced_accuracy_score(y_true, y_pred),
        "macro_f1": f1_score(y_true, y_pred, average="macro", zero_division=0),
        "f1": f1,
        "precision": p.tolist(),
        "recall": r.tolist(),
        "f1_per_class": f.tolist(),
        "support": s.tolist(),
    }


def scores(request):
    import numpy as np
    from sklearn.dummy import DummyClassifier

    warnings.simplefilter("ignore")
    y_true = np.asarray(field(request, "y_true", list))
    y_pred = np.asarray(field(request, "y_pred", list))
    y_train = field(request, "y_train", list)
    k = field(request, "k", int)
    dummy = DummyClassifier(strategy="most_frequent").fit(np.zeros((len(y_train), 1)), y_train)
    base = dummy.predict(np.zeros((len(y_true), 1)))
    return {"model": scores_of(y_true, y_pred, k), "baseline": scores_of(y_true, base, k), "baseline_class": int(base[0])}


def paired_bootstrap(request):
    import numpy as np
    from scipy.stats import norm
    from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score

    warnings.simplefilter("ignore")
    y = np.asarray(field(request, "y_true", list))
    a = np.asarray(field(request, "candidate", list))
    b = np.asarray(field(request, "production", list))
    k = field(request, "k", int)
    rounds = field(request, "rounds", int)
    conf = float(field(request, "confidence", float))
    labels = list(range(k))
    metrics = {
        "accuracy": accuracy_score,
        "balanced_accuracy": balanced_accuracy_score,
        "macro_f1": lambda t, p: f1_score(t, p, labels=labels, average="macro", zero_division=0),
    }
    rng = np.random.default_rng(field(request, "seed", int, 0))
    idx = rng.integers(0, len(y), size=(rounds, len(y)))
    out = {}
    for name, fn in metrics.items():
        diffs = np.array([fn(y[i], a[i]) - fn(y[i], b[i]) for i in idx])
        out[name] = {"difference": fn(y, a) - fn(y, b), "low": float(np.quantile(diffs, 1 - conf)), "high": float(np.quantile(diffs, conf)), "sd": float(diffs.std())}
    n = len(y)
    only_a = int(np.sum((a == y) & (b != y)))
    only_b = int(np.sum((a != y) & (b == y)))
    se = np.sqrt(only_a + only_b - (only_a - only_b) ** 2 / n) / n
    d = (only_a - only_b) / n
    out["mcnemar"] = {"difference": d, "se": float(se), "low": float(d - norm.ppf(conf) * se)}
    return out


if __name__ == "__main__":
    oracle_cli.main(__doc__, {"scores": scores, "paired_bootstrap": paired_bootstrap}, requires=["numpy", "scipy", "sklearn"])
