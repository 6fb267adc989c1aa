"""Tests of the build-time values and figure markup (sitekit/shortcodes.py)."""

from __future__ import annotations

import pytest

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
    top = figure_markdown("index.md", "parameter-lines")
    assert "(figures/parameter-lines.svg#only-light)" in top and "(figures/parameter-lines-dark.svg#only-dark)" in top
    nested = figure_markdown("chapters/glm.md", "parameter-lines")
    assert "(../figures/parameter-lines.svg#only-light)" in nested
    with pytest.raises(ValueError, match="no figure named 'nope'"):
        figure_markdown("index.md", "nope")


def test_a_called_function_is_reused_from_disk_until_its_code_changes(tmp_path, monkeypatch) -> None:
    # Values and slider frames go through cached_call: kept under the function's fingerprint.
    import sitekit.shortcodes as shortcodes
    import snippets.overview as overview

    calls: list[int] = []

    def frames() -> dict:
        calls.append(1)
        return {"x": 1}

    def edited_frames() -> dict:
        calls.append(2)
        return {"x": 2}

    monkeypatch.setattr(overview, "counted_frames", frames, raising=False)
    for _ in range(2):  # the second time as in a new build: nothing in memory, the JSON on disk
        shortcodes.forget_results(tmp_path)
        assert shortcodes.cached_call("overview:counted_frames") == {"x": 1}
    assert calls == [1]
    monkeypatch.setattr(overview, "counted_frames", edited_frames)
    shortcodes.forget_results(tmp_path)
    assert shortcodes.cached_call("overview:counted_frames") == {"x": 2}
    assert calls == [1, 2]
    assert len(list(tmp_path.glob("overview.counted_frames.*.json"))) == 1
    shortcodes.forget_results(None)
