"""Tests of the build-time math typesetting (sitekit/formulas.py, sitekit/mathml.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitekit.formulas import Formulas
from sitekit.mathml import characters
from sitekit.mathml import typeset as mathml


def test_inline_and_display_math_become_mathml_core(tmp_path: Path) -> None:
    typeset_page = Formulas(tmp_path).typeset_page
    page = ('<p>Inline <span class="arithmatex">\\(x^\\top\\beta &lt; 1\\)</span>.</p>'
            '<div class="arithmatex">\\[\\eta = X\\beta\\]</div>')
    html = typeset_page(page, "test.md")
    assert "arithmatex" not in html and "katex" not in html
    assert html.count("<math") == 2
    assert '<div class="math-display"><math display="block">' in html
    assert "<mi>β</mi><mo>&lt;</mo><mn>1</mn></math>" in html  # the page's HTML escaping undone once, not twice


def test_typesetting_is_deterministic_and_memoised(tmp_path: Path) -> None:
    typeset = Formulas(tmp_path).typeset
    assert typeset("\\frac{1}{1+e^{-t}}", False) is typeset("\\frac{1}{1+e^{-t}}", False)
    assert mathml("\\frac{1}{1+e^{-t}}", False) == mathml("\\frac{1}{1+e^{-t}}", False)


def test_a_formula_that_cannot_be_parsed_fails_and_names_the_page(tmp_path: Path) -> None:
    typeset_page = Formulas(tmp_path).typeset_page
    with pytest.raises(ValueError, match=r"broken\.md: cannot typeset \$\\frac\{1\}\{\$"):
        typeset_page('<span class="arithmatex">\\(\\frac{1}{\\)</span>', "broken.md")


def test_the_font_covers_the_italic_letters_the_browser_draws() -> None:
    # MathML Core draws a one-letter <mi> in mathematical italic: x is U+1D465, h is U+210E, beta U+1D6FD.
    drawn = characters([mathml("x + h = \\beta", False), mathml("\\mathrm{d} \\sqrt{2}", False)])
    assert {"\U0001d465", "\u210e", "\U0001d6fd", "+", "=", "d", "2", "\u221a"} <= drawn


def test_a_prime_is_drawn_at_full_size_after_its_letter() -> None:
    # As a superscript, Chromium draws the prime glyph at script size: a speck above the letter.
    assert mathml("b''(\\theta)", False).startswith('<math><mi>b</mi><mo lspace="0" rspace="0">″</mo>')
    assert "<msup>" in mathml("x^2", False)  # other superscripts are untouched


def test_an_operator_name_is_one_identifier() -> None:
    # math-core's empty <mspace/> before the name draws nothing; without it, two elements fewer per name.
    assert mathml("\\exp x", False) == ('<math><mrow><mi>exp</mi><mo lspace="0.1667em">&ApplyFunction;</mo>'
                                        "<mi>x</mi></mrow></math>")
    assert "<mspace/>" not in mathml("\\operatorname{Var}(y) + \\log \\mu", False)
    assert "<mspace " in mathml("a\\,b", False)  # spaces that are spaces stay
