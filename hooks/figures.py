"""Render every registered figure to SVG at build time and add it to the site as a generated file.

Each figure is cached on disk under a fingerprint of the code that draws it (the drawing
function and every snippets function, class and constant it reaches), so a warm rebuild
renders nothing and an edit re-renders only the figures that reach the edited code.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from hooks import memo
from hooks.fingerprint import fingerprint

log = logging.getLogger("mkdocs.hooks.figures")

FIGURE_DIR = "figures"
VARIANTS = ("light", "dark")
PARALLEL_FROM = 3  # below this many figures to draw, starting worker processes costs more than it saves


def figure_path(name: str, variant: str) -> str:
    """Site path of a figure's SVG: figures/NAME.svg (light) and figures/NAME-dark.svg."""
    return f"{FIGURE_DIR}/{name}.svg" if variant == "light" else f"{FIGURE_DIR}/{name}-{variant}.svg"


def render_all(config: MkDocsConfig) -> tuple[dict[str, dict[str, bytes]], list[str]]:
    """SVGs of every registered figure, from the cache where the fingerprint matches.

    Returns ({name: {variant: bytes}}, [names that were rendered in this call]).
    """
    from snippets.figures import registry, render_named, render_svg

    directory = memo.cache_dir(config, "figures")
    directory.mkdir(parents=True, exist_ok=True)
    specs = registry()
    svgs: dict[str, dict[str, bytes]] = {}
    missing: dict[str, str] = {}
    keys = {name: fingerprint(spec.draw) for name, spec in specs.items()}
    memo.put("figures", "fingerprints", keys)
    for name, spec in specs.items():
        key = keys[name]
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


def cached_svgs(config: MkDocsConfig) -> dict[str, dict[str, bytes]] | None:
    """The figures of an unchanged source tree, read from the cache without importing snippets."""
    keys = memo.get("figures", "fingerprints")
    if keys is None:
        return None
    directory = memo.cache_dir(config, "figures")
    paths = {name: {v: directory / f"{name}.{key}.{v}.svg" for v in VARIANTS} for name, key in keys.items()}
    if not all(p.exists() for variants in paths.values() for p in variants.values()):
        return None
    return {name: {v: p.read_bytes() for v, p in variants.items()} for name, variants in paths.items()}


def on_files(files: Files, config: MkDocsConfig) -> Files:
    svgs = cached_svgs(config)
    if svgs is not None:
        rendered = []
    else:
        svgs, rendered = render_all(config)
    log.info("figures: rendered %d (%s), %d from cache", len(rendered), ", ".join(rendered) or "none",
             len(svgs) - len(rendered))
    for name, variants in svgs.items():
        for variant, data in variants.items():
            files.append(File.generated(config, figure_path(name, variant), content=data))
    return files
