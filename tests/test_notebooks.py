"""The companion notebooks: one per chapter, code from snippets/ only, executed by this suite, and
executed at build time with outputs that are never stale."""

from __future__ import annotations

import ast
import html
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
import yaml

from sitekit import cache, wheel
from sitekit.notebooks import INSTALL_TAG, PINNED, WHEEL_DIR, NotebookError, execute, find_notebooks, wheel_url
from snippets.figures import registry
from tests.helpers import MKDOCS, build_env, edit, mkdocs_build
from tests.markdown_fences import ROOT

pytestmark = pytest.mark.slow

CHAPTERS = ("linear", "glm", "neuron", "stacking", "glm-again", "universal")
NOTEBOOKS = find_notebooks(ROOT / "docs")
ALLOWED_IMPORTS = ("numpy", "snippets")


def outputs(nb) -> list[list[dict]]:
    """Each cell's outputs, as plain data."""
    return [json.loads(json.dumps(cell.get("outputs", []))) for cell in nb.cells]


def notebook_cells(name: str):
    import jupytext

    return jupytext.read(ROOT / "docs" / "notebooks" / f"{name}.py").cells


def test_every_chapter_has_a_notebook_in_the_nav_and_no_notebook_is_orphaned() -> None:
    assert sorted(nb.name for nb in NOTEBOOKS) == sorted(CHAPTERS)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)
    section = next(item["Notebooks"] for item in config["nav"] if isinstance(item, dict) and "Notebooks" in item)
    assert sorted(next(iter(entry.values())) for entry in section) == sorted(f"notebooks/{c}.ipynb" for c in CHAPTERS)


@pytest.mark.parametrize("name", CHAPTERS)
def test_a_notebook_imports_its_code_from_snippets_and_defines_none(name: str) -> None:
    code = [cell.source for cell in notebook_cells(name) if cell.cell_type == "code"]
    tree = ast.parse("\n".join(line for src in code for line in src.splitlines() if not line.startswith("%")))
    definitions = [n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda))
                   and hasattr(n, "name")]
    assert not definitions, f"{name}: defines {definitions}; the code belongs in snippets/"
    imported = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    imported += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert any(m.startswith("snippets.") for m in imported), f"{name}: imports nothing from snippets"
    assert all(m.split(".")[0] in ALLOWED_IMPORTS for m in imported), f"{name}: imports {imported}"


def test_a_build_from_nothing_executes_every_notebook(fresh_site: tuple[Path, str]) -> None:
    _, log = fresh_site
    line = re.search(r"notebooks: executed (\d+) \(([^)]*)\), (\d+) from cache", log)
    assert line, log[-2000:]
    assert (int(line[1]), sorted(line[2].split(", ")), int(line[3])) == (len(CHAPTERS), sorted(CHAPTERS), 0)
    # ...and converts every one to HTML afresh: mkdocs-jupyter's page cache is in the same cache.
    converted = fresh_site[0].parent / "cache" / "mkdocs-jupyter"
    assert len(list(converted.glob("*.json"))) == len(CHAPTERS)
    # ...each with its digest, so that the next build publishes it only as written (hooks/jupyter.py).
    assert all(cache.is_valid(path) for path in converted.glob("*.json"))


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_notebook_executes_and_the_site_shows_exactly_its_outputs(
        name: str, fresh_site: tuple[Path, str], built_site: Path) -> None:
    # fresh_site executed every notebook in this session; built_site may have taken them from the
    # cache. The same outputs in both: what the site shows is what the code computes now.
    fresh = nbformat.read(fresh_site[0] / "notebooks" / name / f"{name}.ipynb", as_version=4)
    code_cells = [c for c in fresh.cells if c.cell_type == "code" and INSTALL_TAG not in c.metadata.get("tags", [])]
    assert sum(bool(c.outputs) for c in code_cells) >= 3, f"{name}: fewer than three cells show anything"
    assert not [o for c in code_cells for o in c.outputs if o.output_type == "error"]
    assert [c.source for c in code_cells] == [c.source for c in notebook_cells(name) if c.cell_type == "code"]
    published = nbformat.read(built_site / "notebooks" / name / f"{name}.ipynb", as_version=4)
    assert outputs(published) == outputs(fresh), f"{name}: the site's outputs differ from a fresh run"


