"""Tests of the built site: claims index, anchors, math, figures, code blocks, no other host."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import nbformat
import pytest
from bs4 import BeautifulSoup

from hooks.anchors import parse, published_anchors, read_lock, resolves
from sitekit.claims import node_ids_by_claim, parse_claims
from sitekit.context import read_config
from sitekit.notebooks import INSTALL_TAG
from snippets.figures import registry
from tests.markdown_fences import ROOT, displayed_code

DOCS = ROOT / "docs"
MARKDOWN_PAGES = sorted(p for p in DOCS.rglob("*.md"))


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def soup(path: Path) -> BeautifulSoup:
    """The parsed page, parsed once per version of the file. Read it, do not modify it."""
    return parse(path)


# --- claims -------------------------------------------------------------------------------------

def stated_claims() -> dict[str, str]:
    """{claim id: page} over every page's Markdown."""
    found: dict[str, str] = {}
    for page in MARKDOWN_PAGES:
        for claim in parse_claims(page.read_text(), page.relative_to(DOCS).as_posix()):
            assert claim.id not in found, f"claim {claim.id} is stated twice ({found[claim.id]}, {claim.page})"
            found[claim.id] = claim.page
    return found


def test_every_claim_has_a_test_and_every_test_names_a_claim() -> None:
    claims, tests = stated_claims(), node_ids_by_claim(ROOT)
    assert claims, "no claim on any page"
    untested = sorted(set(claims) - set(tests))
    assert not untested, f"claims with no @pytest.mark.claim test: {untested}"
    unknown = sorted(set(tests) - set(claims))
    assert not unknown, f"tests name claims that no page states: {unknown}"


def test_claim_markers_found_statically_match_what_pytest_collects(request: pytest.FixtureRequest) -> None:
    # claims.json lists node ids found by reading the tests; they must be real pytest node ids.
    collected: dict[str, set[str]] = {}
    for item in request.session.items:
        for mark in item.iter_markers("claim"):
            collected.setdefault(mark.args[0], set()).add(item.nodeid.split("[")[0])
    files = {item.nodeid.split("::")[0] for item in request.session.items}
    for claim_id, node_ids in node_ids_by_claim(ROOT).items():
        for node_id in node_ids:
            if node_id.split("::")[0] in files:
                assert node_id in collected.get(claim_id, set()), f"{node_id} is not a collected test of {claim_id}"


def test_the_cached_claim_markers_follow_edits_to_the_tests(tmp_path: Path) -> None:
    root, cache = tmp_path / "project", tmp_path / "cache"
    (root / "tests").mkdir(parents=True)
    test_file = root / "tests" / "test_x.py"
    test_file.write_text('import pytest\n\n@pytest.mark.claim("one")\ndef test_a():\n    assert True\n')
    assert node_ids_by_claim(root, cache) == node_ids_by_claim(root) == {"one": ["tests/test_x.py::test_a"]}
    assert node_ids_by_claim(root, cache) == {"one": ["tests/test_x.py::test_a"]}  # from the cache
    assert len(list(cache.glob("*.json"))) == 1
    test_file.write_text(test_file.read_text().replace('"one"', '"two"'))
    assert node_ids_by_claim(root, cache) == {"two": ["tests/test_x.py::test_a"]}
    assert len(list(cache.glob("*.json"))) == 1  # the stale answer is gone


def test_a_claims_tested_paragraph_is_kept_apart_from_its_statement() -> None:
    box = ("/// claim | A title\n    attrs: {id: claim-a}\n\nThe statement, with $x$ and its conditions.\n\n"
           "Tested: at 10 points, to within $10^{-6}$.\n{: .claim-tested }\n///\n")
    (claim,) = parse_claims(box, "a.md")
    assert claim.statement == "The statement, with $x$ and its conditions."
    assert claim.tested == "at 10 points, to within $10^{-6}$."
    (untested,) = parse_claims(box.replace("Tested: ", "Also "), "a.md")
    assert untested.tested == "" and "Also at 10 points" in untested.statement


