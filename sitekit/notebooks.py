"""Companion notebooks: execute docs/notebooks/*.py (jupytext percent format), publish them, and
shape the pages mkdocs-jupyter renders from them.

Each notebook is executed into an .ipynb with outputs, which mkdocs-jupyter then renders (with its
own execution off) and offers for download. An executed notebook is cached under a key made of its
text, the fingerprints of the snippets objects it imports (the code each of them reaches, as for
figures and executed examples), the source of this module and the versions of the libraries it
computes with. So an edit to snippets/ re-executes exactly the notebooks that reach the edited
code, and a warm rebuild executes nothing (and, while snippets/ is unchanged, imports nothing: the
keys come from sitekit/memo.py).

What readers download is the executed notebook with one cell in front, not executed at build
time: it installs exactly what the notebook needs, pinned to the versions the site was built with,
including the site's own `snippets` package as a wheel that the build writes to
packages/nn_glm_snippets-VERSION-py3-none-any.whl (sitekit/wheel.py) and the site serves.

mkdocs-jupyter's page template inlines 575 kB of JupyterLab CSS, a MathJax loader and a mermaid
import from a CDN on every notebook page; `cleaned_page` removes them (a few rules in
assets/site.css style the cells instead), reading the page with an HTML parser, and hands the
notebook's `$...$` math to the site's typesetting (hooks/math.py). hooks/notebooks.py is the
MkDocs adapter of all this.
"""

from __future__ import annotations

import ast
import asyncio
import html
import json
import logging
import os
import re
import shlex
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sitekit import cache, launch, memo, wheel
from sitekit.build import current
from sitekit.errors import BuildFault
from sitekit.examples import cache_key
from sitekit.figures import figure_links

log = logging.getLogger("mkdocs.sitekit.notebooks")

NOTEBOOK_DIR = "notebooks"
CELL_TIMEOUT = 600  # seconds; a cell that runs longer than this is a bug, not a slow machine
KERNEL_START_ATTEMPTS = 2


class NotebookError(BuildFault):
    """A notebook cell raised: the message names the notebook, the cell and the error."""


@dataclass(frozen=True)
class Notebook:
    """A companion notebook: `source` is docs/notebooks/NAME.py; it belongs to the chapter NAME.md."""

    name: str
    source: Path

    @property
    def ipynb_uri(self) -> str:
        return ipynb_uri(self.name)


def ipynb_uri(name: str) -> str:
    """Where the executed notebook NAME sits in the site's files: notebooks/NAME.ipynb."""
    return f"{NOTEBOOK_DIR}/{name}.ipynb"


def find_notebooks(docs_dir: Path) -> list[Notebook]:
    return [Notebook(p.stem, p) for p in sorted((docs_dir / NOTEBOOK_DIR).glob("*.py"))]


def execution_key(notebook: Notebook) -> str:
    """What an executed notebook depends on: its text; the fingerprint of every snippets object it
    imports (the code each reaches, as for figures and executed examples); the alt text of the
    figures it draws; and the versions of Python and the libraries it runs with."""
    from sitekit.examples import imported_snippets
    from snippets.figures import registry

    text = notebook.source.read_text()
    drawn = {name for name, _ in imported_snippets(text)}
    alt_texts = [spec.alt_text() for spec in registry().values()
                 if f"{spec.draw.__module__}.{spec.draw.__name__}" in drawn]
    # The percent-format file is Python as it stands (jupytext keeps magics as comments), so the
    # examples' key, over the code and the fingerprints of what it imports, applies unchanged.
    # This module executes the notebook and shapes its outputs: its source is part of the key.
    return cache.key(f"python={sys.version_info[:3]}", cache.source_digest(sys.modules[__name__]), cache_key(text),
                     *alt_texts)


def cached_execution_key(notebook: Notebook) -> str:
    """execution_key, from the memo while snippets/ is unchanged: a warm build imports nothing."""
    text_key = cache.digest(notebook.source.read_bytes())[:cache.KEY_LENGTH]
    return memo.through("notebooks", text_key, lambda: execution_key(notebook))


