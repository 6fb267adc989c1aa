"""Math as MathML Core, typeset at build time, and the one font file that draws it.

`typeset(tex, display)` converts one formula with math-core: a `<math>` element that the browser
lays out itself (no script, no HTML layer), and that screen readers read. A formula that does not
parse raises ValueError with math-core's reason.

`math_font(formulas)` is STIX Two Math (SIL Open Font License 1.1; the copy that the ziamath
package ships) cut down with fontTools to the characters the site's formulas use, with their
italic forms and the size variants and pieces the MATH table keeps for stretching them, as WOFF2
(about 20 kB).
The same formulas give the same bytes.
"""

from __future__ import annotations

import functools
import html
import io
import re
from collections.abc import Iterable
from importlib.metadata import distribution
from pathlib import Path

_TOKEN = re.compile(r"<(mi|mo|mn|mtext|ms)\b([^>]*)>([^<]*)</\1>")


@functools.cache
def _converter():  # one converter per process: building it compiles math-core's tables
    from math_core import LatexToMathML

    return LatexToMathML()


# b' as math-core writes it: the prime as a superscript, which Chromium draws at script size without
# the font's script variant (no ssty), so it shrinks to a speck above the letter. The prime glyph is
# already drawn raised: at full size after its base it reads as in print.
_PRIMED = re.compile(r"<msup>(<mi>[^<]*</mi>)<mo>([\u2032\u2033\u2034\u2057])</mo></msup>")

# An operator name (\exp, \log, \operatorname{Var}) as math-core writes it: the name behind an empty
# <mspace/> in an <mrow> of its own. The empty space draws nothing: every formula of the site is the
# same pixels in Chromium without it (bench/math_sheets.py, before and after), and the two elements
# per name are layout work a phone does for nothing.
_OPERATOR_NAME = re.compile(r"<mrow><mspace/>(<mi>[^<]*</mi>)</mrow>")
_TERMINAL_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def typeset(tex: str, display: bool) -> str:
    """The `<math>` element for one formula (display="block" for display math)."""
    from math_core import LatexError

    try:
        element = _converter().convert_with_local_state(tex, displaystyle=display)
    except LatexError as error:
        # math-core colours its message for a terminal and draws the formula under it: one line
        # of it, with the column, is the build's message.
        text = _TERMINAL_COLOUR.sub("", str(error)).strip()
        column = re.search(r"input:\d+:(\d+)", text)
        at = f" (at character {column.group(1)})" if column else ""
        raise ValueError(text.splitlines()[0].removeprefix("Error: ") + at) from None
    element = _OPERATOR_NAME.sub(r"\1", element)
    return _PRIMED.sub(r'\1<mo lspace="0" rspace="0">\2</mo>', element)


def _italic(character: str) -> str:
    """The Mathematical Italic form a browser draws for a one-letter <mi> (MathML Core's
    automatic italic), or the character itself."""
    code = ord(character)
    if "a" <= character <= "z":
        return "\u210e" if character == "h" else chr(0x1D44E + code - ord("a"))
    if "A" <= character <= "Z":
        return chr(0x1D434 + code - ord("A"))
    if "\u03b1" <= character <= "\u03c9":
        return chr(0x1D6FC + code - 0x03B1)
    if "\u0391" <= character <= "\u03a9":
        return chr(0x1D6E2 + code - 0x0391)
    return character


def characters(formulas: Iterable[str]) -> set[str]:
    """Every character the browser draws with the math font for these `<math>` elements."""
    found: set[str] = set()
    for formula in formulas:
        for element, attributes, text in _TOKEN.findall(formula):
            text = html.unescape(text)
            found.update(text)
            if element == "mi" and len(text) == 1 and "mathvariant" not in attributes:
                found.add(_italic(text))
        if "<msqrt" in formula or "<mroot" in formula:
            found.add("\u221a")  # the radical sign, drawn by the browser from the font
    found.discard("\n")
    return found


def font_source() -> Path:
    """STIX Two Math as the ziamath package ships it (its default math font), found through the
    package's installed files: importing ziamath would load its whole renderer."""
    path = Path(str(distribution("ziamath").locate_file("ziamath/fonts/STIXTwoMath-Regular.ttf")))
    if not path.is_file():
        raise FileNotFoundError(f"STIX Two Math not found at {path}: has ziamath moved its font?")
    return path


def math_font(formulas: Iterable[str]) -> bytes:
    """WOFF2 of the math font cut down to what `formulas` draw (see the module's docstring)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    # No OpenType layout features: Chromium's MathML draws none of them (a formula with scripts,
    # a sum and primes renders to the same pixels with and without), and they double the file.
    options.layout_features = []
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # names, copyright and the licence
    options.hinting = False  # browsers on screens of today do not use TrueType hints
    options.desubroutinize = True
    font = TTFont(font_source(), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in characters(formulas)))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.flavor = "woff2"
    font.save(buffer, reorderTables=False)
    return buffer.getvalue()


def font_licence() -> str:
    """assets/fonts/LICENSE: the font's copyright and licence notice (from its name table) and the
    full text of the SIL Open Font License 1.1, as fontTools' distribution carries it."""
    from fontTools.ttLib import TTFont

    names = TTFont(font_source(), lazy=True)["name"]
    notice = "\n\n".join(part for part in (names.getDebugName(i) for i in (4, 0, 13)) if part)
    licences = [f for f in distribution("fonttools").files or () if f.name == "LICENSE.external"]
    text = licences[0].read_text() if licences else ""
    start, end = text.find("SIL OPEN FONT LICENSE Version 1.1"), text.find("OTHER DEALINGS IN THE FONT SOFTWARE.")
    if start < 0 or end < start:
        raise FileNotFoundError("the text of the SIL Open Font License was not found in fontTools' LICENSE.external")
    ofl = text[start:end + len("OTHER DEALINGS IN THE FONT SOFTWARE.")]
    return f"{notice}\n\nThis file is a subset of the font, made by this site's build with fontTools.\n\n{ofl}\n"