def test_claims_json_lists_each_claim_with_its_url_and_tests(built_site: Path) -> None:
    index = json.loads((built_site / "claims.json").read_text())
    claims, tests = stated_claims(), node_ids_by_claim(ROOT)
    assert sorted(entry["id"] for entry in index) == sorted(claims)
    for entry in index:
        assert set(entry) >= {"id", "title", "statement", "url", "tests", "statement_digest"}
        assert entry["statement_digest"] == hashlib.sha256(entry["statement"].encode()).hexdigest()[:16]
        assert entry["title"] and len(entry["statement"]) > 40
        assert entry["url"].endswith(f"#claim-{entry['id']}")
        assert entry["tests"] == sorted(tests[entry["id"]])
        page = built_site / urlsplit(entry["url"]).path.lstrip("/") / "index.html"
        box = soup(page).find(id=f"claim-{entry['id']}")
        assert box is not None and "claim" in box["class"], f"no claim box for {entry['id']} in {page}"
        assert box.find("a", class_="headerlink", href=f"#claim-{entry['id']}") is not None
        # The statement and how it is tested are apart: in claims.json, and on the page as its own paragraph.
        tested = box.find("p", class_="claim-tested")
        assert (tested is not None) == bool(entry["tested"]), entry["id"]
        assert not tested or (tested.get_text().startswith("Tested: ") and "Tested" not in entry["statement"])


def test_claim_digests_json_gives_each_claims_digest_and_page_in_a_few_kilobytes(built_site: Path) -> None:
    # What a published release reads from the latest text on every page with a claim
    # (assets/site.js): the same digests and pages as claims.json, small enough to stay out of the
    # page budget's way (a phone fetches it gzip-compressed, with the page).
    index = {entry["anchor"]: entry for entry in json.loads((built_site / "claims.json").read_text())}
    raw = (built_site / "claim-digests.json").read_bytes()
    digests = json.loads(raw)
    assert set(digests) == set(index)
    for anchor, entry in digests.items():
        assert entry == {"digest": index[anchor]["statement_digest"], "path": index[anchor]["path"]}
    assert len(gzip.compress(raw)) < 2.5 * 1024, f"{len(gzip.compress(raw))} bytes gzip-compressed"


def test_the_claims_page_lists_each_claim_once_under_its_page_with_its_id_and_tests(built_site: Path) -> None:
    index = json.loads((built_site / "claims.json").read_text())
    article = soup(built_site / "claims" / "index.html").find("article")
    entries = article.select(".claims-index li")
    assert len(entries) == len(index)
    for entry in index:
        anchor = f"claim-{entry['id']}"
        listed = [li for li in entries if li.find("a")["href"].endswith(f"#{anchor}")]
        assert len(listed) == 1, f"{anchor} listed {len(listed)} times"
        item = listed[0]
        link = item.find("a")["href"]
        assert urljoin("/claims/", link) == urlsplit(entry["url"]).path + f"#{anchor}"
        # under the heading of the page that states it
        section = item.find_parent("div", class_="claims-index").find_previous_sibling("h2")
        target = soup(built_site / urlsplit(entry["url"]).path.lstrip("/") / "index.html")
        assert section.contents[0].strip() == target.find("h1").contents[0].strip()
        small = item.find("small").get_text()
        assert anchor in small
        for node in entry["tests"]:
            file, _, name = node.partition("::")
            assert file in small and name in small, f"{node} missing under {anchor}"
    # the statements stay in the boxes: the index has no formulas (the heaviest page on a phone before)
    assert article.find("math") is None


# --- anchors ------------------------------------------------------------------------------------

def test_every_heading_in_the_markdown_has_an_explicit_id() -> None:
    heading = re.compile(r"^#{1,6} ")
    for page in MARKDOWN_PAGES:
        in_fence = False
        for number, line in enumerate(page.read_text().splitlines(), 1):
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
            if not in_fence and heading.match(line):
                assert re.search(r"\{#[a-z0-9-]+\}\s*$", line), f"{page.name}:{number}: heading without {{#id}}: {line}"


def test_every_locked_anchor_still_resolves(built_site: Path) -> None:
    locked = read_lock()
    assert locked, "anchors.lock is empty: run make anchors"
    broken = [entry for entry in locked if not resolves(built_site, entry)]
    assert not broken, f"anchors readers may have cited no longer resolve: {broken}"


def test_every_published_anchor_is_locked(built_site: Path) -> None:
    unlocked = sorted(published_anchors(built_site) - set(read_lock()))
    assert not unlocked, f"new anchors are not in anchors.lock (run make anchors): {unlocked}"


