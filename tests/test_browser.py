"""The built site in a real browser (Debian's Chromium, driven by Playwright): every page, in the
light and the dark palette, at a phone and a desktop width.

Where Chromium is missing these tests are skipped with the reason; under CI they fail instead.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers import CHROMIUM, served, site_pages
from tests.markdown_fences import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM_SWITCHES = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-quic"]
# Headless Chromium is the whole browser, and it keeps its address bar's two WebUI popups loaded
# and busy in a renderer of their own while any page is open: 0.3 to 0.4 s of CPU a second, a
# third of what the browser pass cost on two cores.
CHROMIUM_IDLE_UI = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup"]

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}
SCHEMES = ("light", "dark")
ONE_PAGE_VISITS = {("light", "desktop"), ("dark", "phone")}
BUDGET = json.loads((ROOT / "page-budget.json").read_text())
RAW_TEX = re.compile(r"\\\(|\\\[|\$\$|(?<![\w$])\$[^$\s][^$\n]*\$(?![\w$])")


@functools.cache
def playwright_disabled_features() -> list[str]:
    """The features Playwright itself turns off. Chromium keeps only the last --disable-features
    switch, so ours must repeat Playwright's list (read from the installed driver, so that an
    upgrade of Playwright cannot silently drop any)."""
    import playwright

    bundle = Path(playwright.__file__).parent / "driver" / "package" / "lib" / "coreBundle.js"
    match = re.search(r"\bdisabledFeatures = \[(.*?)\]", bundle.read_text(), re.DOTALL)
    features = re.findall(r'^\s*"(\w+)",?$', match.group(1), re.MULTILINE) if match else []
    if not features:
        raise RuntimeError(f"Playwright's list of disabled Chromium features not found in {bundle}: "
                           "update playwright_disabled_features() for this version of Playwright")
    return features


def chromium_args() -> list[str]:
    return [*CHROMIUM_SWITCHES, "--disable-features=" + ",".join(playwright_disabled_features() + CHROMIUM_IDLE_UI)]


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


@pytest.fixture
def browser(browser_available: None, visits: dict):
    # After the asynchronous pass (`visits`), one synchronous browser per interactive test.
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=chromium_args())
        yield launched
        launched.close()


class Visit:
    """One page load: what the console said, which requests failed or left the machine, bytes."""

    def __init__(self, browser, base: str, path: str, scheme: str, viewport: str, wait_until: str = "networkidle",
                 **context_options) -> None:
        self.context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme, **context_options)
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.remote: list[str] = []
        self.bytes: dict[str, int] = {}
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("response", self._record)

        def route(route) -> None:
            if urlsplit(route.request.url).hostname != "127.0.0.1" and not route.request.url.startswith("data:"):
                self.remote.append(route.request.url)
                route.abort()
            else:
                route.continue_()

        self.context.route("**/*", route)
        self.page.goto(base + path, wait_until=wait_until)

    def _record(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")
        length = response.headers.get("content-length")
        if length is not None and response.url.startswith("http://127.0.0.1"):
            self.bytes[urlsplit(response.url).path] = int(length)

    def close(self) -> None:
        self.context.close()


# axe-core rules whose outcome depends on colours, and so may differ between the two palettes.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
PAGE_FACTS = {
    "scheme": "() => document.body.getAttribute('data-md-color-scheme')",
    "broken_images": "() => [...document.querySelectorAll('article img')].filter(e => e.offsetParent !== null"
                     " && !(e.complete && e.naturalWidth > 0)).map(e => e.src)",
    "images_without_alt": "() => [...document.querySelectorAll('article img')]"
                          ".filter(e => (e.getAttribute('alt') || '').trim().length < 20).map(e => e.src)",
    "text": "() => { const a = document.querySelector('article').cloneNode(true);"
            " a.querySelectorAll('pre, code, script, math, .slider-widget').forEach(e => e.remove());"
            " return a.innerText; }",
    "formulas": "() => document.querySelectorAll('article math').length",
    "dom_elements": "() => document.getElementsByTagName('*').length",
    # A formula the browser could not lay out as MathML would have no width.
    "formulas_without_width": "() => [...document.querySelectorAll('article math')]"
                              ".filter(m => m.checkVisibility() && m.getBoundingClientRect().width === 0).length",
}


async def visit_async(browser, base: str, path: str, scheme: str, viewport: str) -> dict:
    """Load one page, scroll through it, wait for the network to settle, and report what happened;
    at desktop width also run axe-core on it."""
    from axe_playwright_python.async_playwright import Axe

    context = await browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    page = await context.new_page()
    result: dict = {"console_errors": [], "failed": [], "remote": [], "bytes": {}}
    page.on("console", lambda m: m.type == "error" and result["console_errors"].append(m.text))
    page.on("pageerror", lambda e: result["console_errors"].append(str(e)))
    page.on("requestfailed", lambda r: result["failed"].append(f"{r.url} ({r.failure})"))

    def record(response) -> None:
        if response.status >= 400:
            result["failed"].append(f"{response.url} (HTTP {response.status})")
        length = response.headers.get("content-length")
        if length is not None and response.url.startswith("http://127.0.0.1"):
            result["bytes"][urlsplit(response.url).path] = int(length)

    page.on("response", record)

    async def route(route) -> None:
        if urlsplit(route.request.url).hostname != "127.0.0.1" and not route.request.url.startswith("data:"):
            result["remote"].append(route.request.url)
            await route.abort()
        else:
            await route.continue_()

    await context.route("**/*", route)
    await page.goto(base + path, wait_until="load")
    await page.wait_for_load_state("networkidle")
    # What a first visit downloads before the reader scrolls (the search index included), as sent
    # compressed: the page budget.
    result["first_view_bytes"] = dict(result["bytes"])
    # Ask for every shown lazy image now, as a reader scrolling to the end would (the other palette's
    # figure stays hidden and unloaded): the check below is about
    # whether each image exists and decodes. (Scrolling through instead costs a repaint per screen.)
    await page.evaluate("() => document.querySelectorAll('article img').forEach(img => {"
                        " if (img.offsetParent !== null && !img.complete) img.loading = 'eager'; })")
    await page.wait_for_load_state("networkidle")
    await page.wait_for_function("() => [...document.querySelectorAll('article img')]"
                                 ".every(img => img.offsetParent === null || img.complete)", timeout=10_000)
    for name, script in PAGE_FACTS.items():
        result[name] = await page.evaluate(script)
    if viewport == "desktop" and path not in BUDGET["not_article_pages"]:
        # The palettes differ only in colours: the dark pass runs the rules that look at colour.
        options = {"resultTypes": ["violations"]}
        if scheme == "dark":
            options["runOnly"] = {"type": "rule", "values": COLOUR_RULES}
        axe = await Axe().run(page, options=options)
        result["axe"] = [v for v in axe.response["violations"] if v["impact"] in ("serious", "critical")]
    await context.close()
    return result


def visit_every_page(site: Path) -> dict[tuple[str, str, str], dict]:
    """Every page of `site` in both palettes at both widths (the one-page version in two of the
    four ways), four at a time: {(path, palette, width): what visit_async reported}."""
    import asyncio

    from playwright.async_api import async_playwright

    async def run_all(base: str) -> dict:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=chromium_args())
            # Four at a time keep two cores busy (more only stretch each visit towards Playwright's
            # 30 s timeout), and the longest visits (the one-page version, axe runs) go first so
            # that none of them is left to run alone at the end.
            limit = asyncio.Semaphore(4)
            keys = [(path, scheme, viewport) for path in site_pages(site)
                    for scheme in SCHEMES for viewport in VIEWPORTS
                    # The one-page version repeats every chapter (each visited four ways above):
                    # once per palette and once per width is enough for it.
                    if path not in BUDGET["not_article_pages"] or (scheme, viewport) in ONE_PAGE_VISITS]
            keys.sort(key=lambda key: (key[0] not in BUDGET["not_article_pages"], key[2] != "desktop"))

            async def one(key: tuple[str, str, str]) -> dict:
                async with limit:
                    return await visit_async(browser, base, *key)

            results = await asyncio.gather(*(one(key) for key in keys))
            await browser.close()
            return dict(zip(keys, results, strict=True))

    with served(site, compress=True) as base:  # gzip, as GitHub Pages serves text
        return asyncio.run(run_all(base))


@pytest.fixture(scope="session")
def visits(browser_available: None, built_site: Path, background_task) -> dict[tuple[str, str, str], dict]:
    """visit_every_page on the built site, summarised for the tests below: started by the session
    as soon as the site is built (conftest.py), so that it overlaps the tests that need no browser."""
    return background_task("visits", visit_every_page)


def test_every_page_loads_cleanly_in_both_palettes_and_widths(visits: dict) -> None:
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


def test_article_pages_stay_within_the_page_budget(visits: dict, request: pytest.FixtureRequest) -> None:
    """page-budget.json: the bytes a phone downloads on a first visit (gzip-compressed, as GitHub
    Pages sends them; HTML and every asset the page loads before scrolling, search index included)
    and the number of elements, per article page; a page over the general budget is listed there
    with its measured ceiling and the reason, and must not grow."""
    phone = {path: result for (path, scheme, viewport), result in visits.items()
             if scheme == "light" and viewport == "phone" and path not in BUDGET["not_article_pages"]}
    sizes = {path: sum(result["first_view_bytes"].values()) for path, result in phone.items()}
    request.config.stash.setdefault(PAGE_SIZES, {}).update(sizes)
    problems = []
    for path, result in phone.items():
        ceiling = {**BUDGET["general"], **BUDGET["over_budget"].get(path, {})}
        if sizes[path] > ceiling["transferred_kib"] * 1024:
            problems.append(f"{path}: {sizes[path] / 1024:.1f} KiB transferred > {ceiling['transferred_kib']} KiB")
        if result["dom_elements"] > ceiling["dom_elements"]:
            problems.append(f"{path}: {result['dom_elements']} elements > {ceiling['dom_elements']}")
    for path in BUDGET["over_budget"]:
        if path in phone and sizes[path] <= BUDGET["general"]["transferred_kib"] * 1024 and \
                phone[path]["dom_elements"] <= BUDGET["general"]["dom_elements"]:
            problems.append(f"{path} is within the general budget now: remove its exception")
    assert not problems, "\n".join(problems)


PAGE_SIZES = pytest.StashKey[dict]()


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
    assert after != before and after.startswith("N = 12 hidden units")
    assert slider.get_attribute("aria-valuetext") == after
    assert page.locator("#slider-width-slider-frames polyline.slider-series-0").get_attribute("points") != points_before
    depth = page.locator("#slider-depth-slider-frames input[type=range]")
    depth.focus()
    page.keyboard.press("End")
    assert "depth k = 6" in page.locator("#slider-depth-slider-frames-readout").inner_text()
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


def test_instant_navigation_sets_up_sliders_and_cite_buttons_on_the_new_page(browser, site_server: str,
                                                                             built_site: Path) -> None:
    visit = Visit(browser, site_server, "/", "light", "desktop")
    page = visit.page
    # Material matches links against sitemap.xml by protocol and host name but not port: served
    # from its canonical URL the site matches; here the sitemap is given the test server's origin.
    sitemap = (built_site / "sitemap.xml").read_text().replace("https://nn-glm.github.io/", site_server + "/")
    page.route("**/sitemap.xml", lambda route: route.fulfill(body=sitemap, content_type="application/xml"))
    page.reload(wait_until="networkidle")
    page.evaluate("window.__sameDocument = true")
    page.locator("nav.md-nav a[href$='universal/']").first.click()
    page.wait_for_url("**/universal/")
    page.locator("#slider-depth-slider-frames").wait_for(state="visible")
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded: instant navigation is off"
    assert not page.locator("#figure-sawtooth-depth").is_visible()  # the slider replaced its static figure
    depth = page.locator("#slider-depth-slider-frames input[type=range]")
    depth.focus()
    page.keyboard.press("End")
    assert "depth k = 6" in page.locator("#slider-depth-slider-frames-readout").inner_text()
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


PHONE = {"width": 390, "height": 844}
MIN_TEXT_PX = 11.0
SCRIPT_RATIO = 0.7  # mathtext sets sub- and superscripts at 70% of the text around them


def test_figure_text_is_readable_on_a_phone_and_a_tap_opens_the_figure(browser, site_server: str,
                                                                       built_site: Path) -> None:
    context = browser.new_context(viewport=PHONE, color_scheme="light")
    page = context.new_page()
    measured = 0
    problems = []
    for path in site_pages(built_site):
        if path.startswith("/notebooks/") or path == "/print/":
            continue
        page.goto(site_server + path, wait_until="networkidle")
        images = page.evaluate("""async () => {
            // The static figure a slider replaces is hidden; the slider is measured below.
            const imgs = [...document.querySelectorAll('article figure:not([hidden]) a.figure-zoom--light img')];
            imgs.forEach(img => { img.loading = 'eager'; });
            await Promise.all(imgs.map(img => img.complete ? null
                                       : new Promise(r => { img.onload = r; img.onerror = r; })));
            return imgs.map(img => ({src: new URL(img.src).pathname, width: img.getBoundingClientRect().width,
                                     link: new URL(img.closest('a').href).pathname}));
        }""")
        for image in images:
            svg_path = built_site / image["src"].lstrip("/")
            assert image["link"] == image["src"], f"{path}: the figure links {image['link']}, not its SVG"
            view_width, texts = svg_text_sizes(svg_path.read_text())
            scale = image["width"] / view_width
            for main, smallest, text in texts:
                if main * scale < MIN_TEXT_PX or smallest < SCRIPT_RATIO * main - 1e-9:
                    problems.append(f"{path} {svg_path.name}: {text!r} at {main * scale:.1f} px")
            measured += 1
        # The sliders' tick labels: font size in the plot's units, scaled to its rendered width.
        for size in page.evaluate("""() => [...document.querySelectorAll('.slider-plot text.slider-tick')].map(t => {
                const svg = t.ownerSVGElement;
                const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                return parseFloat(getComputedStyle(t).fontSize) * scale;
            })"""):
            if size < MIN_TEXT_PX:
                problems.append(f"{path}: a slider tick at {size:.1f} px")
    context.close()
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
    assert "/glm/" in first and "/notebooks/" not in first
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
    assert [t["url"] for t in targets if t["type"] not in ("page", "tab")] == []
    page.close()
