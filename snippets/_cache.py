"""The cache of the chapters' summaries: each caller gets a value of its own."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from snippets._boundary import checked

F = TypeVar("F", bound=Callable)


def cached(function: F) -> F:
    """`functools.cache` that hands each caller a deep copy of the remembered value, so that a
    reader who changes a returned array or dict in place changes nothing the next call (or the
    page) gets. Lists and arrays among the arguments are read as tuples (a sequence of widths may
    be given either way); an argument that still cannot be a cache key is passed on uncached, for
    the function's own checks to answer."""
    function = checked(function)  # a value is checked when it is computed, not when it is remembered
    remembered = functools.cache(function)

    @functools.wraps(function)
    def call(*args, **kwargs):
        args = tuple(_as_key(value) for value in args)
        kwargs = {name: _as_key(value) for name, value in kwargs.items()}
        try:
            hash((args, tuple(kwargs.items())))
        except TypeError:
            return function(*args, **kwargs)
        return copy.deepcopy(remembered(*args, **kwargs))

    call.cache_clear = remembered.cache_clear
    return call  # type: ignore[return-value]


def _as_key(value: object) -> object:
    if isinstance(value, np.ndarray) and not isinstance(value, np.ma.MaskedArray):
        value = value.tolist()
    if isinstance(value, list):
        return tuple(_as_key(item) for item in value)
    return value
