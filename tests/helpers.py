"""Helpers shared by the tests (fixtures are in conftest.py): the build's environment, a build
of a cut-down copy of the project, and editing a file in such a copy."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from tests.markdown_fences import ROOT

# MkDocs 2's announcement, printed by Material, is silenced for every build the tests start (the
# Makefile does the same for `make serve` and `make build`).
# The environment of every build, as the Makefile reads it (build.env: NAME=value lines).
BUILD_ENV = dict(line.split("=", 1) for line in (ROOT / "build.env").read_text().splitlines()
                 if line.strip() and not line.startswith("#"))


# `python -m mkdocs`, for a build of the repository (build_env(measured=True)): measured in its own
# process only. Coverage starts in any Python process whose environment names its configuration
# (the a1_coverage.pth it installs), and every process a build starts inherits that environment:
# its figure workers and notebook kernels were traced too, for no line the gates count (see
# pipeline_coverage_config), and a build from nothing took 60 CPU-s instead of 39. So the build
# drops the variable once its own coverage has started, before MkDocs runs.
MKDOCS = [sys.executable, "-c", "import os, runpy; os.environ.pop('COVERAGE_PROCESS_START', None); "
          "runpy.run_module('mkdocs', run_name='__main__', alter_sys=True)"]


def build_env(*, measured: bool = True, **extra: str) -> dict[str, str]:
    """The environment for a build the tests start: this process's, quietened, plus `extra`.

    Under `make test` (coverage's subprocess patch) a build of the repository is measured for the
    pipeline only (`measured`, pipeline_coverage_config): snippets/ is measured in the tests' own
    processes, and tracing its numerical code in every build the suite starts doubled their time.
    A build of a project copy (`measured=False`) runs the copy's files, which coverage does not
    count: it is not measured at all."""
    env = {**os.environ, **BUILD_ENV, **extra}
    if "COVERAGE_PROCESS_CONFIG" in env:
        del env["COVERAGE_PROCESS_CONFIG"]
        if measured:
            env["COVERAGE_PROCESS_START"] = str(pipeline_coverage_config())
    return env


@functools.cache
def pipeline_coverage_config() -> Path:
    """A coverage configuration for the builds the suite starts: this run's data file, measuring
    sitekit/ and hooks/ in the build's own process. Not in the processes a build starts (MKDOCS):
    its notebook kernels run no pipeline code, and what its figure workers run
    (`sitekit.figures.drawn`) the tests run in their own processes."""
    import coverage

    running = coverage.Coverage.current()
    data_file = Path(running.config.data_file if running else ROOT / ".build-cache" / "coverage" / "data").resolve()
    path = data_file.parent / f"pipeline.{os.getpid()}.coveragerc"  # beside the data, which make test removes
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"[run]\nsource =\n    {ROOT / 'sitekit'}\n    {ROOT / 'hooks'}\nparallel = true\n"
                    f"data_file = {data_file}\n")
    return path


# The first page and the modules it needs: enough to exercise every part of the pipeline quickly.
PROJECT_SNIPPETS = ("__init__.py", "_boundary.py", "_checks.py", "figures.py", "style.py", "network.py", "overview.py")


def mkdocs_build(project: Path, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = build_env(measured=False, SITE_CACHE_DIR=str(cache or project / ".build-cache"))
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                          capture_output=True, text=True)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# What GitHub Pages sends gzip-compressed (text types); images and fonts it sends as they are.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


def site_pages(site: Path) -> list[str]:
    """URL paths of the site's pages, without redirect stubs and the 404 page."""
    pages = []
    for html_file in sorted(site.rglob("index.html")):
        if "http-equiv=\"refresh\"" in html_file.read_text()[:2000]:
            continue
        relative = html_file.parent.relative_to(site).as_posix()
        pages.append("/" if relative == "." else f"/{relative}/")
    return pages


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Files of a directory; with `gzip` set, text sent gzip-compressed to a client that accepts it."""

    compress = False

    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass

    def send_head(self):  # the base class's hook: headers sent, body returned as a file
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        kind = self.guess_type(str(path))
        if not (self.compress and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")
                and kind.startswith(COMPRESSED_TYPES)):
            return super().send_head()
        body = _gzipped(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@functools.lru_cache(maxsize=512)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    """A file's bytes gzip-compressed, once per version of the file: every page visit asks for the
    same style sheets, scripts and search index."""
    return gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)


@contextlib.contextmanager
def served(site: Path, *, compress: bool = False) -> Iterator[str]:
    """`site` on http://127.0.0.1:PORT while the block runs; `compress`: gzip as GitHub Pages does."""
    handler = functools.partial(type("Handler", (_QuietHandler,), {"compress": compress}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


# --- Chromium over the built site: the visits every browser test reads (started by conftest.py)

CHROMIUM_SWITCHES = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--no-first-run", "--disable-quic"]
# Headless Chromium is the whole browser, and it keeps its address bar's two WebUI popups loaded
# and busy in a renderer of their own while any page is open: 0.3 to 0.4 s of CPU a second, a
# third of what the browser pass cost on two cores.
CHROMIUM_IDLE_UI = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup"]

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}
# The (palette, width) pairs a page is loaded in. What the browser tests check of a page depends
# on its palette or on its width, never on both: the palette decides the colours, the figure
# variant shown (`#only-light`, `#only-dark`; no figure has a source per width) and the
# `data-md-color-scheme` attribute; the width decides the layout (formulas laid out, the phone's
# first-view bytes). So an article page is loaded in the light palette at both widths and in the
# dark palette at desktop width, where axe-core checks its colours; the dark palette at phone width
# is loaded once, on the one-page version, which holds every chapter. (All four pairs on every
# page cost 20 more loads, 19 of the 128 CPU-s the pass took alone, and checked nothing more.)
ARTICLE_VISITS = (("light", "phone"), ("light", "desktop"), ("dark", "desktop"))
ONE_PAGE_VISITS = (("light", "desktop"), ("dark", "phone"))
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
    # Counted as Lighthouse's DOM-size audit counts: the elements inside <body>.
    "dom_elements": "() => document.body.getElementsByTagName('*').length",
    # A formula the browser could not lay out as MathML would have no width.
    "formulas_without_width": "() => [...document.querySelectorAll('article math')]"
                              ".filter(m => m.checkVisibility() && m.getBoundingClientRect().width === 0).length",
}
# At phone width, where a figure's text is smallest: each shown figure's width and the SVG its tap
# opens (the static figure a slider replaces is hidden), and the sliders' tick labels in pixels
# (their font size in the plot's units, scaled to the plot's width).
PHONE_FACTS = {
    "figures": "() => [...document.querySelectorAll('article figure:not([hidden]) a.figure-zoom--light img')]"
               ".map(img => ({src: new URL(img.src).pathname, width: img.getBoundingClientRect().width,"
               " link: new URL(img.closest('a').href).pathname}))",
    "slider_ticks_px": "() => [...document.querySelectorAll('.slider-plot text.slider-tick')].map(t =>"
                       " parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getBoundingClientRect().width"
                       " / t.ownerSVGElement.viewBox.baseVal.width)",
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
    for name, script in (PAGE_FACTS | (PHONE_FACTS if viewport == "phone" else {})).items():
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
    """Every page of `site` in both palettes and at both widths (ARTICLE_VISITS, ONE_PAGE_VISITS),
    four at a time: {(path, palette, width): what visit_async reported}."""
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
                    for scheme, viewport in (ONE_PAGE_VISITS if path in BUDGET["not_article_pages"]
                                             else ARTICLE_VISITS)]
            keys.sort(key=lambda key: (key[0] not in BUDGET["not_article_pages"], key[2] != "desktop"))

            async def one(key: tuple[str, str, str]) -> dict:
                async with limit:
                    return await visit_async(browser, base, *key)

            results = await asyncio.gather(*(one(key) for key in keys))
            await browser.close()
            return dict(zip(keys, results, strict=True))

    with served(site, compress=True) as base:  # gzip, as GitHub Pages serves text
        return asyncio.run(run_all(base))


