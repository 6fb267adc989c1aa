"""Companion notebooks: execute docs/notebooks/*.py (jupytext percent format) at build time.

Each notebook is executed into an .ipynb with outputs, which mkdocs-jupyter then renders (with its
own execution off) and offers for download. An executed notebook is cached under a key made of its
text, the fingerprints of the snippets objects it imports (the code each of them reaches, as for
figures and executed examples) and the versions of the libraries it computes with. So an edit to
snippets/ re-executes exactly the notebooks that reach the edited code, and a warm rebuild executes
nothing (and, while snippets/ is unchanged, imports nothing: the keys come from sitekit/memo.py).

What readers download is the executed notebook with one cell in front, not executed at build
time: it installs exactly what the notebook needs, pinned to the versions the site was built with,
including the site's own `snippets` package as a wheel that the build writes to
packages/nn_glm_snippets-VERSION-py3-none-any.whl (sitekit/wheel.py) and the site serves.

mkdocs-jupyter's page template inlines 575 kB of JupyterLab CSS, a MathJax loader and a mermaid
import from a CDN on every notebook page; `on_page_content` removes them (a few rules in
assets/site.css style the cells instead) and hands the notebook's `$...$` math to hooks/math.py.
"""

from __future__ import annotations

import ast
import asyncio
import functools
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

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from hooks import cache_dir, project_root
from sitekit import cache, launch, memo, wheel
from sitekit.examples import cache_key
from sitekit.figures import figure_path

log = logging.getLogger("mkdocs.hooks.notebooks")
# mkdocs-jupyter reports every conversion and copy at INFO; this hook's one summary line says enough.
JUPYTER_PLUGIN_LOGGERS = ("mkdocs.plugins.mkdocs_jupyter", "mkdocs.mkdocs-jupyter")

NOTEBOOK_DIR = "notebooks"
CELL_TIMEOUT = 600  # seconds; a cell that runs longer than this is a bug, not a slow machine
KERNEL_START_ATTEMPTS = 2


class NotebookError(PluginError):
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


def executed_notebooks(config: MkDocsConfig, notebooks: list[Notebook]) -> tuple[dict[str, Path], list[str]]:
    """Path of each executed .ipynb (KEY/notebooks/NAME.ipynb in the cache), from the cache where its
    key matches; and the names of the notebooks executed now."""
    root = project_root(config)
    directory = cache_dir(config, "notebooks")
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


@event_priority(100)  # before mkdocs-jupyter's on_files, which turns .ipynb files into pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    for name in JUPYTER_PLUGIN_LOGGERS:  # for this build, not whoever imports this module
        logging.getLogger(name).setLevel(logging.WARNING)
    notebooks = find_notebooks(Path(config.docs_dir))
    head_commit.cache_clear()  # a rebuild under `make serve` may follow a commit
    launch_links.cache_clear()
    paths, ran = executed_notebooks(config, notebooks)
    root = project_root(config)
    version = wheel.project_metadata(root)["version"]
    install_source = install_cell_source(config.site_url or "/", version)
    published = cache_dir(config, "notebooks-published")
    paths = {name: published_notebook(path, install_source, published, name) for name, path in paths.items()}
    # The wheel the install cell names, served by the site.
    files.append(File.generated(config, f"{WHEEL_DIR}/{wheel.wheel_name(version)}",
                                content=wheel.wheel_bytes(root)))
    log.info("notebooks: executed %d (%s), %d from cache", len(ran), ", ".join(ran) or "none",
             len(notebooks) - len(ran))
    for nb in notebooks:
        # The percent-format text is the source; the executed .ipynb is what the site renders.
        source = files.get_file_from_path(f"{NOTEBOOK_DIR}/{nb.name}.py")
        if source is not None:
            files.remove(source)
        # A plain File rooted in the cache, not File.generated: mkdocs-jupyter's wrapper reads the
        # source through src_dir, which a generated file does not have.
        files.append(File(nb.ipynb_uri, src_dir=str(paths[nb.name].parents[1]), dest_dir=config.site_dir,
                          use_directory_urls=config.use_directory_urls))
    return files


