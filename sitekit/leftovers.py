"""What must never reach a reader: Markdown machinery left unexpanded on a finished page.

A shortcode missing its closing parenthesis (`{{ value(...`), a formula the typesetter did not
see (`\\(x\\)`, `$x$`), or a snippet include marker (`--8<--`) would be published as raw text
while the build succeeds. `find_leftovers` lists them in a page's HTML, outside code and the
TeX that typeset math keeps for screen readers and copying.
"""

from __future__ import annotations

import re

# Where such text may legitimately stand: code, scripts and styles, and the TeX annotation of math.
EXEMPT = re.compile(
    r"<(pre|code|script|style|annotation|textarea)\b[^>]*>.*?</\1>|<!--.*?-->",
    re.DOTALL | re.IGNORECASE,
)
TAG = re.compile(r"<[^>]+>")
LEFTOVERS = {
    "a shortcode": re.compile(r"\{\{.*?(?:\}\}|$)|\{%.*?%\}", re.MULTILINE),
    "an include marker": re.compile(r"--8(?:<|&lt;)--"),
    "an untypeset formula": re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|(?<![\w$])\$[^$\s][^$\n]*\$(?![\w$])"),
}


def find_leftovers(html: str) -> list[str]:
    """["an untypeset formula: '\\(x'", ...] for each leftover in the visible text of `html`."""
    text = TAG.sub(" ", EXEMPT.sub(" ", html))
    found = []
    for what, pattern in LEFTOVERS.items():
        for match in pattern.finditer(text):
            found.append(f"{what}: {match.group(0)[:60]!r}")
    return found
