"""Every public function of snippets/ against bad input, one argument at a time.

VALID holds one valid call of each public function. For each of its arguments, hypothesis replaces
that argument (everything else valid) by values drawn from the wrong ones for its kind: arrays with
NaN or infinity inside, of the wrong shape, empty, or not numbers at all; sizes that are zero,
negative, fractional, strings or None; numbers that are NaN, infinite, negative, zero or not numbers;
unknown option names; None or a string where a network, a function or a fit is expected. Some of
those values are valid for some arguments (a negative coefficient, a zero index, an elementwise
function on any shape); so the property is: the call raises one of the package's documented
errors with the argument's name in the message, or it returns a result with no NaN or infinity
in it, within the deadline. Never a bare numpy or Python error, a NaN, or a run that does not end.

test_bad_input.py adds targeted cases (labels outside a family's support, separated data, sizes
whose cost grows exponentially); test_every_public_function_is_checked keeps this table complete.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import importlib
import inspect
import os
import pkgutil
import re
import typing
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import snippets
from snippets import (
    _boundary,
    figures,
    glm,
    glm_again,
    inference,
    linear,
    network,
    neuron,
    overview,
    stacking,
    style,
    universal,
)
from snippets.glm import ConvergenceError

DOCUMENTED = (ValueError, TypeError, ConvergenceError)
ROOT = Path(__file__).resolve().parent.parent

RNG = np.random.default_rng(0)
X1 = np.column_stack([np.ones(20), RNG.standard_normal(20)])  # a design with an intercept
X2 = RNG.standard_normal((20, 2))  # two inputs of a network
Y_BINARY = np.array([0.0, 1.0] * 10)
Y_COUNTS = np.arange(20.0) % 4
ONE_HOT = np.eye(3)[np.arange(20) % 3]
GRID = np.linspace(0, 1, 9)
BERNOULLI, LOGIT = glm.resolve_family_and_link("bernoulli", "logit")
FIT = glm.fit_glm_irls(X1, Y_BINARY)
NET = network.init_network((2, 3, 1))
RELU_NET = stacking.two_layer(np.array([[1.0, -1.0], [0.5, 2.0], [-1.0, 0.3]]), np.array([0.1, -0.2, 0.3]),
                              np.array([1.0, -2.0, 0.5]), 0.2, "relu")
TANH_NET = stacking.teacher()  # one input, four tanh units
LINEAR_NET = network.init_network((2, 3, 1), hidden="identity")
THETA = overview.random_params(np.random.default_rng(1), 2, 3)
THETA2 = overview.random_params(np.random.default_rng(2), 2, 3)
SMALL_RELU = universal.small_relu_2d(width=4)

# One valid call of each public function: {function: {argument: value}}.
VALID: dict[Callable, dict[str, object]] = {
    inference.unit_columns: {"x": GRID, "w_grid": np.array([0.5, 1.0]), "b_grid": np.array([0.0, 0.3])},
    inference.added_unit_statistics: {"Y": RNG.standard_normal((3, 9)), "x": GRID, "w_grid": np.array([0.5, 1.0]),
                                      "b_grid": np.array([0.0, 0.3])},
    inference.likelihood_ratio: {"rss0": np.array([2.0, 3.0]), "drop": np.array([0.5, 1.0]), "n": 20},
    inference.learned_unit_t2: {"rss0": np.array([2.0, 3.0]), "drop": np.array([0.5, 1.0]), "n": 20},
    inference.split_sample_t2: {"Y": RNG.standard_normal((3, 12)), "x": np.linspace(0, 1, 12),
                                "w_grid": np.array([0.5, 1.0]), "b_grid": np.array([0.0, 0.3])},
    inference.w_grid: {"w_max": 1.0},
    inference.separated_network_growth: {"checkpoints": (2, 5)},
    inference.added_unit_null_summary: {"replicates": 100, "n": 40},
    linear.additive_design: {"X": X2, "degree": 3},
    linear.r_squared: {"y": GRID, "fitted": GRID**2},
    linear.interaction_fits: {"n": 40, "steps": 20},
    figures.render_named: {"name": "link-functions"},
    style.to_dark: {"svg": "<svg/>"},
    glm.resolve_family_and_link: {"family": "bernoulli", "link": "logit"},
    glm.score: {"X": X1, "y": Y_BINARY, "beta": np.zeros(2), "family": BERNOULLI, "link": LOGIT},
    glm.fisher_information: {"X": X1, "beta": np.zeros(2), "family": BERNOULLI, "link": LOGIT},
    glm.deviance: {"y": Y_BINARY, "mu": np.full(20, 0.5), "family": BERNOULLI},
    glm.irls_step: {"X": X1, "y": Y_BINARY, "beta": np.zeros(2), "family": BERNOULLI, "link": LOGIT},
    glm.fit_glm_irls: {"X": X1, "y": Y_BINARY, "family": "bernoulli", "link": "logit", "tol": 1e-10, "max_iter": 50},
    glm.negative_log_likelihood: {"X": X1, "y": Y_BINARY, "beta": np.zeros(2), "family": "bernoulli",
                                  "link": "logit"},
    glm.fit_glm_newton: {"X": X1, "y": Y_BINARY, "family": "bernoulli", "link": "logit", "tol": 1e-12,
                         "max_iter": 50, "step": 1e-6},
    glm.observed_information: {"X": X1, "y": Y_BINARY, "beta": np.zeros(2), "family": BERNOULLI, "link": LOGIT,
                               "step": 1e-6},
    glm.coefficient_table: {"fit": FIT, "columns": ("const", "x")},
    glm.simulated_logistic: {"n": 50, "p": 2},
    glm.separation_gradient_descent: {"steps": 10, "learning_rate": 1.0},
    glm_again.two_moons: {"n": 20, "noise": 0.25},
    glm_again.penalised_logistic_objective: {"Phi": X1, "y": Y_BINARY, "beta": np.zeros(2), "lam": 0.1},
    glm_again.fit_penalised_logistic_newton: {"Phi": X1, "y": Y_BINARY, "lam": 0.1, "max_iter": 100},
    glm_again.random_feature_design: {"X": X2, "M": 5},
    glm_again.random_fourier_features: {"X": X2, "M": 5},
    glm_again.hidden_features: {"net": NET, "X": X2},
    glm_again.last_layer_summary: {"steps": 5, "ridge": 1e-6},
    glm_again.ntk_network: {"width": 5},
    glm_again.train_network_and_linearisation: {"width": 5, "steps": 3, "learning_rate": 0.5},
    linear.affine_map: {"A": np.eye(2), "c": np.zeros(2)},
    glm.starting_beta: {"X": X1, "y": Y_COUNTS, "family": glm.FAMILIES["poisson"], "link": glm.LINKS["log"]},
    linear.superposition_defect: {"f": np.tanh, "x": np.ones(2), "x_prime": np.arange(2.0), "s": 2.0, "t": -1.0},
    linear.compose_affine: {"A1": np.eye(2), "c1": np.zeros(2), "A2": np.ones((1, 2)), "c2": np.ones(1)},
    linear.polynomial_design: {"x": GRID, "degree": 2},
    linear.least_squares: {"Phi": X1, "y": Y_COUNTS},
    linear.squared_error_hessian: {"Phi": X1},
    linear.cubic_example: {"n": 20},
    linear.xor_relu_network: {"X": np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])},
    network.sigmoid: {"z": GRID},
    network.softmax: {"Z": X2},
    network.one_hidden_layer_params: {"net": THETA, "hidden": "tanh", "name": "net"},
    network.layer_sizes: {"sizes": (2, 3, 1)},
    network.init_network: {"sizes": (2, 3, 1), "hidden": "tanh", "output": "identity", "scale": "glorot",
                           "output_scale": 1.0},
    network.Network: {"weights": NET.weights, "biases": NET.biases, "hidden": "tanh", "output": "identity",
                      "output_scale": 1.0},
    network.one_hidden_layer_network: {"hidden": "tanh"},
    network.forward: {"net": NET, "X": X2},
    network.predict: {"net": NET, "X": X2},
    network.loss_value: {"net": NET, "X": X2, "y": Y_COUNTS, "loss": "squared"},
    network.gradients: {"net": NET, "X": X2, "y": Y_COUNTS, "loss": "squared"},
    network.flatten: {"weights": NET.weights, "biases": NET.biases},
    network.params: {"net": NET},
    network.with_flat_params: {"net": NET, "theta": network.params(NET)},
    network.flat_gradient: {"net": NET, "X": X2, "y": Y_COUNTS, "loss": "squared"},
    network.jacobian_wrt_params: {"net": NET, "X": X2},
    network.linearize: {"net": NET, "X": X2},
    network.train_gradient_descent: {"net": NET, "X": X2, "y": Y_COUNTS, "learning_rate": 0.1, "steps": 2,
                                     "loss": "squared", "weight_decay": 0.0},
    neuron.single_layer: {"p": 2, "k": 1, "output": "sigmoid"},
    neuron.lipschitz_step: {"covariates": X2, "curvature_bound": 0.25},
    neuron.simulated_glm_data: {"family": "bernoulli", "n": 20, "p": 2, "seed": 0},
    neuron.neuron_against_glm: {"family": "bernoulli", "n": 50, "p": 2, "steps": 20},
    neuron.multinomial_score_and_information: {"X": X1, "Y": ONE_HOT, "B": np.zeros((2, 3))},
    neuron.fit_multinomial_newton: {"X": X1, "Y": ONE_HOT, "max_iter": 50},
    neuron.simulated_three_classes: {"n": 30},
    neuron.squared_error_curvature: {"w": GRID},
    neuron.cross_entropy_curvature: {"w": GRID},
    neuron.weight_gradients: {"w": -10.0, "x": 1.0, "y": 1.0},
    neuron.steps_to_recover: {"loss": "cross_entropy", "w": -10.0, "learning_rate": 1.0, "max_steps": 100},
    overview.linear_predictor: {"x": np.ones(2), "beta": np.ones(2)},
    overview.one_hidden_layer: {"x": np.ones(2), "theta": THETA},
    overview.random_params: {"rng": np.random.default_rng(0), "d": 2, "M": 3},
    overview.superposition_defect_glm: {"x": np.ones(2), "beta1": np.ones(2), "beta2": np.arange(2.0)},
    overview.superposition_defect_network: {"x": np.ones(2), "theta1": THETA, "theta2": THETA2},
    overview.network_second_derivative_along_line: {"x": np.ones(2), "theta": THETA, "direction": THETA2},
    stacking.two_layer: {"W": RELU_NET.weights[0], "b": RELU_NET.biases[0], "v": np.ones(3), "c": 0.5,
                         "hidden": "tanh"},
    stacking.output_weight_derivative: {"W": RELU_NET.weights[0], "b": RELU_NET.biases[0], "x": np.ones(2),
                                        "hidden": "tanh"},
    stacking.random_two_layer: {"rng": np.random.default_rng(0), "d": 2, "M": 3, "hidden": "tanh"},
    stacking.layerwise_superposition_defects: {"d": 2, "M": 3, "n": 10},
    stacking.jacobian_change: {"hidden": "tanh", "d": 2, "M": 3, "n": 10},
    stacking.glmm_jacobian_change: {"n": 20, "h": 1e-6},
    stacking.mixed_partial: {"j": 1, "k": 0, "h": 1e-4},
    stacking.scalar_deep_linear_loss: {"w": GRID, "v": GRID},
    stacking.collapse_linear_network: {"net": LINEAR_NET},
    stacking.saddle_at_origin: {"h": 1e-4},
    stacking.rotated_gaussian: {"n": 50, "variances": (5.0, 3.0)},
    stacking.teacher: {"M": 4},
    stacking.symmetry_copies: {"net": TANH_NET},
    stacking.mean_squared_loss: {"net": TANH_NET, "target": TANH_NET, "X": GRID[:, None]},
    stacking.midpoint: {"a": TANH_NET, "b": TANH_NET},
    stacking.is_irreducible: {"net": TANH_NET, "tol": 1e-8},
    stacking.relu_rescaling_tangent: {"net": RELU_NET},
    stacking.gradient_rank_ratio: {"gradients": X2},
    stacking.ridge_sum_net: {"X": X2},
    stacking.bias_free_relu: {"sizes": (3, 4, 1)},
    stacking.homogeneity_ratios: {"alpha": 2.0},
    stacking.fisher_spectrum: {"d": 2, "M": 3, "n": 20},
    stacking.linear_autoencoder: {"M": 2, "steps": 5, "learning_rate": 0.02},
    glm_again.random_fourier_kernel_errors: {"widths": (10, 20), "n": 10},
    glm_again.random_features_summary: {"lam": 0.05, "steps": 5},
    glm_again.trained_and_refit: {"steps": 5, "ridge": 1e-6},
    neuron.sigmoid_neuron_on_grades: {"steps": 5},
    neuron.softmax_against_multinomial: {"steps": 5},
    universal.approximation_errors: {"widths": (2, 4)},
    universal.noise_interpolation: {"n": 10, "n_test": 20},
    universal.polynomial_regression_errors: {"degrees": (2, 4)},
    universal.shallow_max_pieces: {"widths": (1, 2), "nets": 2},
    universal.target: {"x": GRID},
    universal.relu_interpolant: {"f": universal.target, "M": 5},
    universal.sigmoid_staircase: {"f": universal.target, "M": 5, "steepness": 50.0},
    universal.sup_error: {"net": universal.relu_interpolant(universal.target, 5), "f": universal.target,
                          "grid": GRID},
    universal.error_ratios: {"name": "relu"},
    universal.interpolating_relu: {"x": GRID, "y": GRID**2},
    universal.polynomial_target: {"x": GRID},
    universal.random_feature_fit: {"activation": "tanh", "width": 5, "n": 50},
    universal.small_relu_2d: {"width": 4},
    universal.activation_pattern: {"net": SMALL_RELU, "X": X2},
    universal.local_affine_map: {"net": SMALL_RELU, "x": np.ones(2)},
    universal.tent: {"x": GRID},
    universal.sawtooth: {"x": GRID, "L": 2},
    universal.count_pieces: {"y": GRID, "tol": 1e-9},
    universal.sawtooth_pieces: {"L": 3},
}

# Public callables that take no user input worth refusing, and why.
EXEMPT = {
    "figures.figure": "a decorator for the package's own drawing functions; duplicates fail at import (test_figures)",
    "figures.new_figure": "passes matplotlib's own keyword arguments through",
    "figures.render_svg": "takes a registry entry (render_named checks the name)",
    "figures.FigureSpec": "a registry record, built by the figure decorator",
}
SEEDS = {"seed", "rng"}  # numpy's default_rng refuses bad seeds with its own clear error

not_finite = st.sampled_from([np.nan, np.inf, -np.inf])
not_numbers = st.sampled_from(["x", None, b"1"])


def bad_arrays(valid: np.ndarray) -> st.SearchStrategy:
    """NaN or infinity at one place; wrong shapes; empty; not numbers."""
    shape = valid.shape

    def spoiled(bad: float, i: int) -> np.ndarray:
        array = np.array(valid, dtype=float)
        array.flat[i % max(array.size, 1)] = bad
        return array

    wrong_shapes = [np.ones(shape + (2,)), np.ones((3,) * (valid.ndim + 1)), np.empty((0,) + shape[1:]),
                    np.ones(7), np.ones((7, 3))]
    return st.one_of(st.builds(spoiled, not_finite, st.integers(0, 1000)), st.sampled_from(wrong_shapes), not_numbers,
                     st.just(np.array([1 + 1j, 2.0])), st.just([[1.0, 2.0], [3.0]]))


def bad_values(valid: object) -> st.SearchStrategy:
    """The wrong values for an argument whose valid value is `valid`, by its kind."""
    if isinstance(valid, bool):
        return st.one_of(not_numbers, not_finite)
    if isinstance(valid, int):
        return st.one_of(st.integers(-3, 0), st.sampled_from([2.5, "3", None, True, np.nan]))
    if isinstance(valid, float):
        return st.one_of(not_finite, not_numbers, st.sampled_from([0.0, -1.0, -1e-9]))
    if isinstance(valid, str):
        return st.one_of(st.text(max_size=10).filter(lambda s: s != valid and s not in KNOWN_NAMES), st.just(None))
    if isinstance(valid, np.ndarray):
        return bad_arrays(valid)
    if isinstance(valid, tuple | list):
        return st.sampled_from([(), None, "x", (np.nan,), (-1,), (2.5,), ("x",)])
    return st.sampled_from([None, "x", 1.5])  # a network, a fit, a family, a function, a generator


KNOWN_NAMES = {"gaussian", "bernoulli", "poisson", "relu", "tanh", "identity", "sigmoid", "exp", "softmax", "logit",
               "probit", "cloglog", "log", "inverse", "squared", "cross_entropy", "categorical", "squared_error",
               "staircase", "square", "glorot", "lecun", "he", "link-functions"}


def finite_everywhere(result: object) -> bool:
    """No NaN or infinity anywhere in a result: numbers, arrays, containers, dataclasses."""
    if isinstance(result, bool | str | bytes) or result is None or callable(result):
        return True
    if isinstance(result, int | float | np.number):
        return bool(np.isfinite(result))
    if isinstance(result, np.ndarray):
        return not np.issubdtype(result.dtype, np.number) or bool(np.all(np.isfinite(result)))
    if isinstance(result, dict):
        return all(finite_everywhere(v) for v in result.values())
    if isinstance(result, list | tuple):
        return all(finite_everywhere(v) for v in result)
    if dataclasses.is_dataclass(result):
        return all(finite_everywhere(getattr(result, f.name)) for f in dataclasses.fields(result))
    return True


def named(message: str) -> set[str]:
    """The arguments an error message names: "X, y: ..." names X and y; "weights[1]: ..." weights."""
    head = message.split(":", 1)[0] if ":" in message else ""
    return {re.sub(r"\[.*\]$", "", part.strip()) for part in head.split(",")}


def label(function: Callable) -> str:
    return f"{function.__module__.removeprefix('snippets.')}.{function.__name__}"


# Under `make mutate` each mutant runs every case of its function: fewer draws keep that to minutes.
EXAMPLES = 4 if "MUTANT_UNDER_TEST" in os.environ else 12
CASES = [(function, argument) for function, call in VALID.items() for argument in call if argument not in SEEDS]


@pytest.mark.parametrize(("function", "argument"), CASES, ids=[f"{label(f)}-{a}" for f, a in CASES])
def test_a_bad_argument_is_refused_by_name_or_gives_a_finite_result(function: Callable, argument: str) -> None:
    @settings(max_examples=EXAMPLES, deadline=5000, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(bad_values(VALID[function][argument]))
    def check(value: object) -> None:
        arguments = {**VALID[function], argument: value}
        try:
            result = function(**arguments)
        except DOCUMENTED as error:
            message = str(error)
            assert argument in named(message), (
                f"{label(function)}({argument}={value!r}): {type(error).__name__}({message!r}) does not name it")
            assert not isinstance(error, np.linalg.LinAlgError), f"{label(function)}: a bare LinAlgError"
            return
        assert finite_everywhere(result), f"{label(function)}({argument}={value!r}) returned NaN or infinity"

    check()


@pytest.mark.parametrize("function", list(VALID), ids=label)
def test_each_valid_call_succeeds_with_a_finite_result(function: Callable) -> None:
    assert finite_everywhere(function(**VALID[function])), label(function)


def public_callables() -> dict[str, Callable]:
    """{module.name: object} of every public function and class defined in snippets/ that takes arguments
    other than a seed (figure-drawing functions take none)."""
    found = {}
    for info in pkgutil.iter_modules(snippets.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"snippets.{info.name}")
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__ or not callable(obj):
                continue
            if "__mutmut_" in name:  # the mutation tester's copies of each function (`make mutate`)
                continue
            if typing.get_origin(obj) is not None:  # a kind of argument (Annotated[Network, ...])
                continue
            if isinstance(obj, type) and (issubclass(obj, Exception) or not hasattr(obj, "__post_init__")):
                continue  # exceptions, and records without checks of their own (GLMFit, Family, ...)
            if set(inspect.signature(obj).parameters) - SEEDS:
                found[f"{info.name}.{name}"] = obj
    return found


def test_every_public_function_is_checked() -> None:
    checked = {label(function) for function in VALID}
    missing = sorted(set(public_callables()) - checked - set(EXEMPT))
    assert not missing, f"add a valid call of each to VALID (or a reason to EXEMPT): {missing}"


def same(a: object, b: object) -> bool:
    """Equal results: numbers, arrays, containers and dataclasses compared all the way down."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and np.array_equal(a, b)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if dataclasses.is_dataclass(a):
        return type(a) is type(b) and all(same(getattr(a, f.name), getattr(b, f.name)) for f in dataclasses.fields(a))
    if callable(a):
        return callable(b)
    return a == b


