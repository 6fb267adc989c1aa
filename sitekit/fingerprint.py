"""Fingerprints of code: a hash of what a function runs inside the snippets package.

A function's fingerprint covers its bytecode, names and constants, and recursively every snippets
function, class and constant it reaches, plus the numpy and matplotlib versions. Comments and
layout do not count; memory addresses never do, so fingerprints agree across processes. Figures,
computed values and executed examples are cached under them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import inspect
import types
import weakref

from sitekit.cache import library_versions


def _code_names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


def _code_digest(code: types.CodeType, h: hashlib._Hash) -> None:
    # Bytecode, names and constants: edits to comments or layout change nothing, edits to logic do.
    h.update(code.co_code)
    h.update(repr((code.co_names, code.co_varnames)).encode())
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _code_digest(const, h)
        else:
            h.update(repr(const).encode())


def _is_ours(obj: object) -> bool:
    module = getattr(obj, "__module__", None) or getattr(obj, "__name__", "")
    return isinstance(module, str) and (module == "snippets" or module.startswith("snippets."))


# One build asks for the same function's fingerprint many times (its figure, values, examples,
# notebooks). A function object's code does not change while it lives; `mkdocs serve` reloads the
# package for each build, so each build's functions are new objects.
_known: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def fingerprint(draw: types.FunctionType) -> str:
    """A hash of the code that `draw` runs inside the snippets package, plus the library versions."""
    try:
        return _known[draw]
    except (KeyError, TypeError):  # TypeError: an object that takes no weak reference
        pass
    digest = _fingerprint(draw)
    with contextlib.suppress(TypeError):  # an object that takes no weak reference is not kept
        _known[draw] = digest
    return digest


def _fingerprint(draw: types.FunctionType) -> str:
    if isinstance(draw, type):  # a class: its methods
        return hashlib.sha256(repr(sorted(vars(draw))).encode() + _class_digest(draw)).hexdigest()[:16]
    draw = inspect.unwrap(draw)  # functools.cache and other wrappers: the function inside
    # Every library whose results the build caches (one list, sitekit/cache.py): an upgrade of any
    # of them (statsmodels too, which the fitter is compared with) computes everything again.
    import numpy  # here, not at import: a build that reuses its memo never loads numpy

    h = hashlib.sha256(library_versions().encode())
    seen: set[int] = set()

    def visit(obj: object, via_globals: dict) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, types.FunctionType):
            h.update(f"{obj.__module__}.{obj.__qualname__}".encode())
            _code_digest(obj.__code__, h)
            for default in obj.__defaults__ or ():
                visit_value(default, obj)  # defaults can be functions or arrays: never their repr
            for name in sorted(_code_names(obj.__code__)):
                if name in obj.__globals__:
                    visit_value(obj.__globals__[name], obj)
        elif isinstance(obj, type):
            h.update(f"{obj.__module__}.{obj.__qualname__}".encode())
            for attr in sorted(vars(obj)):
                value = vars(obj)[attr]
                h.update(attr.encode())
                if isinstance(value, (staticmethod, classmethod)):
                    value = value.__func__
                if isinstance(value, types.FunctionType):
                    visit(value, via_globals)

    def visit_value(value: object, user: types.FunctionType) -> None:
        # Hash what a value *is*, never its repr: a repr can carry memory addresses, which
        # change from process to process and would make every build a cold one.
        if callable(value) and hasattr(value, "__wrapped__"):
            value = inspect.unwrap(value)  # a cached function: follow the function itself
        if isinstance(value, types.ModuleType):
            if _is_ours(value):
                # `module.attr`: follow each attribute the user names on that module.
                h.update(value.__name__.encode())
                for attr in sorted(_code_names(user.__code__)):
                    if hasattr(value, attr):
                        visit_value(getattr(value, attr), user)
        elif isinstance(value, (types.FunctionType, type)) and _is_ours(value):
            visit(value, user.__globals__)
        elif callable(value) and hasattr(value, "__qualname__") or isinstance(value, numpy.ufunc):
            h.update(f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value.__name__)}".encode())
        elif isinstance(value, dict):
            for key in sorted(value, key=repr):
                h.update(repr(key).encode())
                visit_value(value[key], user)
        elif isinstance(value, (list, tuple, set, frozenset)):
            for item in (sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value):
                visit_value(item, user)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            h.update(type(value).__qualname__.encode())
            for f in dataclasses.fields(value):
                h.update(f.name.encode())
                visit_value(getattr(value, f.name), user)
        elif isinstance(value, numpy.ndarray):
            h.update(value.tobytes())
        elif value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
            h.update(repr(value).encode())
        else:
            h.update(type(value).__qualname__.encode())

    visit(draw, draw.__globals__)
    # The renderer and the style module shape every figure.
    from snippets import figures, style

    for module in (figures, style):
        h.update(inspect.getsource(module).encode())
    return h.hexdigest()[:16]


def fingerprint_value(value: object) -> str:
    """The fingerprint of anything a snippets module exports: a function or class by its code,
    a module by its source, anything else by its type."""
    if isinstance(value, (types.FunctionType, type)) or hasattr(value, "__wrapped__"):
        return fingerprint(value)  # type: ignore[arg-type]
    if isinstance(value, types.ModuleType):
        return hashlib.sha256(inspect.getsource(value).encode()).hexdigest()[:16]
    return hashlib.sha256(type(value).__qualname__.encode()).hexdigest()[:16]




def _class_digest(cls: type) -> bytes:
    h = hashlib.sha256(f"{cls.__module__}.{cls.__qualname__}".encode())
    for _name, value in sorted(vars(cls).items()):
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if isinstance(value, types.FunctionType):
            _code_digest(value.__code__, h)
    return h.digest()
