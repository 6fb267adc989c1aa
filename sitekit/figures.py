"""Render every registered figure to SVG at build time into the site.

Each figure is cached on disk under a fingerprint of the code that draws it (the drawing
function and every snippets function, class and constant it reaches), so a warm rebuild
renders nothing and an edit re-renders only the figures that reach the edited code.

The SVG that matplotlib writes is then cut to what a reader sees (`minified_svg`): half the bytes
on average, the pictures the same (compared in Chromium).

The figures to draw are drawn in worker processes while the pages are rendered: MkDocs copies an
empty placeholder for each, and the SVGs are written over them at the end of the build. When
snippets/ changed, a worker is started with the build and imports matplotlib and the package
while the build works out what to draw.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import posixpath
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sitekit import cache, memo
from sitekit.build import current
from sitekit.errors import described, fault
from sitekit.fingerprint import fingerprint

FIGURE_DIR = "figures"
VARIANTS = ("light", "dark")


def figure_path(name: str, variant: str) -> str:
    """Site path of a figure's SVG: figures/NAME.svg (light) and figures/NAME-dark.svg."""
    return f"{FIGURE_DIR}/{name}.svg" if variant == "light" else f"{FIGURE_DIR}/{name}-{variant}.svg"


def figure_links(name: str, alt: str, base: str) -> tuple[str, str]:
    """The HTML of figure `name`, its links relative to `base` (sitekit.context.link_base), the one
    markup of a figure wherever it is shown (a chapter's figure shortcode, a notebook page): the
    light and the dark image, each a link to its SVG, so that a tap or a click opens the figure
    full size. Lazy: the browser fetches only the variant of the palette in use (Material's
    #only-light and #only-dark), when it nears the viewport."""
    # Escaped as Python-Markdown escapes an attribute (an apostrophe stays one).
    alt = html.escape(alt, quote=False).replace('"', "&quot;")
    links = []
    for variant in VARIANTS:
        src = posixpath.relpath(figure_path(name, variant), base or ".")
        links.append(f'<a class="figure-zoom figure-zoom--{variant}" href="{src}"><img alt="{alt}" loading="lazy" '
                     f'src="{src}#only-{variant}" /></a>')
    return links[0], links[1]


def cache_paths(directory: Path, name: str, key: str) -> dict[str, Path]:
    """Where the SVGs of figure `name` under cache key `key` are kept: NAME.KEY.VARIANT.svg."""
    return {v: cache.entry(directory, name, key, f"{v}.svg") for v in VARIANTS}


# Path coordinates to a hundredth of a point (a 150th of a pixel at 1x): matplotlib writes six
# decimals. Then scour, a kept SVG optimiser: no metadata, no ids that nothing refers to, no
# whitespace, relative path commands, numbers to five significant digits (the width and height
# keep theirs: four would move the figure's edge by a pixel).
PATH_DATA = re.compile(r'(\sd=")([^"]*)(")')
LONG_DECIMAL = re.compile(r"-?\d+\.\d{3,}")
DOCTYPE = re.compile(r"^<!DOCTYPE[^>]*>\s*")
SCOUR_OPTIONS = {"digits": 5, "quiet": True, "strip_xml_prolog": True, "remove_metadata": True, "strip_comments": True,
                 "strip_ids": True, "shorten_ids": True, "newlines": False, "indent_type": "none", "group_create": True}


def minified_svg(svg: bytes) -> bytes:
    """matplotlib's SVG with the same picture in fewer bytes (deterministic)."""
    from scour import scour

    text = PATH_DATA.sub(lambda m: m.group(1) + LONG_DECIMAL.sub(lambda n: f"{float(n.group(0)):.2f}", m.group(2))
                         + m.group(3), svg.decode())
    options = scour.sanitizeOptions(None)
    for option, value in SCOUR_OPTIONS.items():
        setattr(options, option, value)
    # The document type too: nothing reads it (an SVG shown by <img> is never validated).
    return DOCTYPE.sub("", scour.scourString(text, options), count=1).encode()


def drawn(name: str) -> dict[str, bytes]:
    """Figure `name` in both palettes, drawn and minified: what a worker process returns."""
    from snippets.figures import render_named

    return {variant: minified_svg(svg) for variant, svg in render_named(name).items()}


