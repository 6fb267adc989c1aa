"""Render every registered figure to SVG at build time and add it to the site as a generated file.

Each figure is cached on disk under a fingerprint of the code that draws it (the drawing
function and every snippets function, class and constant it reaches), so a warm rebuild
renders nothing and an edit re-renders only the figures that reach the edited code.

The figures to draw are drawn in worker processes, waited for only before MkDocs copies the files
to the site: the pages are rendered meanwhile. When snippets/ changed, a worker is started with the
build and imports matplotlib and the package while the build works out what to draw.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from hooks import memo
from hooks.fingerprint import fingerprint

log = logging.getLogger("mkdocs.hooks.figures")

FIGURE_DIR = "figures"
VARIANTS = ("light", "dark")

_pending: dict = {"pool": None, "futures": {}}


def figure_path(name: str, variant: str) -> str:
    """Site path of a figure's SVG: figures/NAME.svg (light) and figures/NAME-dark.svg."""
    return f"{FIGURE_DIR}/{name}.svg" if variant == "light" else f"{FIGURE_DIR}/{name}-{variant}.svg"


def cache_paths(directory: Path, name: str, key: str) -> dict[str, Path]:
    """Where the SVGs of figure `name` drawn by code with fingerprint `key` are kept."""
    return {v: directory / f"{name}.{key}.{v}.svg" for v in VARIANTS}


def figure_keys(config: MkDocsConfig) -> dict[str, str]:
    """{figure name: fingerprint of its code}: from the memo while snippets/ is unchanged (nothing
    imported), else from the registry (snippets imported; matplotlib is not needed for this)."""
    keys = memo.get("figures", "fingerprints")
    if keys is None:
        from snippets.figures import registry

        keys = {name: fingerprint(spec.draw) for name, spec in registry().items()}
        memo.put("figures", "fingerprints", keys)
    return keys


def start_workers() -> None:
    """A pool of worker processes (one per core, started as needed), the first one preparing now."""
    from snippets.figures import prepare_drawing

    # spawn, not fork: `mkdocs serve` runs threads, and forking those is unsafe.
    pool = ProcessPoolExecutor(os.cpu_count() or 1, mp_context=multiprocessing.get_context("spawn"))
    _pending.update(pool=pool, futures={"": pool.submit(prepare_drawing)})


def start_rendering(names: list[str], keys: dict[str, str], directory: Path) -> None:
    """Draw `names` in the worker processes; finish_rendering() waits for them and stores the SVGs."""
    from snippets.figures import render_named

    if _pending["pool"] is None:
        start_workers()
    pool = _pending["pool"]
    _pending.update(directory=directory, keys=keys,
                    futures={name: pool.submit(render_named, name) for name in names})


def finish_rendering() -> None:
    pool, futures = _pending["pool"], _pending["futures"]
    if pool is None:
        return
    try:
        for name, future in futures.items():
            try:
                rendered = future.result()
            except Exception as error:
                raise PluginError(f"figure {name!r} failed to render: {type(error).__name__}: {error}") from error
            for stale in _pending["directory"].glob(f"{name}.*.svg"):
                stale.unlink()
            for variant, path in cache_paths(_pending["directory"], name, _pending["keys"][name]).items():
                path.write_bytes(rendered[variant])
    finally:
        _stop(pool, futures)


def _stop(pool: ProcessPoolExecutor, futures: dict[str, Future]) -> None:
    for future in futures.values():
        future.cancel()
    pool.shutdown(wait=True)
    _pending.update(pool=None, futures={})


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if memo.get("figures", "fingerprints") is None:  # snippets/ changed: something may need drawing
        start_workers()
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    directory = memo.cache_dir(config, "figures")
    directory.mkdir(parents=True, exist_ok=True)
    keys = figure_keys(config)
    missing = sorted(name for name, key in keys.items()
                     if not all(p.exists() for p in cache_paths(directory, name, key).values()))
    if missing:
        start_rendering(missing, keys, directory)
    elif _pending["pool"] is not None:  # nothing to draw after all: let the prepared worker go
        _pending["pool"].shutdown(wait=False, cancel_futures=True)
        _pending.update(pool=None, futures={})
    log.info("figures: rendered %d (%s), %d from cache", len(missing), ", ".join(missing) or "none",
             len(keys) - len(missing))
    for name, key in keys.items():
        for variant, path in cache_paths(directory, name, key).items():
            # The file may not exist yet: MkDocs copies it after on_env, when it has been drawn.
            files.append(File.generated(config, figure_path(name, variant), abs_src_path=str(path)))
    return files


def on_env(env, config: MkDocsConfig, files: Files):
    finish_rendering()
    return env


def on_build_error(error: Exception) -> None:
    if _pending["pool"] is not None:
        _stop(_pending["pool"], _pending["futures"])
