"""Isotonic calibration with numpy: pool-adjacent-violators, then a few piecewise-linear knots.

Used by ``scripts/calibrate_rank.py`` to fit the knots of :func:`normcheck.rank.score.calibrate`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Knots = list[tuple[float, float]]


def pav(x: Sequence[float] | np.ndarray, y: Sequence[float] | np.ndarray,
        w: Sequence[float] | np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted least-squares non-decreasing fit of ``y`` on ``x`` (pool adjacent violators).

    Returns ``(xs, fit, weight)`` over the distinct values of ``x`` (ascending): the fitted value at
    each and the total weight there. Equal ``x`` are pooled first, so the fit is a function of ``x``.
    """
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    wa = np.ones_like(xa) if w is None else np.asarray(w, dtype=float)
    if xa.shape != ya.shape or xa.shape != wa.shape or xa.ndim != 1:
        raise ValueError("x, y and w must be 1-d arrays of the same length")
    if xa.size == 0:
        raise ValueError("pav needs at least one point")
    if np.any(wa <= 0):
        raise ValueError("weights must be positive")
    xs, inv = np.unique(xa, return_inverse=True)
    gw = np.bincount(inv, weights=wa)
    gy = np.bincount(inv, weights=wa * ya) / gw
    # blocks as a stack: (weighted mean, weight, number of groups)
    means: list[float] = []
    weights: list[float] = []
    sizes: list[int] = []
    for m, wt in zip(gy.tolist(), gw.tolist(), strict=True):
        means.append(m)
        weights.append(wt)
        sizes.append(1)
        while len(means) > 1 and means[-2] > means[-1]:
            m2, w2, s2 = means.pop(), weights.pop(), sizes.pop()
            tot = weights[-1] + w2
            means[-1] = (means[-1] * weights[-1] + m2 * w2) / tot
            weights[-1] = tot
            sizes[-1] += s2
    fit = np.repeat(np.array(means), np.array(sizes))
    return xs, fit, gw


def _interp(xq: np.ndarray, kx: np.ndarray, ky: np.ndarray) -> np.ndarray:
    return np.interp(xq, kx, ky)


def reduce_knots(xs: np.ndarray, fit: np.ndarray, weight: np.ndarray, max_knots: int = 8,
                 min_slope: float = 0.01, max_candidates: int = 200) -> Knots:
    """A handful of knots ``(x, y)`` on [0, 1] approximating an isotonic fit.

    ``y`` at a knot is the fit interpolated linearly between the distinct ``xs`` (held constant
    beyond them), so the knots are monotone. Knots are added greedily (from 0 and 1) at the ``xs``
    (at most ``max_candidates`` of them, evenly spread) that most reduce the weighted squared gap
    to the fit, up to ``max_knots``. Finally each segment gets at least ``min_slope``, so the map
    is strictly increasing and keeps every ranking (y is capped at 1).
    """
    if max_knots < 2:
        raise ValueError("max_knots must be at least 2")
    xs = np.clip(np.asarray(xs, dtype=float), 0.0, 1.0)
    fit = np.clip(np.asarray(fit, dtype=float), 0.0, 1.0)
    weight = np.asarray(weight, dtype=float)
    knots_x = [0.0, 1.0]
    cands = sorted({round(float(v), 4) for v in xs} - {0.0, 1.0})
    if len(cands) > max_candidates:  # evenly spaced among the distinct values
        cands = [cands[i] for i in np.linspace(0, len(cands) - 1, max_candidates).round().astype(int)]

    def err(kx: list[float]) -> float:
        kxa = np.array(kx)
        ky = _interp(kxa, xs, fit)
        return float(np.sum(weight * (_interp(xs, kxa, ky) - fit) ** 2))

    best = err(knots_x)
    while len(knots_x) < max_knots and cands:
        trials = [(err(sorted([*knots_x, c])), c) for c in cands]
        e, c = min(trials)
        if e >= best - 1e-12:
            break
        best = e
        knots_x = sorted([*knots_x, c])
        cands.remove(c)
    kx = np.array(knots_x)
    ky = _interp(kx, xs, fit)
    for i in range(1, ky.size):
        ky[i] = max(ky[i], ky[i - 1] + min_slope * (kx[i] - kx[i - 1]))
    ky = np.minimum(ky, 1.0)
    return [(round(float(a), 4), round(float(b), 4)) for a, b in zip(kx, ky, strict=True)]


def fit_knots(raw: Sequence[float] | np.ndarray, label: Sequence[float] | np.ndarray, *, max_knots: int = 8,
              prior_weight: float = 2.0, min_slope: float = 0.01) -> Knots:
    """Knots of a monotone map from raw scores to the rate of positive labels.

    ``prior_weight`` pseudo-observations on the identity (at x = 0, 0.1, ..., 1 with label x) keep
    sparse regions near the identity instead of a jump to 0 or 1 on a handful of clauses.
    """
    r = np.clip(np.asarray(raw, dtype=float), 0.0, 1.0)
    lab = np.asarray(label, dtype=float)
    w = np.ones_like(r)
    if prior_weight > 0:
        grid = np.linspace(0.0, 1.0, 11)
        r = np.concatenate([r, grid])
        lab = np.concatenate([lab, grid])
        w = np.concatenate([w, np.full(grid.size, prior_weight)])
    xs, fit, gw = pav(r, lab, w)
    return reduce_knots(xs, fit, gw, max_knots=max_knots, min_slope=min_slope)
