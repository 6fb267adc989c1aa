"""Tests of the references (docs/references.bib, sitekit/references.py), the glossary, the cite
controls, the one-page version and the generated index pages."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import build_site
from hooks.anchors import parse
from sitekit.cite import markdown_link
from sitekit.claims import parse_claims
from sitekit.glossary import GLOSSARY, load_glossary, load_notation, slug
from sitekit.references import DOI, bibliography, cite, cited_keys, citep, format_entry
from tests.markdown_fences import ROOT

DOCS = ROOT / "docs"
SITE_NAME = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)["site_name"]


def soup(path: Path) -> BeautifulSoup:
    """The parsed page, parsed once per version of the file. Read it, do not modify it."""
    return parse(path)


def all_cited_keys() -> dict[str, set[str]]:
    return {page.name: cited_keys(page.read_text()) for page in DOCS.rglob("*.md")}


# --- references -----------------------------------------------------------------------------------

def test_every_cited_key_is_in_the_bibliography() -> None:
    entries = bibliography()
    missing = {page: sorted(keys - set(entries)) for page, keys in all_cited_keys().items() if keys - set(entries)}
    assert not missing, f"cited but not in references.bib: {missing}"


def test_every_entry_is_cited_somewhere() -> None:
    cited = set().union(*all_cited_keys().values())
    uncited = sorted(set(bibliography()) - cited)
    assert not uncited, f"entries in references.bib that no page cites: {uncited}"


def test_dois_are_well_formed_and_entries_complete() -> None:
    for key, entry in bibliography().items():
        assert {"title", "year"} <= set(entry.fields), key
        assert entry.persons.get("author"), f"{key}: no author"
        if "doi" in entry.fields:
            assert DOI.match(entry.fields["doi"]), f"{key}: malformed DOI {entry.fields['doi']!r}"
        assert re.fullmatch(r"(19|20)\d\d", entry.fields["year"]), f"{key}: year {entry.fields['year']!r}"


def test_the_doi_pattern_rejects_what_is_not_a_doi() -> None:
    assert DOI.match("10.2307/2344614") and DOI.match("10.1016/0893-6080(89)90020-8")
    for bad in ("https://doi.org/10.2307/2344614", "10.23/x", "doi:10.2307/2344614", "10.2307/ 2344614"):
        assert not DOI.match(bad), bad


def test_citations_link_to_their_entry() -> None:
    assert cite("glm.md", "nelder1972") == "[Nelder and Wedderburn (1972)](references.md#ref-nelder1972)"
    assert cite("sub/page.md", "cybenko1989") == "[Cybenko (1989)](../references.md#ref-cybenko1989)"
    assert citep("x.md", "leshno1993", "hornik1991") == (
        "([Leshno et al. 1993](references.md#ref-leshno1993); [Hornik 1991](references.md#ref-hornik1991))")
    with pytest.raises(ValueError, match="no entry 'nobody2000'"):
        cite("x.md", "nobody2000")
    assert "(https://doi.org/10.2307/2344614)" in format_entry("nelder1972", bibliography()["nelder1972"])


@pytest.mark.parametrize(("author", "label"), [
    ("Laurent, Thomas and von Brecht, James", "Laurent and von Brecht"),
    ("van der Vaart, Aad", "van der Vaart"),
    ("de Finetti, Bruno", "de Finetti"),
    ("della Pietra, Stephen and Nelder, John", "della Pietra and Nelder"),
    ("Ludwig van Beethoven", "van Beethoven"),
])
def test_a_citation_keeps_the_particles_of_a_surname(author: str, label: str) -> None:
    from pybtex.database import parse_string

    from sitekit.references import author_label
    entry = parse_string(f"@article{{k, author = {{{author}}}, title = {{T}}, year = {{2000}}}}", "bibtex").entries["k"]
    assert author_label(entry) == label


def test_the_deep_linear_citation_names_von_brecht() -> None:
    key = next(k for k, e in bibliography().items() if "Brecht" in str(e.persons["author"][-1]))
    assert cite("stacking.md", key).startswith("[Laurent and von Brecht (2018)]")


def test_reference_entries_name_authors_unambiguously_and_set_only_venues_in_italics() -> None:
    entries = bibliography()
    arora = format_entry("arora2018", entries["arora2018"])
    assert arora.startswith("Arora, R\\., Basu, A\\., Mianjy, P\\., and Mukherjee, A\\.")
    snoek = format_entry("snoek2015", entries["snoek2015"])
    assert ", Prabhat, and Adams, R\\. P\\." in snoek and ", ," not in snoek
    assert "Bayesian" in snoek  # a proper noun keeps its capital in a sentence-case title
    book = format_entry("mccullagh1989", entries["mccullagh1989"])
    assert "*Generalized Linear Models*" in book and "*Chapman" not in book and "Chapman and Hall" in book


def test_the_references_page_lists_every_entry_with_its_anchor(built_site: Path) -> None:
    page = soup(built_site / "references" / "index.html")
    for key in bibliography():
        assert page.find(id=f"ref-{key}") is not None, key
    # Every in-text citation on the site points at an existing entry.
    for html_file in built_site.rglob("index.html"):
        for link in soup(html_file).find_all("a", href=re.compile(r"references/#ref-")):
            assert link["href"].split("#ref-")[1] in bibliography()


def test_the_site_citation_follows_citation_cff(built_site: Path) -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    text = soup(built_site / "references" / "index.html").get_text()
    assert cff["title"] in text and f"version = {{{cff['version']}}}" in text
    assert f"year = {{{str(cff['date-released'])[:4]}}}" in text


# --- glossary -------------------------------------------------------------------------------------

def test_glossary_terms_are_on_the_glossary_page_and_shown_as_tooltips(built_site: Path) -> None:
    glossary_page = soup(built_site / "glossary" / "index.html")
    titles_seen: set[str] = set()
    for html_file in built_site.rglob("index.html"):
        if "glossary" not in html_file.parts and "print" not in html_file.parts:
            titles_seen |= {abbr.get("title") for abbr in soup(html_file).find_all("abbr")}
    for entry in load_glossary():
        assert glossary_page.find(id=f"term-{slug(entry['term'])}") is not None, entry["term"]
    used = [e["term"] for e in load_glossary() if e["definition"] in titles_seen]
    assert len(used) >= 0.8 * len(load_glossary()), f"most terms should appear on the chapters; only {used}"


def test_tooltips_are_reachable_by_keyboard_once_per_term_and_never_in_headings(built_site: Path) -> None:
    for html_file in built_site.rglob("index.html"):
        article = soup(html_file).find("article")
        if article is None:
            continue
        abbrs = article.find_all("abbr")
        assert all(a.get("tabindex") == "0" for a in abbrs), html_file
        assert not article.select(":is(h1, h2, h3, h4, h5, h6) abbr"), f"{html_file}: a term marked in a heading"
        if "print" not in html_file.parts:
            titles = [a["title"] for a in abbrs]
            assert len(titles) == len(set(titles)), f"{html_file}: a term marked twice"


def test_the_glossary_loader_refuses_duplicates_and_markup(tmp_path: Path) -> None:
    duplicate = tmp_path / "g.yml"
    duplicate.write_text("- {term: IRLS, definition: one}\n- {term: irls, definition: two}\n")
    with pytest.raises(ValueError, match="defined twice"):
        load_glossary(duplicate)
    markup = tmp_path / "m.yml"
    markup.write_text("- {term: score, definition: 'the gradient $U$'}\n")
    with pytest.raises(ValueError, match="plain text"):
        load_glossary(markup)
    assert GLOSSARY.exists()


# --- notation -------------------------------------------------------------------------------------

CHAPTERS = ["index", "linear", "glm", "neuron", "stacking", "glm-again", "inference", "universal", "verdict", "faq"]
MATH = re.compile(r"\$\$(.*?)\$\$|\$([^$]+?)\$", re.S)  # inline math may wrap onto the next line


def math_spans(markdown: str) -> list[str]:
    """The TeX of every math span of a page's Markdown, code fences left out."""
    prose = re.sub(r"```.*?```", "", markdown, flags=re.S)
    return [a or b for a, b in MATH.findall(prose)]