@pytest.mark.parametrize("function", list(VALID), ids=label)
def test_each_valid_call_gives_the_same_result_every_time(function: Callable) -> None:
    # The site's numbers and figures are the same on every build: no function draws from an
    # unseeded generator. (A cached function is asked twice from an empty cache.)
    results = []
    for _ in range(2):
        if hasattr(function, "cache_clear"):
            function.cache_clear()
        # A function given a generator draws from it: each call gets one in the same state.
        arguments = {k: np.random.default_rng(0) if k == "rng" else v for k, v in VALID[function].items()}
        results.append(function(**arguments))
    assert same(*results), label(function)


# Where the checks draw the line for an argument: a value at the edge of its domain that must be
# accepted, and the nearest one that must be refused. (The bad-value property above cannot tell a
# check that refuses too much, or one a little too late.)
EDGES = [
    (stacking.mixed_partial, "j", 0, -1), (stacking.mixed_partial, "j", 4, 5),
    (stacking.mixed_partial, "k", 0, -1), (stacking.mixed_partial, "k", 1, 2),
    (stacking.homogeneity_ratios, "alpha", 1e-3, 0.0),
    (stacking.saddle_at_origin, "h", 1e-3, 0.0),
    (stacking.glmm_jacobian_change, "h", 1e-3, 0.0),
    (stacking.is_irreducible, "tol", 0.0, -1e-12),
    (stacking.rotated_gaussian, "n", 2, 1),
    (stacking.rotated_gaussian, "variances", (1.0,), (1.0, 0.0)),
    (glm.fit_glm_newton, "step", 1e-4, 0.0),
    (glm.observed_information, "step", 1e-4, 0.0),
    (glm_again.penalised_logistic_objective, "lam", 0.0, -1e-12),
    (glm_again.two_moons, "noise", 0.0, -1e-12),
    (neuron.lipschitz_step, "curvature_bound", 1e-3, 0.0),
    (neuron.simulated_glm_data, "p", 2, 1), (neuron.simulated_glm_data, "n", 2, 1),
    (universal.noise_interpolation, "n", 2, 1),
    (universal.polynomial_regression_errors, "degrees", (0,), (-1,)),
    (universal.sigmoid_staircase, "steepness", 1e-3, 0.0),
    (universal.local_affine_map, "x", np.ones(2), np.ones((2, 1))),
    (stacking.output_weight_derivative, "x", np.ones(2), np.ones((2, 1))),
    (stacking.gradient_rank_ratio, "gradients", np.eye(2), np.ones((1, 2))),
    (glm.deviance, "mu", np.zeros(20), np.full(20, -1e-12)), (glm.deviance, "mu", np.ones(20), np.full(20, 1 + 1e-12)),
]