@pytest.mark.parametrize("name", CHAPTERS)
def test_a_notebook_page_links_its_chapter_and_download_and_the_chapter_links_back(
        name: str, built_site: Path) -> None:
    page = (built_site / "notebooks" / name / "index.html").read_text()
    assert f'href="../../{name}/"' in page
    assert f'href="{name}.ipynb" download' in page
    assert (built_site / "notebooks" / name / f"{name}.ipynb").is_file()
    chapter = (built_site / name / "index.html").read_text()
    assert f'href="../notebooks/{name}/"' in chapter
    assert f'href="../notebooks/{name}/{name}.ipynb" download' in chapter


@pytest.mark.parametrize("name", CHAPTERS)
def test_a_notebook_page_loads_nothing_of_its_own_and_its_math_is_typeset(name: str, built_site: Path) -> None:
    page = (built_site / "notebooks" / name / "index.html").read_text()
    article = page[page.index("<article"):page.index("</article>")]
    assert not re.search(r"<style|<script|mathjax|cdnjs|jsdelivr|unpkg", article, re.I)
    if "$" in "".join(c.source for c in notebook_cells(name) if c.cell_type == "markdown"):
        assert "<math" in article
    text = re.sub(r"<pre.*?</pre>|<code.*?</code>|<annotation.*?</annotation>", "", article, flags=re.S)
    assert not re.search(r"\$[^$<]+\$", text), f"{name}: raw $...$ math left on the page"


def test_notebook_figures_are_the_sites_figures_with_their_alt_text(built_site: Path) -> None:
    # Each figure a cell shows is the registered figure's SVG pair, as in the chapter (the PNG the
    # kernel returned stays in the downloadable notebook only).
    specs = registry()
    shown = 0
    for name in CHAPTERS:
        page = (built_site / "notebooks" / name / "index.html").read_text()
        assert "data:image/png" not in page, name
        for alt, src in re.findall(r'<img alt="([^"]*)" loading="lazy" src="\.\./\.\./figures/([^"#]+)#only-', page):
            figure = specs[src.removesuffix(".svg").removesuffix("-dark")]
            assert html.unescape(alt) == figure.alt_text(), (name, src)
            assert (built_site / "figures" / src).is_file(), src
            shown += 1
    assert shown >= 2 * len(CHAPTERS)  # light and dark


# --- the build's notebook cache -----------------------------------------------------------------

NOTEBOOK = '''\
# %% [markdown]
# # Notebook: overview
#
# The linear predictor $\\eta = x^\\top\\beta$ for one observation.

# %%
import numpy as np
from snippets.overview import linear_predictor

print("eta =", linear_predictor(np.array([1.0, 2.0]), np.array([0.5, 0.25])))
'''


def with_notebook(project: Path, source: str = NOTEBOOK) -> Path:  # noqa: F811
    (project / "docs" / "notebooks").mkdir(exist_ok=True)
    notebook = project / "docs" / "notebooks" / "index.py"
    notebook.write_text(source)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "nav:\n  - Overview: index.md\n", "nav:\n  - Overview: index.md\n  - Notebook: notebooks/index.ipynb\n"))
    return notebook


def executed_line(log: str) -> str:
    found = re.findall(r"notebooks: executed (\d+ \([^)]*\)), \d+ from cache", log)
    assert found, f"no notebooks line in the build log:\n{log[-2000:]}"
    return found[-1]


# What mkdocs-jupyter's template writes, in small: each part cleaned_page changes, and parts it keeps.
JUPYTER_PAGE = (
    '<style type="text/css">.jp-Cell { color: red; }</style><script src="https://cdn.example/x.js"></script>'
    '<!-- a comment -->'
    '<div class="jp-RenderedMarkdown"><h2 id="Fit">Fit<a class="anchor-link" href="#Fit">¶</a></h2>'
    '<p>The link $g(\\mu) = \\eta$ and $$\\beta &lt; 1$$, not <code>$HOME</code>, costs 5$ and 4$.</p></div>'
    '<div class="highlight-ipynb hl-python"><pre><span></span>'
    '<span class="n">fit</span>(<span class="n">X</span>)</pre></div>'
    '<div class="zeroclipboard-container"><clipboard-copy for="c1">copy</clipboard-copy></div>'
    '<div class="clipboard-copy-txt" id="c1">fit(X)</div>'
    '<div class="jp-OutputArea-output jp-RenderedText"><pre>beta = [0.5 1.5]</pre></div>'
    '<div class="jp-RenderedImage jp-OutputArea-output"><img alt="No description has been provided for this image" '
    'class="" src="data:image/png;base64,iVBORw0KGgo="/></div>'
)