def test_lock_check_follows_redirects_and_catches_missing_anchors(tmp_path: Path) -> None:
    # The checker itself: a page, a redirect to it, and an anchor that is not there.
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "index.html").write_text('<article><h2 id="kept">Kept</h2></article>')
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "index.html").write_text('<meta http-equiv="refresh" content="0; url=../new/">')
    assert resolves(tmp_path, "/new/#kept")
    assert resolves(tmp_path, "/old/#kept")
    assert not resolves(tmp_path, "/new/#gone")
    assert not resolves(tmp_path, "/missing/#kept")


# --- what the reader's browser loads ------------------------------------------------------------

LOADING_ATTRIBUTES = {"img": "src", "script": "src", "iframe": "src", "source": "src", "audio": "src",
                      "video": "src", "embed": "src", "object": "data", "track": "src", "input": "src"}
LOADING_RELS = {"stylesheet", "preload", "prefetch", "modulepreload", "icon", "manifest", "preconnect",
                "dns-prefetch", "apple-touch-icon", "mask-icon"}
# Namespaces and licence URLs that appear in assets as plain strings; nothing fetches them.
INERT_URLS = re.compile(r"https?://(www\.w3\.org/|opensource\.org/|github\.com/(squidfunk|facelessuser|KaTeX|pawamoy)|katex\.org/?\b)")
# Material's bundle can fetch these, each only under a condition this site never meets; the
# test checks the condition instead. Any other remote URL in a script fails.
CONDITIONAL_URLS = {
    "https://unpkg.com/mermaid@": "a page with a mermaid diagram",
    "https://unpkg.com/resize-observer-polyfill": "a browser without ResizeObserver (none since 2020)",
    "https://api.github.com/": "repo_url set in mkdocs.yml (repository facts)",
    "https://${e}/api/v4/projects/": "a GitLab repo_url in mkdocs.yml",
}


def is_remote(url: str) -> bool:
    return url.strip().startswith(("http://", "https://", "//"))


def remote_loads_in_html(page: Path) -> list[str]:
    found = []
    document = soup(page)
    for tag_name, attribute in LOADING_ATTRIBUTES.items():
        for tag in document.find_all(tag_name):
            if tag.get(attribute) and is_remote(tag[attribute]):
                found.append(f"<{tag_name} {attribute}={tag[attribute]}>")
            for candidate in (tag.get("srcset") or "").split(","):
                if candidate.strip() and is_remote(candidate.split()[0]):
                    found.append(f"<{tag_name} srcset={candidate}>")
    for link in document.find_all("link"):
        if set(link.get("rel", [])) & LOADING_RELS and is_remote(link.get("href", "")):
            found.append(f"<link rel={link.get('rel')} href={link['href']}>")
    for styled in [*document.find_all(style=True), *document.find_all("style")]:
        css = styled.get("style") if styled.name != "style" else styled.get_text()
        found += [u for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", css or "") if is_remote(u)]
    return found


def test_nothing_is_loaded_from_another_host(built_site: Path) -> None:
    problems = []
    for page in html_pages(built_site):
        problems += [f"{page.relative_to(built_site)}: {p}" for p in remote_loads_in_html(page)]
    for css in built_site.rglob("*.css"):
        text = css.read_text()
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text):
            if is_remote(url):
                problems.append(f"{css.relative_to(built_site)}: {url}")
    for js in built_site.rglob("*.js"):
        for url in re.findall(r"""["'`](https?://[^"'`\s]+)""", js.read_text()):
            if not INERT_URLS.match(url) and not url.startswith(tuple(CONDITIONAL_URLS)):
                problems.append(f"{js.relative_to(built_site)}: {url}")
    assert not problems, "resources from another host:\n" + "\n".join(problems)


def test_conditions_for_materials_remote_loads_never_hold(built_site: Path) -> None:
    config = (ROOT / "mkdocs.yml").read_text()
    assert not re.search(r"^repo_url:", config, re.MULTILINE), "repo_url makes Material call a remote API"
    for page in html_pages(built_site):
        assert not soup(page).select(".mermaid, pre.mermaid"), f"{page}: a mermaid diagram loads mermaid from a CDN"


