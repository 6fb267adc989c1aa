"""Tests of snippets/universal.py: the constructions, their rates, and the theorem's limits."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from snippets.network import predict
from snippets.universal import (
    approximation_errors,
    count_pieces,
    depth_slider_frames,
    error_ratios,
    interpolating_relu,
    noise_interpolation,
    piecewise_linear_summary,
    polynomial_activation_summary,
    polynomial_regression_errors,
    relu_interpolant,
    sawtooth,
    sawtooth_pieces,
    shallow_max_pieces,
    sigmoid_staircase,
    target,
    tent,
    width_slider_frames,
)


@pytest.mark.claim("relu-interpolant-rate")
def test_relu_interpolant_error_quarters_when_the_width_doubles() -> None:
    errors = approximation_errors()
    assert all(e <= bound for e, bound in zip(errors["relu"], errors["relu_bound"], strict=True))
    assert all(3.5 < r < 4.5 for r in error_ratios("relu"))


@pytest.mark.claim("relu-interpolant-rate")
def test_the_relu_network_interpolates_at_its_knots() -> None:
    knots = np.arange(17) / 16
    np.testing.assert_allclose(predict(relu_interpolant(target, 16), knots[:, None])[:, 0], target(knots), atol=1e-12)


def test_the_staircase_is_the_formula_on_the_page() -> None:
    # f(0) + sum_{i=1}^N (f(x_i) - f(x_{i-1})) sigma(k (x - t_i)), t_i the midpoints, k = 400 N
    N, x = 8, np.linspace(0, 1, 201)
    knots = np.arange(N + 1) / N
    t = (knots[:-1] + knots[1:]) / 2
    steps = (1 + np.tanh(200 * N * (x[:, None] - t[None, :]))) / 2  # sigma(z) = (1 + tanh(z/2))/2
    formula = target(0.0) + steps @ np.diff(target(knots))
    assert np.allclose(predict(sigmoid_staircase(target, N), x[:, None])[:, 0], formula, atol=1e-12)


@pytest.mark.claim("sigmoid-staircase-rate")
def test_sigmoid_staircase_error_halves_when_the_width_doubles() -> None:
    assert all(1.7 < r < 2.3 for r in error_ratios("staircase"))
    assert approximation_errors()["staircase"][0] > approximation_errors()["relu"][0]


@pytest.mark.claim("universality-does-not-generalise")
def test_an_interpolating_network_fits_noise_and_predicts_worse_than_zero() -> None:
    result = noise_interpolation()
    assert result["units"] == 29
    assert result["train_error"] < 1e-8
    assert result["test_mse"] > 0.9


@pytest.mark.claim("polynomial-regression-universal")
def test_polynomial_regression_errors_fall_to_zero() -> None:
    errors = polynomial_regression_errors()["errors"]
    assert all(b < a for a, b in pairwise(errors))
    assert errors[-1] < 1e-6


@pytest.mark.claim("polynomial-activation-stuck")
def test_a_quadratic_activation_gives_the_best_quadratic_at_every_width() -> None:
    summary = polynomial_activation_summary()
    for width in (5, 50, 500):
        assert summary[f"square_{width}_rank"] == 3
        assert summary[f"square_{width}_residual"] == pytest.approx(summary["quadratic_residual"], rel=1e-8)
    assert summary["tanh_500_residual"] < summary["tanh_5_residual"] / 100
    assert summary["depth_two_rank"] <= 5
    assert summary["two_inputs_rank"] == 6


@pytest.mark.claim("relu-piecewise-linear")
def test_a_relu_network_is_affine_on_each_activation_region() -> None:
    summary = piecewise_linear_summary()
    assert summary["max_error"] < 1e-10 and summary["max_error_nearby"] < 1e-10
    assert summary["patterns"] > 10
    assert summary["kink_fraction"] < 0.02


@pytest.mark.claim("sawtooth-depth")
def test_the_sawtooth_doubles_its_pieces_with_each_layer() -> None:
    assert [sawtooth_pieces(k) for k in range(1, 11)] == [2**k for k in range(1, 11)]


@pytest.mark.claim("sawtooth-depth")
def test_shallow_networks_have_at_most_one_piece_per_unit_plus_one() -> None:
    for M, most in shallow_max_pieces().items():
        assert most <= M + 1


def test_the_tent_map_and_the_piece_counter() -> None:
    np.testing.assert_allclose(tent(np.array([0.0, 0.25, 0.5, 0.75, 1.0])), [0, 0.5, 1, 0.5, 0])
    # A kink strictly between grid points is counted once, not twice.
    x = np.linspace(0, 1, 11)
    assert count_pieces(np.abs(x - 0.33)) == 2
    assert count_pieces(x) == 1


def test_slider_frames_have_one_frame_per_value() -> None:
    for frames in (width_slider_frames(), depth_slider_frames()):
        n = len(frames["values"])
        assert len(frames["readouts"]) == n and 0 <= frames["initial"] < n
        assert all(len(s["frames"]) == n and all(len(f) == len(frames["x"]) for f in s["frames"])
                   for s in frames["series"])
    np.testing.assert_allclose(depth_slider_frames()["series"][0]["frames"][2],
                               sawtooth(np.array(depth_slider_frames()["x"]), 3),
                               atol=1e-3)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: relu_interpolant(target, 0), ValueError, "M: expected a positive integer"),
        (lambda: sigmoid_staircase(target, 2.5), TypeError, "M"),
        (lambda: interpolating_relu(np.array([0.0, 0.0, 1.0]), np.array([1.0, 2.0, 3.0])), ValueError, "distinct"),
        (lambda: interpolating_relu(np.array([0.0, 1.0]), np.array([1.0])), ValueError, "x, y"),
        (lambda: sawtooth(np.array([0.5]), 0), ValueError, "L: expected a positive integer"),
    ],
)
def test_bad_input_is_named(call, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()


def test_the_local_affine_map_is_only_for_relu_networks_with_an_identity_output() -> None:
    from snippets.network import init_network
    from snippets.universal import local_affine_map

    with pytest.raises(ValueError, match=r"^net: expected ReLU hidden units and an identity output"):
        local_affine_map(init_network([2, 3, 1], "tanh"), np.zeros(2))
