#!/usr/bin/env python3
"""scikit-learn's RandomForestClassifier configured as the original pipeline configures it, timed.

commands (request = one JSON object):
  evaluate {"train": CSV, "test"?: CSV, "label"?: NAME, "trees"?: 100, "jobs"?: -1,
            "max_features"?: "sqrt" | "log2" | "all" | count | fraction, "random_state"?: 42}
      Reads both files with the pipeline's cleaning (tabular.py), drops rows with a missing feature, maps labels
      to BENIGN -> 0 / other -> 1, trains on TRAIN and scores on TEST (without TEST: a stratified 80/20 split
      of TRAIN with random_state 42).
      -> {rows_train, rows_test, features, seconds: {load, train, predict}, accuracy, and for two classes
          precision, recall, f1, roc_auc; model_bytes (pickled size)}
"""
import pickle
import time

import oracle_cli
from oracle_cli import BadRequest, field
from tabular import binary_labels, read_labelled


def features_and_labels(df, label, features):
    import numpy as np

    df = df.dropna(subset=features)
    return df[features].to_numpy(dtype=np.float64), binary_labels(df[label])


def evaluate(request):
    import numpy as np
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score
    from sklearn.model_selection import train_test_split

    max_features = field(request, "max_features", (str, int, float), "sqrt")
    if max_features == "all":
        max_features = None  # scikit-learn's "every feature at every split"
    trees = field(request, "trees", int, 100)
    if trees < 1:
        raise BadRequest("trees must be at least 1")
    t0 = time.perf_counter()
    df, label, features = read_labelled(field(request, "train", str), field(request, "label", str, None))
    X, y = features_and_labels(df, label, features)
    test = field(request, "test", str, None)
    if test:
        dt, _, _ = read_labelled(test, label)
        missing = [f for f in features if f not in dt.columns]
        if missing:
            raise BadRequest(f"{test} lacks feature(s) {', '.join(missing[:5])}")
        Xt, yt = features_and_labels(dt, label, features)
    else:
        X, Xt, y, yt = train_test_split(X, y, test_size=0.2, stratify=y, random_state=42)
    t1 = time.perf_counter()
    model = RandomForestClassifier(n_estimators=trees, n_jobs=field(request, "jobs", int, -1),
                                   random_state=field(request, "random_state", int, 42), max_features=max_features)
    model.fit(X, y)
    t2 = time.perf_counter()
    pred = model.predict(Xt)
    t3 = time.perf_counter()
    result = {"rows_train": int(len(y)), "rows_test": int(len(yt)), "features": len(features), "trees": trees,
              "seconds": {"load": t1 - t0, "train": t2 - t1, "predict": t3 - t2},
              "accuracy": accuracy_score(yt, pred)}
    if len(np.unique(y)) == 2:
        proba = model.predict_proba(Xt)[:, 1]
        result.update(precision=precision_score(yt, pred), recall=recall_score(yt, pred), f1=f1_score(yt, pred),
                      roc_auc=roc_auc_score(yt, proba))
    result["model_bytes"] = len(pickle.dumps(model))
    return result


if __name__ == "__main__":
    oracle_cli.main(__doc__, {"evaluate": evaluate}, requires=["numpy", "pandas", "sklearn"])
