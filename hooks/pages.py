"""MkDocs adapter of the page stages (sitekit/pages.py): which page MkDocs renders next, where the
build keeps its computed values, the cite controls on the notebook pages (mkdocs-jupyter renders those
without Python-Markdown), and each page's typeset math back after the search plugin has read its
TeX (hooks/math.py hides it)."""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from hooks import cache_dir, site_of
from sitekit import context, shortcodes
from sitekit.build import current
from sitekit.cite import add_cite_buttons
from sitekit.formulas import formulas_for

log = logging.getLogger("mkdocs.hooks.pages")


def on_pre_build(config: MkDocsConfig) -> None:
    shortcodes.cache_values_in(cache_dir(config, "values"))


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    context.enter_page(site_of(config), context.Page(src=page.file.src_uri, url=page.url))
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        return add_cite_buttons(html, site_of(config), context.Page(src=page.file.src_uri, url=page.url))
    return html


@event_priority(-50)  # after the search plugin has read the page with its formulas as TeX (hooks/math.py)
def on_page_context(template_context, page: Page, config: MkDocsConfig, nav):
    page.content = formulas_for(cache_dir(config, "math")).restore_after_search(page.file.src_uri, page.content)
    return template_context


def on_post_build(config: MkDocsConfig) -> None:
    counts = current().examples
    log.info("examples: ran %d, %d from cache", counts["ran"], counts["cached"])