@pytest.mark.parametrize(("function", "argument", "accepted", "refused"), EDGES,
                         ids=[f"{label(f)}-{a}-{i}" for i, (f, a, _, _) in enumerate(EDGES)])
def test_the_edge_of_each_domain_is_where_the_checks_put_it(function: Callable, argument: str, accepted: object,
                                                             refused: object) -> None:
    assert finite_everywhere(function(**{**VALID[function], argument: accepted}))
    with pytest.raises(DOCUMENTED) as raised:
        function(**{**VALID[function], argument: refused})
    assert argument in named(str(raised.value))


# --- cached summaries: what a caller gets is its own ---------------------------------------------

def cached_functions() -> list[Callable]:
    """Every cached public function of snippets/ (the chapters' summaries)."""
    found = []
    for info in pkgutil.iter_modules(snippets.__path__):
        module = importlib.import_module(f"snippets.{info.name}")
        found += [obj for name, obj in vars(module).items()
                  if not name.startswith("_") and callable(getattr(obj, "cache_clear", None))
                  and getattr(obj, "__module__", None) == module.__name__ and "__mutmut_" not in name]
    return found


def scribble(value: object) -> None:
    """Change in place everything in `value` that can be changed, as a reader's notebook might."""
    if isinstance(value, np.ndarray):
        if value.flags.writeable:
            value[...] = 7
    elif isinstance(value, dict):
        for item in value.values():
            scribble(item)
        value.clear()
    elif isinstance(value, list):
        for item in value:
            scribble(item)
        value.clear()
    elif isinstance(value, tuple):
        for item in value:
            scribble(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            scribble(getattr(value, f.name))


@pytest.mark.parametrize("function", cached_functions(), ids=label)
def test_a_cached_value_cannot_be_changed_by_its_caller(function: Callable) -> None:
    arguments = VALID.get(function, {})
    first = function(**arguments)
    kept = copy.deepcopy(first)
    scribble(first)
    assert same(function(**arguments), kept), f"{label(function)}: a caller's change reached the cache"


def test_a_list_or_array_serves_where_a_cached_function_takes_a_tuple() -> None:
    expected = universal.polynomial_regression_errors(degrees=(2, 4))
    assert same(universal.polynomial_regression_errors(degrees=[2, 4]), expected)
    assert same(universal.polynomial_regression_errors(degrees=np.array([2, 4])), expected)
    # An argument that cannot be a key reaches the function's own check, which names it.
    with pytest.raises(TypeError, match="degrees"):
        universal.polynomial_regression_errors(degrees={2: 4})


# --- the listings on the pages are the mathematics -----------------------------------------------

CHECK_HELPERS = re.compile(r"^_?(as|check)_|^one_of$|^one_hidden_layer_params$|^resolve_family_and_link$"
                           r"|^layer_sizes$")


def shown_regions() -> list[tuple[str, str]]:
    """(module path, region) of every `--8<--` include on a page."""
    include = re.compile(r'--8<-- "(snippets/[\w/]+\.py):([\w-]+)"')
    return sorted({match.groups() for page in (ROOT / "docs").rglob("*.md")
                   for match in include.finditer(page.read_text())})


def argument_checks_in(path: str, region: str) -> list[str]:
    """`path:line: text` of each check call, and each raise of a ValueError or TypeError (or a
    subclass), in the region of `path` that a page includes."""
    lines = (ROOT / path).read_text().splitlines()
    start = lines.index(f"# --8<-- [start:{region}]")
    end = lines.index(f"# --8<-- [end:{region}]")
    namespace = vars(importlib.import_module(path.removesuffix(".py").replace("/", ".")))
    found = []
    for node in ast.walk(ast.parse("\n".join(lines[start + 1:end]))):
        name = None
        if isinstance(node, ast.Call):
            called = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            name = called if CHECK_HELPERS.search(called) else None
        elif isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            error = namespace.get(raised.id) if isinstance(raised, ast.Name) else None
            error = error if isinstance(error, type) else {"ValueError": ValueError, "TypeError": TypeError}.get(
                getattr(raised, "id", ""))
            name = error.__name__ if error and issubclass(error, (ValueError, TypeError)) else None
        if name:
            line = start + 1 + node.lineno
            found.append(f"{path}:{line} [{region}] {lines[line - 1].strip()}")
    return found


def test_the_shown_listings_are_found() -> None:
    regions = shown_regions()
    assert len(regions) >= 20 and ("snippets/glm.py", "irls") in regions, regions


def test_no_listing_on_a_page_checks_its_arguments() -> None:
    # The checks live at each function's boundary (its annotations, snippets/_boundary.py); what a
    # page shows is the signature, the docstring and the mathematics.
    found = [line for path, region in shown_regions() for line in argument_checks_in(path, region)]
    assert not found, "argument checks in the listings the pages show:\n" + "\n".join(found)


def test_the_listing_check_finds_a_check_and_a_raise(tmp_path, monkeypatch) -> None:
    # The finder itself: a region with a check call and a raise of a ValueError subclass is reported.
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "probe.py").write_text(
        "# --8<-- [start:r]\ndef f(x):\n    x = as_real_array('x', x)\n"
        "    if x.sum() < 0:\n        raise SeparationError('x: no')\n    return x\n# --8<-- [end:r]\n")
    monkeypatch.setattr(importlib, "import_module", lambda name: glm)
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    assert [line.split(" ", 1)[0] for line in argument_checks_in("snippets/probe.py", "r")] == [
        "snippets/probe.py:3", "snippets/probe.py:5"]


