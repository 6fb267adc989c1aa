"""The code is the formula its page and docstring state: each function against the formula written
out independently, at points where a slip (a sign, a factor, an index) would show."""

from __future__ import annotations

import numpy as np
import pytest

from snippets import glm, glm_again, neuron, stacking, universal
from snippets.network import init_network, params, predict, sigmoid

POINTS = np.array([-0.7, 0.0, 0.25, 0.6, 1.3])


def second_derivative(f, w: np.ndarray, h: float = 1e-4) -> np.ndarray:
    return (f(w + h) - 2 * f(w) + f(w - h)) / h**2


def test_the_targets_are_the_stated_functions() -> None:
    np.testing.assert_allclose(universal.target(POINTS), np.sin(2 * np.pi * POINTS) + POINTS**2, rtol=1e-15)
    np.testing.assert_allclose(universal.polynomial_target(POINTS), np.sin(3 * POINTS) + np.abs(POINTS), rtol=1e-15)


def test_the_curvatures_are_the_second_derivatives_of_the_two_losses() -> None:
    w = np.array([-3.0, -1.0, 0.0, 0.5, 2.0])
    np.testing.assert_allclose(neuron.cross_entropy_curvature(w), second_derivative(lambda t: -np.log(sigmoid(t)), w),
                               rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(neuron.squared_error_curvature(w),
                               second_derivative(lambda t: (1 - sigmoid(t)) ** 2, w), rtol=1e-5, atol=1e-7)


def test_the_ridge_sum_network_is_the_stated_sum_of_two_ridges() -> None:
    X = np.array([[0.3, -1.2], [1.0, 0.4], [-0.5, -0.5]])
    expected = 1 / (1 + np.exp(-(np.tanh(X[:, 0] + X[:, 1]) - np.tanh(X[:, 0] - X[:, 1]))))
    np.testing.assert_allclose(stacking.ridge_sum_net(X), expected, rtol=1e-14)


def test_the_mean_squared_loss_and_the_midpoint_are_as_defined() -> None:
    a, b = init_network((1, 3, 1), seed=1, scale=1.0), init_network((1, 3, 1), seed=2, scale=1.0)
    X = stacking.TEACHER_X
    gap = predict(a, X) - predict(b, X)
    assert stacking.mean_squared_loss(a, b, X) == pytest.approx(float(np.mean(gap**2) / 2), rel=1e-14)
    np.testing.assert_allclose(params(stacking.midpoint(a, b)), (params(a) + params(b)) / 2, rtol=1e-15)


def test_the_penalised_objective_is_the_mean_log_loss_plus_the_ridge() -> None:
    rng = np.random.default_rng(3)
    Phi, beta, y = rng.standard_normal((6, 3)), rng.standard_normal(3), np.array([0, 1, 1, 0, 1, 0.0])
    eta = Phi @ beta
    expected = np.mean(np.log1p(np.exp(eta)) - y * eta) + 0.3 / 2 * np.sum(beta**2)
    assert glm_again.penalised_logistic_objective(Phi, y, beta, 0.3) == pytest.approx(expected, rel=1e-13)


def test_the_poisson_deviance_of_non_integer_counts_is_the_formula() -> None:
    y, mu = np.array([0.0, 0.5, 2.0, 3.5]), np.array([1.0, 0.8, 1.5, 4.0])
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(y > 0, y * np.log(y / mu), 0.0) - (y - mu)
    assert glm.deviance(y, mu, glm.FAMILIES["poisson"]) == pytest.approx(2 * np.sum(terms), rel=1e-13)


def test_the_separation_descent_starts_from_zero_on_the_stated_points() -> None:
    t, w = glm.separation_gradient_descent(steps=3, learning_rate=1.0)
    assert t.tolist() == [1, 2, 3]
    # From w = 0 on x = (-2, -1, 1, 2), y = (0, 0, 1, 1): the first step is -mean((1/2 - y) x) = 0.75.
    assert w[0] == pytest.approx(0.75, rel=1e-15)
    x, y = np.array([-2.0, -1.0, 1.0, 2.0]), np.array([0.0, 0.0, 1.0, 1.0])
    assert w[1] == pytest.approx(0.75 - np.mean((sigmoid(0.75 * x) - y) * x), rel=1e-14)


def test_the_irls_errors_are_those_of_every_step_before_the_last() -> None:
    X, y, _ = glm.simulated_logistic(seed=1)
    fit = glm.fit_glm_irls(X, y, "bernoulli", tol=1e-15)
    errors = glm.irls_errors()
    assert len(errors) == fit.n_iterations - 1
    assert errors[0] == pytest.approx(float(np.max(np.abs(fit.iterations[0].beta - fit.beta))), rel=1e-14)


def test_pieces_are_counted_at_the_kinks() -> None:
    grid = np.linspace(0, 1, 101)
    assert universal.count_pieces(np.abs(grid - 0.5)) == 2
    assert universal.count_pieces(grid) == 1
    assert universal.count_pieces(np.maximum(grid - 0.01, 0)) == 2  # a kink at the first interior point
    assert universal.count_pieces(np.abs(np.abs(grid - 0.5) - 0.25)) == 4


def test_the_local_affine_map_of_a_deep_relu_network_reproduces_it() -> None:
    net = universal.small_relu_2d()  # two hidden layers of 16 units
    for x in np.random.default_rng(4).standard_normal((5, 2)):
        A, c = universal.local_affine_map(net, x)
        np.testing.assert_allclose(A @ x + c, predict(net, x[None, :])[0], rtol=1e-12, atol=1e-12)


def test_a_unit_exactly_at_zero_is_off() -> None:
    from snippets.stacking import two_layer
    net = two_layer(np.array([[1.0], [1.0]]), np.array([0.0, -1.0]), np.ones(2), 0.0, "relu")
    assert universal.activation_pattern(net, np.array([[0.0], [1.5]])).tolist() == [[False, False], [True, True]]


def test_the_one_hot_kind_needs_two_classes_and_rows_summing_to_one() -> None:
    from snippets._boundary import declared
    (rule,) = declared(neuron.OneHot).rules
    assert rule(np.eye(2)[[0, 1, 1]]) is None
    assert rule(np.ones((3, 1))) is not None and rule(np.eye(3)[[0, 1, 2]] * 0) is not None
