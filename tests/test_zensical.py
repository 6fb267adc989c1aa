"""The site built by Zensical (sitekit/zensical_site.py) against the MkDocs build readers get.

Zensical runs the same page stages (the Python-Markdown extensions of mkdocs.yml) and, after its
build, the site stages it has no hooks for. Each Markdown page of the nav must then read the same
under both: article text, anchors, figures, formulas, claim boxes and cite controls, with the
theme's chrome (header, navigation, footer) left aside. The one difference allowed is listed in
MKDOCS_ONLY; the README ("Building with Zensical") lists what Zensical does not build at all.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import run_once
from sitekit import cache
from sitekit.context import page_url, site_from_config
from sitekit.formulas import formulas_in
from sitekit.leftovers import find_leftovers
from sitekit.mathml import characters
from sitekit.zensical_site import site_dir
from tests.markdown_fences import ROOT

# The companion-notebook line under a chapter's title links the notebook pages, which only the
# MkDocs build has (mkdocs-jupyter renders them).
MKDOCS_ONLY = ".notebook-link"
# The one-page version is assembled from the other pages after an MkDocs build (hooks/print_page.py).
PAGES = [page_url(src) for src in site_from_config(ROOT).nav if src != "print.md"]


@pytest.fixture(scope="session")
def zensical_site(site_cache: Path) -> Path:
    """`python -m sitekit.zensical_site` with the cache the MkDocs build filled (nothing is drawn),
    once per run (its folder is fixed)."""
    return run_once("zensical_site", lambda: build_with_zensical(site_cache))


def build_with_zensical(site_cache: Path) -> Path:
    env = {**os.environ, "SITE_CACHE_DIR": str(site_cache)}
    # `zensical build --clean` deletes Zensical's cache folder whole: never the project's.
    survivor = ROOT / cache.FOLDER / "kept-by-a-zensical-build"
    cache.write_text(survivor, "a file of the project's cache folder\n")
    result = subprocess.run([sys.executable, "-m", "sitekit.zensical_site"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"the Zensical build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    assert cache.read_text(survivor) is not None, "the Zensical build deleted the project's cache folder"
    cache.remove(survivor)
    return site_dir(ROOT)


def article(site: Path, url: str) -> BeautifulSoup:
    soup = BeautifulSoup((site / url / "index.html").read_text(), "html.parser")
    found = soup.select_one("article")
    assert found is not None, f"{url}: no <article>"
    for element in found.select(MKDOCS_ONLY):
        element.decompose()
    return found


def both(url: str, built_site: Path, zensical_site: Path) -> tuple[BeautifulSoup, BeautifulSoup]:
    return article(built_site, url), article(zensical_site, url)


@pytest.mark.parametrize("url", PAGES)
def test_each_page_reads_the_same(url: str, built_site: Path, zensical_site: Path) -> None:
    mkdocs, zensical = both(url, built_site, zensical_site)
    assert find_leftovers(str(zensical)) == []  # every shortcode expanded, every formula typeset
    assert " ".join(zensical.get_text(" ").split()) == " ".join(mkdocs.get_text(" ").split())


@pytest.mark.parametrize("url", PAGES)
def test_each_page_has_the_same_anchors(url: str, built_site: Path, zensical_site: Path) -> None:
    # Ids of the theme's own (Zensical's "__skip") are chrome.
    mkdocs, zensical = ([e["id"] for e in a.find_all(id=True) if not e["id"].startswith("__")]
                        for a in both(url, built_site, zensical_site))
    assert zensical == mkdocs


@pytest.mark.parametrize("url", PAGES)
def test_each_page_has_the_same_figures_formulas_claims_and_cite_controls(url: str, built_site: Path,
                                                                           zensical_site: Path) -> None:
    mkdocs, zensical = both(url, built_site, zensical_site)
    assert [(i["src"], i["alt"]) for i in zensical.find_all("img")] == \
        [(i["src"], i["alt"]) for i in mkdocs.find_all("img")]
    for selector in ("math", ".admonition.claim", ".cite-button"):
        assert [str(e) for e in zensical.select(selector)] == [str(e) for e in mkdocs.select(selector)], selector


def test_the_files_the_pages_need_are_the_same(built_site: Path, zensical_site: Path) -> None:
    figures = sorted(p.relative_to(built_site) for p in (built_site / "figures").glob("*.svg"))
    assert figures
    assert sorted(p.relative_to(zensical_site) for p in (zensical_site / "figures").glob("*.svg")) == figures
    for path in [*figures, Path("claims.json"), Path("claim-digests.json"), Path("assets/fonts/LICENSE")]:
        assert (zensical_site / path).read_bytes() == (built_site / path).read_bytes(), path
    # The math font is cut to the characters the pages draw. The MkDocs build also has the notebook
    # pages (mkdocs-jupyter), so its font may hold a character only a notebook uses; otherwise the
    # two fonts are the same, and each holds exactly what its own pages draw.
    font = "assets/fonts/stix-two-math.woff2"
    for site in (built_site, zensical_site):
        drawn = {c for c in characters(formulas_in(site)) if c != " " and not "\ufe00" <= c <= "\ufe0f"}
        assert font_characters(site / font) >= drawn, site  # variation selectors choose a glyph, not drawn
    notebook_only = characters(formulas_in(built_site / "notebooks")) - characters(formulas_in(zensical_site))
    assert font_characters(built_site / font) - font_characters(zensical_site / font) <= notebook_only
    if not notebook_only:
        assert (zensical_site / font).read_bytes() == (built_site / font).read_bytes()


def font_characters(path: Path) -> set[str]:
    from fontTools.ttLib import TTFont
    return {chr(code) for code in TTFont(path).getBestCmap()}


@pytest.mark.parametrize("url", PAGES)
def test_each_page_defers_its_scripts_as_the_mkdocs_build_does(url: str, built_site: Path, zensical_site: Path) -> None:
    # overrides/main.html is a theme override both generators read (custom_dir in mkdocs.yml).
    def scripts(site: Path) -> list[tuple[str, bool]]:
        page = BeautifulSoup((site / url / "index.html").read_text(), "html.parser")
        return [(script["src"].rsplit("/", 1)[-1].split(".")[0], script.has_attr("defer"))
                for script in page.find_all("script", src=True)]

    assert scripts(zensical_site) == scripts(built_site)
    assert all(deferred for _, deferred in scripts(zensical_site))
