"""What a page-level stage may know about the build: the site (project folder, docs folder, site URL
and name, the nav's pages) and the page being rendered (its source file and URL).

Python-Markdown gives an extension neither. Zensical tells its extensions through its rendering
context (`zensical.extensions.context`, a public module of Zensical); under MkDocs, the adapter
hooks/pages.py says which page is next before MkDocs converts it (`enter_page`). An extension
asks `for_markdown(md)` and gets the same answer from either.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from sitekit import cache
from sitekit.build import current


@dataclass(frozen=True)
class Site:
    """The build's settings that the page stages use, from mkdocs.yml."""

    root: Path  # the project folder, which holds mkdocs.yml
    docs_dir: Path
    site_url: str
    site_name: str
    nav: tuple[str, ...]  # the Markdown pages of the nav, in order (docs-relative paths)
    # Zensical rewrites every relative link of a page, raw HTML's too, from the page's source file to
    # its URL; MkDocs only the links of Markdown syntax.
    rewrites_html_links: bool = False

    def cache_dir(self, kind: str) -> Path:
        """Where the build keeps what it computed, by kind (sitekit.cache.folder)."""
        return cache.folder(self.root, kind)


@dataclass(frozen=True)
class Page:
    src: str  # docs-relative source path, e.g. "glm.md"
    url: str  # site-relative URL, e.g. "glm/" ("" for the home page)


def link_base(site: Site, page: Page) -> str:
    """What a relative link in raw HTML on `page` is relative to, as the generator reads it: the
    page's URL (MkDocs), or its source's folder (Zensical, which then rewrites the link)."""
    return posixpath.dirname(page.src) if site.rewrites_html_links else page.url


def page_url(src: str) -> str:
    """The URL of a Markdown page with directory URLs (both generators' default): index.md -> "",
    glm.md -> glm/, a/index.md -> a/."""
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


def nav_pages(nav: list | None) -> tuple[str, ...]:
    """The Markdown files of a nav, in order: MkDocs' form ([{"Title": "page.md"}, ...]) or
    Zensical's ([{"title": ..., "url": "page.md", "children": [...]}, ...])."""
    pages: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, dict) and "children" in item:  # Zensical
                value = item["children"] or item.get("url")
            else:
                value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                walk(value)
            elif isinstance(value, str) and value.endswith(".md"):
                pages.append(value)

    walk(nav or [])
    return tuple(pages)


def enter_page(site: Site, page: Page) -> None:
    """Under MkDocs: the site and the page that the next Markdown conversion renders."""
    current().page = (site, page)


def _zensical(md) -> tuple[Site, Page] | None:
    try:
        from zensical.extensions.context import ContextPreprocessor
    except ImportError:
        return None
    context = ContextPreprocessor.from_markdown(md)
    if context is None:
        return None
    config = context.config
    root = Path(config["root_dir"]) if config.get("root_dir") else Path.cwd()
    return site_from(root, config, rewrites_html_links=True), Page(src=context.page.path, url=context.page.url)


def for_markdown(md) -> tuple[Site, Page]:
    """The site and the page that `md` is rendering, under Zensical or MkDocs."""
    found = _zensical(md)
    if found is not None:
        return found
    announced = current().page
    if announced is None:
        raise RuntimeError("sitekit.pages: no page context: under MkDocs, list hooks/pages.py in mkdocs.yml's hooks")
    return announced


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as both generators read it: !ENV [NAME, ..., default] from the environment,
    !!python/name:x.y as the dotted name (nothing is imported)."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    values = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    names, default = (values[:-1], values[-1]) if len(values) > 1 else (values, None)
    return next((os.environ[name] for name in names if name in os.environ), default)


_ConfigLoader.add_constructor("!ENV", _env)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/name:", lambda loader, suffix, node: suffix)


def read_config(root: Path) -> dict:
    """The project's mkdocs.yml as a dict (see _ConfigLoader for its tags)."""
    return yaml.load((root / "mkdocs.yml").read_text(), _ConfigLoader)  # noqa: S506 (a SafeLoader)


def site_from_config(root: Path) -> Site:
    """The Site of the project at `root`, from its mkdocs.yml: for the site stages that run outside
    a generator's build (after Zensical's)."""
    return site_from(root, read_config(root))


def site_from(root: Path, config: Mapping, rewrites_html_links: bool = False) -> Site:
    """The Site of a configuration as either generator holds it (mkdocs.yml's keys: docs_dir,
    site_url, site_name, nav), for the project folder `root`: the one place a Site is made."""
    return Site(root=root, docs_dir=root / config.get("docs_dir", "docs"), site_url=config.get("site_url") or "/",
                site_name=config.get("site_name") or "", nav=nav_pages(config.get("nav")),
                rewrites_html_links=rewrites_html_links)