def figure_keys() -> dict[str, str]:
    """{figure name: cache key}: the fingerprint of its code and the source of this module. From the
    memo while snippets/ and sitekit/ are unchanged (nothing imported), else from the registry
    (snippets imported; matplotlib is not needed for this)."""
    return memo.through("figures", "fingerprints", _fingerprinted_figures)


def _fingerprinted_figures() -> dict[str, str]:
    from snippets.figures import registry

    try:  # the registry imports every chapter module: a broken one is a fault in the sources
        specs = registry()
    except Exception as error:
        raise fault("snippets/: the figure registry", error) from error
    # This module draws and minifies each figure (`drawn`): its source is part of every key.
    pipeline = cache.source_digest(sys.modules[__name__])
    return {name: cache.key(fingerprint(spec.draw), pipeline) for name, spec in specs.items()}


def _pool(workers: int) -> ProcessPoolExecutor:
    # spawn, not fork: `mkdocs serve` runs threads, and forking those is unsafe.
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))


def start_workers() -> None:
    """One worker process, preparing now (imports) so that it can draw as soon as it is asked."""
    from snippets.figures import prepare_drawing

    pool = _pool(1)
    pool.submit(prepare_drawing)
    drawing = current().drawing
    drawing.pools, drawing.futures = [pool], {}


def start_rendering(names: list[str], keys: dict[str, str], directory: Path) -> None:
    """Draw `names` in worker processes, one per core; finish_rendering() waits for them.

    The prepared worker takes every k-th figure; the others go to a second pool, started now.
    (One pool of k workers would start a cold worker for the first figure while the prepared one
    is still importing, and an edit usually redraws one figure.)
    """
    drawing = current().drawing
    if not drawing.pools:
        start_workers()
    workers = min(len(names), os.cpu_count() or 1)
    if workers > 1:
        drawing.pools.append(_pool(workers - 1))
    prepared, others = drawing.pools[0], drawing.pools[-1]
    drawing.directory, drawing.keys = directory, keys
    drawing.futures = {name: (prepared if i % workers == 0 else others).submit(drawn, name)
                       for i, name in enumerate(names)}


def finish_rendering(site_dir: Path) -> None:
    """Wait for the figures being drawn; keep them in the cache and write them into the site."""
    drawing = current().drawing
    if not drawing.pools:
        return
    try:
        for name, future in drawing.futures.items():
            try:
                rendered = future.result()
            except Exception as error:
                raise RuntimeError(f"figure {name!r} failed to render: {described(error)}") from error
            for variant, svg in rendered.items():
                cache.store(drawing.directory, name, drawing.keys[name], f"{variant}.svg", svg)
                (site_dir / figure_path(name, variant)).write_bytes(svg)
    finally:
        stop_workers()


def stop_workers(wait: bool = True) -> None:
    drawing = current().drawing
    for future in drawing.futures.values():
        future.cancel()
    for pool in drawing.pools:
        pool.shutdown(wait=wait, cancel_futures=True)
    drawing.pools, drawing.futures = [], {}


def missing(directory: Path, keys: dict[str, str]) -> list[str]:
    """The figures whose SVGs for these fingerprints are not (all, intact) in the cache folder."""
    return sorted(name for name, key in keys.items()
                  if not all(cache.is_valid(p) for p in cache_paths(directory, name, key).values()))


def start_drawing(directory: Path) -> tuple[dict[str, str], list[str]]:
    """Every figure's cache key, and the figures the cache folder lacks, which workers start
    drawing now (finish_rendering waits for them); with none to draw, a prepared worker is let go."""
    directory.mkdir(parents=True, exist_ok=True)
    keys = figure_keys()
    to_draw = missing(directory, keys)
    if to_draw:
        start_rendering(to_draw, keys, directory)
    else:
        stop_workers(wait=False)
    return keys, to_draw


def write_figures(site_dir: Path, directory: Path) -> list[str]:
    """Every registered figure into site_dir/figures/, drawn where the cache (`directory`) lacks
    it; the names drawn. For a generator that runs no MkDocs hooks (Zensical), after its build."""
    keys, to_draw = start_drawing(directory)
    (site_dir / FIGURE_DIR).mkdir(parents=True, exist_ok=True)
    finish_rendering(site_dir)
    for name, key in keys.items():
        if name not in to_draw:
            for variant, path in cache_paths(directory, name, key).items():
                (site_dir / figure_path(name, variant)).write_bytes(path.read_bytes())
    return to_draw
