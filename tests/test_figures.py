"""Tests of snippets/figures.py and snippets/style.py: the registry and the SVG renderer."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from sitekit.figures import VARIANTS, drawn, figure_path, minified_svg
from snippets import figures as figures_module
from snippets import style
from snippets.figures import FigureSpec, figure, prepare_drawing, registry, render_named, render_svg
from tests.markdown_fences import ROOT

FIGURE_BYTES = 25_000  # the most a figure file may weigh without saying why


@pytest.fixture(scope="module")
def rendered(built_site: Path) -> dict[str, dict[str, bytes]]:
    """Every figure as the site publishes it: drawn by the build's worker processes (or taken from
    the build's cache, where an earlier build's workers left it)."""
    return {name: {variant: (built_site / figure_path(name, variant)).read_bytes() for variant in VARIANTS}
            for name in registry()}


def test_every_figure_has_real_alt_text_and_a_caption() -> None:
    for name, spec in registry().items():
        assert len(spec.alt_text().split()) >= 12, f"{name}: alt text should describe what the figure shows"
        assert spec.alt != spec.caption
        assert spec.caption


def test_the_registry_and_fingerprints_need_no_matplotlib() -> None:
    # The build reads the registry and fingerprints every drawing function in its own process;
    # matplotlib (half a second to import) is loaded only by the workers that draw.
    script = ("import sys; from snippets.figures import registry; from sitekit.fingerprint import fingerprint; "
              "[fingerprint(s.draw) for s in registry().values()]; "
              "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_rendering_is_byte_identical_from_process_to_process(rendered: dict[str, dict[str, bytes]]) -> None:
    # Drawn again here, in this process: the same bytes as the site's (and the cache is not stale).
    for name in registry():
        assert drawn(name) == rendered[name], name


def test_each_figure_file_is_at_most_25_kb_unless_it_says_why(rendered: dict[str, dict[str, bytes]]) -> None:
    for name, spec in registry().items():
        largest = max(len(svg) for svg in rendered[name].values())
        if spec.larger_because is None:
            assert largest <= FIGURE_BYTES, f"{name}: {largest} bytes; draw fewer points, or say why (larger_because)"
        else:  # a reason that no longer applies goes
            assert largest > FIGURE_BYTES, f"{name}: {largest} bytes now; drop its larger_because"


def test_minifying_keeps_the_picture_and_cuts_the_bytes() -> None:
    svg = (b'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n  "x.dtd">\n'
           b'<svg xmlns="http://www.w3.org/2000/svg" width="10pt" height="10pt">\n'
           b' <metadata>made by matplotlib</metadata>\n <g id="figure_1">\n  <path d="M 1.234567 2.000001 \n'
           b'L 3.333333 4.5 \n" style="fill: none; stroke: #1f77b4"/>\n </g>\n</svg>\n')
    small = minified_svg(svg).decode()
    assert len(small) < 0.6 * len(svg) and "metadata" not in small and 'id="figure_1"' not in small
    assert small.startswith("<svg ")
    assert 'd="m1.23 2 2.1 2.5"' in small and 'stroke="#1f77b4"' in small and 'width="10pt"' in small
    assert minified_svg(svg).decode() == small


def test_svgs_carry_no_date_and_a_transparent_background(rendered: dict[str, dict[str, bytes]]) -> None:
    for name, variants in rendered.items():
        for svg in variants.values():
            text = svg.decode()
            assert "<dc:date>" not in text, name
            white = re.search(r'<rect[^>]*(style="fill: #ffffff|fill="#fff(fff)?")', text)
            assert not white, f"{name}: white background"


FIGURE_FONT = style.RC_PARAMS["font.sans-serif"][0]


def test_every_text_of_every_figure_is_in_the_figure_font(rendered: dict[str, dict[str, bytes]]) -> None:
    # A glyph mathtext takes from Computer Modern (cmsy10's prime is the character "0") is drawn by
    # the browser as whatever that character is in the fonts it has: f'' read as f00.
    for name, variants in rendered.items():
        for svg in variants.values():
            families = set(re.findall(r"font-family[=:]\s*\"?'?([^'\";,]+)", svg.decode()))
            assert families <= {FIGURE_FONT}, f"{name}: text in {sorted(families - {FIGURE_FONT})}"


def test_dark_variant_swaps_every_light_palette_colour(rendered: dict[str, dict[str, bytes]]) -> None:
    for name, variants in rendered.items():
        light, dark = variants["light"].decode(), variants["dark"].decode()
        assert style.FOREGROUND in light, f"{name}: draws no text or axes in the site's foreground colour"
        for light_colour, dark_colour in style.DARK_PALETTE.items():
            assert light_colour not in dark, f"{name}: {light_colour} survives in the dark variant"
            assert light.count(light_colour) == dark.count(dark_colour) or dark_colour in light


def test_to_dark_maps_each_colour_and_nothing_else() -> None:
    svg = f'<path style="stroke: {style.BLUE}; fill: {style.FOREGROUND}"/><rect fill="#123456"/>'
    dark = style.to_dark(svg)
    assert style.DARK_PALETTE[style.BLUE] in dark and style.DARK_PALETTE[style.FOREGROUND] in dark
    assert "#123456" in dark


def test_the_renderer_rejects_a_function_that_returns_no_figure() -> None:
    spec = FigureSpec("not-a-figure", lambda: "oops", "A function returning a string instead of a figure.", "c")
    with pytest.raises(TypeError, match="not-a-figure"):
        render_svg(spec)


def _two_axes(draw_second: str) -> object:
    from snippets.figures import new_figure

    fig = new_figure()
    first, second = fig.subplots(1, 2)
    first.plot([0, 1])
    if draw_second:
        getattr(second, draw_second)(*{"plot": ([0, 1],), "scatter": ([0], [1]), "bar": ([0], [1]),
                                       "imshow": ([[0, 1]],), "text": (0, 0, "t")}[draw_second])
    return fig


@pytest.mark.parametrize("drawn", ["plot", "scatter", "bar", "imshow", "text"])
def test_a_figure_is_drawn_if_every_axes_holds_something(drawn: str) -> None:
    spec = FigureSpec("two-axes", lambda: _two_axes(drawn), "A probe figure with two axes, both drawn on.", "c")
    assert set(render_svg(spec)) == {"light", "dark"}


def test_the_renderer_rejects_a_figure_with_nothing_drawn_on_an_axes() -> None:
    from snippets.figures import new_figure

    spec = FigureSpec("half-empty", lambda: _two_axes(""), "A probe figure whose second axes is empty.", "c")
    with pytest.raises(ValueError, match=r"^figure 'half-empty': nothing is drawn on axes 2 of 2$"):
        render_svg(spec)
    spec = FigureSpec("no-axes", new_figure, "A probe figure without any axes to draw on.", "c")
    with pytest.raises(ValueError, match=r"^figure 'no-axes': nothing is drawn on it: it has no axes$"):
        render_svg(spec)


@pytest.mark.parametrize(
    ("name", "alt", "caption", "message"),
    [
        ("Bad Name", "a" * 50, "c", "name: expected a lowercase slug"),
        ("ok-name", "too short", "c", "alt: figure 'ok-name' needs alt text"),
        ("ok-name", "a" * 50, " ", "caption: figure 'ok-name' needs a caption"),
    ],
)
def test_bad_registrations_are_refused(name: str, alt: str, caption: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        figure(name, alt=alt, caption=caption)


@pytest.mark.parametrize("reason", ["big", "", 25, "four words are short"])
def test_a_size_exemption_needs_a_reason(reason: object) -> None:
    with pytest.raises(ValueError, match=r"^larger_because: figure 'ok-name' needs a reason of a few words"):
        figure("ok-name", alt="a" * 50, caption="c", larger_because=reason)


def test_five_words_make_a_reason_and_forty_characters_an_alt_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figures_module, "_REGISTRY", {})  # leave the real registry untouched

    @figure("edge-case", alt="a" * 40, caption="c", larger_because="a raster of many pixels")
    def draw() -> Figure:
        return Figure()

    spec = figures_module._REGISTRY["edge-case"]
    assert (spec.name, spec.larger_because) == ("edge-case", "a raster of many pixels")


def test_one_name_for_two_functions_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figures_module, "_REGISTRY", {})  # leave the real registry untouched
    alt = "A throwaway figure used only to test the registry's duplicate check."

    @figure("duplicate-check", alt=alt, caption="first")
    def first() -> Figure:
        return Figure()

    with pytest.raises(ValueError, match="registered twice") as raised:
        @figure("duplicate-check", alt=alt, caption="second")
        def second() -> Figure:
            return Figure()
    assert "first" in str(raised.value) and "second" in str(raised.value)  # names both functions

    # The same function name in another module is another function too.
    def other_module_first() -> Figure:
        return Figure()
    other_module_first.__module__, other_module_first.__qualname__ = "snippets.elsewhere", first.__qualname__
    with pytest.raises(ValueError, match="snippets.elsewhere"):
        figure("duplicate-check", alt=alt, caption="third")(other_module_first)


def test_render_named_rejects_an_unknown_name() -> None:
    with pytest.raises(ValueError, match="no figure 'nope'"):
        render_named("nope")


def test_alt_texts_that_state_numbers_take_them_from_the_computation() -> None:
    from snippets.glm import irls_errors
    from snippets.stacking import symmetry_summary

    specs = registry()
    irls = specs["irls-convergence"].alt_text()
    assert f"machine precision, {irls_errors()[-1]:.1e}, at iteration {len(irls_errors())}." in irls
    segment = specs["symmetric-minima-segment"].alt_text()
    assert f"{symmetry_summary()['midpoint_loss_flipped']:.2f} at the midpoint" in segment
    assert f"{symmetry_summary()['midpoint_loss_permuted']:.3f} at the midpoint" in segment
    # The values the build caches give the same text as calling the function.
    spec = specs["irls-convergence"]
    assert spec.alt_values_target == "glm:irls_convergence_summary"
    assert spec.alt_text(spec.alt_values()) == irls


def test_an_alt_text_with_fields_needs_its_values() -> None:
    with pytest.raises(ValueError, match="alt_values"):
        figure("x-fields", alt="A plot whose error reaches {error} after some iterations of the method.",
               caption="c")
    with pytest.raises(TypeError, match="alt_values"):
        figure("x-fields", alt="A plot whose error reaches {error} after some iterations of the method.",
               caption="c", alt_values={"error": 1})


def test_a_drawing_worker_prepares_with_the_svg_backend_and_every_chapter() -> None:
    # A build's worker calls prepare_drawing() while it waits for its first figure: afterwards the
    # SVG backend is loaded and every chapter's figures are registered.
    prepare_drawing()
    assert "matplotlib.backends.backend_svg" in sys.modules
    assert {spec.draw.__module__ for spec in registry().values()} >= {"snippets.overview", "snippets.universal"}