def test_a_notebook_page_is_cleaned_to_the_sites_markup(tmp_path: Path) -> None:
    from sitekit.figures import figure_links
    from sitekit.notebooks import cleaned_page

    executed = tmp_path / "glm.ipynb"
    shown = {"data": {"image/png": "iVBORw0KGgo="}, "metadata": {"image/png": {"alt": "IRLS's error", "figure": "f"}}}
    executed.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": [shown]}]}))
    page = cleaned_page(JUPYTER_PAGE, executed, "glm", "notebooks/glm/")
    assert "<style" not in page and "<script" not in page and "<!--" not in page and "clipboard" not in page
    assert ('<div class="language-python highlight"><pre><span></span><code><span class="n">fit</span>'
            '(<span class="n">X</span>)</code></pre></div>') in page
    assert '<pre tabindex="0">beta = [0.5 1.5]</pre>' in page
    assert '<a class="headerlink" href="#Fit" title="Permanent link">¶</a>' in page
    assert ('<p>The link <span class="arithmatex">\\(g(\\mu) = \\eta\\)</span> and '
            '<div class="arithmatex">\\[\\beta &lt; 1\\]</div>, not <code>$HOME</code>, '
            'costs 5$ and 4$.</p>') in page
    assert "".join(figure_links("f", "IRLS's error", "notebooks/glm/")) in page and "data:image/png" not in page


def test_a_cleaned_notebook_page_is_kept_until_the_page_or_the_notebook_changes(tmp_path: Path, monkeypatch) -> None:
    from sitekit import notebooks

    executed = tmp_path / "glm.ipynb"
    executed.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": []}]}))
    page = JUPYTER_PAGE.replace('<div class="jp-RenderedImage', '<div hidden class="jp-RenderedImage').replace(
        "No description", "A description")
    first = notebooks.cleaned_page(page, executed, "glm", "notebooks/glm/", tmp_path / "cache")
    cleanings = []
    real = notebooks._cleaned
    monkeypatch.setattr(notebooks, "_cleaned", lambda *args: cleanings.append(args) or real(*args))
    assert notebooks.cleaned_page(page, executed, "glm", "notebooks/glm/", tmp_path / "cache") == first
    assert cleanings == []
    notebooks.cleaned_page(page + "<p>more</p>", executed, "glm", "notebooks/glm/", tmp_path / "cache")
    executed.write_text(json.dumps({"cells": []}))
    notebooks.cleaned_page(page, executed, "glm", "notebooks/glm/", tmp_path / "cache")
    assert len(cleanings) == 2


def test_a_notebook_page_whose_figures_do_not_match_the_notebook_fails(tmp_path: Path) -> None:
    from sitekit.notebooks import cleaned_page

    executed = tmp_path / "glm.ipynb"
    executed.write_text(json.dumps({"cells": [{"cell_type": "code", "outputs": []}]}))
    with pytest.raises(NotebookError, match="notebook glm: 0 figures in the notebook, 1 on the page"):
        cleaned_page(JUPYTER_PAGE, executed, "glm", "notebooks/glm/")


def test_notebooks_execute_once_and_again_only_when_what_they_import_changes(project: Path) -> None:  # noqa: F811
    with_notebook(project)
    first = mkdocs_build(project)
    assert first.returncode == 0, first.stderr[-3000:]
    assert executed_line(first.stderr) == "1 (index)"
    page = (project / "site" / "notebooks" / "index.html").read_text()
    assert "eta = 1.0" in page and "<math" in page
    assert executed_line(mkdocs_build(project).stderr) == "0 (none)"

    # A module the notebook does not reach: nothing to execute.
    (project / "snippets" / "unrelated.py").write_text("CONSTANT = 1\n")
    assert executed_line(mkdocs_build(project).stderr) == "0 (none)"

    # A function in the same module that the notebook's code does not reach: nothing either.
    edit(project / "snippets" / "overview.py", "return float(v[0] @ np.tanh(W @ x + b) + c[0])",
         "return float(v[0] @ np.tanh(W @ x + b) + 2 * c[0] - c[0])")
    assert executed_line(mkdocs_build(project).stderr) == "0 (none)"

    # The module it imports changes: it runs again, and the page shows the new output.
    edit(project / "snippets" / "overview.py", "return float(x @ beta)", "return float(x @ beta) + 1")
    rebuilt = mkdocs_build(project)
    assert executed_line(rebuilt.stderr) == "1 (index)"
    assert "eta = 2.0" in (project / "site" / "notebooks" / "index.html").read_text()


