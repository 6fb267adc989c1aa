"""Tests of snippets/_boundary.py: arguments checked against their annotations at each public
function's boundary, with one message naming the argument, and not again inside the package."""

from __future__ import annotations

import numpy as np
import pytest

from snippets import _boundary, _checks, glm, network, overview, universal
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


# --- the declarations themselves ------------------------------------------------------------------

def _rule(value: object, other: object) -> str | None:
    return None


def test_each_kind_declares_what_its_name_says() -> None:
    from typing import Annotated, Literal

    from snippets._boundary import (
        ArrayKind,
        ChoiceKind,
        InstanceKind,
        IntegerKind,
        Labels,
        NumberKind,
        OptionalKind,
        Positive,
        Response,
        SequenceKind,
        Targets,
        at_most,
        declared,
        integer_in,
    )
    assert declared(Array("n p")) == _boundary.Declared(ArrayKind(("n", "p")))
    assert declared(Array(...)) == _boundary.Declared(ArrayKind(None))
    assert declared(Array("n", _rule)) == _boundary.Declared(ArrayKind(("n",)), (_rule,))
    assert declared(Labels("n")).kind == ArrayKind(("n",), binary=True)
    assert declared(Response("n")).kind == ArrayKind(("n",), booleans=True)
    assert declared(Targets("n k", _rule)) == _boundary.Declared(ArrayKind(("n", "k"), booleans=True, column=True),
                                                                  (_rule,))
    assert declared(Literal["a", "b"]) == _boundary.Declared(ChoiceKind(("a", "b")))
    assert declared(Positive | None) == _boundary.Declared(OptionalKind(NumberKind(minimum=0.0, strict=True)))
    assert declared(Annotated[Literal["a"] | None, _rule]) == _boundary.Declared(OptionalKind(ChoiceKind(("a",))),
                                                                                 (_rule,))
    assert declared(Annotated[network.Network, _rule]) == _boundary.Declared(InstanceKind(network.Network), (_rule,))
    count = IntegerKind(1, _boundary.COUNT_CAP, _boundary._CAPPED)
    assert declared(tuple[PositiveInt, ...]) == _boundary.Declared(SequenceKind(count, tuple))
    assert declared(list[PositiveInt]) == _boundary.Declared(SequenceKind(count, list))
    assert declared(np.random.Generator) == _boundary.Declared(InstanceKind(np.random.Generator))
    for undeclared in (int, str, np.ndarray, tuple[PositiveInt, PositiveInt], tuple[str, ...], str | None,
                       np.random.SeedSequence):
        assert declared(undeclared) == _boundary.Declared(None), undeclared
    assert declared(at_most(5)).kind == IntegerKind(minimum=1, maximum=5)
    assert declared(integer_in(0, 4)).kind == IntegerKind(minimum=0, maximum=4, why="")
    assert declared(integer_in(2)).kind == IntegerKind(minimum=2, maximum=None, why="")


def test_annotations_are_read_in_the_functions_module() -> None:
    import functools

    def trampoline(*args, **kwargs):  # a wrapper made elsewhere, as the mutation tester makes them
        return least_squares.__wrapped__(*args, **kwargs)

    functools.update_wrapper(trampoline, least_squares.__wrapped__)
    del trampoline.__wrapped__  # keep its own signature lookup honest: the annotations are strings
    trampoline.__annotations__ = {"Phi": 'Array("n k")', "y": 'Array("n")'}
    trampoline.__signature__ = __import__("inspect").signature(least_squares.__wrapped__)
    found = _boundary.declarations_of(trampoline)
    assert set(found) == {"Phi", "y"} and found["y"].kind.axes == ("n",)

    def partly(a, b: PositiveInt, c: Seed = 0) -> None:  # an undeclared argument first
        return None

    assert set(_boundary.declarations_of(partly)) == {"b", "c"}


def test_numbers_say_which_numbers_they_expect() -> None:
    from snippets._boundary import NumberKind
    cases = [(NumberKind(), "a finite number"), (NumberKind(minimum=0.0, strict=True), "a finite positive number"),
             (NumberKind(minimum=0.0), "a finite non-negative number"),
             (NumberKind(minimum=2.0), "a finite number >= 2"),
             (NumberKind(minimum=2.0, why="because"), r"a finite number >= 2 \(because\)")]
    for kind, expected in cases:
        with pytest.raises(ValueError, match=rf"^h: expected {expected}, got -inf$"):
            kind.convert("h", -np.inf, _boundary.Call())
    assert NumberKind(minimum=0.0).convert("h", 0, _boundary.Call()) == 0.0
    with pytest.raises(ValueError, match="^h: expected a finite positive number, got 0"):
        NumberKind(minimum=0.0, strict=True).convert("h", 0, _boundary.Call())


def _labelled(y: _boundary.Labels("n")) -> np.ndarray:
    return y


