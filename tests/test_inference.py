"""Tests of snippets/inference.py: the likelihood-ratio test for one more hidden unit, and inference
on a learned feature, each against the least-squares fits it stands for."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from snippets.inference import (
    B_GRID,
    W_RANGES,
    added_unit_null_summary,
    added_unit_statistics,
    learned_unit_t2,
    likelihood_ratio,
    separated_network_growth,
    split_sample_t2,
    unit_columns,
    w_grid,
)

X = np.linspace(-2, 2, 30)
W, B = np.array([0.5, 1.5, 3.0]), np.array([-1.0, 0.0, 1.0])


def rss(design: np.ndarray, y: np.ndarray) -> float:
    return float(np.sum((y - design @ np.linalg.lstsq(design, y, rcond=None)[0]) ** 2))


def null_design(x: np.ndarray) -> np.ndarray:
    return np.column_stack([np.ones_like(x), x])


def test_the_drop_is_the_fall_in_residual_sum_of_squares_of_the_best_unit_on_the_grid() -> None:
    Y = np.random.default_rng(1).standard_normal((5, len(X)))
    s = added_unit_statistics(Y, X, W, B)
    for y, rss0, drop, column in zip(Y, s["rss0"], s["drop"], s["column"], strict=True):
        fits = [rss(np.column_stack([null_design(X), np.tanh(w * X + b)]), y) for w in W for b in B]
        assert rss0 == pytest.approx(rss(null_design(X), y), rel=1e-10)
        assert rss0 - drop == pytest.approx(min(fits), rel=1e-9)
        assert column == int(np.argmin(fits))


def test_the_unit_columns_are_orthogonal_to_the_null_model_and_of_unit_length() -> None:
    H = unit_columns(X, W, B)
    assert H.shape == (len(X), len(W) * len(B))
    np.testing.assert_allclose(null_design(X).T @ H, 0, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(H, axis=0), 1, rtol=1e-12)


def test_the_statistics_are_the_likelihood_ratio_and_the_squared_t_of_v() -> None:
    y = np.random.default_rng(2).standard_normal(len(X))
    h = np.tanh(1.5 * X)
    full = np.column_stack([null_design(X), h])
    rss0, rss1 = rss(null_design(X), y), rss(full, y)
    assert likelihood_ratio(np.array([rss0]), np.array([rss0 - rss1]), len(X))[0] == \
        pytest.approx(len(X) * np.log(rss0 / rss1), rel=1e-12)
    beta = np.linalg.lstsq(full, y, rcond=None)[0]
    se = np.sqrt(rss1 / (len(X) - 3) * np.linalg.inv(full.T @ full)[2, 2])
    assert learned_unit_t2(np.array([rss0]), np.array([rss0 - rss1]), len(X))[0] == \
        pytest.approx((beta[2] / se) ** 2, rel=1e-9)


def test_the_split_fits_v_on_the_odd_observations_with_the_unit_learned_on_the_even() -> None:
    Y = np.random.default_rng(3).standard_normal((4, len(X)))
    chosen = added_unit_statistics(Y[:, ::2], X[::2], W, B)["column"]
    x_fit = X[1::2]
    for y, column, t2 in zip(Y[:, 1::2], chosen, split_sample_t2(Y, X, W, B), strict=True):
        w, b = W[column // len(B)], B[column % len(B)]
        full = np.column_stack([null_design(x_fit), np.tanh(w * x_fit + b)])
        rss1 = rss(full, y)
        beta = np.linalg.lstsq(full, y, rcond=None)[0]
        se = np.sqrt(rss1 / (len(x_fit) - 3) * np.linalg.inv(full.T @ full)[2, 2])
        assert t2 == pytest.approx((beta[2] / se) ** 2, rel=1e-9)


def test_each_wider_range_of_slopes_searches_a_superset() -> None:
    grids = [set(w_grid(w_max)) for w_max in W_RANGES]
    assert all(a < b for a, b in zip(grids, grids[1:], strict=False))
    assert min(grids[0]) > 0 and max(grids[-1]) == W_RANGES[-1]


@pytest.mark.claim("added-unit-lr")
def test_the_added_unit_lr_statistic_is_not_chi_squared_and_depends_on_the_search() -> None:
    summary = added_unit_null_summary()
    assert summary["chi2_1_size"] > 0.2  # a test at 5% that rejects a true null in more than 1 in 5
    percentiles = summary["lr_95th_percentiles"]
    assert all(a < b for a, b in zip(percentiles, percentiles[1:], strict=False))
    assert percentiles[0] > 1.5 * stats.chi2.ppf(0.95, 1)


@pytest.mark.claim("learned-features-inference")
def test_naive_intervals_on_a_learned_unit_miss_too_often_and_split_intervals_do_not() -> None:
    summary = added_unit_null_summary()
    monte_carlo_sd = np.sqrt(0.05 * 0.95 / summary["replicates"])
    assert summary["naive_miss_rate"] > 0.2
    assert abs(summary["split_miss_rate"] - 0.05) < 3 * monte_carlo_sd


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: unit_columns(X, np.array([0.0, 1.0]), B), "w_grid: expected positive slopes"),
        (lambda: added_unit_statistics(np.ones((2, 3)), np.array([0.0, 1.0, 1.0]), W, B), "x: expected at least 4"),
        (lambda: likelihood_ratio(np.array([1.0]), np.array([1.0]), 10), "drop: expected 0 <= drop < rss0"),
        (lambda: learned_unit_t2(np.array([1.0]), np.array([-0.1]), 10), "drop: expected 0 <= drop < rss0"),
        (lambda: separated_network_growth((10, 5)), "checkpoints: expected increasing step counts"),
    ],
)
def test_bad_input_is_named(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_the_b_grid_is_the_pages_range() -> None:
    assert B_GRID[0] == -2 and B_GRID[-1] == 2 and len(B_GRID) == 21


@pytest.mark.claim("network-separation")
def test_a_network_that_separates_xor_drives_its_loss_down_and_its_norm_up() -> None:
    growth = separated_network_growth()
    losses, norms = growth["loss"], growth["norm"]
    assert all(later < earlier / 5 for earlier, later in zip(losses, losses[1:], strict=False))
    assert all(later > earlier + 2 for earlier, later in zip(norms, norms[1:], strict=False))
    assert growth["steps"] == (30.0, 300.0, 3000.0)
