"""The glossary (docs/glossary.yml, each term defined once) and its tooltips, placed for readers:
`sitekit.glossary` in markdown_extensions.

Python-Markdown's abbr extension (with the glossary from docs/glossary.yml as its `glossary`
option) wraps every occurrence of every term in <abbr title="definition">, which Material shows as
a tooltip. This extension runs after it and keeps, on each page, only the first occurrence of each
term outside headings, made focusable so that keyboard readers reach its tooltip too (Material
shows a tooltip on focus as on hover). Terms in headings are never marked: a heading is a title,
not a sentence to gloss, and its dotted underline would mark the table of contents as well.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from functools import cache
from pathlib import Path

from markdown import Extension, Markdown
from markdown.extensions.abbr import AbbrExtension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from sitekit import load_yaml
from sitekit.errors import reported

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.yml"


def slug(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def _entries(path: Path, check: Callable[[Path, list[dict]], None]) -> list[dict]:
    """The YAML list in `path`, passed through `check` (which raises on a bad entry), as copies."""
    return [dict(entry) for entry in _checked(path, path.stat().st_mtime, check)]


@cache
def _checked(path: Path, mtime: float, check: Callable[[Path, list[dict]], None]) -> tuple[dict, ...]:
    # Read again whenever the file changes (mtime is in the key).
    entries = load_yaml(path.read_text(), f"{path.parent.name}/{path.name}")
    check(path, entries)
    return tuple(entries)


def load_glossary(path: Path = GLOSSARY) -> list[dict]:
    """[{term, definition, forms}], checked: unique terms, plain-text definitions."""
    return _entries(path, _check_glossary)


def _check_glossary(path: Path, entries: list[dict]) -> None:
    seen = set()
    for entry in entries:
        term, definition = entry.get("term"), entry.get("definition")
        if not term or not definition:
            raise ValueError(f"{path.name}: every entry needs a term and a definition, got {entry!r}")
        if term.lower() in seen:
            raise ValueError(f"{path.name}: {term!r} is defined twice")
        if any(ch in definition for ch in "$*[]`"):
            raise ValueError(f"{path.name}: the definition of {term!r} must be plain text (it becomes a tooltip)")
        seen.add(term.lower())
        forms = [term, *entry.get("also", [])]
        # A term can open a sentence: add the capitalised form of each lowercase one.
        entry["forms"] = sorted({*forms, *(f[0].upper() + f[1:] for f in forms if f[0].islower())})


def abbreviations() -> dict[str, str]:
    """{form: definition} for every form of every term: the abbr extension's glossary option."""
    return {form: entry["definition"] for entry in load_glossary() for form in entry["forms"]}


def glossary_markdown() -> str:
    """The glossary page's list: each term in bold with its anchor, then its definition."""
    entries = sorted(load_glossary(), key=lambda e: e["term"].lower())
    return "\n\n".join(f"**{e['term']}**: {e['definition']}\n{{: #term-{slug(e['term'])} .glossary-entry }}"
                       for e in entries)


NOTATION = GLOSSARY.with_name("notation.yml")


def load_notation(path: Path = NOTATION) -> list[dict]:
    """[{symbol, meaning, introduced, retired}], checked: each symbol once, each entry complete."""
    return _entries(path, _check_notation)


def _check_notation(path: Path, entries: list[dict]) -> None:
    seen = set()
    for entry in entries:
        if not all(entry.get(field) for field in ("symbol", "meaning", "introduced")):
            raise ValueError(f"{path.name}: every entry needs a symbol, a meaning and where it is introduced "
                             f"(page.md#anchor), got {entry!r}")
        if entry["symbol"] in seen:
            raise ValueError(f"{path.name}: {entry['symbol']!r} is listed twice: one symbol, one meaning")
        if "#" not in entry["introduced"]:
            raise ValueError(f"{path.name}: {entry['symbol']!r}: introduced must be page.md#anchor, "
                             f"got {entry['introduced']!r}")
        seen.add(entry["symbol"])
        entry.setdefault("retired", [])