# --- the defaults are the experiments the pages report ---------------------------------------------

# What a page reports is a function called with its defaults (a claim states "n = 50", a table "seed
# 0"): each default call must be the call with these values, written out. Changing a default changes
# a published number; change it here, deliberately, and the page text that states it.
STATED_DEFAULTS: list[tuple[Callable, dict[str, object]]] = [
    (inference.added_unit_null_summary, {"replicates": 2000, "n": 200, "seed": 0}),
    (inference.separated_network_growth, {"checkpoints": (30, 300, 3000), "width": 4, "seed": 1}),
    (linear.interaction_fits, {"n": 400, "degree": 6, "width": 4, "steps": 3000, "seed": 0}),
    (stacking.glmm_jacobian_change, {"seed": 0, "n": 50, "h": 1e-6}),
    (stacking.layerwise_superposition_defects, {"seed": 0, "d": 2, "M": 5, "n": 50}),
    (stacking.jacobian_change, {"hidden": "tanh", "seed": 0, "d": 2, "M": 5, "n": 50}),
    (stacking.mixed_partial, {"seed": 0, "j": 1, "k": 0, "h": 1e-4}),
    (stacking.saddle_at_origin, {"h": 1e-4}),
    (stacking.rotated_gaussian, {"n": 500, "variances": (5.0, 3.0, 1.0, 0.5), "seed": 0}),
    (stacking.teacher, {"seed": 4, "M": 4}),
    (stacking.zero_output_weight_freedom, {"seed": 0}),
    (stacking.homogeneity_ratios, {"alpha": 2.0, "seed": 7}),
    (stacking.bias_free_relu, {"seed": 7, "sizes": (3, 16, 16, 1)}),
    (glm.simulated_logistic, {"n": 400, "p": 4, "seed": 1}),
    (glm.irls_errors, {"seed": 1}),
    (glm.fit_glm_irls, {"X": X1, "y": Y_BINARY, "family": "bernoulli", "link": None, "tol": 1e-10, "max_iter": 50}),
    (glm.fit_glm_newton, {"X": X1, "y": Y_BINARY, "family": "bernoulli", "link": None, "tol": 1e-12,
                          "max_iter": 50, "step": 1e-6}),
    (glm.negative_log_likelihood, {"X": X1, "y": Y_BINARY, "beta": np.array([0.1, -0.2]), "family": "bernoulli",
                                   "link": None}),
    (glm.observed_information, {"X": X1, "y": Y_BINARY, "beta": np.array([0.1, -0.2]), "family": BERNOULLI,
                                "link": LOGIT, "step": 1e-6}),
    (neuron.simulated_three_classes, {"n": 300, "seed": 0}),
    (neuron.steps_to_recover, {"loss": "cross_entropy", "w": -10.0, "learning_rate": 1.0, "max_steps": 100_000}),
    (neuron.weight_gradients, {"w": -10.0, "x": 1.0, "y": 1.0}),
    (glm_again.two_moons, {"n": 200, "noise": 0.25, "seed": 0}),
    (glm_again.random_feature_design, {"X": X2, "M": 30, "seed": 1}),
    (universal.small_relu_2d, {"seed": 9, "width": 16}),
    (universal.random_feature_fit, {"activation": "tanh", "width": 5, "seed": 0, "n": 400}),
    (universal.count_pieces, {"y": np.abs(GRID - 0.5), "tol": 1e-9}),
    (linear.cubic_example, {"n": 200, "seed": 0}),
    (network.init_network, {"sizes": (2, 3, 1), "hidden": "tanh", "output": "identity", "seed": 0,
                            "scale": "glorot", "output_scale": 1.0}),
    (network.one_hidden_layer_params, {"net": THETA, "hidden": "tanh", "name": "net"}),
    (stacking.output_weight_derivative, {"W": np.eye(2), "b": np.zeros(2), "x": np.ones(2), "hidden": "tanh"}),
    (stacking.two_layer, {"W": np.eye(2), "b": np.zeros(2), "v": np.ones(2), "c": 0.5, "hidden": "tanh"}),
    (glm_again.fit_penalised_logistic_newton, {"Phi": X1, "y": Y_BINARY, "lam": 0.1, "max_iter": 100}),
    (glm_again.ntk_network, {"width": 5, "seed": 0}),
]


