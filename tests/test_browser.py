"""The built site in a real browser (Debian's Chromium, driven by Playwright): every page, in the
light and the dark palette, at a phone and a desktop width (tests/helpers.py, ARTICLE_VISITS).

Where Chromium is missing these tests are skipped with the reason; under CI they fail instead.
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitekit.publish import root_versions_json
from sitekit.versions import read_releases
from tests.helpers import (
    BUDGET,
    CHROMIUM,
    RAW_TEX,
    ROOT,
    VIEWPORTS,
    Visit,
    chromium_args,
    served,
    visit_every_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

@pytest.fixture(autouse=True)
def unmeasured() -> Iterator[None]:
    """Coverage paused for each test here (under `make test`): a browser test runs no code of the
    repository in this process, and tracing Playwright's calls only made it slower."""
    import coverage

    running = coverage.Coverage.current()
    if running is None:
        yield
        return
    running.stop()
    try:
        yield
    finally:
        running.start()


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[str]:
    """The built site on http://127.0.0.1:PORT, for the duration of the session."""
    with served(built_site) as base:
        yield base


@pytest.fixture(scope="session")
def browser_available() -> None:
    if not Path(CHROMIUM).exists():
        reason = (f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` "
                  "to run the browser tests")
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI must run them)")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser(browser_available: None, visits: dict):
    # After the asynchronous pass (`visits`), one synchronous browser for the interactive tests
    # (of this xdist worker); each test opens a context of its own and closes it.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=chromium_args())
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def visits(browser_available: None, built_site: Path, background_task) -> dict[tuple[str, str, str], dict]:
    """visit_every_page on the built site, summarised for the tests below: started by the session
    as soon as the site is built (conftest.py), so that it overlaps the tests that need no browser."""
    return background_task("visits", visit_every_page)


def test_every_page_loads_cleanly_in_both_palettes_and_widths(visits: dict) -> None:
    """Each page is loaded in both palettes and at both widths, the dark palette at phone width on
    the one-page version, which holds every chapter (ARTICLE_VISITS in tests/helpers.py: why that
    is enough)."""
    ways: dict[str, set[tuple[str, str]]] = {}
    for path, scheme, viewport in visits:
        ways.setdefault(path, set()).add((scheme, viewport))
    for path, pairs in ways.items():
        assert {scheme for scheme, _ in pairs} == {"light", "dark"}, path
        assert {viewport for _, viewport in pairs} == set(VIEWPORTS), path
    assert ("dark", "phone") in ways["/print/"]
    problems = []
    for (path, scheme, viewport), result in visits.items():
        where = f"{path} [{scheme}, {viewport}]"
        problems += [f"{where}: console: {e}" for e in result["console_errors"]]
        problems += [f"{where}: failed: {f}" for f in result["failed"]]
        problems += [f"{where}: another host: {r}" for r in result["remote"]]
        problems += [f"{where}: image not loaded: {i}" for i in result["broken_images"]]
        problems += [f"{where}: image without meaningful alt text: {i}" for i in result["images_without_alt"]]
        expected_scheme = "slate" if scheme == "dark" else "default"
        if result["scheme"] != expected_scheme:
            problems.append(f"{where}: palette {result['scheme']}, expected {expected_scheme}")
    assert not problems, "\n".join(problems)


def test_every_formula_is_rendered(visits: dict) -> None:
    for (path, scheme, viewport), result in visits.items():
        leftover = RAW_TEX.findall(result["text"])
        assert not leftover, f"{path} [{scheme}, {viewport}]: raw TeX on the page: {leftover[:5]}"
        assert result["formulas_without_width"] == 0, f"{path} [{scheme}, {viewport}]: formulas not laid out"
    assert visits[("/glm/", "light", "desktop")]["formulas"] > 50


def test_article_pages_stay_within_the_page_budget(visits: dict, built_site: Path,
                                                   request: pytest.FixtureRequest) -> None:
    """page-budget.json: the bytes a phone downloads on a first visit (gzip-compressed, as GitHub
    Pages sends them; HTML and every asset the page loads before scrolling, search index included)
    and the number of elements, per article page, as published; a page over the general budget is
    listed there with its measured ceiling and the reason, and must not grow."""
    phone = {path: result for (path, scheme, viewport), result in visits.items()
             if scheme == "light" and viewport == "phone" and path not in BUDGET["not_article_pages"]}
    sizes = {path: sum(result["first_view_bytes"].values()) for path, result in phone.items()}
    request.node.user_properties.append(("page_sizes", sizes))  # for the terminal summary
    # Published (sitekit/publish.py), a page has what the build read here has not: Material's version
    # selector, 3 elements and 2 for each version it lists (the latest lists itself and every
    # release: the most), and its versions.json; a release's page also reads the latest's
    # claim-digests.json. Measured in Chromium on a published latest and release 1.0 of this site.
    releases = [release.version for release in read_releases(ROOT)]
    published_elements = 3 + 2 * (len(releases) + 1)
    published_bytes = (len(gzip.compress(root_versions_json(releases).encode()))
                       + len(gzip.compress((built_site / "claim-digests.json").read_bytes())))
    problems = []
    for path, result in phone.items():
        ceiling = {**BUDGET["general"], **BUDGET["over_budget"].get(path, {})}
        transferred, elements = sizes[path] + published_bytes, result["dom_elements"] + published_elements
        if transferred > ceiling["transferred_kib"] * 1024:
            problems.append(f"{path}: {transferred / 1024:.1f} KiB transferred > {ceiling['transferred_kib']} KiB")
        if elements > ceiling["dom_elements"]:
            problems.append(f"{path}: {elements} elements published > {ceiling['dom_elements']}")
    for path in BUDGET["over_budget"]:
        if path in phone and sizes[path] + published_bytes <= BUDGET["general"]["transferred_kib"] * 1024 and \
                phone[path]["dom_elements"] + published_elements <= BUDGET["general"]["dom_elements"]:
            problems.append(f"{path} is within the general budget now: remove its exception")
    assert not problems, "\n".join(problems)


def test_accessibility_has_no_serious_or_critical_violations(visits: dict) -> None:
    problems = []
    for (path, scheme, _viewport), result in visits.items():
        for violation in result.get("axe", []):
            targets = [node["target"] for node in violation["nodes"]][:3]
            problems.append(f"{path} [{scheme}]: {violation['id']} ({violation['impact']}): {targets}")
    assert any("axe" in result for result in visits.values()), "axe-core did not run"
    assert not problems, "\n".join(problems)


def test_the_cite_control_copies_the_markdown_link_from_the_keyboard(browser, site_server: str) -> None:
    visit = Visit(browser, site_server, "/glm/", "light", "desktop", permissions=["clipboard-read", "clipboard-write"])
    page = visit.page
    button = page.locator("h2#irls .cite-button")
    expected = button.get_attribute("data-cite-markdown")
    assert expected.startswith("[Fitting: IRLS, Fisher scoring and Newton") and expected.endswith("/glm/#irls)")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("h2#irls .cite-status input")
    assert page.evaluate("navigator.clipboard.readText()") == expected
    assert page.locator("h2#irls .cite-status input").input_value() == button.get_attribute("data-cite-url")
    claim = page.locator("#claim-glm-convex .cite-button")
    claim.focus()
    page.keyboard.press("Space")
    page.wait_for_selector("#claim-glm-convex .cite-status input")
    assert page.evaluate("navigator.clipboard.readText()") == claim.get_attribute("data-cite-markdown")
    visit.close()


def test_the_interactive_figure_responds_to_the_keyboard(browser, site_server: str) -> None:
    visit = Visit(browser, site_server, "/universal/", "light", "desktop")
    page = visit.page
    slider = page.locator("#slider-width-slider-frames input[type=range]")
    assert page.locator("#slider-width-slider-frames").is_visible()
    assert not page.locator("#figure-approximation-widths").is_visible()  # replaced by the slider
    label = page.locator("label[for='slider-width-slider-frames-input']").inner_text()
    assert "hidden units" in label
    readout = page.locator("#slider-width-slider-frames-readout")
    series = page.locator("#slider-width-slider-frames polyline.slider-series-0")
    before, points_before = readout.inner_text(), series.get_attribute("points")
    slider.focus()
    page.keyboard.press("ArrowRight")
    after = readout.inner_text()
    assert after != before and after.startswith("M = 12 hidden units")
    assert slider.get_attribute("aria-valuetext") == after
    assert page.locator("#slider-width-slider-frames polyline.slider-series-0").get_attribute("points") != points_before
    depth = page.locator("#slider-depth-slider-frames input[type=range]")
    depth.focus()
    page.keyboard.press("End")
    assert "depth L = 6" in page.locator("#slider-depth-slider-frames-readout").inner_text()
    visit.close()


def test_slider_legends_match_their_lines_and_read_as_words(browser, site_server: str) -> None:
    visit = Visit(browser, site_server, "/universal/", "light", "desktop")
    page = visit.page
    stroke = "el => { const s = getComputedStyle(el); return [s.stroke, s.strokeDasharray]; }"
    sliders = (("#slider-depth-slider-frames", "Depth: 3 layers"),
               ("#slider-width-slider-frames", "Width: 8 hidden units"))
    for widget, label in sliders:
        assert page.locator(f"{widget} label").inner_text().strip() == label
        swatches = page.locator(f"{widget} .slider-legend line")
        lines = page.locator(f"{widget} svg.slider-plot > polyline")
        assert swatches.count() == lines.count() > 0
        for i in range(lines.count()):  # each swatch is drawn like its line, in the same order
            assert swatches.nth(i).evaluate(stroke) == lines.nth(i).evaluate(stroke)
        legend_text = page.locator(f"{widget} .slider-legend").inner_text()
        assert "^" not in legend_text
        readouts = " ".join(json.loads(page.locator(widget).get_attribute("data-frames"))["readouts"])
        assert not re.search(r"\b1 [a-zA-Z ]*?units\b", readouts), readouts
        ticks = page.locator(f"{widget} svg.slider-plot > text.slider-tick")
        boxes = [ticks.nth(i).bounding_box() for i in range(ticks.count())]
        for a, b in itertools.combinations(boxes, 2):  # no two tick labels overlap
            assert (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                    or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]), (a, b)
    visit.close()


def test_the_one_page_version_prints_without_stranded_headings_or_captions(browser, site_server: str) -> None:
    import io

    from bs4 import BeautifulSoup
    from pypdf import PdfReader

    def words(text: str) -> str:
        return " ".join(re.findall(r"[A-Za-z0-9]+", text))

    visit = Visit(browser, site_server, "/print/", "light", "desktop")
    page = visit.page
    page.emulate_media(media="print")
    assert page.locator(".md-typeset .md-clipboard").evaluate_all("els => els.filter(e => e.offsetParent).length") == 0
    assert page.locator("[data-slider]").evaluate_all("els => els.filter(e => e.offsetParent).length") == 0
    html = BeautifulSoup(page.content(), "html.parser")
    lonely = {words(e.get_text()) for e in html.select("article :is(h1, h2, h3, h4, figcaption)")} | {""}
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    texts = [words(p.extract_text() or "") for p in pdf.pages]
    visit.close()
    assert len(texts) > 20
    stranded = [(i + 1, text) for i, text in enumerate(texts[:-1]) if text in lonely]
    assert not stranded, f"pages with only a heading or a caption: {stranded}"
    first = texts[0]
    assert "Contents" in first and len(first.split()) > 40, f"the first page is nearly blank: {first!r}"


def test_following_a_link_sets_up_sliders_and_cite_buttons_on_the_new_page(browser, site_server: str) -> None:
    visit = Visit(browser, site_server, "/", "light", "desktop")
    page = visit.page
    page.evaluate("window.__sameDocument = true")
    page.locator("nav.md-nav a[href$='universal/']").first.click()
    page.wait_for_url("**/universal/")
    page.locator("#slider-depth-slider-frames").wait_for(state="visible")
    # a page load of its own (no instant navigation, mkdocs.yml says why), its scripts deferred
    assert page.evaluate("window.__sameDocument === undefined")
    assert not page.locator("#figure-sawtooth-depth").is_visible()  # the slider replaced its static figure
    depth = page.locator("#slider-depth-slider-frames input[type=range]")
    depth.focus()
    page.keyboard.press("End")
    assert "depth L = 6" in page.locator("#slider-depth-slider-frames-readout").inner_text()
    page.locator("#the-theorem .cite-button").click()
    assert page.locator("#the-theorem .cite-url").input_value().endswith("/universal/#the-theorem")
    visit.close()


def test_wide_tables_and_formulas_say_that_they_scroll(browser, site_server: str) -> None:
    visit = Visit(browser, site_server, "/glm/", "light", "phone")
    page = visit.page
    wide = page.locator(".md-typeset__scrollwrap").first  # the table of families
    assert wide.evaluate("el => el.scrollWidth > el.clientWidth")
    assert wide.get_attribute("tabindex") == "0" and wide.get_attribute("role") == "region"
    assert wide.get_attribute("data-overflow-right") is not None
    assert wide.evaluate("el => getComputedStyle(el).maskImage") != "none"
    wide.evaluate("el => { el.scrollLeft = el.scrollWidth; el.dispatchEvent(new Event('scroll')); }")
    page.wait_for_function("el => !el.hasAttribute('data-overflow-right') && el.hasAttribute('data-overflow-left')",
                           arg=wide.element_handle())
    visit.close()


def svg_text_sizes(svg: str) -> tuple[float, list[tuple[float, float, str]]]:
    """(viewBox width, [(size of the text's main font, smallest size in it, text)]) for every <text>
    of a matplotlib SVG: a text's main size is its largest; smaller tspans are sub- or superscripts."""
    import xml.etree.ElementTree as ET

    ns = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(svg)
    width = float(root.get("viewBox").split()[2])
    found = []
    for text in root.iter(f"{ns}text"):
        sizes = [float(m) for e in [text, *text.iter(f"{ns}tspan")]
                 for m in re.findall(r"font-size:\s*([\d.]+)px", e.get("style", ""))]
        if sizes:
            found.append((max(sizes), min(sizes), "".join(text.itertext()).strip()))
    return width, found


MIN_TEXT_PX = 11.0
SCRIPT_RATIO = 0.7  # mathtext sets sub- and superscripts at 70% of the text around them


def test_figure_text_is_readable_on_a_phone_and_a_tap_opens_the_figure(visits: dict, built_site: Path) -> None:
    measured = 0
    problems = []
    for (path, scheme, viewport), result in visits.items():
        if viewport != "phone" or scheme != "light" or path.startswith("/notebooks/") or path == "/print/":
            continue
        for image in result["figures"]:
            svg_path = built_site / image["src"].lstrip("/")
            assert image["link"] == image["src"], f"{path}: the figure links {image['link']}, not its SVG"
            view_width, texts = svg_text_sizes(svg_path.read_text())
            scale = image["width"] / view_width
            for main, smallest, text in texts:
                if main * scale < MIN_TEXT_PX or smallest < SCRIPT_RATIO * main - 1e-9:
                    problems.append(f"{path} {svg_path.name}: {text!r} at {main * scale:.1f} px")
            measured += 1
        problems += [f"{path}: a slider tick at {size:.1f} px" for size in result["slider_ticks_px"]
                     if size < MIN_TEXT_PX]
    assert measured >= 15
    assert not problems, problems[:20]


def test_without_javascript_the_static_figure_is_shown(browser, site_server: str) -> None:
    visit = Visit(browser, site_server, "/universal/", "light", "desktop", java_script_enabled=False)
    assert visit.page.locator("#figure-approximation-widths").is_visible()
    assert not visit.page.locator("#slider-width-slider-frames").is_visible()
    visit.close()


def searched(browser, base: str, query: str) -> Visit:
    """The home page with `query` typed into the search box, once the results for all of it show."""
    visit = Visit(browser, base, "/", "light", "desktop")
    visit.page.locator("input.md-search__input").click()
    visit.page.keyboard.type(query)
    # Results appear while the query is typed: wait for those of the last word, whole.
    last = query.split()[-1].lower()  # Material puts the query, lowercased, into each result's link
    visit.page.wait_for_selector(f".md-search-result__item a[href*='h={last}']", timeout=10_000)
    return visit


def test_search_finds_a_term_from_a_chapter(browser, site_server: str) -> None:
    visit = searched(browser, site_server, "Wedderburn")
    assert visit.page.locator(".md-search-result__item a[href*='glm/']").count() > 0
    visit.close()


def test_search_shows_readable_math_and_ranks_a_chapter_above_its_notebook(browser, site_server: str) -> None:
    visit = searched(browser, site_server, "separation")
    first = visit.page.locator(".md-search-result__item a").first.get_attribute("href")
    assert ("/glm/" in first or "/inference/" in first) and "/notebooks/" not in first
    visit.close()
    visit = searched(browser, site_server, "tent")
    assert visit.page.locator(".md-search-result__item a[href*='universal/']").count() > 0
    shown = visit.page.locator(".md-search-result").inner_text()
    assert "\\(" not in shown and "\\mathrm" not in shown, shown[:500]
    visit.close()


def test_the_browser_keeps_no_address_bar_ui_running(browser) -> None:
    # What chromium_args() turns off, still off: else every page visit pays for it (see CHROMIUM_IDLE_UI).
    page = browser.new_page()
    page.goto("about:blank")
    targets = browser.new_browser_cdp_session().send("Target.getTargets", {"filter": [{}]})["targetInfos"]
    # Workers belong to the pages of other tests (the site's search worker), not to the browser's UI.
    assert [t["url"] for t in targets if t["type"] not in ("page", "tab", "worker", "shared_worker")] == []
    page.close()
