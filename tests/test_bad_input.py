"""Bad input to the public functions of snippets/: a clear error naming the argument, never a bare
numpy traceback, a NaN result, or a run that does not end.

Each case below takes a function with valid arguments and replaces one argument by values that
hypothesis draws from a family of wrong ones (NaN and infinity, empty and wrongly shaped arrays,
labels outside the family's support, zero, negative and fractional sizes, unknown option names,
sizes whose cost grows exponentially). The call must raise ValueError or TypeError (the package's
SeparationError and ConvergenceError are ValueError and RuntimeError subclasses with the reason)
with the argument's name in the message, within hypothesis' deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snippets.glm import FAMILIES, ConvergenceError, deviance, fit_glm_irls, fit_glm_newton
from snippets.glm_again import fit_penalised_logistic_newton, random_fourier_features, two_moons
from snippets.linear import compose_affine, least_squares, polynomial_design
from snippets.network import init_network, train_gradient_descent
from snippets.neuron import fit_multinomial_newton, neuron_against_glm, softmax, steps_to_recover, weight_gradients
from snippets.overview import linear_predictor, random_params
from snippets.stacking import symmetry_copies, two_layer
from snippets.universal import (
    count_pieces,
    error_ratios,
    interpolating_relu,
    random_feature_fit,
    relu_interpolant,
    sawtooth,
    sawtooth_pieces,
    target,
)

DOCUMENTED = (ValueError, TypeError, ConvergenceError)

RNG = np.random.default_rng(0)
X_GOOD = np.column_stack([np.ones(20), RNG.standard_normal(20)])
Y_BINARY = np.array([0.0, 1.0] * 10)
Y_COUNTS = np.arange(20.0) % 4
ONE_HOT = np.eye(3)[np.arange(20) % 3]

not_finite = st.sampled_from([np.nan, np.inf, -np.inf])
# Arrays that are wrong whatever the function: a NaN or infinity inside, a string, None, nothing.
broken_arrays = st.one_of(
    st.builds(lambda shape, bad, i: np.where(np.arange(np.prod(shape)).reshape(shape) == i % np.prod(shape), bad, 1.0),
              st.sampled_from([(20,), (20, 2), (3,), (3, 3)]), not_finite, st.integers(0, 100)),
    st.sampled_from(["x", None, b"1", [[1.0, 2.0], [3.0]], np.array([1 + 1j, 2.0])]),
)
bad_sizes = st.one_of(st.integers(max_value=0), st.sampled_from([2.5, "3", None, True, np.nan]))
bad_positive_floats = st.one_of(not_finite, st.floats(max_value=0, allow_nan=False), st.sampled_from(["x", None]))
unknown_names = st.text(min_size=0, max_size=12).filter(
    lambda s: s not in {"gaussian", "bernoulli", "poisson", "relu", "staircase", "square", "tanh",
                        "squared_error", "cross_entropy", "logit", "cloglog", "log", "identity"})


@dataclass(frozen=True)
class Case:
    """`call(value)` runs the function with `argument` set to `value` and everything else valid."""

    name: str
    argument: str
    values: st.SearchStrategy
    call: Callable[[object], object]


CASES = [
    Case("fit_glm_irls X", "X", broken_arrays, lambda v: fit_glm_irls(v, Y_BINARY)),
    Case("fit_glm_irls y", "y", broken_arrays, lambda v: fit_glm_irls(X_GOOD, v)),
    Case("fit_glm_irls y outside {0, 1}", "y", st.sampled_from([Y_BINARY * 2, Y_BINARY - 1, Y_BINARY + 0.5]),
         lambda v: fit_glm_irls(X_GOOD, v)),
    Case("fit_glm_irls counts", "y", st.sampled_from([-Y_COUNTS - 1, Y_COUNTS + 0.5]),
         lambda v: fit_glm_irls(X_GOOD, v, "poisson")),
    Case("fit_glm_irls family", "family", unknown_names, lambda v: fit_glm_irls(X_GOOD, Y_BINARY, v)),
    Case("fit_glm_irls link", "link", unknown_names, lambda v: fit_glm_irls(X_GOOD, Y_BINARY, "bernoulli", v)),
    Case("fit_glm_irls tol", "tol", bad_positive_floats, lambda v: fit_glm_irls(X_GOOD, Y_BINARY, tol=v)),
    Case("fit_glm_irls max_iter", "max_iter", bad_sizes, lambda v: fit_glm_irls(X_GOOD, Y_BINARY, max_iter=v)),
    Case("fit_glm_irls n = p gaussian", "X", st.integers(1, 4),
         lambda p: fit_glm_irls(RNG.standard_normal((p, p)) + np.eye(p) * 3, RNG.standard_normal(p), "gaussian")),
    Case("fit_glm_newton tol", "tol", bad_positive_floats, lambda v: fit_glm_newton(X_GOOD, Y_BINARY, tol=v)),
    Case("fit_glm_newton step", "step", bad_positive_floats, lambda v: fit_glm_newton(X_GOOD, Y_BINARY, step=v)),
    Case("fit_glm_newton separated", "y", st.just(np.array([0.0] * 10 + [1.0] * 10)),
         lambda v: fit_glm_newton(np.column_stack([np.ones(20), np.arange(20.0)]), v)),
    Case("deviance mu", "mu", st.sampled_from([-np.ones(20), np.full(20, np.nan), np.ones(3)]),
         lambda v: deviance(Y_COUNTS, v, FAMILIES["poisson"])),
    Case("deviance bernoulli mu", "mu", st.sampled_from([np.full(20, 1.5), -np.ones(20)]),
         lambda v: deviance(Y_BINARY, v, FAMILIES["bernoulli"])),
    Case("fit_penalised_logistic_newton y", "y", st.sampled_from([Y_BINARY * 2, Y_BINARY[:5], -Y_BINARY]),
         lambda v: fit_penalised_logistic_newton(X_GOOD, v, 0.1)),
    Case("fit_penalised_logistic_newton lam", "lam", bad_positive_floats,
         lambda v: fit_penalised_logistic_newton(X_GOOD, Y_BINARY, v)),
    Case("fit_multinomial_newton Y", "Y", st.one_of(broken_arrays, st.just(ONE_HOT * 2), st.just(ONE_HOT[:, :1])),
         lambda v: fit_multinomial_newton(X_GOOD, v)),
    Case("fit_multinomial_newton separated", "Y", st.just(np.eye(2)[(np.arange(20) >= 10).astype(int)]),
         lambda v: fit_multinomial_newton(np.column_stack([np.ones(20), np.arange(20.0)]), v)),
    Case("softmax Z", "Z", broken_arrays, softmax),
    Case("polynomial_design degree", "degree", st.one_of(st.integers(max_value=-1), st.sampled_from([2.5, "2", None])),
         lambda v: polynomial_design(np.linspace(0, 1, 5), v)),
    Case("polynomial_design x", "x", broken_arrays, lambda v: polynomial_design(v, 2)),
    Case("least_squares y", "y", broken_arrays, lambda v: least_squares(X_GOOD, v)),
    Case("compose_affine A2", "A2", st.one_of(broken_arrays, st.just(np.ones((2, 5)))),
         lambda v: compose_affine(np.eye(2), np.zeros(2), v, np.zeros(2))),
    Case("sawtooth x", "x", broken_arrays, lambda v: sawtooth(v, 2)),
    Case("sawtooth L", "L", st.one_of(bad_sizes, st.integers(21, 10**9)), lambda v: sawtooth(np.linspace(0, 1, 5), v)),
    Case("sawtooth_pieces L", "L", st.one_of(bad_sizes, st.integers(21, 10**9)), sawtooth_pieces),
    Case("count_pieces tol", "tol", bad_positive_floats, lambda v: count_pieces(np.linspace(0, 1, 10), v)),
    Case("count_pieces y", "y", broken_arrays, count_pieces),
    Case("relu_interpolant M", "M", bad_sizes, lambda v: relu_interpolant(target, v)),
    Case("interpolating_relu x", "x", st.one_of(broken_arrays, st.just(np.zeros(20))),
         lambda v: interpolating_relu(v, Y_COUNTS)),
    Case("error_ratios name", "name", unknown_names, error_ratios),
    Case("neuron_against_glm family", "family", unknown_names, neuron_against_glm),
    Case("random_feature_fit activation", "activation", unknown_names, lambda v: random_feature_fit(v, 5)),
    Case("random_feature_fit width", "width", bad_sizes, lambda v: random_feature_fit("tanh", v)),
    Case("random_fourier_features M", "M", bad_sizes, lambda v: random_fourier_features(X_GOOD, v)),
    Case("two_moons n", "n", bad_sizes, two_moons),
    Case("steps_to_recover loss", "loss", unknown_names, steps_to_recover),
    Case("weight_gradients w", "w", st.one_of(not_finite, st.sampled_from(["x", None])), weight_gradients),
    Case("init_network sizes", "sizes", st.sampled_from([(2,), (2, 0), (2, -1, 1), (2, 2.5, 1)]), init_network),
    Case("train_gradient_descent learning_rate", "learning_rate", bad_positive_floats,
         lambda v: train_gradient_descent(init_network((2, 3, 1)), X_GOOD, Y_COUNTS, learning_rate=v, steps=2)),
    Case("train_gradient_descent weight_decay", "weight_decay", st.one_of(not_finite, st.floats(max_value=-1e-9)),
         lambda v: train_gradient_descent(init_network((2, 3, 1)), X_GOOD, Y_COUNTS, learning_rate=0.1, steps=2,
                                          weight_decay=v)),
    Case("train_gradient_descent steps", "steps", bad_sizes,
         lambda v: train_gradient_descent(init_network((2, 3, 1)), X_GOOD, Y_COUNTS, learning_rate=0.1, steps=v)),
    Case("symmetry_copies M", "M", st.integers(7, 12),
         lambda m: symmetry_copies(two_layer(np.arange(1.0, m + 1)[:, None], np.ones(m), np.ones(m), 0.0))),
    Case("linear_predictor beta", "beta", st.one_of(broken_arrays, st.just(np.ones(3))),
         lambda v: linear_predictor(np.ones(2), v)),
    Case("network parameters of two shapes", "other", st.integers(1, 4),
         lambda m: random_params(RNG, 2, 5) + random_params(RNG, 2, m)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_gets_a_clear_error_naming_the_argument(case: Case) -> None:
    @settings(max_examples=15, deadline=3000, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(case.values)
    def check(value: object) -> None:
        with pytest.raises(DOCUMENTED) as raised:
            case.call(value)
        message = str(raised.value)
        assert case.argument in message.split(":")[0] or f"{case.argument}:" in message, (
            f"{case.name}: {type(raised.value).__name__}({message!r}) does not name {case.argument!r}")
        assert not isinstance(raised.value, np.linalg.LinAlgError), f"{case.name}: a bare LinAlgError"

    check()


def test_valid_edge_cases_are_accepted() -> None:
    # A boolean response is a 0/1 response; degree 0 is the intercept-only design.
    fit = fit_glm_irls(X_GOOD, Y_BINARY.astype(bool))
    assert np.all(np.isfinite(fit.beta)) and np.all(np.isfinite(fit.standard_errors))
    assert polynomial_design(np.linspace(0, 1, 4), 0).shape == (4, 1)
    assert sawtooth_pieces(20) == 2**20