@pytest.mark.parametrize(("function", "stated"), STATED_DEFAULTS, ids=[label(f) for f, _ in STATED_DEFAULTS])
def test_each_default_is_the_value_the_pages_state(function: Callable, stated: dict[str, object]) -> None:
    required = {name: value for name, value in stated.items()
                if inspect.signature(function).parameters[name].default is inspect.Parameter.empty}
    assert same(function(**required), function(**stated)), label(function)


def test_the_one_hidden_layer_kind_accepts_exactly_one_hidden_layer_of_its_activation() -> None:
    from snippets._boundary import declared
    rule = declared(network.one_hidden_layer_network("relu")).rules[0]
    assert rule(RELU_NET) is None
    for other in (network.init_network((2, 3, 1), "tanh"), network.init_network((2, 3, 3, 1), "relu"),
                  network.init_network((2, 3, 2), "relu"), network.init_network((2, 1), "relu")):
        assert rule(other).startswith("expected a one-hidden-layer relu network with one output"), other.sizes


def test_symmetry_copies_take_networks_of_up_to_six_units() -> None:
    # Through the kind, not a call: six units already give 46,080 copies.
    from snippets._boundary import declared
    rules = declared(stacking.SmallTanhNetwork).rules
    six, seven = (stacking.two_layer(np.arange(1.0, m + 1)[:, None], np.ones(m), np.ones(m), 0.0) for m in (6, 7))
    assert [rule(six) for rule in rules] == [None, None]
    assert rules[-1](seven).startswith("hidden units M: expected an integer <= 6")