def _section_titles(page: Path) -> dict[str, str]:
    # {anchor: heading text} of the page's headings written with an explicit id.
    titles = {}
    for line in page.read_text().splitlines():
        match = re.match(r"#+\s+(.*?)\s*\{#([\w-]+)[^}]*\}\s*$", line)
        if match:
            titles[match.group(2)] = match.group(1)
    return titles


def notation_markdown() -> str:
    """The notation table: symbol, meaning, and a link to the section that introduces it."""
    titles_of: dict[str, dict[str, str]] = {}  # each page read once, however many symbols it introduces
    rows = ["| symbol | meaning | introduced in |", "| --- | --- | --- |"]
    for entry in load_notation():
        page, anchor = entry["introduced"].split("#", 1)
        if page not in titles_of:
            titles_of[page] = _section_titles(NOTATION.parent / page)
        titles = titles_of[page]
        if anchor not in titles:
            raise ValueError(f"{NOTATION.name}: {entry['symbol']!r} is introduced at {entry['introduced']}, "
                             f"but {page} has no heading with the id {anchor!r}")
        chapter = next(iter(titles.values()))
        rows.append(f"| ${entry['symbol']}$ | {entry['meaning']} | [{titles[anchor]}]({page}#{anchor}) "
                    f"({chapter}) |")
    return "\n".join(rows)


def unwrap(parent: etree.Element, child: etree.Element) -> None:
    """Replace `child` by its text and tail, inside `parent` (an <abbr> holds text only)."""
    index = list(parent).index(child)
    text = (child.text or "") + (child.tail or "")
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(child)


class GlossaryMarksTreeprocessor(Treeprocessor):
    """First occurrence of each term per page: a focusable <abbr>; the others and those in headings: text."""

    def run(self, root: etree.Element) -> None:
        seen: set[str] = set()
        self._walk(root, seen, in_heading=False)

    def _walk(self, element: etree.Element, seen: set[str], in_heading: bool) -> None:
        for child in list(element):
            if child.tag == "abbr":
                title = child.get("title", "")
                if in_heading or title in seen:
                    unwrap(element, child)
                else:
                    seen.add(title)
                    child.set("tabindex", "0")
            else:
                self._walk(child, seen, in_heading or child.tag in HEADINGS)


class GlossaryTermsPreprocessor(Preprocessor):
    """The terms as the abbr extension's glossary (through its public load_glossary), not
    `*[term]: ...` lines appended to each page: Python-Markdown re-tests the rest of a block of
    definitions once per line (0.4 s a build). Loaded when a page is read, not when the extension
    is: a fault in glossary.yml is then a fault of the page (one message), not of the configuration
    (which MkDocs prints with a traceback)."""

    def __init__(self, md: Markdown, abbr: AbbrExtension) -> None:
        super().__init__(md)
        self.abbr = abbr

    @reported
    def run(self, lines: list[str]) -> list[str]:
        self.abbr.load_glossary(abbreviations())
        self.abbr.abbrs.update(self.abbr.glossary)
        return lines


class GlossaryMarksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        abbr = next((e for e in md.registeredExtensions if isinstance(e, AbbrExtension)), None)
        if abbr is None:
            raise ValueError("sitekit.glossary: list the abbr extension before it in markdown_extensions")
        md.preprocessors.register(GlossaryTermsPreprocessor(md, abbr), "glossary_terms", 120)
        # After abbr (priority 7), before toc (5) reads the headings' text.
        md.treeprocessors.register(GlossaryMarksTreeprocessor(md), "glossary_marks", 6)


def makeExtension(**kwargs: object) -> GlossaryMarksExtension:  # noqa: N802 (Python-Markdown's name)
    return GlossaryMarksExtension(**kwargs)
