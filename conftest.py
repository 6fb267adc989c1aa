"""Suite-wide wiring: how Markdown fences are found and run, and the built site the site tests read."""

from __future__ import annotations

import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import MKDOCS, PROJECT_SNIPPETS, build_env
from tests.markdown_fences import ROOT, SiteMarkdownIt

# The notebooks are Python files, but not modules to import: tests/test_notebooks.py executes them.
collect_ignore_glob = ["docs/notebooks/*"]


def pytest_markdown_docs_markdown_it() -> SiteMarkdownIt:
    return SiteMarkdownIt()


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):  # an xdist worker: the run's shared folder
        _shared.append(Path(config.workerinput[SHARED_DIR]))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """pytest-xdist's hook in the controller, once per worker it starts: every worker gets the
    same shared folder, removed when the controller's session ends."""
    if not _shared:
        _shared.append(Path(tempfile.mkdtemp(prefix="nn-glm-run-")))
        _scratch.append(_shared[0])
    node.workerinput[SHARED_DIR] = str(_shared[0])


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the controller, or a run without xdist
        for path in _scratch:
            shutil.rmtree(path, ignore_errors=True)


def _build_command(site_dir: Path, cache_dir: Path | None) -> tuple[list[str], dict[str, str]]:
    env = build_env()
    # The suite's builds have no repository configured (tests that need one set it themselves).
    env.pop("REPO_URL", None)
    if cache_dir is not None:
        env["SITE_CACHE_DIR"] = str(cache_dir)
    return [*MKDOCS, "build", "--strict", "--site-dir", str(site_dir)], env


