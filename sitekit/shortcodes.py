"""Expand the shortcodes `{{ name(args) }}` in the Markdown; an unknown one fails the build.

figure("name")                      a registered figure: both palettes, alt text, caption, anchor
value("module:function", "key", ".3f")  a number a snippets function computes during this build
slider("module:function", "static-figure", "Label")  an interactive figure with build-time frames
cite("key"), citep("key", ...)      citations of docs/references.bib entries
bibliography(), site_citation()     the reference list; how to cite this site (from CITATION.cff)
claims_index(), glossary()          every claim on the site; every glossary term
changes()                           per release, the claims it changed and the headings it moved
notation()                          the notation table (docs/notation.yml)

Every page also gets the glossary terms as abbreviations, which Material shows as tooltips.
"""

from __future__ import annotations

import ast
import hashlib
import html
import importlib
import json
import math
import numbers
import re
from collections.abc import Callable
from pathlib import Path

from sitekit import cache, glossary, memo, references, versions
from sitekit.build import current
from sitekit.claims import claims_index_markdown, release_record, site_claims
from sitekit.context import Page, Site, link_base
from sitekit.errors import fault
from sitekit.figures import figure_links
from sitekit.fingerprint import fingerprint

SHORTCODE = re.compile(r"\{\{\s*(?P<name>[a-z_]+)\((?P<args>.*?)\)\s*\}\}")

FROM_SNIPPETS = ("figure", "value", "slider")


def cache_values_in(folder: Path | None) -> None:
    """Keep this build's computed values in `folder` on disk (None: only while the build runs)."""
    current().value_folder = folder


def figure_markdown(base: str, name: str) -> str:
    """The Markdown of one figure: both palette variants (sitekit.figures.figure_links, relative to
    `base`: sitekit.context.link_base), the alt text, the caption, an anchor."""
    from snippets.figures import registry

    specs = registry()
    if name not in specs:
        raise ValueError(f"no figure named {name!r}; registered: {', '.join(specs) or 'none'}")
    spec = specs[name]
    values = cached_call(spec.alt_values_target) if spec.alt_values_target else None
    light, dark = figure_links(name, spec.alt_text(values), base)
    return (
        f'<figure markdown="span" id="figure-{name}">\n'
        f"  {light}\n"
        f"  {dark}\n"
        # The caption's tag at the start of its line: indented, the two spaces before it would end the
        # images' line with a hard line break, an empty line (and an element) between figure and caption.
        f'<figcaption markdown="span">{spec.caption}</figcaption>\n'
        f"</figure>"
    )


def slider_html(base: str, target: str, static_figure: str, label: str) -> str:
    """An interactive figure: a range input over frames that `module:function` computes at build
    time (through cached_call, like values), drawn in the browser by assets/site.js; the static
    figure stays for readers without JavaScript (the script hides it once the slider is ready)."""
    frames = cached_call(target)
    function_name = target.partition(":")[2]
    n = len(frames["values"])
    if any(len(series["frames"]) != n for series in frames["series"]) or len(frames["readouts"]) != n:
        raise ValueError(f"{target}: every series and the readouts need one frame per slider value ({n})")
    slug = function_name.replace("_", "-")
    initial = int(frames["initial"])
    # The frames travel in an attribute, which is data to every reader of the page; a <script>
    # element of JSON is code to anything that re-creates a page's scripts without their type.
    data = html.escape(json.dumps(frames, separators=(",", ":")))
    return (
        f'<div class="slider-widget" id="slider-{slug}" data-slider data-static="figure-{static_figure}" '
        f'data-frames="{data}" hidden>\n'
        f'<label for="slider-{slug}-input">{html.escape(label)}: <strong data-slider-value>'
        f'{frames["values"][initial]}</strong> {html.escape(frames["parameter"])}</label>\n'
        f'<input type="range" id="slider-{slug}-input" min="0" max="{n - 1}" step="1" value="{initial}" '
        f'aria-valuetext="{html.escape(frames["readouts"][initial])}">\n'
        f'<svg class="slider-plot" viewBox="0 0 640 300" role="img" aria-labelledby="slider-{slug}-readout"></svg>\n'
        f'<p class="slider-readout" id="slider-{slug}-readout" aria-live="polite">'
        f'{html.escape(frames["readouts"][initial])}</p>\n'
        f"</div>\n\n{figure_markdown(base, static_figure)}"
    )


