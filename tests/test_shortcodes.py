"""Tests of the build-time values and figure markup (sitekit/shortcodes.py)."""

from __future__ import annotations

import types
from dataclasses import replace
from pathlib import Path

import pytest

from sitekit import build
from sitekit.context import Page, Site, link_base
from sitekit.figures import figure_links
from sitekit.shortcodes import computed_value, figure_markdown
from snippets.overview import superposition_defects


def test_values_are_computed_by_snippets_and_formatted() -> None:
    assert computed_value("overview:superposition_defects", "network", ".3f") == format(
        superposition_defects()["network"], ".3f")


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (("overview",), ValueError, "expected 'module:function'"),
        (("overview:no_such_function",), AttributeError, "no_such_function"),
        (("overview:superposition_defects", "missing"), KeyError, "missing"),
        (("overview:superposition_defects", ""), ValueError, "not a number"),
    ],
)
def test_bad_value_shortcodes_raise(args: tuple, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        computed_value(*args)


def test_figure_markup_links_both_palettes_relative_to_the_page() -> None:
    top = figure_markdown("", "parameter-lines")
    assert 'href="figures/parameter-lines.svg"' in top and 'src="figures/parameter-lines.svg#only-light"' in top
    assert 'href="figures/parameter-lines-dark.svg"' in top
    assert 'src="figures/parameter-lines-dark.svg#only-dark"' in top
    nested = figure_markdown("chapters/glm/", "parameter-lines")
    assert 'src="../../figures/parameter-lines.svg#only-light"' in nested
    with pytest.raises(ValueError, match="no figure named 'nope'"):
        figure_markdown("", "nope")


def test_a_figure_is_the_same_markup_on_a_chapter_and_on_a_notebook_page() -> None:
    # One markup (figure_links): the alt text escaped for an attribute as Python-Markdown escapes one.
    light, dark = figure_links("parameter-lines", 'a "quoted" <b> & it\'s', "notebooks/glm/")
    assert light == ('<a class="figure-zoom figure-zoom--light" href="../../figures/parameter-lines.svg">'
                     '<img alt="a &quot;quoted&quot; &lt;b&gt; &amp; it\'s" loading="lazy" '
                     'src="../../figures/parameter-lines.svg#only-light" /></a>')
    assert dark == light.replace("--light", "--dark").replace("lines.svg", "lines-dark.svg").replace(
        "only-light", "only-dark")
    chapter = figure_markdown("glm/", "parameter-lines")
    assert all(link in chapter for link in figure_links("parameter-lines", _alt("parameter-lines"), "glm/"))


def _alt(name: str) -> str:
    from snippets.figures import registry

    return registry()[name].alt_text()


def test_a_called_function_is_reused_from_disk_until_its_code_changes(tmp_path, monkeypatch) -> None:
    # Values and slider frames go through cached_call: kept under the function's fingerprint.
    import sitekit.shortcodes as shortcodes
    import snippets.overview as overview

    # A record the fingerprint does not read (an object of a type it names only): the functions'
    # code stays what their key is made of, however often they have been called.
    record = types.SimpleNamespace(calls=[])

    def frames() -> dict:
        record.calls.append(1)
        return {"x": 1}

    def edited_frames() -> dict:
        record.calls.append(2)
        return {"x": 2}

    monkeypatch.setattr(overview, "counted_frames", frames, raising=False)
    for _ in range(2):  # the second time as in a new build: nothing in memory, the JSON on disk
        build.begin()
        shortcodes.cache_values_in(tmp_path)
        assert shortcodes.cached_call("overview:counted_frames") == {"x": 1}
    assert record.calls == [1]
    monkeypatch.setattr(overview, "counted_frames", edited_frames)
    build.begin()
    shortcodes.cache_values_in(tmp_path)
    assert shortcodes.cached_call("overview:counted_frames") == {"x": 2}
    assert record.calls == [1, 2]
    assert len(list(tmp_path.glob("overview.counted_frames.*.json"))) == 1
    build.begin()  # later tests: a build that has computed nothing


def test_raw_html_links_are_relative_to_what_each_generator_reads_them_from() -> None:
    # MkDocs leaves a raw <a href> as written, so it is relative to the page's URL; Zensical rewrites
    # it from the page's source file, as it does a Markdown link.
    mkdocs = Site(root=Path("."), docs_dir=Path("docs"), site_url="/", site_name="s", nav=())
    zensical = replace(mkdocs, rewrites_html_links=True)
    page = Page("notes/glm.md", "notes/glm/")
    assert link_base(mkdocs, page) == "notes/glm/" and link_base(zensical, page) == "notes"
    assert 'href="../../figures/' in figure_markdown(link_base(mkdocs, page), "parameter-lines")
    assert 'href="../figures/' in figure_markdown(link_base(zensical, page), "parameter-lines")
