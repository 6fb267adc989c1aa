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


def build_site(site_dir: Path, *, cache_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` into site_dir; fails the calling test with mkdocs' output on error."""
    env = dict(os.environ, DISABLE_MKDOCS_2_WARNING="true", NO_MKDOCS_2_WARNING="1")
    if cache_dir is not None:
        env["SITE_CACHE_DIR"] = str(cache_dir)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{result.stderr[-4000:]}")
    return result


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, built once per test session with the repository's figure cache."""
    site_dir = tmp_path_factory.mktemp("site")
    build_site(site_dir)
    return site_dir


@pytest.fixture(scope="session")
def fresh_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The site built again from nothing (an empty cache: every figure drawn, every notebook
    executed), and that build's log."""
    root = tmp_path_factory.mktemp("fresh")
    result = build_site(root / "site", cache_dir=root / "cache")
    return root / "site", result.stderr


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
