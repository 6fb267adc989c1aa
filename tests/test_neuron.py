"""Tests of snippets/neuron.py: each matched pair reaches its GLM's estimate."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.glm import ConvergenceError, cpunish_data, cpunish_fit
from snippets.neuron import (
    cross_entropy_curvature,
    fit_multinomial_newton,
    grade_data_losses,
    neuron_against_glm,
    poisson_counts_neuron_check,
    saturation_summary,
    sigmoid,
    sigmoid_neuron_on_grades,
    simulated_glm_data,
    simulated_three_classes,
    softmax,
    softmax_against_multinomial,
    squared_error_curvature,
    steps_to_recover,
    weight_gradients,
)


@pytest.mark.claim("sigmoid-neuron-is-logistic-regression")
def test_gradient_descent_on_the_grade_data_reaches_the_irls_estimate() -> None:
    result = sigmoid_neuron_on_grades()
    assert result["max_difference"] < 1e-6
    losses = grade_data_losses()
    assert losses["gd"] == pytest.approx(losses["irls"], abs=1e-10)


@pytest.mark.claim("sigmoid-neuron-is-logistic-regression")
@pytest.mark.claim("matched-pairs-are-glms")
@pytest.mark.parametrize("family", ["gaussian", "bernoulli", "poisson"])
def test_each_matched_pair_reaches_the_glm_estimate(family: str) -> None:
    assert neuron_against_glm(family) < 1e-6


@pytest.mark.claim("matched-pairs-are-glms")
def test_the_poisson_loss_of_an_exp_unit_is_the_poisson_nll_up_to_a_constant() -> None:
    data, fit = cpunish_data(), cpunish_fit()
    eta = data.X @ fit.beta
    assert poisson_counts_neuron_check() == pytest.approx(np.mean(np.exp(eta) - data.y * eta), rel=1e-12)


@pytest.mark.claim("softmax-is-multinomial-logit")
def test_softmax_and_the_multinomial_logit_give_the_same_probabilities() -> None:
    result = softmax_against_multinomial()
    assert result["probability_difference"] < 1e-6
    assert result["shift_difference"] < 1e-12


@pytest.mark.claim("softmax-is-multinomial-logit")
def test_the_multinomial_newton_fit_solves_its_score_equations() -> None:
    Z, Y = simulated_three_classes()
    X = np.column_stack([np.ones(len(Z)), Z])
    B = fit_multinomial_newton(X, Y)
    assert np.all(B[:, 0] == 0)
    assert np.max(np.abs(X.T @ (Y - softmax(X @ B))[:, 1:])) < 1e-9


@pytest.mark.claim("sigmoid-squared-error-nonconvex")
def test_squared_error_on_a_sigmoid_is_concave_left_of_minus_log_2() -> None:
    h = 1e-4

    def loss(w: float) -> float:
        return float((1 - sigmoid(np.array(w))) ** 2)

    fd = (loss(-2 + h) - 2 * loss(-2) + loss(-2 - h)) / h**2
    assert squared_error_curvature(np.array(-2.0)) < 0
    assert squared_error_curvature(np.array(-2.0)) == pytest.approx(fd, rel=1e-4)
    w = np.linspace(-10, 10, 2001)
    assert np.all(squared_error_curvature(w[w < -np.log(2) - 1e-9]) < 0)
    assert np.all(squared_error_curvature(w[(w > -np.log(2) + 1e-9) & (w < 5)]) > 0)
    assert np.all(cross_entropy_curvature(w) > 0)


@pytest.mark.claim("cross-entropy-does-not-saturate")
def test_squared_error_stalls_on_a_saturated_sigmoid_and_cross_entropy_does_not() -> None:
    summary = saturation_summary()
    assert summary["mu"] < 1e-4
    assert abs(summary["squared_error"]) < 1e-4
    assert abs(summary["cross_entropy"]) > 0.99
    assert summary["steps_cross_entropy"] <= 12
    assert summary["steps_squared_error"] > 10_000


def test_the_gradients_are_the_derivatives_of_the_losses() -> None:
    h = 1e-6
    for w in (-10.0, -1.0, 0.5, 3.0):
        for y in (0.0, 1.0):
            def squared(w_: float, y: float = y) -> float:
                return (float(sigmoid(np.float64(w_ * 0.7))) - y) ** 2

            def cross_entropy(w_: float, y: float = y) -> float:
                mu = float(sigmoid(np.float64(w_ * 0.7)))
                return -(y * np.log(mu) + (1 - y) * np.log(1 - mu))

            gradients = weight_gradients(w, x=0.7, y=y)
            for name, loss in (("squared_error", squared), ("cross_entropy", cross_entropy)):
                numeric = (loss(w + h) - loss(w - h)) / (2 * h)
                assert gradients[name] == pytest.approx(numeric, rel=1e-5, abs=1e-9)


def test_saturation_functions_refuse_bad_input() -> None:
    with pytest.raises(ValueError, match="loss"):
        steps_to_recover("hinge")
    with pytest.raises(ValueError, match="learning_rate"):
        steps_to_recover("cross_entropy", learning_rate=float("nan"))
    with pytest.raises(ValueError, match="y"):
        weight_gradients(0.0, y=2.0)
    with pytest.raises(TypeError, match="w"):
        weight_gradients("a")
    with pytest.raises(ConvergenceError, match="max_steps"):
        steps_to_recover("squared_error", max_steps=10)


def test_the_three_class_data_come_from_the_stated_multinomial_logit() -> None:
    # B (rows: intercept, z1, z2; class 0 the reference) is recovered from a large sample.
    Z, Y = simulated_three_classes(n=30_000)
    assert Y.shape == (30_000, 3) and np.all(Y.sum(axis=1) == 1)
    B = fit_multinomial_newton(np.column_stack([np.ones(len(Z)), Z]), Y)
    expected = np.array([[0.0, 0.5, -0.4], [0.0, 1.0, -0.5], [0.0, -0.8, 1.2]])
    assert np.max(np.abs(B - expected)) < 0.06


@pytest.mark.parametrize("family", ["gaussian", "bernoulli", "poisson"])
def test_the_simulated_glm_data_come_from_the_stated_model(family: str) -> None:
    # eta = 0.3 + Z beta with beta evenly spaced from -0.6 to 0.6, response from the family.
    from snippets.glm import fit_glm_irls

    Z, y = simulated_glm_data(family, 40_000, 4, 0)
    assert Z.shape == (40_000, 3)
    fit = fit_glm_irls(np.column_stack([np.ones(len(y)), Z]), y, family)
    assert fit.beta == pytest.approx([0.3, -0.6, 0.0, 0.6], abs=0.04)
    if family == "gaussian":
        assert fit.dispersion == pytest.approx(1.0, rel=0.03)
    else:
        assert set(np.unique(y)) <= ({0.0, 1.0} if family == "bernoulli" else set(range(1000)))


def test_the_multinomial_newton_says_when_it_ran_out_of_iterations() -> None:
    X, Y = simulated_three_classes()
    with pytest.raises(ConvergenceError, match=r"^max_iter: Newton did not converge in 1 iterations"):
        fit_multinomial_newton(X, Y, max_iter=1)
