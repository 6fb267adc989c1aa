"""Suite-wide wiring: how Markdown fences are found and run, and the built site the site tests read."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import PROJECT_SNIPPETS, build_env
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
    env = build_env()
    # The suite's builds have no repository configured (tests that need one set it themselves).
    env.pop("REPO_URL", None)
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
    """A site build started as soon as the session knows it needs it (or as soon as the build it
    waits for has finished): it runs on the second core while the first runs the tests that need no
    site (pytest itself uses one core)."""

    def __init__(self, root: Path, cache_dir: Path | None, after: BackgroundBuild | None = None) -> None:
        self.site, self.log, self.cache_dir = root / "site", root / "build.log", cache_dir
        self.process: subprocess.Popen | None = None
        self._thread = threading.Thread(target=self._run, args=(cache_dir, after), daemon=True)
        self._thread.start()

    def _run(self, cache_dir: Path | None, after: BackgroundBuild | None) -> None:
        if after is not None:
            after.wait()
        command, env = _build_command(self.site, cache_dir)
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
            self.process.wait()

    def wait(self) -> int:
        self._thread.join()
        return self.process.returncode if self.process is not None else -1

    def result(self) -> tuple[Path, str]:
        returncode = self.wait()
        log = self.log.read_text() if self.log.exists() else ""
        if returncode != 0:
            pytest.fail(f"mkdocs build failed:\n{log[-4000:]}")
        return self.site, log

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()


class BackgroundTask:
    """`target(site)` run in a thread as soon as a background build has finished: the browser pass
    takes the core that build leaves free while pytest goes on with the tests that need no browser."""

    def __init__(self, target: Callable[[Path], object], build: BackgroundBuild) -> None:
        self._value: object = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(target, build), daemon=True)
        self._thread.start()

    def _run(self, target: Callable[[Path], object], build: BackgroundBuild) -> None:
        if build.wait() != 0:
            return  # the built_site fixture reports the failed build
        try:
            self._value = target(build.site)
        except BaseException as error:  # noqa: BLE001 - handed to the test that asks for the result
            self._error = error

    def result(self) -> object:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


_background: dict[str, BackgroundBuild] = {}
_tasks: dict[str, BackgroundTask] = {}
_scratch: list[Path] = []


def repository_cache() -> Path:
    return Path(os.environ.get("SITE_CACHE_DIR") or ROOT / ".build-cache")


def scratch_dir(name: str) -> Path:
    """A new folder for a background build, removed when the session ends. (The builds start when
    collection finishes, before any fixture can hand out pytest's tmp_path_factory.)"""
    path = Path(tempfile.mkdtemp(prefix=f"nn-glm-{name}-"))
    _scratch.append(path)
    return path


def start_site_builds(needed: set[str]) -> None:
    """fresh_site: from an empty cache. built_site: with the repository's cache, as `make build`
    would; where that cache is empty (a clean clone, as in CI), from fresh_site's cache once that
    build is done, rather than a second build from nothing (the byte-identity test then compares a
    build from nothing with one from the cache it left)."""
    fresh_root = scratch_dir("fresh")
    if "fresh_site" in needed or not (repository_cache() / "memo").is_dir():
        _background["fresh_site"] = BackgroundBuild(fresh_root, fresh_root / "cache")
    if "built_site" in needed:
        after = _background.get("fresh_site") if not (repository_cache() / "memo").is_dir() else None
        cache = fresh_root / "cache" if after is not None else None
        _background["built_site"] = BackgroundBuild(scratch_dir("built"), cache, after)


# Fixtures that build a site (or drive a browser over one): a test using any of them is a "site"
# test, and `pytest -m "not site"` runs the fast rest.
SITE_FIXTURES = {"built_site", "fresh_site", "site_cache", "site_server", "visits", "background_task", "project",
                 "zensical_site",
                 "browser", "browser_available"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if SITE_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.site)
    # The browser tests last: their page visits run in the background from the moment the site is
    # built (BackgroundTask), and the interactive ones would compete with them for the cores.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def pytest_collection_finish(session: pytest.Session) -> None:
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    if not session.config.option.collectonly and needed & {"built_site", "fresh_site"}:
        start_site_builds(needed)
    if "visits" in needed and "built_site" in _background:
        from tests.helpers import CHROMIUM, visit_every_page

        if Path(CHROMIUM).exists():  # else the browser tests skip (or, under CI, fail) themselves
            _tasks["visits"] = BackgroundTask(visit_every_page, _background["built_site"])


def pytest_sessionfinish(session: pytest.Session) -> None:
    for build in _background.values():
        build.stop()
    for path in _scratch:
        shutil.rmtree(path, ignore_errors=True)


def _site(name: str) -> tuple[Path, str]:
    if name not in _background:  # asked for outside collection (e.g. by a plugin): build now
        start_site_builds({name})
    return _background[name].result()


@pytest.fixture(scope="session")
def built_site() -> Path:
    """The site, built once per test session with the repository's cache (see start_site_builds)."""
    return _site("built_site")[0]


@pytest.fixture(scope="session")
def site_cache(built_site: Path) -> Path:
    """The cache built_site was built with (filled by then): another build of the same sources
    with it draws and executes nothing."""
    return _background["built_site"].cache_dir or repository_cache()


@pytest.fixture(scope="session")
def fresh_site() -> tuple[Path, str]:
    """The site built again from nothing (an empty cache: every figure drawn, every notebook
    executed), and that build's log."""
    return _site("fresh_site")


@pytest.fixture(scope="session")
def background_task(built_site: Path) -> Callable[[str, Callable[[Path], object]], object]:
    """background_task(name, target): the result of the task started under that name at collection
    (waiting for it), or of target(built_site) run now where none was started."""

    def result(name: str, target: Callable[[Path], object]) -> object:
        task = _tasks.get(name)
        return task.result() if task is not None else target(built_site)

    return result


@pytest.fixture(scope="session")
def executed_fences(request: pytest.FixtureRequest) -> list[str]:
    return request.config.stash[EXECUTED_FENCES]


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """The bytes each page downloads on a phone's first view (gzip-compressed), from the browser tests."""
    from tests.helpers import PAGE_SIZES

    sizes = config.stash.get(PAGE_SIZES, None)
    if sizes:
        terminalreporter.section("page weight: what a first view downloads, gzip-compressed")
        for path, size in sorted(sizes.items(), key=lambda item: -item[1]):
            terminalreporter.write_line(f"{size / 1024:9.1f} KiB  {path}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the build's inputs cut down to the first page; building inside it imports the
    copy's snippets and hooks, so tests can break them without touching the repository."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "hooks", copy / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "sitekit", copy / "sitekit", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "overrides", copy / "overrides")
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")  # the version of the snippets wheel
    shutil.copytree(ROOT / "docs" / "assets", copy / "docs" / "assets")
    shutil.copy(ROOT / "docs" / "glossary.yml", copy / "docs" / "glossary.yml")
    (copy / "snippets").mkdir()
    for name in PROJECT_SNIPPETS:
        shutil.copy(ROOT / "snippets" / name, copy / "snippets" / name)
    # Links to the other chapters become plain text: those pages are not in the copy.
    index = re.sub(r"\[([^\]]+)\]\((?!https?:)[^)]*\.md[^)]*\)", r"\1", (ROOT / "docs" / "index.md").read_text())
    (copy / "docs" / "index.md").write_text(index)
    (copy / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "test_overview.py", copy / "tests" / "test_overview.py")
    config = re.sub(r"^nav:\n(?:  .*\n)+", "nav:\n  - Overview: index.md\n", (ROOT / "mkdocs.yml").read_text(),
                    flags=re.MULTILINE)
    (copy / "mkdocs.yml").write_text(config)
    return copy


@pytest.fixture(autouse=True)
def fresh_snippets_caches() -> None:
    """Under `make mutate`, every test starts with empty caches of snippets' cached summaries: the
    mutation tester runs each mutant in a process forked after the unmutated code has filled them,
    and a cached result would hide the mutant from every test that reaches it through the cache."""
    if "MUTANT_UNDER_TEST" in os.environ:
        import importlib
        import pkgutil

        import snippets

        for info in pkgutil.iter_modules(snippets.__path__):
            for value in vars(importlib.import_module(f"snippets.{info.name}")).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()
