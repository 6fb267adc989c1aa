"""Render every registered figure to SVG at build time and add it to the site as a generated file.

Each figure is cached on disk under a fingerprint of the code that draws it (the drawing
function and every snippets function, class and constant it reaches), so a warm rebuild
renders nothing and an edit re-renders only the figures that reach the edited code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import inspect
import logging
import multiprocessing
import os
import types
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import matplotlib
import numpy
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.figures")

FIGURE_DIR = "figures"
VARIANTS = ("light", "dark")
PARALLEL_FROM = 3  # below this many figures to draw, starting worker processes costs more than it saves


def cache_dir(config: MkDocsConfig) -> Path:
    root = os.environ.get("SITE_CACHE_DIR") or Path(config.config_file_path).parent / ".cache"
    return Path(root) / "figures"


def figure_path(name: str, variant: str) -> str:
    """Site path of a figure's SVG: figures/NAME.svg (light) and figures/NAME-dark.svg."""
    return f"{FIGURE_DIR}/{name}.svg" if variant == "light" else f"{FIGURE_DIR}/{name}-{variant}.svg"


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
    h = hashlib.sha256(f"matplotlib {matplotlib.__version__} numpy {numpy.__version__}".encode())
    seen: set[int] = set()

    def visit(obj: object, via_globals: dict) -> None:
        if id(obj) in seen:
            return
        seen.add(id(obj))
        if isinstance(obj, types.FunctionType):
            h.update(f"{obj.__module__}.{obj.__qualname__}".encode())
            _code_digest(obj.__code__, h)
            h.update(repr(obj.__defaults__).encode())
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


def render_all(config: MkDocsConfig) -> tuple[dict[str, dict[str, bytes]], list[str]]:
    """SVGs of every registered figure, from the cache where the fingerprint matches.

    Returns ({name: {variant: bytes}}, [names that were rendered in this call]).
    """
    from snippets.figures import registry, render_named, render_svg

    directory = cache_dir(config)
    directory.mkdir(parents=True, exist_ok=True)
    specs = registry()
    svgs: dict[str, dict[str, bytes]] = {}
    missing: dict[str, str] = {}
    for name, spec in specs.items():
        key = fingerprint(spec.draw)
        paths = {v: directory / f"{name}.{key}.{v}.svg" for v in VARIANTS}
        if all(p.exists() for p in paths.values()):
            svgs[name] = {v: p.read_bytes() for v, p in paths.items()}
        else:
            missing[name] = key

    def store(name: str, rendered: dict[str, bytes]) -> None:
        for stale in directory.glob(f"{name}.*.svg"):
            stale.unlink()
        for variant, data in rendered.items():
            (directory / f"{name}.{missing[name]}.{variant}.svg").write_bytes(data)
        svgs[name] = rendered

    workers = min(len(missing), os.cpu_count() or 1)
    if len(missing) >= PARALLEL_FROM and workers > 1:
        # spawn, not fork: `mkdocs serve` runs threads, and forking those is unsafe.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = {name: pool.submit(render_named, name) for name in missing}
            for name, future in futures.items():
                try:
                    store(name, future.result())
                except Exception as error:
                    raise PluginError(f"figure {name!r} failed to render: {type(error).__name__}: {error}") from error
    else:
        for name in missing:
            try:
                store(name, render_svg(specs[name]))
            except Exception as error:
                raise PluginError(f"figure {name!r} failed to render: {type(error).__name__}: {error}") from error
    return svgs, sorted(missing)


def on_files(files: Files, config: MkDocsConfig) -> Files:
    svgs, rendered = render_all(config)
    log.info("figures: rendered %d (%s), %d from cache", len(rendered), ", ".join(rendered) or "none",
             len(svgs) - len(rendered))
    for name, variants in svgs.items():
        for variant, data in variants.items():
            files.append(File.generated(config, figure_path(name, variant), content=data))
    return files
