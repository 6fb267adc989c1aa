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


def _defect(f, t1: np.ndarray, t2: np.ndarray) -> float:
    return float(np.max(np.abs(f(t1 + t2) - f(t1) - f(t2) + f(0 * t1))))


def test_the_layerwise_defects_and_jacobian_changes_are_the_stated_quantities() -> None:
    from snippets.network import jacobian_wrt_params, with_flat_params
    rng = np.random.default_rng(0)
    X = rng.standard_normal((50, 2))
    net1, net2 = stacking.random_two_layer(rng, 2, 5), stacking.random_two_layer(rng, 2, 5)

    def f(theta: np.ndarray) -> np.ndarray:
        return predict(with_flat_params(net1, theta), X)[:, 0]

    t1, t2 = params(net1), params(net2)
    assert stacking.layerwise_superposition_defects()["all"] == pytest.approx(_defect(f, t1, t2), rel=1e-12)
    for hidden in ("tanh", "relu", "identity"):
        rng = np.random.default_rng(0)
        X = rng.standard_normal((50, 2))
        J1 = jacobian_wrt_params(stacking.random_two_layer(rng, 2, 5, hidden), X)
        J2 = jacobian_wrt_params(stacking.random_two_layer(rng, 2, 5, hidden), X)
        expected = np.linalg.norm(J1 - J2) / np.linalg.norm(J1)
        assert stacking.jacobian_change(hidden) == pytest.approx(expected, rel=1e-12), hidden
    assert stacking.jacobian_change("tanh") != pytest.approx(stacking.jacobian_change("relu"), rel=1e-3)


def test_the_glmm_jacobian_change_is_the_relative_change_of_a_linear_predictor() -> None:
    rng = np.random.default_rng(0)
    X, Z = rng.standard_normal((50, 3)), np.eye(5)[rng.integers(0, 5, 50)]
    J = np.column_stack([X, Z])  # the Jacobian of eta = X beta + Z u, the same at every (beta, u)
    assert J.shape == (50, 8)
    assert stacking.glmm_jacobian_change() == pytest.approx(0.0, abs=1e-8)
    assert stacking.glmm_jacobian_change(h=1e-3) == pytest.approx(0.0, abs=1e-10)


def test_the_teacher_draws_the_stated_scales() -> None:
    rng = np.random.default_rng(4)
    W, b, v = rng.normal(0, 1.5, (4, 1)), rng.normal(0, 1.0, 4), rng.normal(0, 2.0, 4)
    teacher = stacking.teacher()
    np.testing.assert_array_equal(teacher.weights[0], W)
    np.testing.assert_array_equal(teacher.biases[0], b)
    np.testing.assert_array_equal(teacher.weights[1][0], v)
    assert teacher.biases[1][0] == 0.5


def test_irreducibility_catches_each_redundancy_at_zero_tolerance() -> None:
    from snippets.stacking import is_irreducible, two_layer
    W, b, v = np.array([[1.0], [2.0], [-0.5], [3.0]]), np.array([0.1, -0.4, 0.7, 0.2]), np.array([1.0, -1.0, 0.5, 2.0])
    assert is_irreducible(two_layer(W, b, v, 0.0), tol=0.0)
    zero_v = v.copy()
    zero_v[1] = 0.0
    assert not is_irreducible(two_layer(W, b, zero_v, 0.0), tol=0.0)
    zero_unit = W.copy(), b.copy()
    zero_unit[0][2], zero_unit[1][2] = 0.0, 0.0
    assert not is_irreducible(two_layer(*zero_unit, v, 0.0), tol=0.0)
    for sign in (1.0, -1.0):  # units 2 and 3 alike, or opposite
        W2, b2 = W.copy(), b.copy()
        W2[3], b2[3] = sign * W2[2], sign * b2[2]
        assert not is_irreducible(two_layer(W2, b2, v, 0.0), tol=0.0), sign


def test_the_rotated_gaussian_has_the_stated_variances() -> None:
    X, U = stacking.rotated_gaussian(n=20_000)
    np.testing.assert_allclose(np.sort(np.linalg.eigvalsh(X.T @ X / len(X)))[::-1], [5.0, 3.0, 1.0, 0.5], rtol=0.1)
    np.testing.assert_allclose(U.T @ U, np.eye(4), atol=1e-12)


def test_the_bias_free_relu_network_is_as_stated() -> None:
    net = stacking.bias_free_relu()
    assert (net.sizes, net.hidden, net.output) == ((3, 16, 16, 1), "relu", "identity")
    assert all(not np.any(bias) for bias in net.biases)
    assert np.std(net.weights[1]) == pytest.approx(1 / np.sqrt(16), rel=0.25)


def test_the_gradient_rank_ratio_is_the_ratio_of_the_two_largest_singular_values() -> None:
    assert stacking.gradient_rank_ratio(np.diag([3.0, 1.5])) == pytest.approx(0.5, rel=1e-14)


def test_the_constructions_have_the_stated_units_and_steepness() -> None:
    relu = universal.relu_interpolant(universal.target, 8)
    assert relu.sizes == (1, 8, 1)
    np.testing.assert_allclose(-relu.biases[0], np.arange(8) / 8)  # knots 0, 1/8, ..., 7/8
    staircase = universal.sigmoid_staircase(universal.target, 4, steepness=7.0)
    assert staircase.sizes == (1, 4, 1) and np.all(staircase.weights[0] == 7.0)
    assert np.all(universal.sigmoid_staircase(universal.target, 4).weights[0] == 1600.0)
    assert universal.small_relu_2d().sizes == (2, 16, 16, 1)


