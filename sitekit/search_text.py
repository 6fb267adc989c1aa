"""Readable text for the search index, where the pages have TeX.

Material's search plugin indexes each page before its math is typeset (hooks/math.py), so the
index holds `\\(T(x) = 2\\,\\mathrm{ReLU}(x)\\)`. A search result shows that text to readers; this
turns each formula into plain Unicode ("T(x) = 2 ReLU(x)") with pylatexenc.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

INLINE = re.compile(r"\\\((.+?)\\\)", re.DOTALL)
DISPLAY = re.compile(r"\\\[(.+?)\\\]", re.DOTALL)
# Shorthands that pylatexenc reads differently from TeX: \tfrac12 is 1/2, not "12".
SHORT_FRACTION = re.compile(r"\\[td]?frac\s*(\d)\s*(\d)")


@cache
def _converter():
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(math_mode="text")


def tex_to_text(tex: str) -> str:
    """A formula as plain Unicode text: \\mathrm{ReLU}(x) -> ReLU(x), \\mu -> μ, \\frac{a}{b} -> a/b."""
    tex = SHORT_FRACTION.sub(r"\\frac{\1}{\2}", tex).replace("'", "\u2032")
    return " ".join(_converter().latex_to_text(tex).split())


def readable(text: str) -> str:
    """`text` with every \\( \\) and \\[ \\] formula in it replaced by its plain-text reading."""
    text = DISPLAY.sub(lambda m: tex_to_text(m.group(1)), text)
    return INLINE.sub(lambda m: tex_to_text(m.group(1)), text)


# A listing in a search result shows a few lines of code cut off mid-function, and the listings
# were a quarter of the index's text, which every first view downloads (page-budget.json): the index
# keeps the prose and the inline code, the listings stay on their pages.
LISTING = re.compile(r"\s*<pre\b.*?</pre>\s*", re.DOTALL)


def readable_index(raw: str) -> str:
    """A Material search index (JSON text) with readable titles and texts, and no code listings."""
    index = json.loads(raw)
    for doc in index["docs"]:
        for field in ("title", "text"):
            if field in doc:
                doc[field] = readable(doc[field])
        if "text" in doc:
            doc["text"] = LISTING.sub(" ", doc["text"]).strip()
    return json.dumps(index, separators=(",", ":"))


def rewrite_search_index(path: Path, cache_dir: Path) -> None:
    """Make the titles and texts of a Material search index readable (in place).

    The result is kept in cache_dir under a digest of the index as written: converting a thousand
    formulas takes a third of a second, and an unchanged site gives the same index."""
    from sitekit import cache

    raw = path.read_text()
    text, _ = cache.through(cache_dir, "search_index", cache.key(raw), "json", lambda: readable_index(raw), "text")
    path.write_text(text)
