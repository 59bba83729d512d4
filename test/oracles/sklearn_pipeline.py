#!/usr/bin/env python3
"""The plain scikit-learn pipeline for mixed tables: median imputation of numeric columns, one-hot encoding of
categorical columns (missing values as their own category, unseen ones ignored), and a RandomForestClassifier.

commands (request = one JSON object):
  evaluate {"train": CSV, "test": CSV, "label": NAME, "numeric": [NAMES], "categorical": [NAMES], "trees"?: 100,
            "max_features"?: "sqrt", "random_state"?: 42, "jobs"?: -1}
      Rows without a label are skipped. Numeric columns: cells that are not numbers and ±inf become missing, then
      the training median. Every label is a class.
      -> {rows_train, rows_test, features_in, features_out, classes, accuracy, balanced_accuracy, macro_f1,
          seconds: {load, train, predict}, model_bytes (pickled pipeline)}
  evaluate_splits {"splits": [{"train", "test", "numeric", "categorical", "random_state"}, ...], "label", "trees"?, ...}
      evaluate for each split in one process (the other fields apply to every split) -> {results: [evaluate's output]}
  dataset {"name": "wine" | "breast_cancer" | "digits" | "iris", "output": CSV}
      Writes one of scikit-learn's bundled data sets as a CSV: its features, then the class name in "target".
      -> {rows, columns}
"""
import pickle
import time

import oracle_cli
from oracle_cli import BadRequest, field


def read(path, label, numeric, categorical):
    import numpy as np
    import pandas as pd

    df = pd.read_csv(path, low_memory=False, dtype={c: str for c in categorical})
    df.columns = df.columns.str.strip()
    missing = [c for c in [label, *numeric, *categorical] if c not in df.columns]
    if missing:
        raise BadRequest(f"{path} lacks column(s) {', '.join(missing[:5])}")
    df = df.dropna(subset=[label])
    for c in numeric:
        df[c] = pd.to_numeric(df[c], errors="coerce").replace([np.inf, -np.inf], np.nan)
    return df[[*numeric, *categorical]], df[label].astype(str).to_numpy()


def pipeline(numeric, categorical, request):
    from sklearn.compose import ColumnTransformer
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    parts = []
    if numeric:
        parts.append(("numeric", SimpleImputer(strategy="median"), numeric))
    if categorical:
        parts.append(("categorical", Pipeline([("missing", SimpleImputer(strategy="constant", fill_value="missing")),
                                               ("onehot", OneHotEncoder(handle_unknown="ignore"))]), categorical))
    forest = RandomForestClassifier(n_estimators=field(request, "trees", int, 100),
                                    max_features=field(request, "max_features", (str, int, float), "sqrt"),
                                    random_state=field(request, "random_state", int, 42),
                                    n_jobs=field(request, "jobs", int, -1))
    return Pipeline([("prepare", ColumnTransformer(parts, sparse_threshold=0)), ("forest", forest)])


def evaluate(request):
    from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score

    label = field(request, "label", str)
    numeric = field(request, "numeric", list)
    categorical = field(request, "categorical", list)
    if not numeric and not categorical:
        raise BadRequest("no feature columns: numeric and categorical are both empty")
    t0 = time.perf_counter()
    X, y = read(field(request, "train", str), label, numeric, categorical)
    Xt, yt = read(field(request, "test", str), label, numeric, categorical)
    t1 = time.perf_counter()
    model = pipeline(numeric, categorical, request)
    model.fit(X, y)
    t2 = time.perf_counter()
    pred = model.predict(Xt)
    t3 = time.perf_counter()
    return {
        "rows_train": int(len(y)), "rows_test": int(len(yt)),
        "features_in": len(numeric) + len(categorical),
        "features_out": int(model.named_steps["prepare"].transform(X.head(1)).shape[1]),
        "classes": sorted(set(y.tolist())),
        "accuracy": accuracy_score(yt, pred),
        "balanced_accuracy": balanced_accuracy_score(yt, pred),
        "macro_f1": f1_score(yt, pred, average="macro", zero_division=0),
        "seconds": {"load": t1 - t0, "train": t2 - t1, "predict": t3 - t2},
        "model_bytes": len(pickle.dumps(model)),
    }


def evaluate_splits(request):
    splits = field(request, "splits", list)
    shared = {k: v for k, v in request.items() if k != "splits"}
    for s in splits:
        if not isinstance(s, dict):
            raise BadRequest("request field 'splits' must be a list of objects")
    return {"results": [evaluate({**shared, **s}) for s in splits]}


def dataset(request):
    from sklearn import datasets

    loaders = {"wine": datasets.load_wine, "breast_cancer": datasets.load_breast_cancer,
               "digits": datasets.load_digits, "iris": datasets.load_iris}
    name = field(request, "name", str)
    if name not in loaders:
        raise BadRequest(f"unknown data set '{name}' (known: {', '.join(sorted(loaders))})")
    bunch = loaders[name](as_frame=True)
    df = bunch.frame.copy()
    names = list(getattr(bunch, "target_names", []))
    df["target"] = [str(names[t]) if len(names) else str(t) for t in bunch.target]
    df.to_csv(field(request, "output", str), index=False)
    return {"rows": int(len(df)), "columns": list(df.columns)}


if __name__ == "__main__":
    oracle_cli.main(__doc__, {"evaluate": evaluate, "evaluate_splits": evaluate_splits, "dataset": dataset}, requires=["numpy", "pandas", "sklearn"])
