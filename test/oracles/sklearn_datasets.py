#!/usr/bin/env python3
"""scikit-learn's bundled real data sets (no download), written as CSV for tests that need data nobody here made.

commands (request = one JSON object):
  write {"name": "breast_cancer"|"wine"|"iris"|"diabetes", "output": path, "where"?: {"target": value}}
    -> {rows, columns}: the data set as CSV, label column `target`; `where` keeps only rows whose target equals value
"""
import os

import oracle_cli
from oracle_cli import BadRequest, field

LOADERS = {"breast_cancer", "wine", "iris", "diabetes"}


def write(request):
    from sklearn import datasets

    name = field(request, "name", str)
    if name not in LOADERS:
        raise BadRequest(f"name must be one of {', '.join(sorted(LOADERS))}")
    frame = getattr(datasets, f"load_{name}")(as_frame=True).frame
    where = field(request, "where", dict, {})
    for column, value in where.items():
        frame = frame[frame[column] == value]
    output = field(request, "output", str)
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    frame.to_csv(output, index=False)
    return {"rows": int(len(frame)), "columns": list(map(str, frame.columns))}


if __name__ == "__main__":
    oracle_cli.main(__doc__, {"write": write}, requires=["sklearn", "pandas"])
