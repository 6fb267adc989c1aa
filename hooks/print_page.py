"""One page with every chapter (docs/print.md), for printing or offline reading.

Each page's finished HTML is kept as it is built; after the build the chapters are written into
print.md's placeholder in the order of the navigation, after a table of contents, their ids
prefixed with the chapter (glm/#score becomes #glm--score) so they stay unique, and links between
chapters pointing into this page.
"""

from __future__ import annotations

import html as html_module
import posixpath
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from sitekit.build import current

PRINT_PAGE = "print.md"
PLACEHOLDER = '<div id="print-content"></div>'
ATTRIBUTE = re.compile(r'\b(id|for|href|src|aria-labelledby|aria-describedby|data-static)="([^"]*)"')
EXCLUDED = {PRINT_PAGE, "404.md"}


def chapter_slug(url: str) -> str:
    return url.strip("/").replace("/", "-") or "overview"


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    order = current().nav_order  # page URL: (position in the navigation, title)
    order.update((page.url, (position, page.title or page.url)) for position, page in enumerate(nav.pages))
    return nav


Chapter = tuple[str, str, str]  # (page URL, slug, HTML)


def in_nav_order(chapters: list[Chapter], nav_order: dict[str, tuple[int, str]]) -> list[Chapter]:
    """The chapters in the order of the site's navigation (pages outside it last, by URL)."""
    return sorted(chapters, key=lambda c: (nav_order.get(c[0], (len(nav_order), ""))[0], c[0]))


def contents(chapters: list[Chapter], nav_order: dict[str, tuple[int, str]]) -> str:
    """The table of contents at the top of the page: one link per chapter."""
    items = "\n".join(
        f'<li><a href="#chapter-{slug}">{html_module.escape(nav_order.get(url, (0, url))[1])}</a></li>'
        for url, slug, _ in chapters)
    return f'<nav class="print-contents" aria-labelledby="print-contents-title">\n' \
           f'<h2 id="print-contents-title">Contents</h2>\n<ol>\n{items}\n</ol>\n</nav>'


@event_priority(-100)  # last: keep the page exactly as it will be published
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # The companion notebooks stay on their own pages: they repeat the chapters' code, not their text.
    if page.file.src_uri not in EXCLUDED and not page.file.src_uri.startswith("notebooks/"):
        current().chapters.append((page.url, chapter_slug(page.url), html))  # (url, slug, html), in build order
    return html


def rewrite(html: str, page_url: str, slug: str, slugs: dict[str, str], print_url: str) -> str:
    """Prefix ids with the chapter, point site links into this page, and re-root relative assets."""

    def fix(match: re.Match[str]) -> str:
        name, value = match.groups()
        if name in ("id", "for", "data-static"):
            return f'{name}="{slug}--{value}"'
        if name.startswith("aria-"):
            return f'{name}="{" ".join(f"{slug}--{v}" for v in value.split())}"'
        if re.match(r"^[a-z][a-z0-9+.-]*:|^//", value):  # another site, mailto:, data:
            return match.group(0)
        path, _, anchor = value.partition("#")
        target = posixpath.normpath(posixpath.join("/" + page_url, path)) if path else "/" + page_url
        target_url = target.strip("/") + "/" if target.strip("/") else ""
        if name == "href" and (not path or target_url in slugs):
            chapter = slugs.get(target_url, slug)
            return f'href="#{chapter}--{anchor}"' if anchor else f'href="#chapter-{chapter}"'
        # An asset (figure, download): the same file, seen from the print page's folder.
        relocated = posixpath.relpath(target, "/" + print_url) if path else value
        return f'{name}="{relocated}{"#" + anchor if anchor else ""}"'

    # Eager images: a printout must not depend on how far the reader scrolled.
    return ATTRIBUTE.sub(fix, html).replace(' loading="lazy"', "")


def on_post_build(config: MkDocsConfig) -> None:
    print_url = PRINT_PAGE.removesuffix(".md") + "/"
    output = Path(config.site_dir) / print_url / "index.html"
    if not output.exists():  # a site without the one-page version
        return
    build = current()
    chapters = in_nav_order(build.chapters, build.nav_order)
    slugs = {url: slug for url, slug, _ in chapters}
    sections = contents(chapters, build.nav_order) + "\n" + "\n".join(
        f'<section class="print-chapter" id="chapter-{slug}">\n{rewrite(html, url, slug, slugs, print_url)}\n</section>'
        for url, slug, html in chapters
    )
    page = output.read_text()
    if PLACEHOLDER not in page:
        raise RuntimeError(f"{PRINT_PAGE} lost its placeholder {PLACEHOLDER}")
    output.write_text(page.replace(PLACEHOLDER, f'<div id="print-content">\n{sections}\n</div>', 1))