def test_a_cell_that_raises_fails_the_build_naming_the_notebook_and_cell(project: Path) -> None:  # noqa: F811
    with_notebook(project, NOTEBOOK + '\n# %%\nraise ValueError("broken on purpose")\n')
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "notebook index.py: cell 3, line 12 raised ValueError: broken on purpose" in result.stderr


def test_execute_names_the_cell_that_raised(tmp_path: Path) -> None:
    from sitekit.notebooks import Notebook

    source = tmp_path / "broken.py"
    source.write_text("# %%\nx = 1\n\n# %%\n1 / 0\n")
    with pytest.raises(NotebookError, match=r"broken\.py: cell 2, line 4 raised ZeroDivisionError"):
        execute(Notebook("broken", source), tmp_path)


def test_printed_text_is_one_output_however_the_kernel_split_it(tmp_path: Path) -> None:
    # A flush and a pause make the kernel send the two lines as two messages; the executed
    # notebook must not depend on that timing, or two builds would differ.
    from sitekit.notebooks import Notebook

    source = tmp_path / "prints.py"
    source.write_text('# %%\nimport sys, time\nprint("first", flush=True)\ntime.sleep(0.3)\nprint("second")\n'
                      'print("warning", file=sys.stderr)\n')
    outputs = execute(Notebook("prints", source), tmp_path).cells[0].outputs
    assert [(o.name, o.text) for o in outputs] == [("stdout", "first\nsecond\n"), ("stderr", "warning\n")]


def flaky_kernel_start(monkeypatch: pytest.MonkeyPatch, failures: int) -> list[int]:
    """Make the first `failures` kernel starts die the way a kernel that crashes on start does."""
    from contextlib import asynccontextmanager

    from nbclient import NotebookClient

    original = NotebookClient.async_setup_kernel
    starts: list[int] = []

    @asynccontextmanager
    async def setup_kernel(self, **kwargs):
        starts.append(1)
        if len(starts) <= failures:
            raise RuntimeError("Kernel died before replying to kernel_info")
        async with original(self, **kwargs):
            yield

    monkeypatch.setattr(NotebookClient, "async_setup_kernel", setup_kernel)
    return starts


def test_a_kernel_that_dies_while_starting_is_started_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitekit.notebooks import Notebook

    starts = flaky_kernel_start(monkeypatch, failures=1)
    source = tmp_path / "answer.py"
    source.write_text("# %%\nprint(6 * 7)\n")
    nb = execute(Notebook("answer", source), tmp_path)
    assert len(starts) == 2
    assert nb.cells[0].outputs[0].text == "42\n"


def test_a_kernel_that_never_starts_fails_with_the_notebook_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitekit.notebooks import KERNEL_START_ATTEMPTS, Notebook

    starts = flaky_kernel_start(monkeypatch, failures=KERNEL_START_ATTEMPTS)
    source = tmp_path / "never.py"
    source.write_text("# %%\nprint(1)\n")
    with pytest.raises(NotebookError, match=r"never\.py: the kernel did not start"):
        execute(Notebook("never", source), tmp_path)
    assert len(starts) == KERNEL_START_ATTEMPTS


# --- a downloaded notebook runs where it is downloaded -----------------------------------------

def install_arguments(nb) -> list[str]:
    """The arguments of the `%pip install` line of the notebook's install cell (its first code cell)."""
    import shlex

    first = next(c for c in nb.cells if c.cell_type == "code")
    assert INSTALL_TAG in first.metadata.get("tags", []), "the first code cell is not the install cell"
    lines = [line for line in first.source.splitlines() if line.startswith("%pip install ")]
    assert len(lines) == 1, first.source
    return shlex.split(lines[0].removeprefix("%pip install "))


def uv() -> str:
    found = shutil.which("uv") or str(ROOT / ".build-cache" / "uv-boot" / "bin" / "uv")
    assert Path(found).exists(), "uv is needed to make fresh environments (make installs it)"
    return found


def test_the_snippets_wheel_holds_the_package_and_nothing_else(built_site: Path) -> None:
    version = wheel.project_metadata(ROOT)["version"]
    path = built_site / WHEEL_DIR / wheel.wheel_name(version)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        metadata = archive.read(f"nn_glm_snippets-{version}.dist-info/METADATA").decode()
    assert sorted(n for n in names if not n.startswith("nn_glm_snippets-")) == sorted(
        p.relative_to(ROOT).as_posix() for p in (ROOT / "snippets").glob("*.py"))
    assert {n.split("/")[0] for n in names} == {"snippets", f"nn_glm_snippets-{version}.dist-info"}
    assert "Name: nn-glm-snippets" in metadata and f"Version: {version}" in metadata
    assert path.read_bytes() == wheel.wheel_bytes(ROOT)  # the same bytes from the same sources


