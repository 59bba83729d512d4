"""scikit-learn's classification metrics for labels given as JSON on stdin.

Input:  {"y_true": [...], "y_pred": [...], "k": K, "y_train": [...]}  (class codes 0..K-1)
Output: accuracy, balanced accuracy, macro F1, per-class precision/recall/F1/support (labels 0..K-1,
zero_division=0), and the same for DummyClassifier(strategy="most_frequent") fit on y_train.
"""
import json
import sys
import warnings

import numpy as np
from sklearn.dummy import DummyClassifier
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score, precision_recall_fscore_support

warnings.simplefilter("ignore")


def scores(y_true, y_pred, k):
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


def main():
    d = json.load(sys.stdin)
    y_true = np.asarray(d["y_true"])
    y_pred = np.asarray(d["y_pred"])
    k = int(d["k"])
    dummy = DummyClassifier(strategy="most_frequent").fit(np.zeros((len(d["y_train"]), 1)), d["y_train"])
    base = dummy.predict(np.zeros((len(y_true), 1)))
    out = {"model": scores(y_true, y_pred, k), "baseline": scores(y_true, base, k), "baseline_class": int(base[0])}
    json.dump(out, sys.stdout)


main()