def section(markdown: str, anchor: str) -> str:
    """The text of the section whose heading has the id `anchor`, up to the next heading as high."""
    heading = re.search(rf"^(#+) .*\{{#{re.escape(anchor)}[^}}]*\}}\s*$", markdown, re.M)
    assert heading, f"no heading with the id {anchor!r}"
    level = len(heading.group(1))
    rest = markdown[heading.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[: end.start()] if end else rest


def uses(tex: str, symbol: str) -> bool:
    """Whether the TeX `tex` contains `symbol` as a whole symbol (not as part of a longer name)."""
    return re.search(rf"(?<![A-Za-z\\]){re.escape(symbol)}(?![A-Za-z])", tex) is not None


def test_every_symbol_of_the_notation_table_is_used_in_the_section_that_introduces_it() -> None:
    unused = []
    for entry in load_notation():
        page, anchor = entry["introduced"].split("#")
        spans = math_spans(section((DOCS / page).read_text(), anchor))
        if not any(uses(tex, entry["symbol"]) for tex in spans):
            unused.append(f"{entry['symbol']!r} is said to be introduced at {entry['introduced']}, "
                          "but no formula there uses it")
    assert not unused, "\n".join(unused)


def test_no_page_writes_a_symbol_the_notation_table_retired() -> None:
    # The literature's letters the site gave up (b for the cumulant function, phi for the
    # dispersion, W for the working weights, ...) must not come back on any page with their old
    # meaning: one symbol, one meaning.
    found = []
    for page in sorted(DOCS.glob("*.md")):
        for tex in math_spans(page.read_text()):
            for entry in load_notation():
                found += [f"{page.name}: ${tex}$ (retired for {entry['symbol']})"
                          for pattern in entry["retired"] if re.search(pattern, tex)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("pattern", ["b(\\theta)", "\\frac{1}{\\phi}", "X^\\top W X", "L(w)", "f_N(x)", "1/L"])
def test_the_retired_spellings_would_be_caught(pattern: str) -> None:
    assert any(re.search(p, pattern) for entry in load_notation() for p in entry["retired"]), pattern


def test_every_chapter_links_to_the_notation_table_and_it_lists_every_symbol(built_site: Path) -> None:
    for chapter in CHAPTERS:
        html = built_site / ("" if chapter == "index" else chapter) / "index.html"
        links = {a.get("href") for a in soup(html).select("article a")}
        assert any(href and href.rstrip("/").endswith("glossary/#notation") for href in links), chapter
    table = soup(built_site / "glossary" / "index.html").find(id="notation").find_next("table")
    rows = table.find_all("tr")[1:]
    assert len(rows) == len(load_notation())
    assert all(row.find("math") is not None and row.find("a") is not None for row in rows)


def test_the_notation_loader_refuses_a_symbol_twice_and_an_entry_without_its_section(tmp_path: Path) -> None:
    twice = tmp_path / "n.yml"
    twice.write_text("- {symbol: x, meaning: an input, introduced: linear.md#a}\n"
                     "- {symbol: x, meaning: a knot, introduced: universal.md#b}\n")
    with pytest.raises(ValueError, match="listed twice"):
        load_notation(twice)
    incomplete = tmp_path / "i.yml"
    incomplete.write_text("- {symbol: x, meaning: an input}\n")
    with pytest.raises(ValueError, match="introduced"):
        load_notation(incomplete)
    nowhere = tmp_path / "w.yml"
    nowhere.write_text("- {symbol: x, meaning: an input, introduced: linear.md}\n")
    with pytest.raises(ValueError, match="page.md#anchor"):
        load_notation(nowhere)


# --- cite controls ----------------------------------------------------------------------------------

def test_every_section_and_claim_has_a_cite_control_with_the_right_link(built_site: Path) -> None:
    site_url = "https://nn-glm.github.io/"
    checked = 0
    for html_file in built_site.rglob("index.html"):
        page_url = html_file.parent.relative_to(built_site).as_posix()
        page_url = "" if page_url == "." else f"{page_url}/"
        if page_url == "print/":
            continue
        document = soup(html_file)
        article = document.find("article")
        if article is None or document.find("meta", attrs={"http-equiv": "refresh"}):
            continue
        for heading in article.find_all(["h2", "h3", "h4"], id=True):
            button = heading.find("button", class_="cite-button")
            assert button is not None, f"{page_url}#{heading['id']} has no cite control"
            for extra in heading.select("button.cite-button, a.headerlink"):
                extra.extract()
            title = heading.get_text()
            url = f"{site_url}{page_url}#{heading['id']}"
            assert button["data-cite-url"] == url
            # The latest built from a commit that is no release: the link is the latest's, and names the commit.
            assert button["data-cite-markdown"] == markdown_link(" ".join(title.split()), SITE_NAME, url,
                                                                 button["data-cite-version"])
            assert re.fullmatch(r"(commit [0-9a-f]{7}|unreleased sources) of \d{4}-\d{2}-\d{2}.*\(not yet released\)",
                                button["data-cite-version"]) and not button.get("data-cite-pinned")
            checked += 1
        for box in article.select(".admonition.claim"):
            button = box.find("button", class_="cite-button")
            assert button["data-cite-url"] == f"{site_url}{page_url}#{box['id']}"
            assert button["data-cite-markdown"].startswith("[Claim: ")
            checked += 1
    assert checked > 60


def test_markdown_links_escape_brackets() -> None:
    assert markdown_link("A [b] c", "Site", "https://x/") == "[A \\[b\\] c \u2013 Site](https://x/)"


@pytest.mark.slow
def test_the_canonical_url_is_one_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site_cache: Path) -> None:
    monkeypatch.setenv("SITE_URL", "https://example.org/answers/")
    site = tmp_path / "site"
    build_site(site, cache_dir=site_cache)
    glm = soup(site / "glm" / "index.html")
    assert glm.find("link", rel="canonical")["href"] == "https://example.org/answers/glm/"
    assert all(b["data-cite-url"].startswith("https://example.org/answers/") for b in glm.select(".cite-button"))
    assert "<loc>https://example.org/answers/glm/</loc>" in (site / "sitemap.xml").read_text()
    claims = json.loads((site / "claims.json").read_text())
    assert all(c["url"].startswith("https://example.org/answers/") for c in claims)
    # The downloadable notebooks install the snippets wheel from the same site.
    notebook = (site / "notebooks" / "glm" / "glm.ipynb").read_text()
    assert "nn-glm-snippets @ https://example.org/answers/packages/nn_glm_snippets-" in notebook


# --- pages generated from the sources -----------------------------------------------------------------

def test_the_faq_answers_at_least_twelve_questions_each_with_a_link(built_site: Path) -> None:
    article = soup(built_site / "faq" / "index.html").find("article")
    questions = article.find_all("h2")
    assert len(questions) >= 12
    for question in questions:
        answer = question.find_next_sibling("p")
        assert answer is not None and answer.find("a") is not None, question.get_text()


def test_the_verdict_answers_each_point_and_ends_with_the_answer() -> None:
    text = (DOCS / "verdict.md").read_text()
    for anchor in ("the-argument", "the-citation", "which-linear", "piecewise-linear", "how-stacking-breaks-linearity",
                   "weakly-non-linear", "universal-approximation", "the-activation-function", "the-answer"):
        assert f"{{#{anchor}}}" in text
    assert text.rstrip().split("\n## ")[-1].startswith("The answer in one paragraph")
    assert "1982" in text and 'cite("nelder1972")' in text


def test_the_one_page_version_has_every_chapter_with_unique_ids(built_site: Path) -> None:
    page = soup(built_site / "print" / "index.html")
    chapters = page.select("section.print-chapter")
    nav = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader)["nav"]
    nav_pages = [entry for entry in nav if isinstance(next(iter(entry.values())), str)]
    # Every page but the one-page version itself; the notebooks (a nav section) stay on their pages.
    assert len(chapters) == len(nav_pages) - 1
    assert not [c for c in chapters if c["id"].startswith("chapter-notebooks")]
    ids = [tag["id"] for tag in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), "duplicate ids on the one-page version"
    known = set(ids)
    for link in page.select("#print-content a[href^='#']"):
        assert link["href"][1:] in known, link["href"]
    for image in page.select("#print-content img"):
        assert (built_site / "print" / urlsplit(image["src"]).path).resolve().is_file(), image["src"]


def test_claim_statements_in_claims_json_match_the_pages(built_site: Path) -> None:
    stated = {c.id: c for page in DOCS.rglob("*.md") for c in parse_claims(page.read_text(), page.name)}
    for claim in json.loads((built_site / "claims.json").read_text()):
        assert claim["statement"] == stated[claim["id"]].statement