def test_every_script_file_is_deferred_and_the_theme_bundle_runs_first(built_site: Path) -> None:
    # overrides/main.html: a script that does not wait for the parse runs before the first paint.
    for page in html_pages(built_site):
        scripts = soup(page).find_all("script", src=True)
        assert scripts, page
        undeferred = [s["src"] for s in scripts if not s.has_attr("defer")]
        assert not undeferred, f"{page.relative_to(built_site)}: scripts that hold back the first paint: {undeferred}"
        # the site's scripts subscribe to the theme's document$: in document order, the bundle first
        assert "/javascripts/bundle." in scripts[0]["src"], page
    # no instant navigation: its start-up cost on a first visit, measured, is in mkdocs.yml
    assert "navigation.instant" not in read_config(ROOT)["theme"]["features"]


def test_the_remote_load_scanner_finds_what_it_should(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text('<link rel="stylesheet" href="https://cdn.example/k.css"><img src="//cdn.example/i.png">'
                    '<a href="https://doi.org/10.2307/2344614">paper</a><div style="background:url(https://x.example/b.png)"></div>')
    assert len(remote_loads_in_html(page)) == 3  # the hyperlink to a paper is fine


def test_site_fonts_and_math_assets_are_served_locally(built_site: Path) -> None:
    css = (built_site / "assets" / "site.css").read_text()
    fonts = re.findall(r"url\(\"?([^)\"]+\.woff2)\"?\)", css)
    assert fonts == ["fonts/stix-two-math.woff2"]
    font = built_site / "assets" / "fonts" / "stix-two-math.woff2"
    assert font.read_bytes()[:4] == b"wOF2"
    for page in ("index.html", "glm/index.html"):  # preloaded, from the site itself
        assert re.search(r'<link rel="preload" href="(\.\./)*assets/fonts/stix-two-math\.woff2" as="font"',
                         (built_site / page).read_text()), page


def test_the_math_font_holds_every_character_the_formulas_draw(built_site: Path) -> None:
    from fontTools.ttLib import TTFont

    from sitekit.mathml import characters

    formulas = [m.group(0) for page in html_pages(built_site)
                for m in re.finditer(r"<math\b.*?</math>", page.read_text(), re.S)]
    cmap = TTFont(built_site / "assets" / "fonts" / "stix-two-math.woff2")["cmap"].getBestCmap()
    drawn = characters(formulas)
    assert {"\U0001d465", "\u2211", "\u03b2"} <= drawn  # italic x, the summation sign, beta
    # Variation selectors (U+FE00 to U+FE0F) pick a glyph of the character before them; not drawn alone.
    missing = sorted(c for c in drawn if ord(c) not in cmap and not c.isspace() and not 0xFE00 <= ord(c) <= 0xFE0F)
    assert not missing, f"characters the formulas draw but the font lacks: {missing}"
    assert "MATH" in TTFont(built_site / "assets" / "fonts" / "stix-two-math.woff2")


# --- math, figures and code ---------------------------------------------------------------------

def test_third_party_licences_are_served_beside_what_they_cover(built_site: Path) -> None:
    # The math font is under the SIL Open Font License: its notice and the licence's text go with it.
    licence = (built_site / "assets" / "fonts" / "LICENSE").read_text()
    assert "STIX Fonts Project" in licence
    assert licence.count("SIL OPEN FONT LICENSE Version 1.1") == 1
    assert licence.rstrip().endswith("OTHER DEALINGS IN THE FONT SOFTWARE.")


def test_math_is_typeset_at_build_time(built_site: Path) -> None:
    for page in html_pages(built_site):
        document = soup(page)
        assert not document.find(class_="arithmatex"), f"{page}: math left for the browser"
        assert not document.find("script", src=re.compile("katex|mathjax", re.I)), f"{page}: math JavaScript"
        assert not document.find(class_=re.compile("katex")), f"{page}: KaTeX markup"
    index = soup(built_site / "index.html")
    formulas = index.find_all("math")
    assert len(formulas) > 10
    # MathML Core only: what the browser draws is what screen readers read, no HTML layer beside it.
    assert all(f.find(["mi", "mn", "mo", "mtext"]) for f in formulas)
    glm = soup(built_site / "glm" / "index.html")
    assert glm.find("math", display="block") and glm.find("math", display=False)


def test_figures_are_in_the_site_with_alt_text_and_both_palettes(built_site: Path) -> None:
    specs = registry()
    used = set()
    for page in html_pages(built_site):
        for figure in soup(page).find_all("figure", id=re.compile("^figure-")):
            name = figure["id"].removeprefix("figure-")
            used.add(name)
            images = figure.find_all("img")
            assert [Path(urlsplit(img["src"]).path).name for img in images] == [f"{name}.svg", f"{name}-dark.svg"]
            assert [urlsplit(img["src"]).fragment for img in images] == ["only-light", "only-dark"]
            assert all(img["alt"] == specs[name].alt_text() for img in images)
            # One source per palette and none per width: the browser pass loads the dark palette
            # at desktop width only (ARTICLE_VISITS in tests/helpers.py).
            assert not figure.find(["picture", "source"]) and not any(img.get("srcset") for img in images)
            assert figure.find("figcaption").get_text(strip=True)
            for img in images:
                svg = (page.parent / urlsplit(img["src"]).path).resolve()
                assert svg.is_file() and svg.read_bytes().startswith(b"<svg ")
    assert used, "no figure on any page"


def code_blocks(site: Path, selector: str) -> list[str]:
    return [block.get_text() for page in html_pages(site) for block in soup(page).select(selector)]


# The tests that run a notebook's code cells (as the site publishes them) and its install cell.
NOTEBOOK_RUNS = {"test_every_notebook_executes_and_the_site_shows_exactly_its_outputs": "code",
                 "test_a_downloaded_notebook_runs_in_a_fresh_environment_with_what_it_installs": "install"}


def code_this_session_runs(items: list[pytest.Item], site: Path) -> list[str]:
    """The code the tests of this session run: each Markdown fence collected as a test
    (pytest-markdown-docs runs it; the session fails unless it passes), and each published
    notebook's code cells and install cell where the test that runs them is collected. Read from
    the collection, not recorded as tests run, so that it holds in every pytest-xdist worker."""
    code = [displayed_code(item.code) for item in items if item.get_closest_marker("markdown-docs")]
    runs = {(item.callspec.params["name"], NOTEBOOK_RUNS[item.originalname]) for item in items
            if getattr(item, "originalname", "") in NOTEBOOK_RUNS}
    for name in sorted({name for name, _ in runs}):
        for cell in nbformat.read(site / "notebooks" / name / f"{name}.ipynb", as_version=4).cells:
            part = "install" if INSTALL_TAG in cell.metadata.get("tags", []) else "code"
            if cell.cell_type == "code" and (name, part) in runs:
                code.append(cell.source)
    return code


def test_every_python_block_in_the_site_is_run_by_the_suite(built_site: Path, request: pytest.FixtureRequest) -> None:
    if not any(item.get_closest_marker("markdown-docs") for item in request.session.items):
        pytest.skip("the Markdown fences are not in this session: run the whole suite (make test)")
    run = code_this_session_runs(request.session.items, built_site)
    shown = code_blocks(built_site, "div.language-python pre code")
    assert shown, "no Python code block in the site"
    normalised = [fence.strip() for fence in run]
    missing = [block for block in shown if not any(block.strip() in fence for fence in normalised)]
    assert not missing, "code shown on the site that no test of this session runs:\n\n" + "\n---\n".join(missing)


def test_printed_outputs_were_computed_at_build_time(built_site: Path) -> None:
    outputs = code_blocks(built_site, "div.language-text pre code")
    assert any("network defect:" in out for out in outputs), "the first page's executed example has no output"


# --- what a reader sees -----------------------------------------------------------------------

LIST_MARKER = re.compile(r"(?:^|\n)\s*(?:\d+\.|[-*+])\s+\S")


def test_no_paragraph_swallowed_a_list(built_site: Path) -> None:
    # A list item whose text runs on into "2. **Next item**" renders as one paragraph with the
    # marker in it: the Markdown needed a blank line.
    for page in html_pages(built_site):
        for paragraph in soup(page).select("article p"):
            text = paragraph.get_text()
            assert not LIST_MARKER.search(text), f"{page.relative_to(built_site)}: a list marker inside {text[:80]!r}"


def test_links_say_where_they_lead(built_site: Path) -> None:
    vague = {"claim", "here", "this", "link", "click here"}
    for page in html_pages(built_site):
        for link in soup(page).select("article a[href]"):
            assert link.get_text(strip=True).lower() not in vague, f"{page.relative_to(built_site)}: {link}"


def test_glossary_definitions_are_words_not_ascii_formulas() -> None:
    from sitekit.glossary import load_glossary

    for entry in load_glossary():
        assert not re.search(r"[=^_{}]|\b[a-z]\(", entry["definition"]), f"{entry['term']}: {entry['definition']}"


def nav_urls() -> list[str]:
    """The URLs of the pages in mkdocs.yml's navigation, in order."""
    import yaml

    def walk(items: list) -> list[str]:
        urls = []
        for item in items:
            for value in item.values() if isinstance(item, dict) else [item]:
                if isinstance(value, list):
                    urls += walk(value)
                else:
                    stem = value.removesuffix(".md").removesuffix(".ipynb")
                    urls.append("" if stem == "index" else stem.removesuffix("/index") + "/")
        return urls

    # BaseLoader, as test_notebooks reads the nav: it leaves tags such as !ENV as plain strings.
    return walk(yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)["nav"])