def cell_lines(source: Path) -> list[int]:
    """1-based line of each `# %%` cell marker: where cell i of the notebook starts in the file."""
    return [i for i, line in enumerate(source.read_text().splitlines(), 1) if line.startswith("# %%")]


def execute(notebook: Notebook, cwd: Path):
    """Run every cell of `notebook` in a fresh kernel; return the executed nbformat notebook.

    Raises NotebookError naming the notebook file, the cell (number and line) and the exception.
    """
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = jupytext.read(notebook.source)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    lines = cell_lines(notebook.source)

    async def run_cells() -> None:
        client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", allow_errors=False,
                                record_timing=False, resources={"metadata": {"path": str(cwd)}},
                                extra_arguments=["--log-level=ERROR"])  # not the kernel's TCP notice
        async with client.async_setup_kernel():
            for index, cell in enumerate(nb.cells):
                try:
                    await client.async_execute_cell(cell, index)
                except CellExecutionError as error:
                    line = f", line {lines[index]}" if index < len(lines) else ""
                    raise NotebookError(
                        f"notebook {notebook.source.name}: cell {index + 1}{line} raised "
                        f"{error.ename}: {error.evalue}") from None

    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            # Our own event loop, closed afterwards: nbclient's synchronous wrappers leave one open
            # per thread.
            asyncio.run(run_cells())
            break
        except RuntimeError as error:
            # A kernel that dies before it answers has run no cell, so starting another is safe.
            # (Seen once: the first kernel start in a new environment, on a loaded machine.)
            if "before replying to kernel_info" not in str(error):
                raise
            if attempt == KERNEL_START_ATTEMPTS:
                raise NotebookError(f"notebook {notebook.source.name}: the kernel did not start: {error}") from error
            log.info("notebook %s: the kernel died while starting; starting another", notebook.source.name)
    _make_reproducible(nb, notebook.name)
    _describe_figures(nb, notebook)
    return nb


def _make_reproducible(nb, name: str) -> None:
    """Drop what differs between two runs of the same code: cell ids, execution metadata, object
    ids, and how the kernel happened to split a cell's printed text into messages."""
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"{name}-{index + 1}"
        cell.metadata.pop("execution", None)
        if "outputs" in cell:
            cell["outputs"] = coalesce_streams(cell["outputs"])
        for output in cell.get("outputs", []):
            output.get("metadata", {}).pop("execution", None)
            text = output.get("data", {}).get("text/plain")
            if isinstance(text, str):
                output["data"]["text/plain"] = re.sub(r" at 0x[0-9a-f]+>", ">", text)
    nb.metadata.pop("widgets", None)


def coalesce_streams(outputs: list) -> list:
    """Join consecutive stream outputs of the same stream (two prints may arrive as one message
    or as two, depending on timing) into one output with their text in order."""
    joined: list = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (output.get("output_type") == "stream" and previous is not None
                and previous.get("output_type") == "stream" and previous.get("name") == output.get("name")):
            previous["text"] = "".join(previous["text"]) + "".join(output["text"])
        else:
            joined.append(output)
    return joined


def _describe_figures(nb, notebook: Notebook) -> None:
    """Give every figure a cell shows the alt text of the registered figure the cell draws.

    A cell that shows an image must call exactly one registered drawing function (`draw_...`),
    so that the notebook page carries the same description as the chapter's figure.
    """
    from snippets.figures import registry

    spec_by_function = {spec.draw.__name__: spec for spec in registry().values()}
    for index, cell in enumerate(nb.cells):
        images = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if not images:
            continue
        called = sorted({n.func.id for n in ast.walk(ast.parse(cell.source))
                         if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in spec_by_function})
        if len(called) != 1 or len(images) != 1:
            raise NotebookError(
                f"notebook {notebook.source.name}: cell {index + 1} shows {len(images)} image(s) and calls "
                f"{called or 'no'} registered drawing function(s); show one registered figure per cell, "
                "so that it has the figure's alt text")
        spec = spec_by_function[called[0]]
        images[0].setdefault("metadata", {}).setdefault("image/png", {}).update(alt=spec.alt_text(), figure=spec.name)


