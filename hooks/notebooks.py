"""MkDocs adapter of the companion notebooks (sitekit/notebooks.py): before mkdocs-jupyter turns
.ipynb files into pages, the executed notebooks (from the cache, or run now) replace their
percent-format sources in the build's files, beside the wheel their install cell names; on the
pages, each chapter gets the line that points to its notebook, and each notebook page the site's
markup and its banner.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from hooks import cache_dir, project_root
from sitekit import wheel
from sitekit.notebooks import (
    NOTEBOOK_DIR,
    WHEEL_DIR,
    NotebookError,
    chapter_banner,
    cleaned_page,
    executed_notebooks,
    find_notebooks,
    install_cell_source,
    ipynb_uri,
    launch_links,
    notebook_link,
    published_notebook,
    source_url,
)

log = logging.getLogger("mkdocs.hooks.notebooks")
# mkdocs-jupyter reports every conversion and copy at INFO; this hook's one summary line says enough.
JUPYTER_PLUGIN_LOGGERS = ("mkdocs.plugins.mkdocs_jupyter", "mkdocs.mkdocs-jupyter")


@event_priority(100)  # before mkdocs-jupyter's on_files, which turns .ipynb files into pages
def on_files(files: Files, config: MkDocsConfig) -> Files:
    for name in JUPYTER_PLUGIN_LOGGERS:  # for this build, not whoever imports this module
        logging.getLogger(name).setLevel(logging.WARNING)
    notebooks = find_notebooks(Path(config.docs_dir))
    root = project_root(config)
    paths, ran = executed_notebooks(root, cache_dir(config, "notebooks"), notebooks)
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


def on_page_content(html_text: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    src = page.file.src_uri
    name = Path(src).stem
    if "/" not in src:  # a chapter: point to its notebook, if it has one
        notebook = files.get_file_from_path(ipynb_uri(name))
        if notebook is None:
            return html_text
        links = launch_links(config.extra.get("repository"), project_root(config),
                             Path(notebook.abs_src_path), name)
        link = notebook_link(notebook.url_relative_to(page.file), name, links)
        return html_text.replace("</h1>", "</h1>" + link, 1)
    if src != ipynb_uri(name):
        return html_text
    # A chapter ranks above its notebook for the chapter's own terms (Material's search boost).
    page.meta.setdefault("search", {}).setdefault("boost", 0.5)
    html_text = cleaned_page(html_text, Path(page.file.abs_src_path), name, page.url,
                             cache_dir(config, "notebook-pages"))
    chapter = files.get_file_from_path(f"{name}.md")
    if chapter is None:
        raise NotebookError(f"notebook {name}.py has no chapter docs/{name}.md to belong to")
    chapter_title = chapter.page.title if chapter.page and chapter.page.title else name
    root = project_root(config)
    source = source_url(config.extra.get("repository"), root, name)
    links = launch_links(config.extra.get("repository"), root, Path(page.file.abs_src_path), name)
    banner = chapter_banner(chapter.url_relative_to(page.file), chapter_title, f"{name}.ipynb", source, links)
    return banner + html_text
