"""Isotonic calibration (numpy PAV) and knot reduction for the attention score (issue 7)."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from normcheck.rank.isotonic import fit_knots, pav, reduce_knots
from normcheck.rank.score import calibrate


@pytest.mark.parametrize(("x", "y", "w", "xs", "fit"), [
    ([0, 1, 2], [0, 1, 2], None, [0, 1, 2], [0, 1, 2]),               # already monotone
    ([0, 1, 2], [2, 1, 0], None, [0, 1, 2], [1, 1, 1]),               # fully reversed: one block
    ([0, 1, 2, 3], [0, 3, 1, 4], None, [0, 1, 2, 3], [0, 2, 2, 4]),   # one violation pooled
    ([0, 1], [1, 0], [3, 1], [0, 1], [0.75, 0.75]),                    # weighted mean
    ([0.5, 0.5, 0.2], [1, 0, 0], None, [0.2, 0.5], [0, 0.5]),          # equal x pooled first
])
def test_pav(x: list[float], y: list[float], w: list[float] | None, xs: list[float], fit: list[float]) -> None:
    gx, gy, _ = pav(x, y, w)
    assert gx.tolist() == pytest.approx(xs)
    assert gy.tolist() == pytest.approx(fit)


def test_pav_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="same length"):
        pav([0, 1], [0])
    with pytest.raises(ValueError, match="positive"):
        pav([0, 1], [0, 1], [1, 0])


def test_pav_is_monotone_and_least_squares_on_random_data() -> None:
    rng = np.random.default_rng(0)
    x = rng.random(300)
    y = (rng.random(300) < x**2).astype(float)
    _, gy, gw = pav(x, y)
    assert np.all(np.diff(gy) >= -1e-12)
    # the weighted mean is preserved by pooling
    assert float(np.sum(gy * gw)) == pytest.approx(float(y.sum()))


def test_fit_knots_recovers_a_convex_map_and_keeps_order() -> None:
    rng = np.random.default_rng(1)
    x = rng.random(20000).round(2)
    y = (rng.random(20000) < x**2).astype(float)
    knots = fit_knots(x, y, max_knots=6)
    assert knots[0][0] == 0.0 and knots[-1][0] == 1.0 and len(knots) <= 6
    xs = [k[0] for k in knots]
    ys = [k[1] for k in knots]
    assert all(b > a for a, b in pairwise(xs))
    assert all(b > a for a, b in pairwise(ys))  # strictly increasing: rankings kept
    for q in (0.2, 0.5, 0.8):
        assert calibrate(q, knots) == pytest.approx(q**2, abs=0.05)


def test_reduce_knots_min_slope_and_cap() -> None:
    knots = reduce_knots(np.array([0.0, 0.5, 1.0]), np.array([0.3, 0.3, 1.0]), np.ones(3), max_knots=3,
                         min_slope=0.1)
    assert knots == [(0.0, 0.3), (0.5, 0.35), (1.0, 1.0)]
    with pytest.raises(ValueError, match="max_knots"):
        reduce_knots(np.array([0.0]), np.array([0.0]), np.ones(1), max_knots=1)
