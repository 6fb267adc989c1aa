"""Tests of snippets/network.py: backpropagation against finite differences, the Jacobian, the
linearisation, and errors."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.network import (
    Network,
    flat_gradient,
    forward,
    init_network,
    jacobian_wrt_params,
    linearize,
    loss_value,
    params,
    predict,
    train_gradient_descent,
    with_flat_params,
)

PAIRS = [("identity", "squared", 2), ("sigmoid", "cross_entropy", 1), ("exp", "poisson", 1),
         ("softmax", "categorical", 3), ("sigmoid", "squared", 1), ("exp", "squared", 1)]


def targets(output: str, loss: str, n: int, k: int, rng: np.random.Generator) -> np.ndarray:
    if output == "softmax":
        return np.eye(k)[rng.integers(0, k, n)]
    if output == "sigmoid":
        return (rng.random((n, k)) < 0.5).astype(float)
    if output == "exp":
        return rng.poisson(1.0, (n, k)).astype(float)
    return rng.standard_normal((n, k))


def finite_difference_gradient(net: Network, X: np.ndarray, y: np.ndarray, loss: str, h: float = 1e-6) -> np.ndarray:
    theta = params(net)
    return np.array([(loss_value(with_flat_params(net, theta + h * e), X, y, loss)
                      - loss_value(with_flat_params(net, theta - h * e), X, y, loss)) / (2 * h)
                     for e in np.eye(theta.size)])


@pytest.mark.claim("backprop-output-error")
@pytest.mark.parametrize("hidden", ["tanh", "relu", "identity", "sigmoid"])
@pytest.mark.parametrize(("output", "loss", "k"), PAIRS)
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_backpropagation_matches_finite_differences(hidden: str, output: str, loss: str, k: int, depth: int) -> None:
    rng = np.random.default_rng(depth)
    sizes = [3, 5, 4][:depth] + [k]
    net = init_network(sizes, hidden, output, seed=depth, scale=0.7)
    X = rng.standard_normal((7, 3))
    y = targets(output, loss, 7, k, rng)
    exact = flat_gradient(net, X, y, loss)
    fd = finite_difference_gradient(net, X, y, loss)
    assert np.max(np.abs(fd - exact)) <= 1e-6 * max(1.0, np.max(np.abs(exact)))


@pytest.mark.claim("backprop-output-error")
@pytest.mark.parametrize(("output", "loss", "k"), PAIRS[:4])
def test_the_output_error_of_a_matched_pair_is_mu_minus_y_over_n(output: str, loss: str, k: int) -> None:
    rng = np.random.default_rng(0)
    net = init_network([3, k], "identity", output, seed=1, scale=0.5)
    X, y = rng.standard_normal((9, 3)), targets(output, loss, 9, k, rng)
    # With no hidden layer, dLoss/db is the sum over examples of the output error.
    mu = predict(net, X)
    gradient_b = flat_gradient(net, X, y, loss)[-k:]
    np.testing.assert_allclose(gradient_b, (mu - y).sum(axis=0) / 9, atol=1e-14)


@pytest.mark.parametrize("hidden", ["tanh", "relu", "sigmoid", "identity"])
def test_the_parameter_jacobian_matches_finite_differences(hidden: str) -> None:
    net = init_network([2, 6, 4, 1], hidden, "identity", seed=2, scale=1.0, output_scale=0.3)
    X = np.random.default_rng(1).standard_normal((5, 2))
    theta, h = params(net), 1e-6
    fd = np.array([(predict(with_flat_params(net, theta + h * e), X)[:, 0]
                    - predict(with_flat_params(net, theta - h * e), X)[:, 0]) / (2 * h) for e in np.eye(theta.size)]).T
    np.testing.assert_allclose(jacobian_wrt_params(net, X), fd, atol=1e-7)


def test_the_linearisation_is_linear_in_theta_and_exact_at_theta_0() -> None:
    net = init_network([1, 20, 1], "tanh", "identity", seed=3, scale=1.0)
    X = np.linspace(-1, 1, 11)[:, None]
    f_lin, theta0 = linearize(net, X), params(net)
    np.testing.assert_allclose(f_lin(theta0), predict(net, X)[:, 0], atol=1e-14)
    rng = np.random.default_rng(0)
    d1, d2 = rng.standard_normal((2, theta0.size))
    defect = f_lin(theta0 + d1 + d2) - f_lin(theta0 + d1) - f_lin(theta0 + d2) + f_lin(theta0)
    assert np.max(np.abs(defect)) < 1e-12


def test_gradient_descent_lowers_the_loss_and_flat_parameters_round_trip() -> None:
    net = init_network([2, 8, 1], "tanh", "sigmoid", seed=4, scale=1.0)
    rng = np.random.default_rng(4)
    X = rng.standard_normal((40, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(float)
    trained, history = train_gradient_descent(net, X, y, learning_rate=0.5, steps=200)
    assert history[-1] < loss_value(net, X, y) and history.shape == (200,)
    again = with_flat_params(trained, params(trained))
    assert all(np.array_equal(a, b) for a, b in zip(again.weights, trained.weights, strict=True))


def test_forward_stores_what_backpropagation_needs() -> None:
    net = init_network([3, 4, 2], "relu", "identity", seed=0)
    mu, pre, acts = forward(net, np.ones((5, 3)))
    assert mu.shape == (5, 2) and [z.shape for z in pre] == [(5, 4), (5, 2)] and [a.shape for a in acts] == [(5, 3),
                                                                                                             (5, 4)]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: init_network([3, 4, 1], "swish"), ValueError, "hidden: expected one of"),
        (lambda: init_network([3, 4, 1], output="tanh"), ValueError, "output: expected one of"),
        (lambda: init_network([3]), ValueError, "sizes: expected at least"),
        (lambda: init_network([3, 0, 1]), ValueError, r"sizes\[1\]"),
        (lambda: Network((np.ones((2, 3)),), (np.ones(3),)), ValueError, r"biases\[0\]: expected length 2"),
        (lambda: Network((np.ones((2, 3)), np.ones((1, 4))), (np.ones(2), np.ones(1))), ValueError, r"weights\[1\]"),
        (lambda: predict(init_network([3, 1]), np.ones((2, 4))), ValueError, r"net, X: expected X of shape"),
        (lambda: predict(init_network([3, 1]), np.full((2, 3), np.nan)), ValueError, "X: expected finite"),
        (lambda: loss_value(init_network([3, 1]), np.ones((2, 3)), np.ones(3)), ValueError,
         r"X, y: expected y of shape \(n, k\) with n = 2 as in X"),
        (lambda: loss_value(init_network([3, 1], output="sigmoid"), np.ones((2, 3)), np.array([0.0, 2.0])), ValueError,
         "0/1 targets"),
        (lambda: loss_value(init_network([3, 1], output="sigmoid"), np.ones((2, 3)), np.ones(2), "poisson"), ValueError,
         "poisson needs the exp output"),
        (lambda: loss_value(init_network([3, 1]), np.ones((2, 3)), np.ones(2), "hinge"), ValueError, "loss: expected"),
        (lambda: loss_value(init_network([3, 2], output="softmax"), np.ones((2, 3)), np.eye(2), "squared"), ValueError,
         "softmax output goes with the categorical loss"),
        (lambda: jacobian_wrt_params(init_network([3, 2]), np.ones((2, 3))), ValueError, "one .*output"),
        (lambda: train_gradient_descent(init_network([3, 1]), np.ones((2, 3)), np.ones(2), learning_rate=-1.0, steps=3),
         ValueError, "learning_rate"),
        (lambda: train_gradient_descent(init_network([3, 1]), np.ones((2, 3)), np.ones(2), learning_rate=0.1, steps=0),
         ValueError, "steps"),
        (lambda: with_flat_params(init_network([3, 1]), np.ones(7)), ValueError, r"net, theta: expected theta"),
    ],
)
def test_bad_input_gets_an_error_that_names_the_argument(call, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()


def test_a_diverging_step_is_reported_not_returned_as_nan() -> None:
    net = init_network([1, 1], "identity", "exp", seed=0, scale=1.0)
    X, y = np.array([[3.0], [4.0]]), np.array([50.0, 80.0])
    # The guard reports it (not a numpy RuntimeWarning, which the suite turns into an error first).
    with pytest.raises(FloatingPointError, match="learning_rate: the loss diverged at step"):
        train_gradient_descent(net, X, y, learning_rate=10.0, steps=50)


def test_targets_that_the_loss_cannot_take_are_refused_with_the_reason() -> None:
    X = np.zeros((2, 2))
    softmax_net = init_network([2, 3], output="softmax")
    with pytest.raises(ValueError, match="^y: the categorical loss needs one-hot rows"):
        loss_value(softmax_net, X, np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]))
    with pytest.raises(ValueError, match="^y: the poisson loss needs non-negative counts"):
        loss_value(init_network([2, 1], output="exp"), X, np.array([1.0, -1.0]))