def test_the_one_page_version_has_the_chapters_in_nav_order_after_its_contents(built_site: Path) -> None:
    from hooks.print_page import chapter_slug

    page = soup(built_site / "print" / "index.html")
    expected = [chapter_slug(url) for url in nav_urls() if url not in ("print/",) and not url.startswith("notebooks/")]
    chapters = [section["id"].removeprefix("chapter-") for section in page.select("section.print-chapter")]
    assert chapters == expected
    contents = [a["href"].removeprefix("#chapter-") for a in page.select("nav.print-contents a")]
    assert contents == expected
    # Sliders find their static figures under the chapter-prefixed ids, as on the chapter pages.
    for widget in page.select("[data-slider]"):
        assert page.find(id=widget["data-static"]), widget["data-static"]


def test_the_navigation_reaches_every_page_and_lists_the_notebooks_on_a_notebook_page(built_site: Path) -> None:
    """navigation.prune: the Notebooks section is one link (to its first notebook) on other pages,
    all six notebooks on a notebook page; every page of the nav stays one click away."""
    def nav_links(url: str) -> list[str]:
        page = soup(built_site / url / "index.html")
        links = page.select("nav.md-nav--primary a.md-nav__link[href]")
        return [urljoin("/" + url, a["href"]).lstrip("/") for a in links if not a["href"].startswith("#")]
    urls = nav_urls()
    notebooks = [url for url in urls if url.startswith("notebooks/")]
    chapters = [url for url in urls if url not in notebooks]
    assert len(notebooks) == 6
    for url in chapters:
        links = nav_links(url)
        assert set(chapters) <= set(links), url
        assert [link for link in links if link.startswith("notebooks/")] == notebooks[:1], url
    for url in notebooks:
        assert set(urls) <= set(nav_links(url)), url


