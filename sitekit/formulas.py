"""The formulas of a build: arithmatex's `\\(...\\)` and `\\[...\\]` spans typeset as MathML Core
(sitekit/mathml.py), kept on disk between builds, and the one font file that draws them.

`Formulas.typeset_page` is the math stage of a page (sitekit/pages.py); the MkDocs adapter
(hooks/math.py) also runs it on the notebook pages, which Python-Markdown does not render, and
writes the font after the build. A formula that does not parse raises ValueError naming the page
and the TeX.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from pathlib import Path

from sitekit import cache, mathml
from sitekit.build import current
from sitekit.errors import BuildFault

FONT_URI = "assets/fonts/stix-two-math.woff2"
LICENCE_URI = "assets/fonts/LICENSE"

# pymdownx.arithmatex (generic mode) wraps inline math in \( \) and display math in \[ \].
INLINE = re.compile(r'<span class="arithmatex">\\\((?P<tex>.*?)\\\)</span>', re.DOTALL)
DISPLAY = re.compile(r'<div class="arithmatex">\\\[(?P<tex>.*?)\\\]</div>', re.DOTALL)
MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
TYPESET = re.compile(r'<div class="math-display"><math\b.*?</math></div>|<math\b.*?</math>', re.DOTALL)


@functools.cache
def mathml_code() -> str:
    """A digest of sitekit/mathml.py, which post-processes the converter's output and cuts the font:
    part of the key of both caches. Taken once per process, like the module's code it stands for."""
    return hashlib.sha256(Path(mathml.__file__).read_bytes()).hexdigest()[:12]


class Formulas:
    """The typeset formulas of one project, by (display mode, TeX), read from and saved to `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.key = folder, cache.key(mathml_code())
        saved = cache.read_json(cache.entry(folder, "mathml", self.key, "json")) or {}
        self.typeset_by_key: dict[str, str] = dict(saved)
        self.saved = frozenset(saved)
        self.used: set[str] = set()
        # {page: {typeset HTML: the arithmatex spans it replaced, in page order}}, for `as_tex`.
        self.sources: dict[str, dict[str, list[str]]] = {}
        self._hidden: dict[str, str] = {}  # {page: typeset content} while a search index reads TeX

    def typeset(self, tex: str, display: bool) -> str:
        """The MathML of one formula."""
        key = f"{'display' if display else 'inline'}\0{tex}"
        if key not in self.typeset_by_key:
            self.typeset_by_key[key] = mathml.typeset(tex, display)
        self.used.add(key)
        return self.typeset_by_key[key]

    def typeset_page(self, content: str, where: str) -> str:
        """`content` (HTML) of the page `where` with every arithmatex span typeset."""
        sources = self.sources[where] = {}

        def replace(display: bool):
            def inner(match: re.Match[str]) -> str:
                tex = html.unescape(match.group("tex")).strip()
                try:
                    rendered = self.typeset(tex, display)
                except ValueError as error:
                    raise BuildFault(f"{where}: cannot typeset ${tex}$: {error}") from error
                if display:
                    rendered = f'<div class="math-display">{rendered}</div>'
                sources.setdefault(rendered, []).append(match.group(0))
                return rendered

            return inner

        content = DISPLAY.sub(replace(True), content)
        return INLINE.sub(replace(False), content)

    def as_tex(self, content: str, where: str) -> str:
        """The typeset `content` of page `where` with each formula put back as the arithmatex span it
        came from: the text a search index should read (TeX, which it turns into plain words)."""
        left = {rendered: list(spans) for rendered, spans in self.sources.get(where, {}).items()}
        return TYPESET.sub(lambda m: left[m.group(0)].pop(0) if left.get(m.group(0)) else m.group(0), content)

    def hide_for_search(self, where: str, content: str) -> str:
        """`as_tex(content, where)`, keeping `content` for `restore_after_search(where)`."""
        self._hidden[where] = content
        return self.as_tex(content, where)

    def restore_after_search(self, where: str, content: str) -> str:
        """The typeset content that `hide_for_search` kept for page `where`, else `content`."""
        return self._hidden.pop(where, content)

    def in_use(self) -> list[str]:
        """The MathML of every formula typeset since the build began, in a stable order."""
        return [self.typeset_by_key[key] for key in sorted(self.used)]

    def save(self) -> None:
        """Keep the formulas of this build (only those) on disk, when the set changed."""
        if self.used != self.saved:
            in_use = {key: self.typeset_by_key[key] for key in sorted(self.used)}
            cache.store(self.folder, "mathml", self.key, "json", in_use)
            self.saved = frozenset(self.used)


def formulas_for(folder: Path) -> Formulas:
    """The one Formulas of a cache folder in this build."""
    known = current().formulas
    if folder not in known:
        known[folder] = Formulas(folder)
    return known[folder]


def math_font_files(formulas: list[str], folder: Path) -> tuple[bytes, str]:
    """The math font for these formulas (WOFF2) and its licence, from the cache `folder` while the
    set of characters is unchanged (a warm build imports no fontTools)."""
    key = cache.key(mathml_code(), "".join(sorted(mathml.characters(formulas))))
    font, _ = cache.through(folder, "stix-two-math", key, "woff2", lambda: mathml.math_font(formulas), "bytes")
    licence, _ = cache.through(folder, "stix-two-math", key, "LICENSE", mathml.font_licence, "text")
    return font, licence


def write_math_font(site_dir: Path, formulas: list[str], folder: Path) -> None:
    """The font and its licence into the site, at FONT_URI and LICENCE_URI."""
    font, licence = math_font_files(formulas, folder)
    target = site_dir / FONT_URI
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(font)
    (site_dir / LICENCE_URI).write_text(licence)


def formulas_in(site_dir: Path) -> list[str]:
    """Every distinct <math> element of the site's HTML pages, sorted: for a generator whose build
    this process did not run (Zensical), the formulas the font must draw."""
    found = {m.group(0) for page in site_dir.rglob("*.html") for m in MATH.finditer(page.read_text())}
    return sorted(found)
