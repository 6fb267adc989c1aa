"""Tests of snippets/linear.py: affine maps, linearity in the parameters, XOR."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.glm import fit_glm_irls
from snippets.linear import (
    XOR_X,
    XOR_Y,
    additive_design,
    affine_demo,
    affine_map,
    compose_affine,
    cubic_example,
    interaction_fits,
    least_squares,
    polynomial_design,
    r_squared,
    squared_error_hessian,
    superposition_defect,
    xor_logistic_raw,
    xor_product_feature_coefficients,
    xor_relu_network,
)


@pytest.mark.claim("affine-composition")
@pytest.mark.parametrize("seed", range(20))
def test_linear_maps_superpose_and_affine_maps_miss_by_one_minus_s_minus_t_times_c(seed: int) -> None:
    rng = np.random.default_rng(seed)
    p, q = rng.integers(1, 6, size=2)
    A, c = rng.standard_normal((q, p)), rng.standard_normal(q)
    x, x_prime = rng.standard_normal(p), rng.standard_normal(p)
    s, t = rng.uniform(-3, 3, size=2)
    assert np.max(np.abs(superposition_defect(affine_map(A, np.zeros(q)), x, x_prime, s, t))) < 1e-12
    defect = superposition_defect(affine_map(A, c), x, x_prime, s, t)
    np.testing.assert_allclose(defect, (1 - s - t) * c, rtol=1e-9, atol=1e-12)


@pytest.mark.claim("affine-composition")
@pytest.mark.parametrize("seed", range(20))
def test_a_composition_of_affine_maps_is_the_collapsed_affine_map(seed: int) -> None:
    rng = np.random.default_rng(seed)
    p, r, q = rng.integers(1, 6, size=3)
    A1, c1 = rng.standard_normal((r, p)), rng.standard_normal(r)
    A2, c2 = rng.standard_normal((q, r)), rng.standard_normal(q)
    A, c = compose_affine(A1, c1, A2, c2)
    for x in rng.standard_normal((10, p)):
        np.testing.assert_allclose(affine_map(A2, c2)(affine_map(A1, c1)(x)), affine_map(A, c)(x), atol=1e-12)


@pytest.mark.claim("affine-composition")
def test_the_numbers_on_the_page() -> None:
    demo = affine_demo()
    assert demo["linear"] < 1e-12 and demo["composition"] < 1e-12
    assert demo["affine"] == pytest.approx(demo["affine_predicted"], rel=1e-9)
    assert demo["affine"] > 0.01


@pytest.mark.claim("linear-in-parameters")
def test_cubic_regression_is_solved_by_one_linear_solve() -> None:
    x, y = cubic_example()
    beta = least_squares(polynomial_design(x, 3), y)
    np.testing.assert_allclose(beta, np.polyfit(x, y, 3)[::-1], atol=1e-8)


@pytest.mark.claim("linear-in-parameters")
def test_fitted_values_are_linear_in_beta_but_the_curve_is_not_linear_in_x() -> None:
    rng = np.random.default_rng(5)
    Phi = polynomial_design(np.linspace(-2, 2, 50), 3)
    b1, b2, a, b = rng.standard_normal(4), rng.standard_normal(4), 1.7, -0.4
    assert np.max(np.abs(Phi @ (a * b1 + b * b2) - a * Phi @ b1 - b * Phi @ b2)) < 1e-12
    x, y = cubic_example()
    beta = least_squares(polynomial_design(x, 3), y)

    def f(t: float) -> float:
        return float((polynomial_design(np.array([t]), 3) @ beta)[0])

    assert abs(f(2.0) - 2 * f(1.0)) > 0.1


@pytest.mark.claim("linear-in-parameters")
def test_the_squared_error_hessian_is_the_same_at_every_beta() -> None:
    x, y = cubic_example()
    Phi = polynomial_design(x, 3)
    H = squared_error_hessian(Phi)
    np.testing.assert_allclose(H, 2 * Phi.T @ Phi)

    def loss(beta: np.ndarray) -> float:
        return float(np.sum((y - Phi @ beta) ** 2))

    rng, h, eye = np.random.default_rng(1), 1e-3, np.eye(4)
    for beta in rng.standard_normal((2, 4)) * 3:
        # Central differences are exact for a quadratic, up to rounding.
        fd = np.array([[(loss(beta + h * (ei + ej)) - loss(beta + h * (ei - ej)) - loss(beta - h * (ei - ej))
                         + loss(beta - h * (ei + ej))) / (4 * h * h) for ej in eye] for ei in eye])
        np.testing.assert_allclose(fd, H, rtol=1e-5)


@pytest.mark.claim("xor-features")
def test_logistic_regression_on_raw_xor_inputs_is_stuck_at_one_half() -> None:
    assert np.array_equal(xor_logistic_raw(), np.full(4, 0.5))
    X = np.column_stack([np.ones(4), XOR_X])
    fit = fit_glm_irls(X, XOR_Y, "bernoulli")
    assert np.max(np.abs(fit.beta)) < 1e-12
    assert np.max(np.abs(X.T @ (XOR_Y - 0.5))) == 0  # the score vanishes at beta = 0


@pytest.mark.claim("xor-features")
def test_the_product_feature_and_the_relu_network_fit_xor_exactly() -> None:
    np.testing.assert_allclose(xor_product_feature_coefficients(), [0, 1, 1, -2], atol=1e-10)
    Phi = np.column_stack([np.ones(4), XOR_X, XOR_X[:, 0] * XOR_X[:, 1]])
    assert np.max(np.abs(Phi @ xor_product_feature_coefficients() - XOR_Y)) < 1e-12
    assert np.max(np.abs(xor_relu_network(XOR_X) - XOR_Y)) < 1e-12


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: affine_map(np.ones((2, 3)), np.ones(3)), ValueError, "A, c"),
        (lambda: polynomial_design(np.ones(3), -1), ValueError, "degree"),
        (lambda: polynomial_design(np.ones(3), 2.5), TypeError, "degree"),
        (lambda: polynomial_design(np.array([1.0, np.nan]), 2), ValueError, "x: expected finite values, got NaN"),
        (lambda: least_squares(np.ones((3, 2)), np.ones(4)), ValueError, "Phi, y"),
        (lambda: xor_relu_network(np.ones((4, 3))), ValueError, r"X: expected shape \(n, 2\), got shape \(4, 3\)"),
        (lambda: squared_error_hessian("Phi"), TypeError, "Phi"),
    ],
)
def test_bad_input_is_named(call, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()


def test_the_cubic_example_is_drawn_from_the_stated_model() -> None:
    # y = 1 - 2x + 0.5x^3 + noise of standard deviation 0.5, x uniform on [-2, 2].
    x, y = cubic_example(n=20_000)
    assert x.shape == y.shape == (20_000,)
    assert -2 <= x.min() < -1.99 and 1.99 < x.max() <= 2
    coefficients = least_squares(polynomial_design(x, 3), y)
    assert coefficients == pytest.approx([1.0, -2.0, 0.0, 0.5], abs=0.02)
    residuals = y - polynomial_design(x, 3) @ coefficients
    assert np.std(residuals) == pytest.approx(0.5, rel=0.03)
    assert np.array_equal(cubic_example(n=50)[1], cubic_example(n=50)[1])  # a fixed seed


@pytest.mark.claim("additive-misses-interaction")
def test_an_additive_model_misses_a_product_that_a_small_network_fits() -> None:
    fits = interaction_fits()
    assert fits["additive"] < 0.1 and fits["network"] > 0.95
    assert fits["additive_columns"] == 13 and fits["network_parameters"] == 17


def test_the_additive_design_has_no_column_that_mixes_the_inputs() -> None:
    X = np.random.default_rng(0).uniform(-1, 1, (30, 2))
    A = additive_design(X, 3)
    np.testing.assert_allclose(A, np.column_stack([np.ones(30), X[:, 0], X[:, 0] ** 2, X[:, 0] ** 3,
                                                   X[:, 1], X[:, 1] ** 2, X[:, 1] ** 3]))
    assert r_squared(X[:, 0], X[:, 0]) == 1.0