@pytest.fixture(scope="session")
def fresh_environment(tmp_path_factory: pytest.TempPathFactory) -> Callable[[tuple[str, ...]], Path]:
    """fresh_environment(arguments): the Python of a new virtual environment holding exactly what
    `pip install arguments` installs, plus the kernel a reader's Jupyter brings. Notebooks with the
    same install line share one (running a notebook installs nothing); its installs are made once."""
    made: dict[tuple[str, ...], Path] = {}

    def environment(arguments: tuple[str, ...]) -> Path:
        if arguments not in made:
            venv = tmp_path_factory.mktemp("venv")
            env = dict(os.environ, UV_PYTHON_DOWNLOADS="never", VIRTUAL_ENV=str(venv))
            subprocess.run([uv(), "venv", "--quiet", "--allow-existing", "--python", sys.executable, str(venv)],
                           check=True, env=env)
            python = venv / "bin" / "python"
            subprocess.run([uv(), "pip", "install", "--quiet", "--python", str(python), *arguments],
                           check=True, env=env)
            # Jupyter's part, which the reader has: a kernel in that environment.
            subprocess.run([uv(), "pip", "install", "--quiet", "--python", str(python),
                            f"ipykernel=={cache.version('ipykernel')}"], check=True, env=env)
            made[arguments] = python
        return made[arguments]

    return environment


@pytest.mark.parametrize("name", CHAPTERS)
def test_a_downloaded_notebook_runs_in_a_fresh_environment_with_what_it_installs(
        name: str, built_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        fresh_environment: Callable[[tuple[str, ...]], Path]) -> None:
    import asyncio

    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    downloaded = nbformat.read(built_site / "notebooks" / name / f"{name}.ipynb", as_version=4)
    arguments = install_arguments(downloaded)
    version = wheel.project_metadata(ROOT)["version"]
    canonical = wheel_url("https://nn-glm.github.io/", version)
    assert any(a.endswith(f" @ {canonical}") for a in arguments), arguments
    pins = {a.split("==")[0]: a.split("==")[1] for a in arguments if "==" in a}
    assert pins == {library: cache.version(library) for library in PINNED}
    # The same install, with the wheel from the built site's folder instead of the canonical URL.
    local = built_site / WHEEL_DIR / wheel.wheel_name(version)
    arguments = [a.replace(canonical, local.as_uri()) for a in arguments]
    python = fresh_environment(tuple(arguments))
    kernels = tmp_path / "kernels" / "fresh"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "fresh", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))  # where jupyter_client finds the kernel "fresh"
    run = nbformat.from_dict(json.loads(json.dumps(downloaded)))
    run.cells = [c for c in run.cells if INSTALL_TAG not in c.metadata.get("tags", [])]
    # Run outside the repository, so that nothing can be imported from it.
    client = NotebookClient(run, kernel_name="fresh", timeout=600, allow_errors=False, record_timing=False,
                            resources={"metadata": {"path": str(tmp_path)}}, extra_arguments=["--log-level=ERROR"])

    async def run_cells() -> None:
        async with client.async_setup_kernel():
            for index, cell in enumerate(run.cells):
                await client.async_execute_cell(cell, index)

    try:
        asyncio.run(run_cells())
    except CellExecutionError as error:
        if error.ename == "ModuleNotFoundError":
            pytest.fail(f"{name}.ipynb imports {error.evalue.split()[-1]}, which its install cell "
                        f"({' '.join(arguments)}) does not provide")
        raise
    expected = [c for c in downloaded.cells if INSTALL_TAG not in c.metadata.get("tags", [])]
    for ran, shown in zip(run.cells, expected, strict=True):
        if ran.cell_type == "code":
            got, want = comparable_outputs(ran), comparable_outputs(shown)
            assert got == want, f"{name}: {ran.source[:80]!r}: {describe_difference(got, want)}"


def comparable_outputs(cell) -> list[dict]:
    """A cell's outputs as the comparison sees them: stream text joined as the build joins it, and
    without the figures' alt text and name, which the build adds to what a kernel returns."""
    from sitekit.notebooks import coalesce_streams

    found = json.loads(json.dumps(coalesce_streams(cell.get("outputs", []))))
    for output in found:
        output.get("metadata", {}).get("image/png", {}).pop("alt", None)
        output.get("metadata", {}).get("image/png", {}).pop("figure", None)
        if output.get("metadata", {}).get("image/png") == {}:
            del output["metadata"]["image/png"]
    return found


