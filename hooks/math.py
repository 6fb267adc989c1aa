"""MkDocs adapter of the math stage (sitekit/formulas.py).

The Markdown pages' formulas are typeset by sitekit.pages while Python-Markdown renders them;
here: the notebook pages' formulas (mkdocs-jupyter renders those), the search index made
readable, the typeset formulas kept for the next build, the math font written into the site, and
a preload of the font on every page with math.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from hooks import cache_dir
from sitekit.formulas import FONT_URI, formulas_for, write_math_font
from sitekit.search_text import rewrite_search_index


def formulas(config: MkDocsConfig):
    """The build's typeset formulas (sitekit.pages typesets through the same object)."""
    return formulas_for(cache_dir(config, "math"))


@event_priority(50)  # before the search plugin reads the page; hooks/pages.py puts it back after
def on_page_context(context, page: Page, config: MkDocsConfig, nav):
    # Material's search indexes each formula as its TeX (made readable after the build): "∂ℓ/∂η"
    # rather than the text of its MathML, "∂ℓ∂η".
    page.content = formulas(config).hide_for_search(page.file.src_uri, page.content)
    return context


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config: MkDocsConfig) -> None:
    # The search index holds the notebook pages' formulas as TeX: results show readers plain text.
    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.exists():
        rewrite_search_index(index, cache_dir(config, "search-text"))
    typeset = formulas(config)
    typeset.save()
    write_math_font(Path(config.site_dir), typeset.in_use(), cache_dir(config, "math-font"))


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        # On the finished page, after the search plugin has read the content (it indexes the TeX).
        try:
            output = formulas(config).typeset_page(output, page.file.src_uri)
        except ValueError as error:
            raise PluginError(str(error)) from error
    if "<math" in output:
        # Fetched with the style sheets rather than when the first formula is laid out, so that
        # the formulas are drawn once, in their font (font-display: optional never swaps).
        font = get_relative_url(FONT_URI, page.url)
        output = output.replace("</title>", f'</title><link rel="preload" href="{font}" as="font" '
                                'type="font/woff2" crossorigin>', 1)
    return output
