#!/usr/bin/env python3
"""PSI per feature as the original pandas/numpy drift pipeline computes it, timed per phase.

commands (request = one JSON object):
  drift {"baseline": CSV, "current": CSV, "label"?: NAME, "bins"?: "open-ends" | "histogram"}
      -> {label, rows_baseline, rows_current, psi: {feature: value}, psi_mean, seconds: {read_baseline,
          profile, read_current, psi, total}}
      open-ends (default; DriftCatcher's definition): interior edges = the unique 10 %..90 % deciles of the
        baseline's finite values (numpy linear quantiles); bin = searchsorted(edges, v, side="right"), so the
        outer bins are open to -inf/+inf; NaN and +-inf are one more (missing) bin.
      histogram: the pipeline's first version: np.histogram over the 11 baseline quantiles (values outside the
        baseline range and missing values are dropped).
      Both: proportions floored at 1e-4, PSI = sum((a - e) * ln(a / e)).
  read {"file": CSV, "label"?: NAME}
      -> {rows, columns, features, seconds}: pandas reading the file with the pipeline's cleaning (see tabular.py)
  training_stats {"file": CSV, "output": JSON, "label"?: NAME}
      -> {features}: writes the pipeline's training_stats.json (per feature: mean, std, min, max, the 11
         deciles, expected_dist = np.histogram over the deciles / count), computed on finite values
"""
import json
import time

import oracle_cli
from oracle_cli import BadRequest, field
from tabular import read_labelled

FLOOR = 1e-4


def psi(expected, actual):
    import numpy as np

    e = np.maximum(expected, FLOOR)
    a = np.maximum(actual, FLOOR)
    return float(np.sum((a - e) * np.log(a / e)))


def baseline_bins(x, mode):
    import numpy as np

    finite = x[np.isfinite(x)]
    if mode == "histogram":
        edges = np.quantile(finite, np.linspace(0, 1, 11))
        counts, _ = np.histogram(finite, bins=edges)
        return {"edges": edges, "expected": counts / max(counts.sum(), 1)}
    edges = np.unique(np.quantile(finite, np.linspace(0.1, 0.9, 9))) if finite.size else np.array([])
    return {"edges": edges, "expected": proportions(x, edges, mode)}


def proportions(x, edges, mode):
    import numpy as np

    finite = x[np.isfinite(x)]
    if mode == "histogram":
        counts, _ = np.histogram(finite, bins=edges)
        return counts / max(counts.sum(), 1)
    counts = np.bincount(np.searchsorted(edges, finite, side="right"), minlength=edges.size + 1)
    return np.append(counts, x.size - finite.size) / max(x.size, 1)


def drift(request):
    mode = field(request, "bins", str, "open-ends")
    if mode not in ("open-ends", "histogram"):
        raise BadRequest("bins must be 'open-ends' or 'histogram'")
    label = field(request, "label", str, None)
    t0 = time.perf_counter()
    base, label, features = read_labelled(field(request, "baseline", str), label)
    t1 = time.perf_counter()
    bins = {f: baseline_bins(base[f].to_numpy(dtype=float), mode) for f in features}
    t2 = time.perf_counter()
    cur, _, _ = read_labelled(field(request, "current", str), label)
    t3 = time.perf_counter()
    values = {f: psi(b["expected"], proportions(cur[f].to_numpy(dtype=float), b["edges"], mode)) for f, b in bins.items() if f in cur.columns}
    t4 = time.perf_counter()
    return {
        "bins": mode,
        "label": label,
        "rows_baseline": len(base),
        "rows_current": len(cur),
        "psi": values,
        "psi_mean": sum(values.values()) / len(values) if values else 0.0,
        "seconds": {"read_baseline": t1 - t0, "profile": t2 - t1, "read_current": t3 - t2, "psi": t4 - t3, "total": t4 - t0},
    }


def read(request):
    t0 = time.perf_counter()
    df, label, features = read_labelled(field(request, "file", str), field(request, "label", str, None))
    return {"rows": len(df), "columns": len(df.columns), "features": len(features), "label": label, "seconds": time.perf_counter() - t0}


def training_stats(request):
    import numpy as np

    df, _, features = read_labelled(field(request, "file", str), field(request, "label", str, None))
    out = {}
    for f in features:
        x = df[f].to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        if not x.size:
            continue
        deciles = np.quantile(x, np.linspace(0, 1, 11))
        counts, _ = np.histogram(x, bins=deciles)
        out[f] = {"mean": float(x.mean()), "std": float(x.std()), "min": float(x.min()), "max": float(x.max()),
                  "deciles": deciles.tolist(), "expected_dist": (counts / counts.sum()).tolist()}
    with open(field(request, "output", str), "w") as fh:
        json.dump(out, fh)
    return {"features": list(out)}


if __name__ == "__main__":
    oracle_cli.main(__doc__, {"drift": drift, "read": read, "training_stats": training_stats}, requires=["numpy", "pandas"])
