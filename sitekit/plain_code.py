"""Fewer elements in highlighted code: `sitekit.plain_code` in markdown_extensions.

Pygments wraps every token of a code block in a <span>, and the site shows a lot of code: on a
chapter page these spans were most of the page's elements, and every element costs the phone
style and layout time. After the highlighted HTML is back in the page (Python-Markdown's raw-HTML
postprocessor, priority 30), this extension rewrites the inside of every <code> element:

- spans that draw their text in the code's own colour become their text: plain names ("n") and
  constants such as True and None ("kc"), which the theme colours with the code's colour in both
  palettes; whitespace ("w") and string prefixes such as the f of an f-string ("sa"), which no
  rule styles;
- punctuation ("p") and operators ("o"), which the theme draws in a lighter grey than names, take
  the code's own colour instead, as names do. They were half of the spans left (538 of 776 on the
  GLM chapter); keywords, strings, numbers, functions and comments keep their colours;
- neighbouring spans drawn in the same colour, with nothing but whitespace between them, become one
  span: the parts of an f-string, the lines of a docstring;
- the empty <span></span> Pygments puts before <code> (it keeps a leading newline of the code, which
  the <code> tag keeps already) goes.

The colours are those of the theme's stylesheet (`.highlight .s2{color:var(--md-code-hl-string-
color)}` ...), the same in Material and in Zensical; tests/test_sitekit.py reads both stylesheets and
checks that every character of the site's code keeps its colour, punctuation and operators apart.
"""

from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

# Token class -> the theme's colour for it, by the name of its custom property (--md-code-hl-*-color).
# Classes in one group are drawn alike; a class that is not here keeps its span and is never merged.
COLOUR_OF_TOKEN = {
    token: colour
    for colour, tokens in {
        "string": "cpf l s s1 s2 sb sc si ss",
        "special": "cp se sh sr sx",
        "number": "il m mb mf mh mi mo",
        "keyword": "k kd kn kp kr kt nd ni nl nt",
        "constant": "bp nb no",
        "function": "nc ne nf nn",
        "comment": "c c1 ch cm cs sd",
        "variable": "na nv vc vg vi",
        "operator": "ow",
    }.items()
    for token in tokens.split()
}
# Drawn in the code's own colour: "n" and "kc" by the theme's name colour, var(--md-code-fg-color);
# "w" and "sa" by no rule at all; "p" and "o" on purpose (see above).
PLAIN_TOKENS = frozenset({"n", "kc", "w", "sa", "p", "o"})

# A token span holds escaped text only (no tags), so its end is the next "</span>".
_TOKEN = re.compile(r'<span class="([a-z0-9]+)">([^<]*)</span>')
_CODE = re.compile(r"(<code\b[^>]*>)(.*?)(</code>)", re.DOTALL)
_EMPTY_BEFORE_CODE = re.compile(r"(<pre\b[^>]*>)<span></span>(?=<code\b)")


def plain_tokens(code: str) -> str:
    """`code` (the inside of a <code> element) with as few spans as draw the same colours."""
    out: list[str] = []
    between = ""  # the text since the last coloured span: gaps and plain tokens
    span_class, span_colour, span_text = "", None, ""  # the last coloured span, not written yet
    pos = 0
    for token in _TOKEN.finditer(code):
        name, text = token.groups()
        between += code[pos:token.start()]
        pos = token.end()
        if name in PLAIN_TOKENS:
            between += text
            continue
        colour = COLOUR_OF_TOKEN.get(name)
        if span_class and colour is not None and colour == span_colour and not between.strip():
            span_text += between + text  # whitespace takes no colour: it may go inside the span
        else:
            if span_class:
                out.append(f'<span class="{span_class}">{span_text}</span>')
            out.append(between)
            span_class, span_colour, span_text = name, colour, text
        between = ""
    if span_class:
        out.append(f'<span class="{span_class}">{span_text}</span>')
    out.append(between + code[pos:])
    return "".join(out)


def plain_code(html: str) -> str:
    """`html` with every <code> element rewritten by `plain_tokens`, and no empty span before one."""
    html = _EMPTY_BEFORE_CODE.sub(r"\1", html)
    return _CODE.sub(lambda m: m.group(1) + plain_tokens(m.group(2)) + m.group(3), html)


class PlainCodePostprocessor(Postprocessor):
    def run(self, text: str) -> str:
        return plain_code(text)


class PlainCodeExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.postprocessors.register(PlainCodePostprocessor(md), "plain_code", 5)


def makeExtension(**kwargs: object) -> PlainCodeExtension:  # noqa: N802 (Python-Markdown's name)
    return PlainCodeExtension(**kwargs)