def test_labels_name_the_first_value_that_is_not_a_label() -> None:
    labels = checked(_labelled)
    assert labels([True, False]).tolist() == [1.0, 0.0]
    with pytest.raises(ValueError, match=r"^y: expected labels in \{0, 1\}, got values such as 0.5$"):
        labels([0.0, 1.0, 0.5, 2.0, 1.0])


def _letters(a: Array("2 n"), b: Array("n"), c: Array("n") | None = None,
             d: tuple[Array("n"), ...] = (np.zeros(3),)) -> int:
    return a.shape[1]


def test_letters_hold_after_a_number_through_optionals_and_sequences() -> None:
    letters = checked(_letters)
    assert letters(np.ones((2, 3)), np.ones(3)) == 3
    with pytest.raises(ValueError, match=r"^a, b: expected b of shape \(n,\) with n = 3 as in a"):
        letters(np.ones((2, 3)), np.ones(4))
    with pytest.raises(ValueError, match=r"^a: expected shape \(2, n\), got shape \(3, 3\)"):
        letters(np.ones((3, 3)), np.ones(3))
    with pytest.raises(ValueError, match=r"^a, c: expected c of shape \(n,\) with n = 3 as in a"):
        letters(np.ones((2, 3)), np.ones(3), np.ones(5))
    with pytest.raises(ValueError, match=r"^a, d\[1\]: expected d\[1\] of shape \(n,\) with n = 3 as in a"):
        letters(np.ones((2, 3)), np.ones(3), None, (np.ones(3), np.ones(2)))


def test_a_checked_function_is_wrapped_once() -> None:
    before = dict(vars(universal))
    _boundary.enforce_annotations(vars(universal))
    assert all(vars(universal)[name] is value for name, value in before.items())
    assert universal.tent.checked is True


@pytest.mark.parametrize(("call", "error", "message"), [
    (lambda: _checks.as_real_array("w", "x"), TypeError, "^w: expected an array of real numbers, got str"),
    (lambda: _checks.as_real_array("w", [[1.0], [2.0, 3.0]]), ValueError, "^w: could not be read as an array"),
    (lambda: _checks.as_real_array("w", np.array(["a"])), TypeError, "^w: expected an array of real numbers, got an"),
    (lambda: _checks.as_real_array("w", np.ones(3), ndim=2), ValueError, r"^w: expected a 2-dimensional array"),
    (lambda: _checks.as_real_array("w", np.ones(0)), ValueError, "^w: expected at least one value"),
    (lambda: _checks.as_real_array("w", [1.0, np.nan]), ValueError, "^w: expected finite values, got NaN"),
    (lambda: _checks.as_finite_float("t", "x"), TypeError, "^t: expected a real number, got str"),
    (lambda: _checks.as_finite_float("t", -1.0, positive=True), ValueError, "^t: expected a finite positive number"),
    (lambda: _checks.as_finite_float("t", -1.0, nonnegative=True), ValueError, "^t: expected a finite non-negative"),
    (lambda: _checks.one_of("scale", "x", ("glorot",)), ValueError, "^scale: expected one of 'glorot', got 'x'"),
    (lambda: _checks.as_instance("net", 3, network.Network), TypeError, "^net: expected a Network, got int"),
    (lambda: _checks.as_sequence("weights", 3), TypeError, "^weights: expected a list or tuple, got int"),
    (lambda: _checks.as_sequence("weights", []), ValueError, "^weights: expected at least one entry"),
])
def test_the_older_checks_name_their_argument(call, error: type[Exception], message: str) -> None:
    # What Network's constructor and the returned maps still use (snippets/_checks.py).
    with pytest.raises(error, match=message):
        call()
    assert _checks.as_real_array("w", [True, False], allow_bool=True).tolist() == [1.0, 0.0]


def test_a_call_from_inside_by_keyword_gets_the_same_form() -> None:
    seen = []

    def inner(x: Array("n")) -> None:
        seen.append(type(x))

    inner = checked(inner)
    checked(lambda: inner(x=[1, 2]))()  # a lambda declares nothing: it does not vouch for inner's x
    from snippets._boundary import _inside
    token = _inside.set(True)
    try:
        inner(x=[1, 2])
    finally:
        _inside.reset(token)
    assert seen == [np.ndarray, np.ndarray]


def _solve(A: Array("n n"), b: Array("n")) -> np.ndarray:
    return np.linalg.solve(A, b)


def test_a_singular_matrix_from_moderate_arguments_is_numpy_s_error_and_from_huge_ones_an_overflow() -> None:
    solve = checked(_solve)
    with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
        solve(np.ones((2, 2)), np.ones(2))
    with pytest.raises(ValueError, match=r"^A: values as large as 1e\+200 make _solve overflow"), \
            np.errstate(all="ignore"):
        solve(np.full((2, 2), 1e200), np.ones(2))
