"""Fail the build when a finished page still shows Markdown machinery (sitekit/leftovers.py)."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from sitekit.leftovers import find_leftovers


@event_priority(-200)  # last: after the math is typeset on the finished page
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    found = find_leftovers(output)
    if found:
        raise PluginError(f"{page.file.src_uri}: left on the published page: {'; '.join(found[:5])}")
    return output