def test_the_lipschitz_step_is_one_over_the_curvature_bound() -> None:
    Z = np.random.default_rng(5).standard_normal((30, 2))
    Z1 = np.column_stack([np.ones(30), Z])
    expected = 1 / (0.25 * np.linalg.eigvalsh(Z1.T @ Z1 / 30).max())
    assert neuron.lipschitz_step(Z, 0.25) == pytest.approx(expected, rel=1e-14)


def test_the_irls_fit_numbers_its_steps_and_stops_at_max_iter() -> None:
    X, y, _ = glm.simulated_logistic()
    fit = glm.fit_glm_irls(X, y)
    assert (fit.family, fit.link) == ("bernoulli", "logit")
    assert [step.iteration for step in fit.iterations] == list(range(1, fit.n_iterations + 1))
    assert glm.fit_glm_irls(X, y, max_iter=fit.n_iterations).n_iterations == fit.n_iterations
    with pytest.raises(glm.ConvergenceError):
        glm.fit_glm_irls(X, y, max_iter=fit.n_iterations - 1)


def test_two_moons_are_the_stated_half_circles() -> None:
    X, y = glm_again.two_moons(n=6, noise=0.0, seed=2)
    angle = np.random.default_rng(2).uniform(0, np.pi, 6)
    expected = np.where(y[:, None] == 0, np.column_stack([np.cos(angle), np.sin(angle)]),
                        np.column_stack([1 - np.cos(angle), 0.5 - np.sin(angle)]))
    np.testing.assert_allclose(X, expected, rtol=1e-15)
    assert y.tolist() == [0.0, 1.0] * 3
    noisy, _ = glm_again.two_moons(n=6, noise=0.1, seed=2)
    rng = np.random.default_rng(2)
    rng.uniform(0, np.pi, 6)
    np.testing.assert_allclose(noisy, expected + 0.1 * rng.standard_normal((6, 2)), rtol=1e-14)


def test_the_random_features_are_the_stated_draws() -> None:
    X = np.random.default_rng(6).standard_normal((5, 2))
    rng = np.random.default_rng(1)
    W, b = rng.standard_normal((4, 2)), rng.standard_normal(4)
    np.testing.assert_allclose(glm_again.random_feature_design(X, 4, seed=1),
                               np.column_stack([np.ones(5), np.tanh(X @ W.T + b)]), rtol=1e-14)
    rng = np.random.default_rng(0)
    W, b = rng.standard_normal((4, 2)), rng.uniform(0, 2 * np.pi, 4)
    np.testing.assert_allclose(glm_again.random_fourier_features(X, 4, seed=0),
                               np.sqrt(2 / 4) * np.cos(X @ W.T + b), rtol=1e-14)


def test_the_random_feature_fit_is_least_squares_on_the_stated_features() -> None:
    rng = np.random.default_rng(0)
    x = np.linspace(-1, 1, 50)
    w, b = rng.standard_normal(6), rng.standard_normal(6)
    features = np.column_stack([np.ones(50), np.tanh(3 * (np.outer(x, w) + b))])
    coefficients = np.linalg.lstsq(features, np.sin(3 * x) + np.abs(x), rcond=None)[0]
    result = universal.random_feature_fit("tanh", 6, n=50)
    np.testing.assert_allclose(result["fitted"], features @ coefficients, rtol=1e-10, atol=1e-12)
    assert result["rank"] == 7
    assert universal.random_feature_fit("square", 6, n=50)["rank"] == 3  # span of 1, x, x^2


def test_the_grade_data_losses_are_mean_cross_entropies() -> None:
    from snippets.glm import spector_data
    data, result = spector_data(), neuron.sigmoid_neuron_on_grades()
    losses = neuron.grade_data_losses()
    for name in ("irls", "gd"):
        eta = data.X @ result[name]
        assert losses[name] == pytest.approx(float(np.mean(np.log1p(np.exp(eta)) - data.y * eta)), rel=1e-12)


def test_softmax_is_taken_row_by_row() -> None:
    from snippets.network import softmax
    row = np.exp([0.0, 1.0]) / np.exp([0.0, 1.0]).sum()
    np.testing.assert_allclose(softmax(np.array([[1000.0, 1001.0], [0.0, 1.0]])), [row, row], rtol=1e-14)


def test_initial_weights_have_the_stated_scales() -> None:
    glorot = init_network((400, 300, 1), seed=3)
    assert np.std(glorot.weights[0]) == pytest.approx(1 / np.sqrt(400), rel=0.02)
    assert all(not np.any(b) for b in glorot.biases)
    wide = init_network((400, 300, 1), seed=3, scale=2.0)
    assert np.std(wide.weights[0]) == pytest.approx(2.0, rel=0.02)
    assert np.std(wide.biases[0]) == pytest.approx(2.0, rel=0.2) and abs(np.mean(wide.biases[0])) < 0.4
    with pytest.raises(ValueError, match="^scale: expected a finite positive number"):
        init_network((2, 1), scale=-1.0)


def test_squared_error_takes_any_target_on_a_sigmoid_output() -> None:
    from snippets.network import loss_value
    net = neuron.single_layer(2, 1, "sigmoid")  # weights and bias at zero: mu = 1/2
    X, y = np.ones((3, 2)), np.array([0.3, 0.5, 0.9])
    assert loss_value(net, X, y, "squared") == pytest.approx(float(np.mean((0.5 - y) ** 2 / 2)), rel=1e-14)
