"""The glossary (docs/glossary.yml): each term defined once, shown as a tooltip wherever it is used.

Every page gets the terms as abbreviations (the glossary of Python-Markdown's abbr extension, shown
by Material's tooltips), and the glossary page lists them with anchors term-SLUG.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from hooks import load_yaml

GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "glossary.yml"


def slug(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def load_glossary(path: Path = GLOSSARY) -> list[dict]:
    """[{term, definition, forms}], checked: unique terms, plain-text definitions."""
    return [dict(entry) for entry in _load(path, path.stat().st_mtime)]


@cache
def _load(path: Path, mtime: float) -> tuple[dict, ...]:  # re-read when the file changes
    entries = load_yaml(path.read_text())
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
    return tuple(entries)


def abbreviations() -> dict[str, str]:
    """{form: definition} for every form of every term: the abbr extension's glossary option."""
    return {form: entry["definition"] for entry in load_glossary() for form in entry["forms"]}


def glossary_markdown() -> str:
    """The glossary page's list: each term in bold with its anchor, then its definition."""
    entries = sorted(load_glossary(), key=lambda e: e["term"].lower())
    return "\n\n".join(f"**{e['term']}**: {e['definition']}\n{{: #term-{slug(e['term'])} .glossary-entry }}"
                       for e in entries)
