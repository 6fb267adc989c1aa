"""Typeset the math at build time: arithmatex's `$...$` and `$$...$$` spans become KaTeX HTML.

No math JavaScript runs in the browser; the page needs only KaTeX's CSS and fonts, which
the site serves itself (docs/assets/katex). A formula KaTeX cannot parse fails the build.
"""

from __future__ import annotations

import html
import re

from markdown_katex_rs.extension import tex2html
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

# pymdownx.arithmatex (generic mode) wraps inline math in \( \) and display math in \[ \].
INLINE = re.compile(r'<span class="arithmatex">\\\((?P<tex>.*?)\\\)</span>', re.DOTALL)
DISPLAY = re.compile(r'<div class="arithmatex">\\\[(?P<tex>.*?)\\\]</div>', re.DOTALL)

TAG = re.compile(r'<([a-zA-Z][\w-]*)((?:\s+[\w:-]+="[^"]*")+)\s*(/?)>')
ATTRIBUTE = re.compile(r'([\w:-]+)="([^"]*)"')

_typeset: dict[tuple[str, bool], str] = {}


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
    """KaTeX HTML (with MathML for screen readers) for one formula; memoised across builds."""
    key = (tex, display)
    if key not in _typeset:
        _typeset[key] = canonical_attributes(tex2html(tex, {"display-mode": display}))
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


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    # On the finished page, after the search plugin has read the content: it indexes the short
    # TeX source instead of parsing the much larger typeset HTML, which halves a warm rebuild.
    return typeset_page(output, page.file.src_uri)