def describe_difference(got: list[dict], want: list[dict]) -> str:
    """Where two cells' outputs differ, short enough to read (images by size, not by content)."""
    def short(outputs: list[dict]) -> list:
        return [{k: ({m: (len(v) if m.startswith("image/") else v) for m, v in o[k].items()} if k == "data" else o[k])
                 for k in o} for o in outputs]
    return f"ran {short(got)} but the site shows {short(want)}"


def test_the_notebook_source_link_appears_only_with_a_repository(built_site: Path, tmp_path: Path) -> None:
    from sitekit.notebooks import chapter_banner, source_url

    assert source_url(None, ROOT, "glm") is None
    assert source_url("https://github.com/o/r", tmp_path, "glm") is None  # not a git checkout: no commit
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    if commit:
        assert source_url("https://github.com/o/r/", ROOT, "glm") == f"https://github.com/o/r/blob/{commit}/docs/notebooks/glm.py"
    banner = chapter_banner("../../glm/", "GLMs", "glm.ipynb", "https://github.com/o/r/blob/abc/docs/notebooks/glm.py")
    assert 'href="https://github.com/o/r/blob/abc/docs/notebooks/glm.py"' in banner
    assert "run its first cell" in banner
    # The suite builds without REPO_URL: no repository links at all, so none can be dead.
    page = (built_site / "notebooks" / "glm" / "index.html").read_text()
    assert "/blob/" not in page and "in the repository" not in page
    assert "run its first cell, which installs everything it needs" in page


def test_the_repository_keeps_each_notebook_as_the_site_publishes_it_for_colab_and_binder(built_site: Path) -> None:
    from sitekit.launch import BINDER_DIR, REPOSITORY_DIR, repository_files

    want = repository_files(built_site, wheel.project_metadata(ROOT)["requires_python"])
    have = {p.relative_to(ROOT).as_posix(): p.read_text()
            for p in [*(ROOT / REPOSITORY_DIR).glob("*.ipynb"), *(ROOT / BINDER_DIR).glob("*.txt")]}
    assert sorted(have) == sorted(want), "run `make notebooks` and commit notebooks/ and binder/"
    stale = [path for path in want if have[path] != want[path]]
    assert not stale, f"{stale} differ from what the site publishes: run `make notebooks` and commit them"


def test_colab_and_binder_links_appear_exactly_for_the_notebooks_the_commit_holds(
        built_site: Path, site_cache: Path, tmp_path: Path) -> None:
    from sitekit.launch import committed_text, without_outputs

    site = tmp_path / "site"
    result = subprocess.run([*MKDOCS, "build", "--strict", "--site-dir", str(site)], cwd=ROOT,
                            env=build_env(SITE_CACHE_DIR=str(site_cache), REPO_URL="https://github.com/o/r"),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    for name in CHAPTERS:
        published = (site / "notebooks" / name / f"{name}.ipynb").read_text()
        held = committed_text(ROOT, commit, f"notebooks/{name}.ipynb") == without_outputs(published)
        colab = f'href="https://colab.research.google.com/github/o/r/blob/{commit}/notebooks/{name}.ipynb"'
        binder = f'href="https://mybinder.org/v2/gh/o/r/{commit}?labpath=notebooks%2F{name}.ipynb"'
        for page in (site / name / "index.html", site / "notebooks" / name / "index.html"):
            text = page.read_text()
            assert (colab in text and binder in text) == held, (page, held)
        if not held:
            assert f"no Colab or Binder link for {name}" in result.stderr


def test_make_notebooks_writes_the_repository_copies_and_drops_stale_ones(built_site: Path, tmp_path: Path) -> None:
    from sitekit.launch import REPOSITORY_DIR, main

    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    stale = tmp_path / REPOSITORY_DIR / "gone.ipynb"
    stale.parent.mkdir()
    stale.write_text("{}")
    assert main([str(built_site), str(tmp_path)]) == 0
    assert not stale.exists()
    for path in [*(ROOT / REPOSITORY_DIR).glob("*.ipynb"), *(ROOT / "binder").glob("*.txt")]:
        assert (tmp_path / path.relative_to(ROOT)).read_text() == path.read_text()
    assert main([str(built_site)]) == 2  # usage
