"""Suite-wide wiring: how Markdown fences are found and run, and the built site the site tests read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.markdown_fences import ROOT, SiteMarkdownIt, displayed_code

EXECUTED_FENCES = pytest.StashKey[list[str]]()

# The notebooks are Python files, but not modules to import: tests/test_notebooks.py executes them.
collect_ignore_glob = ["docs/notebooks/*"]


def pytest_markdown_docs_markdown_it() -> SiteMarkdownIt:
    return SiteMarkdownIt()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[EXECUTED_FENCES] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> pytest.TestReport:
    # Remember the code of every Markdown fence that ran and passed, for test_site's comparison.
    report = yield
    if report.when == "call" and report.passed and item.get_closest_marker("markdown-docs"):
        item.config.stash[EXECUTED_FENCES].append(displayed_code(item.code))
    return report


def _build_command(site_dir: Path, cache_dir: Path | None) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ, DISABLE_MKDOCS_2_WARNING="true", NO_MKDOCS_2_WARNING="1")
    if cache_dir is not None:
        env["SITE_CACHE_DIR"] = str(cache_dir)
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)], env


def build_site(site_dir: Path, *, cache_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` into site_dir; fails the calling test with mkdocs' output on error."""
    command, env = _build_command(site_dir, cache_dir)
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{result.stderr[-4000:]}")
    return result


class BackgroundBuild:
    """A site build started as soon as the session knows it needs it: it runs on the second core
    while the first runs the tests that need no site (pytest itself uses one core)."""

    def __init__(self, root: Path, *, from_nothing: bool) -> None:
        self.site = root / "site"
        self.log = root / "build.log"
        command, env = _build_command(self.site, root / "cache" if from_nothing else None)
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)

    def result(self) -> tuple[Path, str]:
        returncode = self.process.wait()
        log = self.log.read_text()
        if returncode != 0:
            pytest.fail(f"mkdocs build failed:\n{log[-4000:]}")
        return self.site, log


SITE_FIXTURES = {"built_site": False, "fresh_site": True}  # fixture: built from an empty cache?
_background: dict[str, BackgroundBuild] = {}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # The browser pass keeps both cores busy: run it last, so that the site builds can overlap
    # the single-core tests before it.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly:
        return
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    for name, from_nothing in SITE_FIXTURES.items():
        if name in needed:
            root = session.config._tmp_path_factory.mktemp(name.replace("_", "-"))  # noqa: SLF001
            _background[name] = BackgroundBuild(root, from_nothing=from_nothing)


def pytest_sessionfinish(session: pytest.Session) -> None:
    for build in _background.values():
        if build.process.poll() is None:
            build.process.kill()
            build.process.wait()


def _site(name: str, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    if name not in _background:  # asked for outside collection (e.g. by a plugin): build now
        _background[name] = BackgroundBuild(tmp_path_factory.mktemp(name), from_nothing=SITE_FIXTURES[name])
    return _background[name].result()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per test session with the repository's figure cache."""
    return _site("built_site", tmp_path_factory)[0]


@pytest.fixture(scope="session")
def fresh_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The site built again from nothing (an empty cache: every figure drawn, every notebook
    executed), and that build's log."""
    return _site("fresh_site", tmp_path_factory)


@pytest.fixture(scope="session")
def executed_fences(request: pytest.FixtureRequest) -> list[str]:
    return request.config.stash[EXECUTED_FENCES]


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """The bytes each page loads (HTML and every asset, search index excluded), from the browser tests."""
    from tests.test_browser import PAGE_SIZES

    sizes = config.stash.get(PAGE_SIZES, None)
    if sizes:
        terminalreporter.section("page weight: HTML plus every asset it loads")
        for path, size in sorted(sizes.items(), key=lambda item: -item[1]):
            terminalreporter.write_line(f"{size / 1000:9.1f} kB  {path}")
