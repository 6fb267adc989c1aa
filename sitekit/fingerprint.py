"""Fingerprints of code: a hash of what a function runs inside the snippets package.

A function's fingerprint covers its bytecode, names and constants, and recursively every snippets
function, class and constant it reaches (a class through every member: methods, properties'
getters and setters, class attributes, dataclass defaults), plus the cached libraries' versions. Comments and
layout do not count; memory addresses never do, so fingerprints agree across processes. Figures,
computed values and executed examples are cached under them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import inspect
import types

from sitekit.build import current
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


def fingerprint(draw: types.FunctionType) -> str:
    """A hash of the code that `draw` runs inside the snippets package, plus the library versions."""
    # One build asks for the same function's fingerprint many times (its figure, values, examples,
    # notebooks); a function object's code does not change while it lives.
    known = current().fingerprints
    try:
        return known[draw]
    except (KeyError, TypeError):  # TypeError: an object that takes no weak reference
        pass
    digest = _fingerprint(draw)
    with contextlib.suppress(TypeError):  # an object that takes no weak reference is not kept
        known[draw] = digest
    return digest


def _fingerprint(draw: types.FunctionType | type) -> str:
    if not isinstance(draw, type):
        draw = inspect.unwrap(draw)  # functools.cache and other wrappers: the function inside
    # Every library whose results the build caches (one list, sitekit/cache.py): an upgrade of any
    # of them (statsmodels too, which the fitter is compared with) computes everything again.
    import numpy  # here, not at import: a build that reuses its memo never loads numpy

    h = hashlib.sha256(library_versions().encode())
    seen: set[int] = set()

    def visit(obj: types.FunctionType | type) -> None:
        """A function: its code, defaults and every global it names. A class: each member, so that
        whatever a method, property or attribute runs or holds (helpers included) counts."""
        if id(obj) in seen:
            return
        seen.add(id(obj))
        h.update(f"{obj.__module__}.{obj.__qualname__}".encode())
        if isinstance(obj, types.FunctionType):
            _code_digest(obj.__code__, h)
            for default in obj.__defaults__ or ():
                visit_value(default, obj)  # defaults can be functions or arrays: never their repr
            for default in (obj.__kwdefaults__ or {}).values():
                visit_value(default, obj)
            for name in sorted(_code_names(obj.__code__)):
                if name in obj.__globals__:
                    visit_value(obj.__globals__[name], obj)
            for cell in obj.__closure__ or ():  # a function made by another (a returned map)
                with contextlib.suppress(ValueError):  # an empty cell
                    visit_value(cell.cell_contents, obj)
            return
        for attr, member in sorted(vars(obj).items()):
            h.update(attr.encode())
            visit_member(member)

    def visit_member(member: object) -> None:
        if isinstance(member, (staticmethod, classmethod)):
            member = member.__func__
        if isinstance(member, property):  # the getter, setter and deleter
            for accessor in (member.fget, member.fset, member.fdel):
                if isinstance(accessor, types.FunctionType):
                    visit(accessor)
        elif isinstance(member, functools.cached_property):
            visit(member.func)
        elif isinstance(member, types.FunctionType):
            visit(member)
        elif isinstance(member, dict):  # __dataclass_fields__: each field's default and factory
            for key in sorted(member, key=repr):
                h.update(repr(key).encode())
                visit_member(member[key])
        elif isinstance(member, dataclasses.Field):
            for value in (member.default, member.default_factory):
                if value is not dataclasses.MISSING:
                    visit_value(value, None)
        elif isinstance(member, type) and _is_ours(member):
            visit(member)
        else:
            visit_value(member, None)

    def visit_value(value: object, user: types.FunctionType | None) -> None:
        # Hash what a value *is*, never its repr: a repr can carry memory addresses, which
        # change from process to process and would make every build a cold one.
        if callable(value) and hasattr(value, "__wrapped__"):
            value = inspect.unwrap(value)  # a cached function: follow the function itself
        if isinstance(value, types.ModuleType):
            if _is_ours(value) and user is not None:
                # `module.attr`: follow each attribute the user names on that module.
                h.update(value.__name__.encode())
                for attr in sorted(_code_names(user.__code__)):
                    if hasattr(value, attr):
                        visit_value(getattr(value, attr), user)
            else:
                h.update(value.__name__.encode())
        elif isinstance(value, (types.FunctionType, type)) and _is_ours(value):
            visit(value)
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
            visit(type(value))  # its methods and properties too
            for f in dataclasses.fields(value):
                h.update(f.name.encode())
                visit_value(getattr(value, f.name), user)
        elif isinstance(value, numpy.ndarray):
            h.update(value.tobytes())
        elif value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
            h.update(repr(value).encode())
        else:
            h.update(type(value).__qualname__.encode())

    visit(draw)
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
