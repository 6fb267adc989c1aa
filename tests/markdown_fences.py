"""The Markdown parser pytest-markdown-docs uses here: it also sees fences inside admonitions
and content tabs (indented, so CommonMark reads them as plain code blocks) and expands
pymdownx.snippets includes (`--8<-- "snippets/mod.py:region"`) the way the site build does.

An included region runs in the namespace of its module, as it does in the package: the
executed code is one namespace line, exactly the code the page shows, and one line that gives the
functions it defines their module's argument checks (snippets/_boundary.py).
"""

from __future__ import annotations

import textwrap
from functools import cache
from pathlib import Path

import markdown
import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

ROOT = Path(__file__).resolve().parent.parent
NAMESPACE_MARKER = "# <- the included region runs in its module's namespace"
BOUNDARY_MARKER = "# <- and its functions check their arguments, as the module's do"
INCLUDE = '--8<-- "'


class _IgnoreTags(yaml.SafeLoader):
    """Reads mkdocs.yml without resolving its !ENV and !!python tags (not needed here)."""


_IgnoreTags.add_multi_constructor("!", lambda loader, suffix, node: None)
_IgnoreTags.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@cache
def snippet_options() -> dict:
    """The pymdownx.snippets options of mkdocs.yml, so tests include exactly what the site does."""
    config = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=_IgnoreTags)
    for entry in config["markdown_extensions"]:
        if isinstance(entry, dict) and "pymdownx.snippets" in entry:
            return dict(entry["pymdownx.snippets"],
                        base_path=[str(ROOT / p) for p in entry["pymdownx.snippets"]["base_path"]])
    raise LookupError("mkdocs.yml does not configure pymdownx.snippets")


def expand_includes(code: str) -> str:
    """Replace each `--8<--` line by the file region it names (a missing one raises)."""
    md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs={"pymdownx.snippets": snippet_options()})
    return "\n".join(md.preprocessors["snippet"].run(code.splitlines())) + "\n"


def included_module(code: str) -> str | None:
    """`snippets.overview` for a fence whose first include is `snippets/overview.py:...`."""
    for line in code.splitlines():
        if line.strip().startswith(INCLUDE):
            path = line.strip()[len(INCLUDE):].split('"')[0].split(":")[0]
            if path.startswith("snippets/") and path.endswith(".py"):
                return path.removesuffix(".py").replace("/", ".")
    return None


def displayed_code(executed: str) -> str:
    """The code a reader sees for an executed fence: without the namespace line."""
    return "\n".join(line for line in executed.splitlines()
                     if NAMESPACE_MARKER not in line and BOUNDARY_MARKER not in line)


class SiteMarkdownIt(MarkdownIt):
    """CommonMark, plus fences nested in indented blocks and expanded snippet includes."""

    def __init__(self) -> None:
        super().__init__("commonmark")

    def parse(self, src: str, env: dict | None = None) -> list[Token]:
        tokens = super().parse(src, env)
        out: list[Token] = []
        for token in tokens:
            if token.type == "code_block" and "```" in token.content and token.map:
                # An admonition or tab body: parse it again, dedented, and shift line numbers back.
                for inner in self.parse(textwrap.dedent(token.content), env):
                    if inner.map:
                        inner.map = [inner.map[0] + token.map[0], inner.map[1] + token.map[0]]
                    out.append(inner)
                continue
            if token.type == "fence" and INCLUDE in token.content:
                module = included_module(token.content)
                expanded = expand_includes(token.content)
                if module:
                    namespace = f"globals().update(vars(__import__({module!r}, fromlist=['*'])))"
                    boundary = "__import__('snippets._boundary', fromlist=['*']).enforce_annotations(globals())"
                    expanded = f"{namespace}  {NAMESPACE_MARKER}\n{expanded}{boundary}  {BOUNDARY_MARKER}\n"
                token.content = expanded
            out.append(token)
        return out
