"""The listings a page includes from snippets/ (`--8<-- "snippets/glm.py:irls"`), checked before
pymdownx.snippets includes them: each named section must have one start marker and, after it, one
end marker in its file. pymdownx.snippets includes a section whose end marker is missing to the end
of the file, and a second start marker is ignored, so either would publish code the page does not
mean to show.
"""

from __future__ import annotations

import re
from pathlib import Path

from sitekit.errors import BuildFault

# An include line with a section (`;--8<--` is pymdownx's escaped form, shown and not included).
INCLUDE = re.compile(r'^(?<!;)--8<--\s+"(?P<path>[^":]+):(?P<section>[a-z][-_0-9a-z]*)"\s*$')


def markers(text: str, section: str) -> list[tuple[str, int]]:
    """[(start or end, line number)] of the markers of `section` in a file's text, in order."""
    marker = re.compile(rf"--8<--\s*\[\s*(start|end)\s*:\s*{re.escape(section)}\s*\]")
    return [(found.group(1), number) for number, line in enumerate(text.splitlines(), 1)
            for found in marker.finditer(line)]


def section_fault(text: str, section: str) -> str | None:
    """What is wrong with the markers of `section` in a file's text, or None if it has one start
    marker followed by one end marker."""
    found = markers(text, section)
    kinds = [kind for kind, _ in found]
    if kinds == ["start", "end"]:
        return None
    if not found:
        return "no start or end marker"
    lines = ", ".join(f"{kind} at line {number}" for kind, number in found)
    if kinds == ["start"]:
        return f"a start marker (line {found[0][1]}) and no end marker: the file to its end would be shown"
    return f"markers {lines}: expected one start marker, then one end marker"


def check_includes(markdown: str, src: str, root: Path, docs_dir: Path) -> None:
    """BuildFault naming the page, its line, the file and the section for every include of a
    section whose markers are wrong (a missing file is pymdownx.snippets' error, check_paths)."""
    for line in markdown.splitlines():
        include = INCLUDE.match(line.strip())
        if include is None:
            continue
        path = root / include["path"]
        if not path.is_file():
            continue
        problem = section_fault(path.read_text(), include["section"])
        if problem is not None:
            raise BuildFault(f"{src}{_line_in(docs_dir / src, line)}: {include['path']}: section "
                             f"{include['section']!r} has {problem}")


def _line_in(page: Path, line: str) -> str:
    """", line N": where `line` is in the page's file (the Markdown a stage sees has lost the front
    matter, so its own line numbers are not the file's)."""
    lines = page.read_text().splitlines() if page.is_file() else []
    return f", line {lines.index(line) + 1}" if line in lines else ""