# --- What readers pass (issue-sized classes): counts beyond the cap, returned maps, elementwise
# functions, results that overflow, and tolerances, steps and penalties below rounding.

def declarations(function: Callable) -> dict[str, _boundary.Declared]:
    return _boundary.declarations_of(inspect.unwrap(function))


def kinds_of(function: Callable, wanted: Callable[[_boundary.Kind], bool]) -> list[str]:
    """The parameters of `function` whose kind (or a sequence's entry kind) is one `wanted` holds."""
    found = []
    for name, declared in declarations(function).items():
        kind = declared.kind.kind if isinstance(declared.kind, _boundary.OptionalKind) else declared.kind
        entry = kind.entry if isinstance(kind, _boundary.SequenceKind) else kind
        if entry is not None and wanted(entry):
            found.append(name)
    return found


def _capped(kind: _boundary.Kind) -> bool:
    return isinstance(kind, _boundary.IntegerKind) and kind.maximum == _boundary.COUNT_CAP


CAPPED = [(f, a) for f in VALID for a in kinds_of(f, _capped) if a in VALID[f]]


@pytest.mark.parametrize(("function", "argument"), CAPPED, ids=[f"{label(f)}-{a}" for f, a in CAPPED])
def test_a_count_beyond_the_cap_is_refused_before_anything_is_computed(function: Callable, argument: str) -> None:
    value = VALID[function][argument]
    too_many = _boundary.COUNT_CAP + 1
    bad = type(value)([too_many] * len(value)) if isinstance(value, (list, tuple)) else too_many
    with pytest.raises(ValueError, match=rf"^{argument}(\[0\])?: expected an integer <= 1,000,000 \(a larger"):
        function(**{**VALID[function], argument: bad})


