"""Typeset the math at build time: arithmatex's `$...$` and `$$...$$` spans become MathML Core.

The browser lays the `<math>` elements out itself: no math JavaScript, no HTML layer of boxes
(which made most of a page's elements), and screen readers read them. The site serves one font
for them, STIX Two Math cut down to the characters the site's formulas use (sitekit/mathml.py),
written after the pages at assets/fonts/stix-two-math.woff2 and preloaded by every page with
math. A formula that does not parse fails the build, naming the page and the TeX.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from hooks import memo
from sitekit import cache, mathml
from sitekit.search_text import rewrite_search_index

FONT_URI = "assets/fonts/stix-two-math.woff2"
LICENCE_URI = "assets/fonts/LICENSE"

# pymdownx.arithmatex (generic mode) wraps inline math in \( \) and display math in \[ \].
INLINE = re.compile(r'<span class="arithmatex">\\\((?P<tex>.*?)\\\)</span>', re.DOTALL)
DISPLAY = re.compile(r'<div class="arithmatex">\\\[(?P<tex>.*?)\\\]</div>', re.DOTALL)

# Typeset formulas by (display mode, TeX); kept on disk between builds under the converter's version.
_typeset: dict[str, str] = {}
_used: set[str] = set()
_store: dict = {"path": None, "saved": frozenset()}
if __name__ != "hooks.math":
    # MkDocs loads this file as a hook under its path, while hooks/print_page.py imports it as
    # hooks.math: two module objects. Share one cache, or the one-page version typesets it all again.
    from hooks import math as _package

    _typeset, _used, _store = _package._typeset, _package._used, _package._store


@functools.cache
def mathml_code() -> str:
    """A digest of sitekit/mathml.py, which post-processes the converter's output and cuts the font:
    part of the key of both caches. Taken once per process, like the module's code it stands for."""
    return hashlib.sha256(Path(mathml.__file__).read_bytes()).hexdigest()[:12]


def typeset(tex: str, display: bool) -> str:
    """The MathML of one formula; cached across builds."""
    key = f"{'display' if display else 'inline'}\0{tex}"
    if key not in _typeset:
        _typeset[key] = mathml.typeset(tex, display)
    _used.add(key)
    return _typeset[key]


def typeset_page(content: str, where: str) -> str:
    def replace(display: bool) -> re.Match:
        def inner(match: re.Match[str]) -> str:
            tex = html.unescape(match.group("tex")).strip()
            try:
                rendered = typeset(tex, display)
            except ValueError as error:
                raise PluginError(f"{where}: cannot typeset ${tex}$: {error}") from error
            return f'<div class="math-display">{rendered}</div>' if display else rendered

        return inner

    content = DISPLAY.sub(replace(True), content)
    return INLINE.sub(replace(False), content)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    path = memo.cache_dir(config, "math") / f"mathml-{memo.version('math-core')}-{mathml_code()}.json"
    if _store["path"] != path and (saved := cache.read_json(path)) is not None:
        _typeset.update(saved)
        _store["saved"] = frozenset(saved)
    _store["path"] = path
    _used.clear()
    return config


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config: MkDocsConfig) -> None:
    # The search index holds the formulas' TeX (it is built before they are typeset): results
    # show readers plain text instead.
    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.exists():
        rewrite_search_index(index, memo.cache_dir(config, "search-text"))
    # Rewritten only when the site's set of formulas changed; it keeps just the ones in use.
    path: Path = _store["path"]
    if _used != _store["saved"]:
        path.parent.mkdir(parents=True, exist_ok=True)
        for stale in [*path.parent.glob("katex-*.json"), *path.parent.glob("mathml-*.json")]:
            cache.remove(stale)
        cache.write_json(path, {key: _typeset[key] for key in sorted(_used)})
        _store["saved"] = frozenset(_used)
    write_math_font(config)


def write_math_font(config: MkDocsConfig) -> None:
    """The math font for the formulas of this build, and its licence, into the site; both are made
    again only when the set of characters changes (a warm build imports no fontTools)."""
    formulas = [_typeset[key] for key in sorted(_used)]
    characters = "".join(sorted(mathml.characters(formulas)))
    key = f"{memo.version('fonttools')}\0{mathml_code()}\0{characters}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    folder = memo.cache_dir(config, "math-font")
    font, licence = cache.read_bytes(folder / f"{digest}.woff2"), cache.read_text(folder / f"{digest}.LICENSE")
    if font is None or licence is None:
        for stale in [*folder.glob("*.woff2"), *folder.glob("*.LICENSE")]:
            cache.remove(stale)
        font, licence = mathml.math_font(formulas), mathml.font_licence()
        cache.write_bytes(folder / f"{digest}.woff2", font)
        cache.write_text(folder / f"{digest}.LICENSE", licence)
    target = Path(config.site_dir) / FONT_URI
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(font)
    (Path(config.site_dir) / LICENCE_URI).write_text(licence)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    # On the finished page, after the search plugin has read the content: it indexes the short
    # TeX source instead of parsing the typeset MathML.
    output = typeset_page(output, page.file.src_uri)
    if "<math" in output:
        # Fetched with the style sheets rather than when the first formula is laid out, so that
        # the formulas are drawn once, in their font (font-display: optional never swaps).
        font = get_relative_url(FONT_URI, page.url)
        output = output.replace("</title>", f'</title><link rel="preload" href="{font}" as="font" '
                                'type="font/woff2" crossorigin>', 1)
    return output