def test_the_search_index_has_readable_text_not_tex(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    tent = [doc["text"] for doc in index["docs"] if "The tent map" in doc["text"]]
    assert tent and "T(x) = 2 ReLU(x) - 4 ReLU(x - 1/2)" in tent[0]
    for doc in index["docs"]:
        assert not re.search(r"\\[(\[]|\\(mathrm|frac|top|mathbb)\b", doc["title"] + doc["text"]), doc["location"]


def test_two_builds_are_byte_identical(built_site: Path, fresh_site: tuple[Path, str]) -> None:
    # The second build starts from an empty cache: figures drawn and notebooks executed again too.
    again, _ = fresh_site
    first = {p.relative_to(built_site): p.read_bytes() for p in built_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    differing = sorted(str(path) for path in first if first[path] != second[path])
    assert not differing, f"files that differ between two builds: {differing}"


def test_make_anchors_adds_the_new_anchors_and_keeps_the_old(built_site: Path, tmp_path: Path) -> None:
    from hooks.anchors import update_lock

    lock = tmp_path / "anchors.lock"
    assert read_lock(lock) == []
    lock.write_text("# header\n/gone/#kept-anyway\n")
    added = update_lock(built_site, lock)
    assert "/gone/#kept-anyway" not in added and "/glm/#irls" in added
    assert read_lock(lock) == sorted({"/gone/#kept-anyway", *added})
    assert update_lock(built_site, lock) == []  # nothing new the second time
