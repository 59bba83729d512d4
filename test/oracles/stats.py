#!/usr/bin/env python3
"""scipy's and numpy's statistics, as references for DriftCatcher's drift tests.

commands (request = one JSON object):
  two_sample {"a": [numbers], "b": [numbers]}
      -> {ks: {statistic, pvalue} (scipy.stats.ks_2samp), wasserstein (scipy.stats.wasserstein_distance),
          a: {n, mean, std, std_ddof1}, b: {…}}
  quantiles {"x": [numbers], "q": [probabilities]} -> {values: np.quantile(x, q)} (linear interpolation)
  linspace {"start", "stop", "num"} -> {values: np.linspace(start, stop, num)}
  kolmogorov {"x": [numbers]} -> {values: scipy.special.kolmogorov(x)} (the KS survival function)
  chi2_sf {"points": [[x, df], …]} -> {values: scipy.stats.chi2.sf(x, df)}
  chi2_contingency {"table": [[counts], …]} -> {statistic, pvalue, dof} (Pearson, no continuity correction)
  jensenshannon {"p": [numbers], "q": [numbers], "base"?: 2} -> {distance} (scipy.spatial.distance.jensenshannon)
  kalman_trend {"y": [numbers], "r": [variances], "q": level variance, "slope_q": slope variance}
      -> {one_step: [...], next: m, next_var: v, next_slope: s, next_slope_var: w}: the textbook Kalman filter (numpy matrices) of a local linear
         trend, state (level, slope), F = [[1, 1], [0, 1]], H = [1, 0], process noise diag(q, slope_q), observation
         i with variance r[i]; prior one step before y[0]: mean 0, covariance diag(q, slope_q); one_step[i] = the predicted
         level before y[i] is seen; next / next_var (next_slope / next_slope_var) = the level (slope) predicted one step after the last
"""
import oracle_cli
from oracle_cli import BadRequest, field


def numbers(request, name):
    import numpy as np

    value = field(request, name, list)
    try:
        return np.array(value, dtype=float)
    except (TypeError, ValueError):
        raise BadRequest(f"request field '{name}' must be a list of numbers")


def describe(x):
    return {"n": int(x.size), "mean": float(x.mean()), "std": float(x.std()), "std_ddof1": float(x.std(ddof=1)) if x.size > 1 else None}


def two_sample(request):
    from scipy import stats

    a, b = numbers(request, "a"), numbers(request, "b")
    if not a.size or not b.size:
        raise BadRequest("a and b must not be empty")
    ks = stats.ks_2samp(a, b)
    return {"ks": {"statistic": float(ks.statistic), "pvalue": float(ks.pvalue)},
            "wasserstein": float(stats.wasserstein_distance(a, b)), "a": describe(a), "b": describe(b)}


def quantiles(request):
    import numpy as np

    return {"values": np.quantile(numbers(request, "x"), numbers(request, "q"))}


def linspace(request):
    import numpy as np

    return {"values": np.linspace(field(request, "start", (int, float)), field(request, "stop", (int, float)), field(request, "num", int))}


def kolmogorov(request):
    from scipy import special

    return {"values": special.kolmogorov(numbers(request, "x"))}


def chi2_sf(request):
    from scipy import stats

    points = numbers(request, "points")
    if points.ndim != 2 or points.shape[1] != 2:
        raise BadRequest("points must be a list of [x, df] pairs")
    return {"values": stats.chi2.sf(points[:, 0], points[:, 1])}


def chi2_contingency(request):
    from scipy import stats

    statistic, pvalue, dof, _ = stats.chi2_contingency(numbers(request, "table"), correction=False)
    return {"statistic": float(statistic), "pvalue": float(pvalue), "dof": int(dof)}


def jensenshannon(request):
    from scipy.spatial import distance

    return {"distance": float(distance.jensenshannon(numbers(request, "p"), numbers(request, "q"), base=field(request, "base", (int, float), 2)))}


def kalman_trend(request):
    import numpy as np

    y = numbers(request, "y")
    r = numbers(request, "r")
    q = field(request, "q", (int, float))
    slope_q = field(request, "slope_q", (int, float))
    F = np.array([[1.0, 1.0], [0.0, 1.0]])
    H = np.array([[1.0, 0.0]])
    Q = np.diag([q, slope_q])
    x = np.zeros((2, 1))
    P = np.diag([q, slope_q])
    one_step = []
    for yi, ri in zip(y, r):
        x = F @ x
        P = F @ P @ F.T + Q
        one_step.append(float(x[0, 0]))
        S = H @ P @ H.T + ri
        K = P @ H.T / S
        x = x + K * (yi - (H @ x)[0, 0])
        P = (np.eye(2) - K @ H) @ P
    x = F @ x
    P = F @ P @ F.T + Q
    return {"one_step": one_step, "next": float(x[0, 0]), "next_var": float(P[0, 0]), "next_slope": float(x[1, 0]), "next_slope_var": float(P[1, 1])}


if __name__ == "__main__":
    oracle_cli.main(__doc__, {"two_sample": two_sample, "quantiles": quantiles, "linspace": linspace, "kolmogorov": kolmogorov,
                              "chi2_sf": chi2_sf, "chi2_contingency": chi2_contingency, "jensenshannon": jensenshannon,
                              "kalman_trend": kalman_trend},
                    requires=["numpy", "scipy"])
