"""Fewer elements in highlighted code: `sitekit.plain_code` in markdown_extensions.

Pygments wraps every token of a code block in a <span>, and the site shows a lot of code: on a
chapter page these spans were most of the page's elements, and every element costs the phone
style and layout time. This extension replaces four kinds of span by their text, after the
highlighted HTML is back in the page (Python-Markdown's raw-HTML postprocessor, priority 30):

- plain names ("n"), which Material colours with the code's own colour in both palettes, and
  whitespace ("w"), which no rule styles: nothing changes on screen;
- punctuation ("p") and operators ("o"), which Material draws in a lighter grey than names: they
  take the code's own colour instead, as names do. They were half of the spans left (538 of 776 on
  the GLM chapter); keywords, strings, numbers, functions and comments keep their colours.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

# A token span holds escaped text only (no tags), so its end is the next "</span>".
_PLAIN_TOKEN = re.compile(r'<span class="[nwpo]">([^<]*)</span>')


def plain_tokens(html: str) -> str:
    """`html` with the spans of names, whitespace, punctuation and operators replaced by their text."""
    return _PLAIN_TOKEN.sub(r"\1", html)


class PlainCodePostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return plain_tokens(text)


class PlainCodeExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(PlainCodePostprocessor(md), "plain_code", 5)


def makeExtension(**kwargs: object) -> PlainCodeExtension:  # noqa: N802 (Python-Markdown's name)
    return PlainCodeExtension(**kwargs)