def cached_call(target: str) -> object:
    """The result of the snippets function `module:function` called without arguments.

    Results are kept for the build and on disk under the function's fingerprint, so a rebuild
    calls a function again only when the code behind it changed.
    """
    module_name, _, function_name = target.partition(":")
    if not module_name or not function_name:
        raise ValueError(f"expected 'module:function', got {target!r}")
    build = current()
    if target not in build.values:
        function: Callable[[], object] = getattr(importlib.import_module(f"snippets.{module_name}"), function_name)
        # Plain data, as JSON keeps it (a cache of data runs no code when it is read).
        build.values[target], _ = cache.through(
            build.value_folder, target.replace(":", "."), cache.key(fingerprint(function)), "json",
            lambda: json.loads(json.dumps(function(), default=_plain_data)))
    return build.values[target]


def _plain_data(value: object) -> object:
    """numpy scalars and arrays as Python numbers and lists, for JSON."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"a computed value must be plain data (numbers, strings, lists, dicts), got {type(value).__name__}")


def computed_value(target: str, key: str = "", fmt: str = "") -> str:
    """Call the snippets function `module:function` (through cached_call), pick `key`, format
    with `fmt`."""
    result = cached_call(target)
    for part in filter(None, key.split(".")):
        if isinstance(result, dict):
            result = result[part]
        elif part.isdigit():
            result = result[int(part)]  # type: ignore[index]
        else:
            result = getattr(result, part)
    if not isinstance(result, numbers.Real) or isinstance(result, bool):
        raise ValueError(f"{target} {key!r} is a {type(result).__name__}, not a number")
    if not math.isfinite(result):
        raise ValueError(f"{target} returned {result} for {key!r}: not a finite number")
    try:
        return format(result, fmt)
    except ValueError as error:
        raise ValueError(f"{target} {key!r}: {result!r} cannot be formatted as {fmt!r} ({error})") from None


def _remembered_bibliography(page_src: str) -> str:
    """The reference list, from the memo while references.bib is unchanged: formatting it with
    pybtex's style costs a tenth of a second a build."""
    key = f"{page_src}|{hashlib.sha256(references.BIBLIOGRAPHY.read_bytes()).hexdigest()}"
    return memo.through("bibliography", key, lambda: references.bibliography_markdown(page_src))


def expand(markdown: str, site: Site, page: Page) -> str:
    """The page's Markdown with every shortcode replaced by its expansion; ValueError names the
    page and the shortcode that failed."""
    src = page.src
    base = link_base(site, page)
    shortcodes: dict[str, Callable[..., str]] = {
        "figure": lambda *a: figure_markdown(base, *a),
        "value": computed_value,
        "slider": lambda *a: slider_html(base, *a),
        "cite": lambda *a: references.cite(src, *a),
        "citep": lambda *a: references.citep(src, *a),
        "bibliography": lambda: _remembered_bibliography(src),
        "site_citation": lambda: references.site_citation_markdown(site.site_url or "/"),
        "claims_index": lambda: claims_index_markdown(src, site),
        "changes": lambda: versions.changes_markdown(*versions.for_site(site.root), release_record(site_claims(site))),
        "glossary": glossary.glossary_markdown,
        "notation": glossary.notation_markdown,
    }

    def one(match: re.Match[str]) -> str:
        name = match.group("name")
        try:
            args = ast.literal_eval(f"({match.group('args')},)") if match.group("args").strip() else ()
            if name not in shortcodes:
                raise ValueError(f"unknown shortcode {name!r} (known: {', '.join(shortcodes)})")
            if name not in FROM_SNIPPETS:
                return shortcodes[name](*args)
            # Computed from snippets/: reuse the expansion while the package's sources are unchanged
            # (its links are relative to `base`, which depends on the generator as well as the page).
            return memo.through("shortcodes", f"{src}|{base}|{match.group(0)}", lambda: shortcodes[name](*args))
        except Exception as error:
            raise fault(f"{src}: {match.group(0)}", error) from error

    return SHORTCODE.sub(one, markdown)
