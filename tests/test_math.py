"""Tests of the build-time math typesetting (hooks/math.py)."""

from __future__ import annotations

import pytest
from mkdocs.exceptions import PluginError

from hooks.math import canonical_attributes, typeset, typeset_page


def test_attributes_and_style_declarations_come_out_sorted() -> None:
    fragment = '<mo stretchy="true" fence="true"><span style="top:-3em;margin-right:0.05em;">x</span></mo>'
    assert canonical_attributes(fragment) == (
        '<mo fence="true" stretchy="true"><span style="margin-right:0.05em;top:-3em;">x</span></mo>')


def test_inline_and_display_math_become_katex_with_mathml() -> None:
    page = ('<p>Inline <span class="arithmatex">\\(x^\\top\\beta &lt; 1\\)</span>.</p>'
            '<div class="arithmatex">\\[\\eta = X\\beta\\]</div>')
    html = typeset_page(page, "test.md")
    assert "arithmatex" not in html
    assert html.count('class="katex"') == 2 and 'class="katex-display"' in html
    assert "<math" in html and "x^\\top\\beta &lt; 1" in html  # the TeX source rides along for screen readers


def test_typesetting_is_deterministic_and_memoised() -> None:
    assert typeset("\\frac{1}{1+e^{-t}}", False) is typeset("\\frac{1}{1+e^{-t}}", False)


def test_a_formula_that_cannot_be_parsed_fails_and_names_the_page() -> None:
    with pytest.raises(PluginError, match=r"broken\.md: cannot typeset \$\\frac\{1\}\{\$"):
        typeset_page('<span class="arithmatex">\\(\\frac{1}{\\)</span>', "broken.md")
