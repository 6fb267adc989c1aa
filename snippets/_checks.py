"""Argument checks shared by the public functions: a clear error instead of a silent NaN."""

from __future__ import annotations

import numpy as np


def as_real_array(name: str, value: object, *, ndim: int | None = None, allow_bool: bool = False) -> np.ndarray:
    """`value` as a finite, non-empty float array, or a TypeError/ValueError that names the argument.

    Booleans are refused unless `allow_bool` (a 0/1 response may be given as True/False)."""
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name}: expected an array of real numbers, got {type(value).__name__}")
    if isinstance(value, np.ma.MaskedArray):  # as the boundary does: a mask is never dropped silently
        raise TypeError(f"{name}: expected an array of real numbers, got a masked array (fill or drop the "
                        "masked entries first)")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:  # ragged nested lists, for instance
        raise ValueError(f"{name}: could not be read as an array ({error})") from None
    numeric = np.issubdtype(array.dtype, np.number) and not np.iscomplexobj(array)
    if not (numeric or (allow_bool and array.dtype == bool)):
        raise TypeError(f"{name}: expected real numbers, got an array of dtype {array.dtype}")
    array = array.astype(float)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name}: expected a {ndim}-dimensional array, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name}: expected at least one value, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name}: contains NaN or infinite values")
    return array



def as_finite_float(name: str, value: object, *, positive: bool = False, nonnegative: bool = False) -> float:
    """`value` as a finite float (> 0 or >= 0 if asked), or a TypeError/ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__}")
    number = float(value)
    if not np.isfinite(number) or (positive and number <= 0) or (nonnegative and number < 0):
        kind = " positive" if positive else " non-negative" if nonnegative else ""
        raise ValueError(f"{name}: expected a finite{kind} number, got {value!r}")
    return number


def one_of(name: str, value: object, choices: tuple[str, ...]) -> str:
    """`value` if it is one of `choices`, or a ValueError naming the argument and the choices."""
    if value not in choices:
        raise ValueError(f"{name}: expected one of {', '.join(map(repr, choices))}, got {value!r}")
    return value  # type: ignore[return-value]


def as_instance(name: str, value: object, kind: type) -> object:
    """`value` if it is a `kind` (a Network, a fit, a family), or a TypeError naming the argument."""
    if not isinstance(value, kind):
        raise TypeError(f"{name}: expected a {kind.__name__}, got {type(value).__name__}")
    return value



def as_sequence(name: str, value: object) -> tuple:
    """`value` (a list or tuple: layer sizes, variances, per-layer arrays) as a non-empty tuple."""
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name}: expected a list or tuple, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{name}: expected at least one entry")
    return tuple(value)
