"""Fewer elements in highlighted code: `sitekit.plain_code` in markdown_extensions.

Pygments wraps every token of a code block in a <span>, and the site shows a lot of code: on a
chapter page these spans were most of the page's elements, and every element costs the phone
style and layout time. Two kinds of span change nothing on screen: plain names (class "n", which
Material colours with the code's own colour in both palettes) and whitespace (class "w", which
no rule styles). This extension replaces them by their text, after the highlighted HTML is back in
the page (Python-Markdown's raw-HTML postprocessor, priority 30). The code reads exactly the same;
on a chapter page a fifth of the elements go.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

# A token span holds escaped text only (no tags), so its end is the next "</span>".
_PLAIN_TOKEN = re.compile(r'<span class="[nw]">([^<]*)</span>')


def plain_tokens(html: str) -> str:
    """`html` with the spans of plain names and whitespace replaced by their text."""
    return _PLAIN_TOKEN.sub(r"\1", html)


class PlainCodePostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return plain_tokens(text)


class PlainCodeExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(PlainCodePostprocessor(md), "plain_code", 5)


def makeExtension(**kwargs: object) -> PlainCodeExtension:  # noqa: N802 (Python-Markdown's name)
    return PlainCodeExtension(**kwargs)