def build_site(site_dir: Path, *, cache_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` into site_dir; fails the calling test with mkdocs' output on error."""
    command, env = _build_command(site_dir, cache_dir)
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"mkdocs build failed:\n{result.stderr[-4000:]}")
    return result


class BackgroundBuild:
    """A site build started as soon as the session knows it needs it (or as soon as the build it
    waits for has finished), in the folder `root`: it runs on a core of its own while the tests that
    need no site go on. Under pytest-xdist the workers of one run share each build: the worker that
    claims it first (`owner`) runs it and writes its exit status beside it; the others wait for that
    file."""

    def __init__(self, root: Path, cache_dir: Path | None, after: BackgroundBuild | None = None,
                 *, owner: bool = True) -> None:
        self.site, self.log, self.cache_dir = root / "site", root / "build.log", cache_dir
        self._status = root / "returncode"
        self.process: subprocess.Popen | None = None
        self._thread = threading.Thread(target=self._run if owner else self._await, args=(after,), daemon=True)
        self._thread.start()

    def _run(self, after: BackgroundBuild | None) -> None:
        returncode = -1
        try:
            if after is not None and after.wait() != 0:
                return
            command, env = _build_command(self.site, self.cache_dir)
            with self.log.open("w") as log:
                self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log)
                returncode = self.process.wait()
        finally:
            self._status.write_text(str(returncode))

    def _await(self, after: BackgroundBuild | None) -> None:
        _wait_for(self._status, f"the site build in {self.site.parent}")

    def wait(self) -> int:
        self._thread.join()
        return int(self._status.read_text()) if self._status.exists() else -1

    def result(self) -> tuple[Path, str]:
        returncode = self.wait()
        log = self.log.read_text() if self.log.exists() else ""
        if returncode != 0:
            pytest.fail(f"mkdocs build failed:\n{log[-4000:]}")
        return self.site, log

    def stop(self, *, finish: bool) -> None:
        """At the end of the session: wait for the build where other workers may still read it
        (`finish`), else stop it."""
        if finish:
            self._thread.join()
        elif self.process is not None and self.process.poll() is None:
            self.process.kill()


# How long a worker waits for what another worker of the run computes (a build from nothing under
# coverage takes about a minute on two cores).
SHARED_TIMEOUT_S = 1200


def _wait_for(path: Path, what: str) -> None:
    deadline = time.monotonic() + SHARED_TIMEOUT_S
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not finished after {SHARED_TIMEOUT_S} s")
        time.sleep(0.2)


def _outcome(compute: Callable[[], object]) -> tuple[str, object]:
    try:
        return "value", compute()
    except BaseException as error:  # noqa: BLE001 - handed to the test that asks for the result
        return "error", "".join(traceback.format_exception(error))


def _write_outcome(path: Path, outcome: tuple[str, object]) -> None:
    partial = path.with_suffix(".partial")
    partial.write_bytes(pickle.dumps(outcome))
    partial.replace(path)


def _read_outcome(path: Path) -> object:
    kind, value = pickle.loads(path.read_bytes())
    if kind == "error":
        pytest.fail(f"failed in the process of this run that computed it:\n{value}", pytrace=False)
    return value


class BackgroundTask:
    """`target(site)` run in a thread as soon as a background build has finished: the browser pass
    takes the core that build leaves free while pytest goes on with the tests that need no browser.
    Its outcome is pickled to `result_file`, which the other workers of an xdist run read."""

    def __init__(self, target: Callable[[Path], object], build: BackgroundBuild, result_file: Path,
                 *, owner: bool = True) -> None:
        self._file, self._target, self._build = result_file, target, build
        self._thread = threading.Thread(target=self._run if owner else self._await, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        # Under `make test`, coverage traces every thread; this one drives a browser and runs no code
        # of the repository, and tracing its event loop cost a fifth of the browser pass's CPU.
        sys.settrace(None)
        if self._build.wait() != 0:
            outcome: tuple[str, object] = ("failed build", None)  # the built_site fixture reports it
        else:
            outcome = _outcome(lambda: self._target(self._build.site))
        _write_outcome(self._file, outcome)

    def _await(self) -> None:
        _wait_for(self._file, "the browser pass")

    def result(self) -> object:
        self._thread.join()
        return _read_outcome(self._file)


def run_once(name: str, compute: Callable[[], object]) -> object:
    """compute() for a session fixture: under xdist in one worker of the run, whose outcome the
    other workers wait for and read (a build into a fixed folder must not run twice at once)."""
    if not _shared:
        return compute()
    path = _shared[0] / f"{name}.pickle"
    if claim(name):
        _write_outcome(path, _outcome(compute))
    else:
        _wait_for(path, name)
    return _read_outcome(path)


_background: dict[str, BackgroundBuild] = {}
_tasks: dict[str, BackgroundTask] = {}
_scratch: list[Path] = []
# The folder the workers of an xdist run share (their builds and the browser pass), made by the
# controller and handed to each worker in its workerinput; empty without xdist.
SHARED_DIR = "nn_glm_shared_dir"
_shared: list[Path] = []


def repository_cache() -> Path:
    return Path(os.environ.get("SITE_CACHE_DIR") or ROOT / ".build-cache")


def scratch_dir(name: str) -> Path:
    """A new folder for a background build, removed when the session ends. (The builds start when
    collection finishes, before any fixture can hand out pytest's tmp_path_factory.) Under xdist,
    the run's shared folder of that name, made by whichever worker gets there first."""
    if _shared:
        path = _shared[0] / name
        path.mkdir(exist_ok=True)
        return path
    path = Path(tempfile.mkdtemp(prefix=f"nn-glm-{name}-"))
    _scratch.append(path)
    return path


def claim(name: str) -> bool:
    """Whether this process runs `name` (without xdist always; under xdist the first worker to ask)."""
    if not _shared:
        return True
    try:
        (_shared[0] / f"{name}.owner").mkdir()
    except FileExistsError:
        return False
    return True


def start_site_builds(needed: set[str]) -> None:
    """fresh_site: from an empty cache. built_site: with the repository's cache, as `make build`
    would; where that cache is empty (a clean clone, as in CI), from fresh_site's cache once that
    build is done, rather than a second build from nothing (the byte-identity test then compares a
    build from nothing with one from the cache it left)."""
    fresh_root = scratch_dir("fresh")
    if "fresh_site" in needed or not (repository_cache() / "memo").is_dir():
        _background["fresh_site"] = BackgroundBuild(fresh_root, fresh_root / "cache", owner=claim("fresh_site"))
    if "built_site" in needed:
        after = _background.get("fresh_site") if not (repository_cache() / "memo").is_dir() else None
        cache = fresh_root / "cache" if after is not None else None
        _background["built_site"] = BackgroundBuild(scratch_dir("built"), cache, after, owner=claim("built_site"))


# Fixtures that build a site (or drive a browser over one): a test using any of them is a "site"
# test, and `pytest -m "not site"` runs the fast rest.
SITE_FIXTURES = {"built_site", "fresh_site", "site_cache", "site_server", "visits", "background_task", "project",
                 "cold_project", "project_template", "fresh_environment",
                 "zensical_site",
                 "browser", "browser_available"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if SITE_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.site)
    # The tests that read a built site after the rest, so that the builds run while the others do;
    # the browser tests last: their page visits run in the background from the moment the site is
    # built (BackgroundTask), and the interactive ones would compete with them for the cores.
    def order(item: pytest.Item) -> tuple[bool, bool]:
        reads_site = bool({"built_site", "fresh_site", "site_cache"} & set(getattr(item, "fixturenames", ())))
        return item.get_closest_marker("browser") is not None, reads_site

    items.sort(key=order)


def pytest_collection_finish(session: pytest.Session) -> None:
    needed = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    if not session.config.option.collectonly and needed & {"built_site", "fresh_site"}:
        start_site_builds(needed)
    if "visits" in needed and "built_site" in _background:
        from tests.helpers import CHROMIUM, visit_every_page

        if Path(CHROMIUM).exists():  # else the browser tests skip (or, under CI, fail) themselves
            _tasks["visits"] = BackgroundTask(visit_every_page, _background["built_site"],
                                              scratch_dir("visits") / "result.pickle", owner=claim("visits"))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Under xdist another worker may still read a build this one runs: let it finish, unless the
    # run was interrupted.
    finish = bool(_shared) and exitstatus != pytest.ExitCode.INTERRUPTED
    for build in _background.values():
        build.stop(finish=finish)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collects what tests hand on for the terminal summary (in the xdist controller too)."""
    for name, value in report.user_properties:
        if name == "page_sizes":
            _summary.setdefault("page_sizes", {}).update(value)


_summary: dict[str, dict] = {}


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


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """The bytes each page downloads on a phone's first view (gzip-compressed), from the browser tests."""
    sizes = _summary.get("page_sizes")
    if sizes:
        terminalreporter.section("page weight: what a first view downloads, gzip-compressed")
        for path, size in sorted(sizes.items(), key=lambda item: -item[1]):
            terminalreporter.write_line(f"{size / 1024:9.1f} KiB  {path}")


def make_project(copy: Path) -> Path:
    """A copy of the build's inputs cut down to the first page, in `copy`; building inside it imports
    the copy's snippets and hooks, so tests can break them without touching the repository."""
    shutil.copytree(ROOT / "hooks", copy / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "sitekit", copy / "sitekit", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "overrides", copy / "overrides")
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")  # the version of the snippets wheel
    shutil.copytree(ROOT / "docs" / "assets", copy / "docs" / "assets")
    shutil.copy(ROOT / "docs" / "glossary.yml", copy / "docs" / "glossary.yml")
    shutil.copy(ROOT / "docs" / "references.bib", copy / "docs" / "references.bib")
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


@pytest.fixture(scope="session")
def project_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The cut-down copy, built once per session (per xdist worker): its cache holds what its first
    build computed (the first page's figure, example and formulas, the theme's listing)."""
    from tests.helpers import mkdocs_build

    template = make_project(tmp_path_factory.mktemp("template") / "project")
    result = mkdocs_build(template)
    if result.returncode != 0:
        pytest.fail(f"the project copy does not build:\n{result.stderr[-3000:]}")
    shutil.rmtree(template / "site")
    return template


@pytest.fixture
def project(project_template: Path, tmp_path: Path) -> Path:
    """The cut-down copy with the cache its first build filled: a build in it computes only what
    the test changes (tests of what a build does from nothing take cold_project)."""
    return Path(shutil.copytree(project_template, tmp_path / "project"))


@pytest.fixture
def cold_project(tmp_path: Path) -> Path:
    """The cut-down copy with an empty cache, as a clean clone has it."""
    return make_project(tmp_path / "project")


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
