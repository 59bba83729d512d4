"""Reading a labelled CSV the way the original pandas pipeline does (the behaviour DriftCatcher reproduces):

- header names stripped of surrounding spaces (CICIDS files pad them: " Flow Duration");
- the label column: the given name, else the first of Label/label/target/class/y, else the last column;
- rows without a label dropped;
- features = every other column pandas reads as numeric; +inf/-inf in them become NaN (missing).
"""
from oracle_cli import BadRequest

LABEL_GUESSES = ["Label", "label", "target", "class", "y"]


def read_labelled(path, label=None):
    """Returns (DataFrame, label column name, numeric feature names), cleaned as above."""
    import numpy as np
    import pandas as pd

    try:
        df = pd.read_csv(path, low_memory=False)
    except pd.errors.EmptyDataError:
        raise BadRequest(f"{path} is empty")
    except pd.errors.ParserError as e:
        raise BadRequest(f"{path}: {e}")
    df.columns = df.columns.str.strip()
    if label is None:
        label = next((c for c in LABEL_GUESSES if c in df.columns), df.columns[-1])
    elif label not in df.columns:
        raise BadRequest(f"{path} has no column '{label}'")
    df = df.dropna(subset=[label])
    features = [c for c in df.columns if c != label and pd.api.types.is_numeric_dtype(df[c])]
    df[features] = df[features].replace([np.inf, -np.inf], np.nan)
    return df, label, features


def binary_labels(y):
    """BENIGN (else the most frequent class) -> 0, every other class -> 1; numeric 0/1 labels stay as they are."""
    import numpy as np

    if y.dtype == object:
        negative = "BENIGN" if (y == "BENIGN").any() else y.value_counts().index[0]
        return (y != negative).astype(int).to_numpy()
    values = np.sort(y.unique())
    return (y != values[0]).astype(int).to_numpy() if len(values) == 2 else y.to_numpy()