def executed_notebooks(root: Path, directory: Path, notebooks: list[Notebook]) -> tuple[dict[str, Path], list[str]]:
    """Path of each executed .ipynb (KEY/notebooks/NAME.ipynb in the cache folder `directory`),
    from the cache where its key matches; and the names of the notebooks executed now (in the
    project folder `root`, where they import snippets from)."""
    keys = {nb.name: cached_execution_key(nb) for nb in notebooks}
    paths = {nb.name: directory / keys[nb.name] / nb.ipynb_uri for nb in notebooks}
    missing = [nb for nb in notebooks if not cache.is_valid(paths[nb.name])]

    def run(nb: Notebook) -> None:
        import nbformat

        executed = execute(nb, root)
        for stale in directory.glob(f"*/{nb.ipynb_uri}"):
            shutil.rmtree(stale.parents[1])
        cache.write_text(paths[nb.name], nbformat.writes(executed) + "\n")

    # Each notebook runs in its own kernel process; threads only wait on them.
    with ThreadPoolExecutor(max(1, min(len(missing), os.cpu_count() or 1))) as pool:
        for future in [pool.submit(run, nb) for nb in missing]:
            future.result()
    return paths, [nb.name for nb in missing]


INSTALL_TAG = "install"  # the metadata tag of the install cell
PINNED = ("numpy", "matplotlib", "statsmodels")  # what the snippets package computes and draws with


WHEEL_DIR = "packages"


def wheel_url(site_url: str, version: str) -> str:
    """Where the site serves the snippets wheel: SITE_URL/packages/nn_glm_snippets-VERSION-...whl."""
    return f"{site_url.rstrip('/')}/{WHEEL_DIR}/{wheel.wheel_name(version)}"


def install_cell_source(site_url: str, version: str) -> str:
    """The install cell: the snippets wheel from the site, and the libraries pinned as built."""
    pins = " ".join(f"{name}=={cache.version(name)}" for name in PINNED)
    # Quoted for a shell: IPython hands the line of %pip to one (hooks/setup.py checks the URL too).
    return ("# Run this cell first, once, in a fresh environment with Jupyter: it installs what this notebook\n"
            "# needs, in the versions this site was built with, including the site's own `snippets` package.\n"
            f"%pip install {shlex.quote(f'{wheel.DISTRIBUTION} @ {wheel_url(site_url, version)}')} {pins}")


def published_notebook(executed: Path, install_source: str, directory: Path, name: str) -> Path:
    """The executed notebook with the install cell as its first code cell, after the title (no
    outputs: it is not run at build time), kept under a digest of both so that a warm build writes
    nothing. Entries are grouped by install cell (by SITE_URL): a build for another address, which
    may run at the same time with the same cache, supersedes nothing of this one's."""
    digest = cache.key(executed.read_bytes(), install_source)
    directory = directory / cache.key(install_source)
    target = directory / digest / ipynb_uri(name)
    if not cache.is_valid(target):
        nb = json.loads(executed.read_text())
        cell = {"cell_type": "code", "execution_count": None, "id": f"{name}-install",
                "metadata": {"tags": [INSTALL_TAG]}, "outputs": [], "source": install_source}
        first_code = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code")
        nb["cells"].insert(first_code, cell)
        for stale in directory.glob(f"*/{ipynb_uri(name)}"):
            shutil.rmtree(stale.parents[1])
        cache.write_text(target, json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    return target


# --- the notebook page: mkdocs-jupyter's HTML as the site's --------------------------------------

# nbconvert's lab template writes this in place of the alt text of every image it inlines.
NBCONVERT_ALT = "No description has been provided for this image"
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\d)")
TEX_DELIMITERS = {True: ("div", "\\[", "\\]"), False: ("span", "\\(", "\\)")}  # display: tag, open, close


