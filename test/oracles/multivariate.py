#!/usr/bin/env python3
"""scikit-learn's side of multivariate drift: PCA reconstruction error as NannyML computes it, a random-forest
domain classifier scored by cross-validated ROC AUC, and scikit-learn's bundled real data sets.

commands (request = one JSON object):
  dataset {"name": "wine" | "breast_cancer" | "digits"}
      -> {"columns": [names], "rows": [[numbers]], "target": [codes]}
  pca_reconstruction {"reference": [[row]], "analysis": [[row]], "variance": 0.65}
      -> StandardScaler + PCA(n_components=variance, svd_solver="full") fitted on reference:
         {"components", "explained", "reference_errors": [per row], "analysis_errors": [per row]}
  domain_auc {"reference": [[row]], "analysis": [[row]], "folds": 5, "trees": 100}
      -> {"auc": mean ROC AUC of RandomForestClassifier over StratifiedKFold(shuffle, seed 42), "fold_aucs": [...]}
"""
import oracle_cli
from oracle_cli import BadRequest, field


def dataset(request):
    from sklearn import datasets

    name = field(request, "name", str)
    loaders = {"wine": datasets.load_wine, "breast_cancer": datasets.load_breast_cancer, "digits": datasets.load_digits}
    if name not in loaders:
        raise BadRequest(f"unknown data set '{name}' (known: {', '.join(sorted(loaders))})")
    d = loaders[name]()
    return {"columns": [str(c) for c in d.feature_names], "rows": d.data.tolist(), "target": d.target.tolist()}


def pca_reconstruction(request):
    import numpy as np
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler

    ref = np.asarray(field(request, "reference", list), dtype=float)
    ana = np.asarray(field(request, "analysis", list), dtype=float)
    scaler = StandardScaler().fit(ref)
    pca = PCA(n_components=float(field(request, "variance", (int, float), 0.65)), svd_solver="full").fit(scaler.transform(ref))

    def errors(x):
        z = scaler.transform(x)
        return np.linalg.norm(z - pca.inverse_transform(pca.transform(z)), axis=1)

    return {
        "components": int(pca.n_components_),
        "explained": float(pca.explained_variance_ratio_.sum()),
        "reference_errors": errors(ref),
        "analysis_errors": errors(ana),
    }


def domain_auc(request):
    import numpy as np
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    ref = np.asarray(field(request, "reference", list), dtype=float)
    ana = np.asarray(field(request, "analysis", list), dtype=float)
    x = np.vstack([ref, ana])
    y = np.r_[np.zeros(len(ref)), np.ones(len(ana))]
    folds = StratifiedKFold(n_splits=int(field(request, "folds", int, 5)), shuffle=True, random_state=42)
    forest = RandomForestClassifier(n_estimators=int(field(request, "trees", int, 100)), random_state=42, n_jobs=1)
    aucs = cross_val_score(forest, x, y, cv=folds, scoring="roc_auc")
    return {"auc": float(aucs.mean()), "fold_aucs": aucs}


if __name__ == "__main__":
    oracle_cli.main(__doc__, {"dataset": dataset, "pca_reconstruction": pca_reconstruction, "domain_auc": domain_auc}, requires=["numpy", "sklearn"])
