"""The anchors lock: every published `/page/#anchor` that readers may have linked to.

`python -m hooks.anchors update SITE_DIR` adds the anchors of a built site to anchors.lock
(it never removes one); the test suite fails when a locked anchor no longer resolves.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache
from pathlib import Path

from bs4 import BeautifulSoup

LOCK = Path(__file__).resolve().parent.parent / "anchors.lock"
HEADER = (
    "# Every published anchor, one `/page/#id` per line. Readers cite these: never delete a line.\n"
    "# A moved page keeps its URL through a redirect (mkdocs.yml, redirects). Add new ones: make anchors\n"
)
REFRESH = re.compile(r"url=([^\"'>]+)", re.IGNORECASE)


def page_url(site_dir: Path, html_file: Path) -> str:
    """/linear/ for site/linear/index.html, / for site/index.html."""
    parent = html_file.parent.relative_to(site_dir).as_posix()
    return "/" if parent == "." else f"/{parent}/"


def parse(html_file: Path) -> BeautifulSoup:
    """The parsed page; parsed once per version of the file (a check reads each page many times)."""
    stat = html_file.stat()
    return _parse(html_file, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _parse(html_file: Path, mtime_ns: int, size: int) -> BeautifulSoup:
    return BeautifulSoup(html_file.read_text(), "html.parser")


def is_redirect(soup: BeautifulSoup) -> bool:
    return soup.find("meta", attrs={"http-equiv": re.compile("refresh", re.I)}) is not None


def page_anchors(soup: BeautifulSoup) -> set[str]:
    """Ids a reader can cite on one page: headings, claim boxes and figures in the article."""
    article = soup.find("article")
    if article is None:
        return set()
    ids = {tag["id"] for tag in article.find_all(re.compile("^h[1-6]$")) if tag.get("id")}
    ids |= {tag["id"] for tag in article.find_all(id=re.compile(r"^(claim|figure|ref|term)-"))}
    return ids


# Derived views whose ids are copies of other pages' ids: not citable anchors of their own.
DERIVED_PAGES = ("/print/",)


def published_anchors(site_dir: Path) -> set[str]:
    anchors = set()
    for html_file in sorted(site_dir.rglob("index.html")):
        if page_url(site_dir, html_file) in DERIVED_PAGES:
            continue
        soup = parse(html_file)
        if not is_redirect(soup):
            anchors |= {f"{page_url(site_dir, html_file)}#{anchor}" for anchor in page_anchors(soup)}
    return anchors


def resolves(site_dir: Path, entry: str, hops: int = 5) -> bool:
    """Whether `/page/#id` exists in the built site, following redirect pages."""
    path, _, anchor = entry.partition("#")
    html_file = site_dir / path.lstrip("/") / "index.html"
    if not html_file.is_file():
        return False
    soup = parse(html_file)
    if is_redirect(soup) and hops > 0:
        target = REFRESH.search(str(soup.find("meta", attrs={"http-equiv": re.compile("refresh", re.I)})))
        if target is None:
            return False
        resolved = (html_file.parent / target.group(1).split("#")[0]).resolve()
        new_path = "/" + resolved.relative_to(site_dir.resolve()).as_posix().removesuffix("index.html")
        return resolves(site_dir, f"{new_path}#{anchor}", hops - 1)
    return anchor in page_anchors(soup)


def read_lock(lock: Path = LOCK) -> list[str]:
    if not lock.exists():
        return []
    return [line.strip() for line in lock.read_text().splitlines() if line.strip() and not line.startswith("#")]


def update_lock(site_dir: Path, lock: Path = LOCK) -> list[str]:
    """Add the site's anchors to the lock; return the ones that were new."""
    locked = read_lock(lock)
    new = sorted(published_anchors(site_dir) - set(locked))
    lock.write_text(HEADER + "".join(f"{entry}\n" for entry in sorted(set(locked) | set(new))))
    return new


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "update":
        sys.exit("usage: python -m hooks.anchors update SITE_DIR")
    added = update_lock(Path(sys.argv[2]))
    print(f"anchors.lock: {len(added)} new anchor(s)" + "".join(f"\n  {a}" for a in added))