def cleaned_page(fragment: str, executed: Path, name: str, page_url: str, folder: Path | None = None) -> str:
    """The HTML that mkdocs-jupyter rendered from notebook NAME (the .ipynb at `executed`), as the
    site shows it: without the template's styles, scripts and comments and nbconvert's copy
    buttons; code cells as Material's code blocks (its highlighting in both palettes, its copy
    button) and heading anchors as its permalinks; an output that scrolls sideways reachable by
    keyboard; the Markdown cells' math in the markup hooks/math.py typesets; and each figure as the
    chapter shows it (with_site_figures). `page_url` is the notebook page's URL.

    Kept in the cache `folder` under all of that and the code that does it (parsing the six pages,
    each with its 575 kB of styles, cost a warm build 0.3 s)."""
    from sitekit import figures

    notebook = executed.read_bytes()
    key = cache.key(cache.source_digest(sys.modules[__name__], figures), fragment, notebook, page_url)
    page, _ = cache.through(folder, name, key, "html",
                            lambda: _cleaned(fragment, json.loads(notebook), name, page_url), "text")
    return page


def _cleaned(fragment: str, nb: dict, name: str, page_url: str) -> str:
    from bs4 import BeautifulSoup, Comment
    from bs4.dammit import EntitySubstitution
    from bs4.formatter import HTMLFormatter

    soup = BeautifulSoup(fragment, "html.parser")
    for unwanted in soup.find_all(["style", "script"]):
        unwanted.decompose()
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    for copy in soup.select("div.zeroclipboard-container, div.clipboard-copy-txt"):
        copy.decompose()
    for cell in soup.select("div.highlight-ipynb"):
        language = next(c.removeprefix("hl-") for c in cell["class"] if c.startswith("hl-"))
        cell["class"] = [f"language-{language}", "highlight"]
        pre = cell.pre
        code = soup.new_tag("code")
        for child in list(pre.contents)[1:]:  # after the empty <span> that Pygments writes first
            code.append(child.extract())
        pre.append(code)
    for output in soup.select("div.jp-OutputArea-output > pre"):
        output["tabindex"] = "0"  # a long output line scrolls sideways: keyboard users must reach it
    for anchor in soup.select("a.anchor-link"):
        anchor["class"] = ["headerlink"]
        anchor["title"] = "Permanent link"
    for cell in soup.select("div.jp-RenderedMarkdown"):
        _typeset_markdown_math(soup, cell)
    with_site_figures(soup, nb, name, page_url)
    # Void elements closed as on the chapters' pages (Python-Markdown's `<img ... />`).
    return soup.decode(formatter=HTMLFormatter(entity_substitution=EntitySubstitution.substitute_xml,
                                               void_element_close_prefix=" /"))


def _typeset_markdown_math(soup, cell) -> None:
    """`$$...$$` and `$...$` in the text of a rendered Markdown cell (not in its code) as the
    arithmatex markup that hooks/math.py typesets."""
    for text in list(cell.find_all(string=True)):
        if text.find_parent(["code", "pre"]) is not None or "$" not in text:
            continue
        pieces: list = []
        for index, part in enumerate(DISPLAY_MATH.split(str(text))):
            if index % 2:
                pieces.append(_arithmatex(soup, part, display=True))
                continue
            for inline_index, inline in enumerate(INLINE_MATH.split(part)):
                pieces.append(_arithmatex(soup, inline, display=False) if inline_index % 2 else inline)
        text.replace_with(*[piece for piece in pieces if piece != ""])


def _arithmatex(soup, tex: str, display: bool):
    tag, opening, closing = TEX_DELIMITERS[display]
    element = soup.new_tag(tag, attrs={"class": "arithmatex"})
    element.string = f"{opening}{tex.strip()}{closing}"
    return element


def with_site_figures(soup, nb: dict, name: str, page_url: str) -> None:
    """Each figure a cell shows, as the chapter shows it: the registered figure's SVG files (light
    and dark, the same files as the chapter's, so cached once) with its alt text, instead of the
    PNG that nbconvert inlines (tens of kilobytes a figure, which no reader of the page needs: the
    downloaded notebook keeps it). `nb` is the executed notebook as JSON (nbformat is not needed
    to read it)."""
    from bs4 import BeautifulSoup

    figures = [o["metadata"]["image/png"] for c in nb["cells"] for o in c.get("outputs", [])
               if "image/png" in o.get("data", {})]
    images = [img for img in soup.find_all("img", alt=NBCONVERT_ALT) if img.get("src", "").startswith("data:image/png")]
    if len(images) != len(figures):
        raise NotebookError(f"notebook {name}: {len(figures)} figures in the notebook, {len(images)} on the page")
    for image, meta in zip(images, figures, strict=True):
        links = BeautifulSoup("".join(figure_links(meta["figure"], meta["alt"], page_url)), "html.parser")
        image.replace_with(*list(links.contents))


