"""Argument checks called by hand, where a value is not an argument a signature can declare
(`Network`'s own fields, the vector a returned map is given): the boundary's kinds, by name."""

from __future__ import annotations

import numpy as np

from snippets._boundary import ArrayKind, Call, ChoiceKind, InstanceKind, NumberKind


def as_real_array(name: str, value: object, *, ndim: int | None = None, allow_bool: bool = False) -> np.ndarray:
    """`value` as a finite, non-empty float array, or a TypeError/ValueError that names the argument
    (the boundary's `Array` kind, with `ndim` axes of any size). Booleans are refused unless
    `allow_bool` (a 0/1 response may be given as True/False)."""
    array = ArrayKind(None, booleans=allow_bool).convert(name, value, Call())
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-dimensional array, got shape {array.shape}")
    return array


def as_finite_float(name: str, value: object, *, positive: bool = False, nonnegative: bool = False) -> float:
    """`value` as a finite float (> 0 or >= 0 if asked), or a TypeError/ValueError naming it."""
    minimum = 0.0 if positive or nonnegative else None
    return NumberKind(minimum=minimum, strict=positive).convert(name, value, Call())


def one_of(name: str, value: object, choices: tuple[str, ...]) -> str:
    """`value` if it is one of `choices`, or a ValueError naming the argument and the choices."""
    return ChoiceKind(choices).convert(name, value, Call())


def as_instance(name: str, value: object, kind: type) -> object:
    """`value` if it is a `kind` (a Network, a fit, a family), or a TypeError naming the argument."""
    return InstanceKind(kind).convert(name, value, Call())


def as_sequence(name: str, value: object) -> tuple:
    """`value` (a list or tuple: layer sizes, variances, per-layer arrays) as a non-empty tuple."""
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name}: expected a list or tuple, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name}: expected at least one entry")
    return tuple(value)
