"""Tests of snippets/_boundary.py: arguments checked against their annotations at each public
function's boundary, with one message naming the argument, and not again inside the package."""

from __future__ import annotations

import numpy as np
import pytest

from snippets import _boundary, glm, network, overview, universal
from snippets._boundary import Array, Function, PositiveInt, Seed, checked
from snippets.glm import FAMILIES, deviance
from snippets.linear import least_squares, superposition_defect


def test_a_mismatch_names_both_arguments_and_the_letter() -> None:
    with pytest.raises(ValueError, match=r"^Phi, y: expected y of shape \(n,\) with n = 4 as in Phi, got shape "
                                         r"\(3,\)$"):
        least_squares(np.ones((4, 2)), np.ones(3))


def test_lists_and_booleans_are_read_as_arrays_and_masked_arrays_refused() -> None:
    assert least_squares([[1.0, 0.0], [0.0, 1.0]], [2, 3]).tolist() == [2.0, 3.0]
    with pytest.raises(TypeError, match="^y: expected an array of real numbers, got a masked array"):
        least_squares(np.eye(2), np.ma.masked_array([1.0, 2.0], mask=[0, 1]))


def test_calls_from_inside_are_not_checked_again_but_get_the_same_form() -> None:
    seen = []

    def inner(x: Array("n"), sizes: tuple[PositiveInt, ...]) -> None:
        seen.append((type(x), x.dtype, sizes))

    inner = checked(inner)

    def outer(n: PositiveInt) -> None:
        inner([1, 2], [3])  # inside: converted to the declared forms, not checked
        inner([np.nan], [0])  # inside: a NaN and a zero size pass, the outer call vouches for them

    checked(outer)(2)
    assert seen == [(np.ndarray, np.float64, (3,)), (np.ndarray, np.float64, (0,))]
    with pytest.raises(ValueError, match=r"^x: expected finite values"):
        inner([np.nan], [1])  # from outside


def test_a_function_with_an_undeclared_argument_does_not_vouch_for_what_it_passes_on() -> None:
    def outer(n: PositiveInt, x) -> object:
        return least_squares(np.ones((1, 1)), x)

    with pytest.raises(ValueError, match="^y: expected finite values"):
        checked(outer)(1, [np.nan])


def test_a_callers_function_runs_outside_and_must_return_finite_reals() -> None:
    with pytest.raises(ValueError, match="^f: returned NaN or infinity"):
        universal.relu_interpolant(lambda x: np.where(x > 0.5, np.inf, x), 3)
    with pytest.raises(TypeError, match="^f: expected a function returning real numbers, got str"):
        superposition_defect(lambda x: "x", np.ones(2), np.ones(2), 1.0, 2.0)
    # What the caller's function calls is checked again: a list reaches sigmoid from outside.
    with pytest.raises(TypeError, match="^z: expected an array of real numbers, got str"):
        superposition_defect(lambda x: network.sigmoid("z"), np.ones(2), np.ones(2), 1.0, 2.0)


def test_a_call_that_does_not_fit_the_signature_names_the_function() -> None:
    with pytest.raises(TypeError, match="^least_squares: missing a required argument: 'y'"):
        least_squares(np.ones((2, 2)))


def test_a_seed_is_a_non_negative_integer() -> None:
    with pytest.raises(ValueError, match="^seed: expected an integer >= 0, got -1"):
        glm.simulated_logistic(seed=-1)
    with pytest.raises(TypeError, match="^seed: expected an integer, got str"):
        glm.simulated_logistic(seed="abc")
    assert _boundary.declared(Seed).kind == _boundary.IntegerKind(minimum=0)


def test_function_kind_refuses_what_cannot_be_called() -> None:
    assert isinstance(_boundary.declared(Function).kind, _boundary.FunctionKind)
    with pytest.raises(TypeError, match="^f: expected a function, got int"):
        superposition_defect(3, np.ones(2), np.ones(2), 1.0, 2.0)


@pytest.mark.parametrize(("y", "family", "message"), [
    (np.array([0.0, 2.0]), "bernoulli", "^y: the bernoulli family needs y in"),
    (np.array([-1.0, 2.0]), "poisson", "^y: the poisson family needs non-negative counts y"),
])
def test_the_deviance_refuses_responses_outside_the_family(y: np.ndarray, family: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        deviance(y, np.full(2, 0.5), FAMILIES[family])


def test_one_hidden_layer_params_refuses_other_networks_by_the_given_name() -> None:
    with pytest.raises(ValueError, match="^theta: expected a one-hidden-layer tanh network with one output"):
        network.one_hidden_layer_params(network.init_network((2, 3, 3, 1)), name="theta")
    with pytest.raises(TypeError, match="^rng: expected a Generator, got str"):
        overview.random_params("rng", 2, 3)


def test_masked_arrays_are_refused_by_the_older_checks_too() -> None:
    with pytest.raises(TypeError, match=r"^weights\[0\]: expected an array of real numbers, got a masked array"):
        network.Network((np.ma.masked_array(np.ones((1, 2)), mask=[[0, 1]]),), (np.zeros(1),))


def test_a_polynomial_design_that_would_overflow_is_refused_by_its_degree() -> None:
    from snippets.linear import polynomial_design
    assert np.all(np.isfinite(polynomial_design(np.linspace(0, 10, 5), 300)))
    with pytest.raises(ValueError, match=r"^degree: x\^400 overflows for \|x\| up to 10"):
        polynomial_design(np.linspace(0, 10, 5), 400)


def test_the_penalised_newton_fit_raises_when_it_has_not_converged() -> None:
    from snippets.glm import ConvergenceError
    from snippets.glm_again import fit_penalised_logistic_newton, random_feature_design, two_moons
    X, y = two_moons(60)
    Phi = random_feature_design(X, 10)
    with pytest.raises(ConvergenceError, match="^max_iter: Newton did not converge in 1 iterations"):
        fit_penalised_logistic_newton(Phi, y, 0.05, max_iter=1)
    assert np.all(np.isfinite(fit_penalised_logistic_newton(Phi, y, 0.05)))
