"""Tests of sitekit/: the Python-Markdown extensions, run on their own, without a site build."""

from __future__ import annotations

import markdown

GLOSSARY = {"GLM": "Generalized linear model.", "IRLS": "Iteratively reweighted least squares."}


def convert(text: str) -> str:
    md = markdown.Markdown(extensions=["abbr", "attr_list", "toc", "sitekit.glossary"],
                           extension_configs={"abbr": {"glossary": GLOSSARY}})
    return md.convert(text)


def test_a_term_is_marked_once_per_page_and_can_be_focused() -> None:
    html = convert("A GLM, and another GLM.\n\nIRLS fits a GLM.")
    assert html.count("<abbr") == 2
    assert html.count('tabindex="0"') == 2
    assert html.startswith('<p>A <abbr tabindex="0" title="Generalized linear model.">GLM</abbr>, and another GLM.</p>')
    assert "IRLS</abbr> fits a GLM." in html


def test_terms_in_headings_are_not_marked_and_the_next_occurrence_is() -> None:
    html = convert("# Fitting a GLM by IRLS {#fitting}\n\nThe GLM here.")
    assert '<h1 id="fitting">Fitting a GLM by IRLS</h1>' in html
    assert '<p>The <abbr tabindex="0" title="Generalized linear model.">GLM</abbr> here.</p>' in html


def test_unwrapping_keeps_the_surrounding_text_and_markup() -> None:
    html = convert("A GLM *is* GLM-shaped; a GLM **again**.")
    assert html.count("<abbr") == 1
    assert "<em>is</em> GLM-shaped; a GLM <strong>again</strong>." in html


def test_formulas_in_search_text_read_as_plain_unicode() -> None:
    from sitekit.search_text import readable, tex_to_text

    tent = tex_to_text(r"T(x) = 2\,\mathrm{ReLU}(x) - 4\,\mathrm{ReLU}(x - \tfrac12)")
    assert tent == "T(x) = 2 ReLU(x) - 4 ReLU(x - 1/2)"
    assert tex_to_text(r"b'(\theta)") == "b′(θ)"
    assert readable(r"the score \(X^\top(y - \mu)\) and \[\mathbb{R}^d\]") == "the score X^⊤(y - μ) and ℝ^d"