def source_url(repo_url: str | None, root: Path, name: str) -> str | None:
    """The notebook's text in the repository at the commit the site is built from, or None when
    no repository is configured (REPO_URL) or the commit cannot be told: no link is better than a
    dead one."""
    if not repo_url:
        return None
    commit = head_commit(root)
    return f"{repo_url.rstrip('/')}/blob/{commit}/docs/{NOTEBOOK_DIR}/{name}.py" if commit else None


def head_commit(root: Path) -> str | None:
    """The commit checked out at root, asked of git once per build (a rebuild under `make serve`
    may follow a commit), or None."""
    return current().once(("head_commit", root), lambda: _git_head(root))


def _git_head(root: Path) -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                              check=True).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def launch_links(repo_url: str | None, root: Path, published: Path, name: str) -> tuple[tuple[str, str], ...]:
    """(label, URL) of "Open in Colab" and "Launch Binder" for notebook NAME, whose published .ipynb
    is `published`; none unless the repository is on GitHub and keeps, at the commit the site is built
    from, exactly this notebook without outputs (sitekit/launch.py). Asked once per build and notebook."""
    return current().once(("launch_links", repo_url, root, published, name),
                          lambda: _launch_links(repo_url, root, published, name))


def _launch_links(repo_url: str | None, root: Path, published: Path, name: str) -> tuple[tuple[str, str], ...]:
    repository = launch.github_repository(repo_url)
    commit = head_commit(root)
    if repository is None or commit is None:
        return ()
    path = f"{launch.REPOSITORY_DIR}/{name}.ipynb"
    if launch.committed_text(root, commit, path) != launch.without_outputs(published.read_text()):
        log.info("notebooks: no Colab or Binder link for %s: %s at commit %s is not the notebook this build "
                 "publishes (run `make notebooks` and commit)", name, path, commit[:12])
        return ()
    return tuple(launch.launch_urls(*repository, commit, name).items())


def _links(links: tuple[tuple[str, str], ...]) -> str:
    return " · ".join(f'<a href="{html.escape(url)}">{label}</a>' for label, url in links)


def chapter_banner(chapter_url: str, chapter_title: str, download: str, source: str | None = None,
                   links: tuple[tuple[str, str], ...] = ()) -> str:
    """The note at the top of a notebook page: its chapter, the notebook to download and how to run it,
    and, where the repository allows (launch_links), where to run it without installing anything."""
    source_note = (f' Its source is <a href="{html.escape(source)}">{download.removesuffix(".ipynb")}.py in the '
                   'repository</a>, at the commit this site was built from.') if source else ""
    online = f"<p>Or run it online, nothing to install: {_links(links)}.</p>" if links else ""
    return (
        '<div class="admonition note notebook-banner">'
        '<p class="admonition-title">Companion notebook</p>'
        f'<p>This notebook reruns the chapter <a href="{chapter_url}">{html.escape(chapter_title)}</a> '
        f'with the site\'s own package; its outputs were computed when this page was built.{source_note}</p>'
        f'<p>To run it yourself, <a href="{download}" download>download {download}</a>, open it with '
        'Jupyter in a fresh Python environment and run its first cell, which installs everything it needs.</p>'
        f'{online}</div>'
    )


def notebook_link(url: str, name: str, links: tuple[tuple[str, str], ...] = ()) -> str:
    """The note under a chapter's title that points to its companion notebook NAME, whose page is at
    `url` (relative to the chapter's)."""
    online = f"; or run it online: {_links(links)}" if links else ""
    return (
        '<p class="notebook-link">Rerun this chapter and change it: '
        f'<a href="{url}">companion notebook</a> '
        f'(<a href="{url}{name}.ipynb" download>download {name}.ipynb</a>){online}.</p>'
    )