# What mkdocs-jupyter's template adds around the cells that the site does not want.
_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S)
_SCRIPT = re.compile(r"<script[^>]*>.*?</script>", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_COPY_BUTTON = re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>', re.S)
_COPY_TEXT = re.compile(r'<div class="clipboard-copy-txt"[^>]*>.*?</div>', re.S)
_CODE_INPUT = re.compile(r'<div class="highlight-ipynb hl-(\w+)"><pre><span></span>(.*?)</pre></div>', re.S)
_OUTPUT_PRE = re.compile(r'(<div class="[^"]*jp-OutputArea-output[^"]*"[^>]*>\s*)<pre>')
_ANCHOR_LINK = re.compile(r'<a class="anchor-link" href="(#[^"]+)">¶</a>')
_MARKDOWN_CELL = re.compile(r'(<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\d)")


def _arithmatex(match: re.Match, display: bool) -> str:
    tex = html.escape(html.unescape(match.group(1)).strip(), quote=False)
    if display:
        return f'<div class="arithmatex">\\[{tex}\\]</div>'
    return f'<span class="arithmatex">\\({tex}\\)</span>'


def markdown_math_to_arithmatex(fragment: str) -> str:
    """`$...$` and `$$...$$` in a rendered Markdown cell, in the markup hooks/math.py typesets."""
    def cell(m: re.Match) -> str:
        body = _DISPLAY_MATH.sub(lambda x: _arithmatex(x, True), m.group(2))
        parts = re.split(r"(<code>.*?</code>|<pre>.*?</pre>|<div class=\"arithmatex\">.*?</div>)", body, flags=re.S)
        body = "".join(p if i % 2 else _INLINE_MATH.sub(lambda x: _arithmatex(x, False), p)
                       for i, p in enumerate(parts))
        return m.group(1) + body + m.group(3)

    return _MARKDOWN_CELL.sub(cell, fragment)


NBCONVERT_IMAGE = re.compile(r'<img alt="No description has been provided for this image" class="" '
                             r'src="data:image/png;base64,[^"]*"\s*/?>')


def with_site_figures(html_text: str, executed: Path, name: str, page_url: str) -> str:
    """Each figure a cell shows, as the chapter shows it: the registered figure's SVG files (light
    and dark, the same files as the chapter's, so cached once) with its alt text, instead of the
    PNG that nbconvert inlines (tens of kilobytes a figure, which no reader of the page needs: the
    downloaded notebook keeps it). `page_url` is the notebook page's URL, which the links are relative to.

    nbconvert's lab template also drops the alt text and writes a placeholder, which this replaces."""
    nb = json.loads(executed.read_text())  # an .ipynb is JSON; nbformat is not needed to read it
    figures = [o["metadata"]["image/png"] for c in nb["cells"] for o in c.get("outputs", [])
               if "image/png" in o.get("data", {})]
    images = NBCONVERT_IMAGE.findall(html_text)
    if len(images) != len(figures):
        raise PluginError(f"notebook {name}: {len(figures)} figures in the notebook, {len(images)} on the page")
    shown = iter(figures)

    def figure(_: re.Match) -> str:
        meta = next(shown)
        alt = html.escape(meta["alt"])
        light, dark = (get_relative_url(figure_path(meta["figure"], v), page_url) for v in ("light", "dark"))
        return (f'<a class="figure-zoom figure-zoom--light" href="{light}"><img alt="{alt}" loading="lazy" '
                f'src="{light}#only-light" /></a><a class="figure-zoom figure-zoom--dark" href="{dark}">'
                f'<img alt="{alt}" loading="lazy" src="{dark}#only-dark" /></a>')

    return NBCONVERT_IMAGE.sub(figure, html_text)


def source_url(repo_url: str | None, root: Path, name: str) -> str | None:
    """The notebook's text in the repository at the commit the site is built from, or None when
    no repository is configured (REPO_URL) or the commit cannot be told: no link is better than a
    dead one."""
    if not repo_url:
        return None
    commit = head_commit(root)
    return f"{repo_url.rstrip('/')}/blob/{commit}/docs/{NOTEBOOK_DIR}/{name}.py" if commit else None


@functools.cache
def head_commit(root: Path) -> str | None:
    """The commit checked out at root, asked of git once per build (on_files forgets it), or None."""
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True,
                              check=True).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


@functools.cache
def launch_links(repo_url: str | None, root: Path, published: Path, name: str) -> tuple[tuple[str, str], ...]:
    """(label, URL) of "Open in Colab" and "Launch Binder" for notebook NAME, whose published .ipynb
    is `published`; none unless the repository is on GitHub and keeps, at the commit the site is built
    from, exactly this notebook without outputs (sitekit/launch.py). Asked once per build and notebook."""
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


def notebook_link(page: Page, notebook: File, links: tuple[tuple[str, str], ...] = ()) -> str:
    """The note under a chapter's title that points to its companion notebook."""
    name = Path(notebook.src_uri).stem
    url = notebook.url_relative_to(page.file)
    online = f"; or run it online: {_links(links)}" if links else ""
    return (
        '<p class="notebook-link">Rerun this chapter and change it: '
        f'<a href="{url}">companion notebook</a> '
        f'(<a href="{url}{name}.ipynb" download>download {name}.ipynb</a>){online}.</p>'
    )


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    src = page.file.src_uri
    name = Path(src).stem
    if "/" not in src:  # a chapter: point to its notebook, if it has one
        notebook = files.get_file_from_path(ipynb_uri(name))
        if notebook is None:
            return html_text
        links = launch_links(config.extra.get("repository"), project_root(config),
                             Path(notebook.abs_src_path), name)
        return html_text.replace("</h1>", "</h1>" + notebook_link(page, notebook, links), 1)
    if src != ipynb_uri(name):
        return html_text
    # A chapter ranks above its notebook for the chapter's own terms (Material's search boost).
    page.meta.setdefault("search", {}).setdefault("boost", 0.5)
    html_text = _STYLE.sub("", html_text)
    html_text = _SCRIPT.sub("", html_text)
    html_text = _COMMENT.sub("", html_text)
    html_text = _COPY_BUTTON.sub("", html_text)
    html_text = _COPY_TEXT.sub("", html_text)
    # Code cells as Material code blocks (its highlighting colours in both palettes, its copy button),
    # heading anchors as Material permalinks.
    html_text = _CODE_INPUT.sub(r'<div class="language-\1 highlight"><pre><span></span><code>\2</code></pre></div>',
                                html_text)
    # A long output line scrolls sideways: keyboard users must be able to reach it.
    html_text = _OUTPUT_PRE.sub(r'\1<pre tabindex="0">', html_text)
    html_text = _ANCHOR_LINK.sub(r'<a class="headerlink" href="\1" title="Permanent link">¶</a>', html_text)
    html_text = markdown_math_to_arithmatex(html_text)
    html_text = with_site_figures(html_text, Path(page.file.abs_src_path), name, page.url)
    chapter = files.get_file_from_path(f"{name}.md")
    if chapter is None:
        raise PluginError(f"notebook {name}.py has no chapter docs/{name}.md to belong to")
    chapter_title = chapter.page.title if chapter.page and chapter.page.title else name
    root = project_root(config)
    source = source_url(config.extra.get("repository"), root, name)
    links = launch_links(config.extra.get("repository"), root, Path(page.file.abs_src_path), name)
    banner = chapter_banner(chapter.url_relative_to(page.file), chapter_title, f"{name}.ipynb", source, links)
    return banner + html_text
