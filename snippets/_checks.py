"""Argument checks shared by the public functions: a clear error instead of a silent NaN."""

from __future__ import annotations

import numbers

import numpy as np


def as_real_array(name: str, value: object, *, ndim: int | None = None) -> np.ndarray:
    """`value` as a finite float array, or a TypeError/ValueError that names the argument."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name}: expected an array of real numbers, got {type(value).__name__}")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged nested lists, for instance
        raise ValueError(f"{name}: could not be read as an array ({error})") from None
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number) or np.iscomplexobj(array):
        raise TypeError(f"{name}: expected real numbers, got an array of dtype {array.dtype}")
    array = array.astype(float)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-dimensional array, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name}: contains NaN or infinite values")
    return array


def as_positive_int(name: str, value: object) -> int:
    """`value` as an int >= 1, or a TypeError/ValueError that names the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected a positive integer, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{name}: expected a positive integer, got {value}")
    return int(value)


def as_finite_float(name: str, value: object, *, positive: bool = False) -> float:
    """`value` as a finite float (strictly positive if asked), or a TypeError/ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__}")
    number = float(value)
    if not np.isfinite(number) or (positive and number <= 0):
        raise ValueError(f"{name}: expected a finite{' positive' if positive else ''} number, got {value!r}")
    return number


def one_of(name: str, value: object, choices: tuple[str, ...]) -> str:
    """`value` if it is one of `choices`, or a ValueError naming the argument and the choices."""
    if value not in choices:
        raise ValueError(f"{name}: expected one of {', '.join(map(repr, choices))}, got {value!r}")
    return value  # type: ignore[return-value]
