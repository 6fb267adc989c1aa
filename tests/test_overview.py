"""Tests of snippets/overview.py: the first page's claim and its models."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from snippets.network import init_network, one_hidden_layer_params, params
from snippets.overview import (
    linear_predictor,
    network_second_derivative_along_line,
    one_hidden_layer,
    random_params,
    superposition_defect_glm,
    superposition_defect_network,
    superposition_defects,
)

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@pytest.mark.claim("network-not-linear-in-parameters")
@settings(max_examples=200, deadline=None)
@given(data=st.data(), p=st.integers(1, 8))
def test_glm_linear_predictor_is_linear_in_beta(data: st.DataObject, p: int) -> None:
    x, beta1, beta2 = (data.draw(arrays(float, p, elements=finite)) for _ in range(3))
    scale = 1 + np.abs(x) @ (np.abs(beta1) + np.abs(beta2))
    assert abs(superposition_defect_glm(x, beta1, beta2)) <= 1e-12 * scale


@pytest.mark.claim("network-not-linear-in-parameters")
def test_network_output_curves_along_generic_lines_in_parameter_space() -> None:
    rng = np.random.default_rng(2019)
    h = 1e-4
    for _ in range(200):
        d, M = int(rng.integers(1, 5)), int(rng.integers(1, 9))
        x, theta, direction = rng.standard_normal(d), random_params(rng, d, M), random_params(rng, d, M)
        exact = network_second_derivative_along_line(x, theta, direction)
        along = [one_hidden_layer(x, theta + t * direction) for t in (-h, 0.0, h)]
        central = (along[0] - 2 * along[1] + along[2]) / h**2
        assert exact == pytest.approx(central, rel=1e-4, abs=1e-6)
        assert abs(exact) > 1e-6  # generic: non-zero at every random draw
        assert abs(superposition_defect_network(x, theta, direction)) > 1e-8


@pytest.mark.claim("network-not-linear-in-parameters")
def test_first_page_numbers_show_the_contrast() -> None:
    defects = superposition_defects()
    assert defects["glm"] < 1e-12
    assert defects["network"] > 0.1


def test_network_with_frozen_hidden_layer_is_affine_in_output_layer() -> None:
    # The contrast is about the inner weights: with W and b fixed, f is affine in (v, c).
    rng = np.random.default_rng(3)
    x, theta = rng.standard_normal(3), random_params(rng, 3, 4)
    v1, v2 = rng.standard_normal(4), rng.standard_normal(4)

    (W, _), (b, _) = one_hidden_layer_params(theta)

    def f(v: np.ndarray, c: float) -> float:
        return one_hidden_layer(x, theta.with_params([W, v[None, :]], [b, np.array([c])]))

    assert f(v1 + v2, 2.0) - f(v1, 1.0) - f(v2, 1.0) + f(0 * v1, 0.0) == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: linear_predictor([1.0, 2.0], [1.0]), ValueError, "x, beta"),
        (lambda: linear_predictor([1.0, np.nan], [1.0, 2.0]), ValueError, "x: expected finite values, got NaN"),
        (lambda: linear_predictor("ab", [1.0, 2.0]), TypeError, "x: expected"),
        (lambda: linear_predictor([[1.0]], [1.0]), ValueError, "x: expected a 1-dimensional"),
        (lambda: one_hidden_layer(np.ones(2), init_network([2, 3, 3, 1])), ValueError, "theta: expected a one-hidden"),
        (lambda: one_hidden_layer(np.ones(2), random_params(np.random.default_rng(0), 3, 2)), ValueError,
         r"theta, x: expected x of shape \(d,\) with d = 3 as in theta"),
        (lambda: linear_predictor([True, False], [1.0, 2.0]), TypeError, "x: expected an array of real numbers"),
    ],
)
def test_bad_input_is_named(call, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()


def test_the_second_derivative_wants_one_input_vector() -> None:
    rng = np.random.default_rng(6)
    theta, direction = random_params(rng, 2, 3), random_params(rng, 2, 3)
    with pytest.raises(ValueError, match="^x: expected a 1-dimensional"):
        network_second_derivative_along_line(np.ones((2, 1)), theta, direction)


def test_network_parameters_add_and_scale_layer_by_layer() -> None:
    rng = np.random.default_rng(5)
    theta1, theta2 = random_params(rng, 3, 4), random_params(rng, 3, 4)
    total, scaled = theta1 + theta2, 2.5 * theta1
    assert np.array_equal(params(total), params(theta1) + params(theta2))
    assert np.array_equal(params(scaled), 2.5 * params(theta1)) and np.array_equal(params(theta1 * 2.5), params(scaled))
    assert (total.hidden, total.output, total.sizes) == ("tanh", "identity", (3, 4, 1))
    with pytest.raises(ValueError, match="^other: networks of different architectures"):
        theta1 + init_network([3, 4, 1], "relu")


def test_parameters_of_networks_of_different_shapes_do_not_add() -> None:
    rng = np.random.default_rng(0)
    small, large = random_params(rng, 2, 3), random_params(rng, 2, 4)
    with pytest.raises(TypeError):
        small + 1.0  # noqa: B018 (the operator is what is tested)
    with pytest.raises(ValueError, match=r"^theta2: expected parameters of the same network shape as theta1"):
        superposition_defect_network(np.ones(2), small, large)
