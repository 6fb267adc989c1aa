"""References from one BibTeX file (docs/references.bib): in-text citations and the reference list.

`{{ cite("key") }}` gives "Author and Author (1999)", `{{ citep("key", "key2") }}` gives
"(Author 1999; Author et al. 2001)"; both link to the entry on the references page, whose anchor
is ref-KEY. An unknown key fails the build.
"""

from __future__ import annotations

import posixpath
import re
from functools import cache
from pathlib import Path

from pybtex.database import Entry, parse_file
from pybtex.plugin import find_plugin

from sitekit import load_yaml

BIBLIOGRAPHY = Path(__file__).resolve().parent.parent / "docs" / "references.bib"
REFERENCES_PAGE = "references.md"
DOI = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Za-z0-9]+$")
CITATION = re.compile(r"\{\{\s*cite[p]?\((?P<keys>[^)]*)\)\s*\}\}")


@cache
def _load(path: Path, mtime: float) -> dict[str, Entry]:
    return dict(parse_file(str(path), bib_format="bibtex").entries)


def bibliography(path: Path = BIBLIOGRAPHY) -> dict[str, Entry]:
    """Every entry of the BibTeX file, by key (re-read when the file changes)."""
    return _load(path, path.stat().st_mtime)


def _plain(text: str) -> str:
    return text.replace("{", "").replace("}", "").replace("--", "\u2013")


def _last_names(entry: Entry) -> list[str]:
    """The surnames alone, for sorting the list (von Brecht under B, as the reference list shows)."""
    return [_plain(" ".join(person.last_names)) for person in entry.persons["author"]]


def _cited_names(entry: Entry) -> list[str]:
    """The surnames with their particles, as a citation names them: 'von Brecht', 'de Finetti'."""
    return [_plain(" ".join(person.prelast_names + person.last_names)) for person in entry.persons["author"]]


def author_label(entry: Entry) -> str:
    """'Nelder and Wedderburn', 'Laurent and von Brecht', 'Cybenko', or 'Leshno et al.'."""
    names = _cited_names(entry)
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


def entry_link(entry: Entry) -> str | None:
    """The DOI as a URL, else the entry's url field, else None."""
    if "doi" in entry.fields:
        return f"https://doi.org/{entry.fields['doi']}"
    return entry.fields.get("url")


def _lookup(key: str) -> Entry:
    entries = bibliography()
    if key not in entries:
        raise ValueError(f"no entry {key!r} in {BIBLIOGRAPHY.name}")
    return entries[key]


def _href(page_src: str, key: str) -> str:
    here = posixpath.dirname(page_src) or "."
    return f"{posixpath.relpath(REFERENCES_PAGE, here)}#ref-{key}"


def cite(page_src: str, key: str) -> str:
    """Narrative citation: [Nelder and Wedderburn (1972)](references.md#ref-nelder1972)."""
    entry = _lookup(key)
    return f"[{author_label(entry)} ({entry.fields['year']})]({_href(page_src, key)})"


def citep(page_src: str, *keys: str) -> str:
    """Parenthetical citation of one or more keys: ([Cybenko 1989](...); [Hornik 1991](...))."""
    if not keys:
        raise ValueError("citep needs at least one key")
    parts = [f"[{author_label(_lookup(k))} {_lookup(k).fields['year']}]({_href(page_src, k)})" for k in keys]
    return f"({'; '.join(parts)})"


@cache
def _style_and_backend():
    """pybtex's own unsrt style, with names as "Nelder, J. A." (last name first, initials), and its
    Markdown backend: a kept style rather than a hand-made one."""
    style = find_plugin("pybtex.style.formatting", "unsrt")(name_style="lastfirst", abbreviate_names=True)
    return style, find_plugin("pybtex.backends", "markdown")()


def format_entry(key: str, entry: Entry) -> str:
    """One reference as Markdown, in pybtex's unsrt style: authors. Title. Venue, details, year. Note. Link."""
    style, backend = _style_and_backend()
    formatted = style.format_entry(key, entry)
    return " ".join(formatted.text.render(backend).split())


def bibliography_markdown(page_src: str) -> str:
    """The reference list, sorted by author and year, each entry with its anchor ref-KEY."""
    entries = sorted(bibliography().items(), key=lambda item: (_last_names(item[1]), item[1].fields["year"]))
    return "\n\n".join(f"{format_entry(key, entry)}\n{{: #ref-{key} .reference }}" for key, entry in entries)


def cited_keys(markdown: str) -> set[str]:
    """The keys that a page's cite/citep shortcodes name."""
    keys = set()
    for match in CITATION.finditer(markdown):
        keys |= set(re.findall(r"['\"]([^'\"]+)['\"]", match.group("keys")))
    return keys


def site_citation_markdown(site_url: str, citation_file: Path = BIBLIOGRAPHY.parent.parent / "CITATION.cff") -> str:
    """How to cite this site, in plain text and as BibTeX, generated from CITATION.cff."""

    cff = load_yaml(citation_file.read_text())
    authors = " and ".join(a.get("name") or f"{a['family-names']}, {a['given-names']}" for a in cff["authors"])
    year = str(cff["date-released"])[:4]
    plain = f"{authors} ({year}). *{cff['title']}*. Version {cff['version']}. {site_url}"
    bibtex = "\n".join([
        "@misc{nnglm" + year + ",",
        f"  author = {{{{{authors}}}}},",
        f"  title = {{{cff['title']}}},",
        f"  year = {{{year}}},",
        f"  version = {{{cff['version']}}},",
        f"  url = {{{site_url}}}",
        "}",
    ])
    return f"{plain}\n\n```bibtex\n{bibtex}\n```"
