"""Tests of snippets/glm_again.py: random features, the last layer, the lazy regime."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.glm_again import (
    fit_penalised_logistic_newton,
    last_layer_summary,
    lazy_summary,
    lazy_table,
    ntk_network,
    random_feature_design,
    random_features_summary,
    random_fourier_features,
    random_fourier_kernel_errors,
    two_moons,
)


@pytest.mark.claim("random-features-glm")
def test_gradient_descent_from_any_start_reaches_the_unique_estimate() -> None:
    summary = random_features_summary()
    assert summary["gd_distance_1"] < 1e-6
    assert summary["gd_distance_2"] < 1e-6
    assert summary["worst_midpoint_excess"] <= 1e-12


@pytest.mark.claim("random-features-glm")
def test_the_penalised_newton_fit_is_stationary() -> None:
    X, y = two_moons()
    Phi = random_feature_design(X)
    beta = fit_penalised_logistic_newton(Phi, y, 0.05)
    mu = 1 / (1 + np.exp(-Phi @ beta))
    assert np.max(np.abs(Phi.T @ (mu - y) / len(y) + 0.05 * beta)) < 1e-10


@pytest.mark.claim("last-layer-refit")
def test_refitting_the_last_layer_as_a_glm_never_raises_the_loss() -> None:
    summary = last_layer_summary()
    assert summary["accuracy"] > 0.9
    assert summary["refit_objective"] <= summary["network_objective"] + 1e-12
    assert summary["refit_gradient"] < 1e-8


@pytest.mark.claim("lazy-regime")
def test_wide_networks_stay_close_to_their_linearisation() -> None:
    summary = lazy_summary()
    assert summary[3200]["gap"] < summary[50]["gap"] / 4
    assert summary[3200]["relative_change"] < summary[50]["relative_change"] / 4
    assert summary[400]["relative_change"] / summary[3200]["relative_change"] == pytest.approx(np.sqrt(8), rel=0.25)
    assert all(row["training_mse"] < 0.1 for row in summary.values())


def test_two_moons_is_balanced_and_reproducible() -> None:
    X, y = two_moons()
    assert X.shape == (200, 2) and y.mean() == 0.5
    assert np.array_equal(two_moons()[0], X)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: two_moons(n=0), ValueError, "n: expected a positive integer"),
        (lambda: ntk_network(2.5), TypeError, "width"),
    ],
)
def test_bad_input_is_named(call, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()


@pytest.mark.claim("random-fourier-features")
def test_random_fourier_features_estimate_the_gaussian_kernel_at_the_root_m_rate() -> None:
    errors = random_fourier_kernel_errors()
    assert errors["10000"] < 0.05
    assert 2 < errors["100"] / errors["1000"] < 5
    assert 2 < errors["1000"] / errors["10000"] < 5


def test_random_fourier_features_refuse_bad_input() -> None:
    with pytest.raises(ValueError, match="X"):
        random_fourier_features(np.ones(3), 10)
    with pytest.raises(ValueError, match="M"):
        random_fourier_features(np.ones((3, 2)), 0)


def test_two_moons_are_two_half_circles_plus_noise() -> None:
    X, y = two_moons(400, noise=0.0)
    assert y.tolist() == [0.0, 1.0] * 200
    upper, lower = X[y == 0], X[y == 1]
    # Class 0 on the upper half of the unit circle; class 1 on the lower half of the unit circle
    # centred at (1, 0.5).
    assert np.hypot(*upper.T) == pytest.approx(1.0) and upper[:, 1].min() >= 0
    assert np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5) == pytest.approx(1.0) and lower[:, 1].max() <= 0.5
    assert upper[:, 0].min() < -0.99 and upper[:, 0].max() > 0.99  # angles spread over [0, pi]
    noisy, _ = two_moons(400, noise=0.25)
    assert np.std(noisy - X) == pytest.approx(0.25, rel=0.1)


def test_the_lazy_table_names_each_number_by_what_and_width() -> None:
    # The page reads the lazy-regime numbers as gap_50, relative_change_400, ...
    table, summary = lazy_table(), lazy_summary()
    assert len(table) == sum(len(row) for row in summary.values())
    for width, row in summary.items():
        for key, value in row.items():
            assert table[f"{key}_{width}"] == value
