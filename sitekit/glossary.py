"""The glossary's tooltips, placed for readers: `sitekit.glossary` in markdown_extensions.

Python-Markdown's abbr extension (with the glossary from docs/glossary.yml as its `glossary`
option) wraps every occurrence of every term in <abbr title="definition">, which Material shows as
a tooltip. This extension runs after it and keeps, on each page, only the first occurrence of each
term outside headings, made focusable so that keyboard readers reach its tooltip too (Material
shows a tooltip on focus as on hover). Terms in headings are never marked: a heading is a title,
not a sentence to gloss, and its dotted underline would mark the table of contents as well.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def unwrap(parent: etree.Element, child: etree.Element) -> None:
    """Replace `child` by its text and tail, inside `parent` (an <abbr> holds text only)."""
    index = list(parent).index(child)
    text = (child.text or "") + (child.tail or "")
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(child)


class GlossaryMarksTreeprocessor(Treeprocessor):
    """First occurrence of each term per page: a focusable <abbr>; the others and those in headings: text."""

    def run(self, root: etree.Element) -> None:
        seen: set[str] = set()
        self._walk(root, seen, in_heading=False)

    def _walk(self, element: etree.Element, seen: set[str], in_heading: bool) -> None:
        for child in list(element):
            if child.tag == "abbr":
                title = child.get("title", "")
                if in_heading or title in seen:
                    unwrap(element, child)
                else:
                    seen.add(title)
                    child.set("tabindex", "0")
            else:
                self._walk(child, seen, in_heading or child.tag in HEADINGS)


class GlossaryMarksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After abbr (priority 7), before toc (5) reads the headings' text.
        md.treeprocessors.register(GlossaryMarksTreeprocessor(md), "glossary_marks", 6)


def makeExtension(**kwargs: object) -> GlossaryMarksExtension:  # noqa: N802 (Python-Markdown's name)
    return GlossaryMarksExtension(**kwargs)