def test_every_count_of_the_package_is_capped() -> None:
    # A training loop of 10^8 steps ran for hours before the cap; every PositiveInt now has one.
    assert len(CAPPED) >= 40
    assert network.train_gradient_descent in {f for f, _ in CAPPED}


# The returned maps, and the length of the array each takes in its valid call.
MAPS = {linear.affine_map: ("x", 2), network.linearize: ("theta", len(network.params(NET)))}


def test_the_returned_maps_are_the_ones_declared() -> None:
    declared = {f for f in VALID if _boundary.returned_map(inspect.unwrap(f)) is not None}
    assert declared == set(MAPS)


@pytest.mark.parametrize("function", list(MAPS), ids=label)
def test_a_returned_map_checks_its_input_like_a_public_function(function: Callable) -> None:
    argument, length = MAPS[function]
    apply = function(**VALID[function])
    good = np.linspace(0.1, 0.9, length)
    assert np.array_equal(apply(list(good)), apply(good))
    bad = {"a wrong length": (np.ones(length + 1), ValueError, rf"^\w+, {argument}: expected {argument} of shape"),
           "a column": (good[:, None], ValueError, rf"^{argument}: expected a 1-dimensional array"),
           "NaN": (np.full(length, np.nan), ValueError, rf"^{argument}: expected finite values"),
           "a masked array": (np.ma.masked_array(good, mask=[1] + [0] * (length - 1)), TypeError,
                              rf"^{argument}: expected an array of real numbers, got a masked array"),
           "text": ("x", TypeError, rf"^{argument}: expected an array")}
    for what, (value, error, message) in bad.items():
        with pytest.raises(error, match=message):
            apply(value)
        assert what


ELEMENTWISE = [(f, a) for f in VALID for a in kinds_of(
    f, lambda kind: isinstance(kind, _boundary.FunctionKind) and kind.elementwise)]


@pytest.mark.parametrize(("function", "argument"), ELEMENTWISE, ids=[f"{label(f)}-{a}" for f, a in ELEMENTWISE])
def test_a_function_that_is_not_elementwise_is_refused_by_name(function: Callable, argument: str) -> None:
    import math

    with pytest.raises(TypeError, match=rf"^{argument}: {argument}\(x\) for an array x of shape .* raised TypeError"
                                        r".*\(np\.sin, not math\.sin"):
        function(**{**VALID[function], argument: math.sin})
    with pytest.raises(ValueError, match=rf"^{argument}: expected {argument}\(x\) of the shape of x, .* got shape "
                                         r"\(\)"):
        function(**{**VALID[function], argument: lambda x: 1.0})
    assert finite_everywhere(function(**{**VALID[function], argument: np.vectorize(math.sin)}))


def test_the_functions_of_one_variable_are_declared_elementwise() -> None:
    assert {label(f) for f, _ in ELEMENTWISE} == {"universal.relu_interpolant", "universal.sigmoid_staircase",
                                                    "universal.sup_error"}


