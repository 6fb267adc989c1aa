"""Typeset the math at build time: arithmatex's `$...$` and `$$...$$` spans become KaTeX HTML.

No math JavaScript runs in the browser; the page needs only KaTeX's CSS and fonts, which
the site serves itself (docs/assets/katex). A formula KaTeX cannot parse fails the build.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from markdown_katex_rs.extension import tex2html
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from hooks import memo
from sitekit import cache
from sitekit.search_text import rewrite_search_index

# pymdownx.arithmatex (generic mode) wraps inline math in \( \) and display math in \[ \].
INLINE = re.compile(r'<span class="arithmatex">\\\((?P<tex>.*?)\\\)</span>', re.DOTALL)
DISPLAY = re.compile(r'<div class="arithmatex">\\\[(?P<tex>.*?)\\\]</div>', re.DOTALL)

TAG = re.compile(r'<([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"]*")+)\s*(/?)>')
ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')

# Typeset formulas by (display mode, TeX); kept on disk between builds under the renderer's version.
_typeset: dict[str, str] = {}
_used: set[str] = set()
_store: dict = {"path": None, "saved": frozenset()}
if __name__ != "hooks.math":
    # MkDocs loads this file as a hook under its path, while hooks/print_page.py imports it as
    # hooks.math: two module objects. Share one cache, or the one-page version typesets it all again.
    from hooks import math as _package

    _typeset, _used, _store = _package._typeset, _package._used, _package._store


def canonical_attributes(html_fragment: str) -> str:
    """Every tag's attributes, and the declarations inside each style attribute, in sorted order.

    The renderer writes both in hash-map order, which changes from process to process; sorted,
    two builds are byte-identical. Neither order changes what the browser shows.
    """

    def sort_tag(match: re.Match[str]) -> str:
        attributes = []
        for name, value in sorted(ATTRIBUTE.findall(match.group(2))):
            if name == "style":
                value = ";".join(sorted(d.strip() for d in value.split(";") if d.strip())) + ";"
            attributes.append(f'{name}="{value}"')
        return f"<{match.group(1)} {' '.join(attributes)}{match.group(3)}>"

    return TAG.sub(sort_tag, html_fragment)


def typeset(tex: str, display: bool) -> str:
    """KaTeX HTML (with MathML for screen readers) for one formula; cached across builds."""
    key = f"{'display' if display else 'inline'}\0{tex}"
    if key not in _typeset:
        _typeset[key] = canonical_attributes(tex2html(tex, {"display-mode": display}))
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
    path = memo.cache_dir(config, "math") / f"katex-{memo.version('markdown-katex-rs')}.json"
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
        for stale in path.parent.glob("katex-*.json"):
            cache.remove(stale)
        cache.write_json(path, {key: _typeset[key] for key in sorted(_used)})
        _store["saved"] = frozenset(_used)


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    # On the finished page, after the search plugin has read the content: it indexes the short
    # TeX source instead of parsing the much larger typeset HTML, which halves a warm rebuild.
    return typeset_page(output, page.file.src_uri)