GAUSSIAN = glm.resolve_family_and_link("gaussian", None)[0]
OVERFLOWS = {
    "beta = 1e308 in the log-likelihood": (
        lambda: glm.negative_log_likelihood(X1, Y_BINARY, np.array([1e308, 1e308])), "beta", "1e+308"),
    "y = 1e200 against mu = -1e200": (
        lambda: glm.deviance(np.array([1e200]), np.array([-1e200]), GAUSSIAN), "y, mu", "1e+200"),
    "a linear predictor of 1e308 x 10": (
        lambda: overview.linear_predictor(np.array([1e308, 1e308]), np.array([10.0, 10.0])), "x", "1e+308"),
    "a Gaussian fit of X x 1e200": (
        lambda: glm.fit_glm_irls(X1 * 1e200, GRID.repeat(3)[:20], "gaussian"), "X", "e+200"),
    "exp hidden units at X = 1e5": (
        lambda: network.predict(network.init_network((2, 3, 1), "exp"), np.full((2, 2), 1e5)), "X", "1e+05"),
    "the curvature of covariates x 1e200 (numpy's eigvalsh fails on them)": (
        lambda: neuron.lipschitz_step(X2 * 1e200, 0.25), "covariates", "e+200"),
}


@pytest.mark.parametrize("case", OVERFLOWS)
def test_a_result_that_overflows_names_the_arguments_that_made_it(case: str) -> None:
    call, names, magnitude = OVERFLOWS[case]
    expected = rf"^{names}: values as large as \S*{re.escape(magnitude)} make \w+ overflow double precision"
    with np.errstate(all="ignore"), pytest.raises(ValueError, match=expected):
        call()


def test_the_most_extreme_arguments_are_the_cause() -> None:
    assert _boundary._most_extreme({"a": np.array([1.0, 1e200]), "b": 3.0, "s": "text"}) == (["a"], 1e200)
    assert _boundary._most_extreme({"h": 1e-200, "x": np.ones(3)}) == (["h"], 1e-200)
    assert _boundary._most_extreme({"y": np.array([1e200]), "mu": np.array([-2e200])}) == (["y", "mu"], 1e200)
    assert _boundary._most_extreme({"flag": True, "net": NET, "seed": 10**6}) == ([], 1.0)
    assert str(_boundary.not_finite_error(glm.deviance, {"x": np.array([3.0, 0.5])})) == (
        "deviance: the result is NaN or infinite for these arguments")
    message = str(_boundary.not_finite_error(glm.deviance, {"h": 1e-200}))
    assert message == ("h: values as small as 1e-200 make deviance overflow double precision (its result holds "
                       "NaN or infinity); rescale them")
    assert str(_boundary.not_finite_error(glm.deviance, {})) == ("deviance: the result is NaN or infinite for "
                                                                 "these arguments")
    assert _boundary._not_finite({"a": [1.0, (2.0, np.array([np.inf]))]}) and not _boundary._not_finite({"n": 10**400})
    assert _boundary._not_finite(FIT.__class__(**{**dataclasses.asdict(FIT), "deviance": np.nan}))


def declared_kind_of(name: str) -> _boundary.Kind:
    return _boundary.declared(getattr(_boundary, name)).kind


def _is_a(kind: _boundary.NumberKind) -> Callable[[_boundary.Kind], bool]:
    return lambda other: other == kind


STEPS = [(f, a) for f in VALID for a in kinds_of(f, _is_a(declared_kind_of("Step")))]
TOLERANCES = [(f, a) for f in VALID for a in kinds_of(f, _is_a(declared_kind_of("Tolerance")))]


@pytest.mark.parametrize(("function", "argument", "floor"),
                         [(f, a, "1e-10") for f, a in STEPS] + [(f, a, "1e-15") for f, a in TOLERANCES],
                         ids=[f"{label(f)}-{a}" for f, a in STEPS + TOLERANCES])
def test_a_step_or_tolerance_below_rounding_is_refused_by_name(function: Callable, argument: str, floor: str) -> None:
    with pytest.raises(ValueError, match=rf"^{argument}: expected a finite number >= {floor} \("):
        function(**{**VALID[function], argument: 1e-200})



def test_every_finite_difference_and_tolerance_is_declared_so() -> None:
    assert {label(f) for f, _ in STEPS} >= {"glm.observed_information", "glm.fit_glm_newton",
                                             "stacking.glmm_jacobian_change", "stacking.mixed_partial"}
    assert {label(f) for f, _ in TOLERANCES} == {"glm.fit_glm_irls", "glm.fit_glm_newton"}


def test_what_rounding_decides_is_said_to_be_rounding() -> None:
    nearly_collinear = np.column_stack([X1, X1[:, 1] + 1e-13 * np.arange(20)])
    with pytest.raises(ConvergenceError, match=r"^X: IRLS did not converge in 50 iterations: the columns of X are "
                                               r"nearly collinear \(condition number \d\.\de\+1\d\)"):
        glm.fit_glm_irls(nearly_collinear, Y_BINARY)
    with pytest.raises(ValueError, match=r"^lam: expected a finite number >= 1e-12 \(a smaller penalty"):
        glm_again.fit_penalised_logistic_newton(X1, (X1[:, 1] > 0).astype(float), 1e-300)
    with pytest.raises(ValueError, match=r"^y: the poisson family needs counts up to 2\^53 = 9\.01e\+15"):
        glm.fit_glm_irls(X1, np.full(20, 1e300), "poisson")
    assert glm._in_support(np.array([0.0, 2.0**53]), "poisson") is None


ARRAYS = [(f, a) for f, call in VALID.items() for a, value in call.items()
          if isinstance(value, np.ndarray) and value.size > 1]


@pytest.mark.parametrize(("function", "argument"), ARRAYS, ids=[f"{label(f)}-{a}" for f, a in ARRAYS])
def test_every_array_argument_refuses_a_masked_array(function: Callable, argument: str) -> None:
    value = VALID[function][argument]
    mask = np.zeros(value.shape, dtype=bool)
    mask.flat[0] = True
    with pytest.raises(TypeError, match=rf"^{argument}: expected an array of .*, got a masked array"):
        function(**{**VALID[function], argument: np.ma.masked_array(value, mask=mask)})


def test_the_masked_array_cases_cover_the_package() -> None:
    assert len(ARRAYS) >= 60
