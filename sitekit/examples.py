"""Executed examples: a fence written ```python exec="on"``` runs when the site is built and shows
its code followed by what it printed. The output is cached under a hash of the code and of the
fingerprints of the snippets objects it imports, so a warm rebuild runs nothing, and an edit to
snippets/ reruns only the examples that import what changed. An example that raises fails the build.
mkdocs.yml declares the fence (superfences' custom_fences) with this module's validator and format.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
from pathlib import Path

from pymdownx.superfences import SuperFencesException

from sitekit import cache, memo
from sitekit.build import current
from sitekit.context import for_markdown
from sitekit.errors import BuildFault, described
from sitekit.fingerprint import fingerprint_value


class ExampleFault(BuildFault, SuperFencesException):
    """An executed example that raised. superfences treats any other exception as "not a fence"
    and renders the code silently; SuperFencesException is the one it lets through."""


def is_executed(language: str, inputs: dict, options: dict, attrs: dict, md) -> bool:
    """superfences validator: only fences that ask for it (exec="on") are run."""
    return str(inputs.get("exec", "")).lower() in ("on", "1", "true", "yes")


def imported_snippets(source: str) -> list[tuple[str, object]]:
    """(name, object) for everything the code imports from the snippets package."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "snippets":
            module = importlib.import_module(node.module)
            found += [(f"{node.module}.{a.name}", getattr(module, a.name)) for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, importlib.import_module(a.name))
                      for a in node.names if a.name.split(".")[0] == "snippets"]
    return found


def cache_key(source: str) -> str:
    """What an example's output depends on: its code and the fingerprints of what it imports."""
    return cache.key(source, *(f"{name}={fingerprint_value(value)}"
                               for name, value in sorted(imported_snippets(source), key=lambda item: item[0])))


def example_name(source: str) -> str:
    """An example's name in the cache: a digest of its code (an edited example is another one)."""
    return cache.digest(source.encode())[:cache.KEY_LENGTH]


def run(source: str) -> str:
    """Execute the code in a fresh namespace and return what it printed."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(source, "<executed example>", "exec"), {"__name__": "__example__"})
    return buffer.getvalue()


def printed_output(source: str, directory: Path) -> str:
    """What the example printed: from the memo, else from the cache folder `directory`, else run."""
    ran = False

    def from_the_cache_folder() -> str:  # the memo lacks it: snippets/ changed since that build
        nonlocal ran
        output, ran = cache.through(directory, example_name(source), cache_key(source), "txt",
                                    lambda: _checked_run(source), "text")
        return output

    output = memo.through("examples", example_name(source), from_the_cache_folder)
    current().examples["ran" if ran else "cached"] += 1  # what the build log reports
    return output


def _checked_run(source: str) -> str:
    try:
        return run(source)
    except Exception as error:
        first_line = source.strip().splitlines()[0] if source.strip() else ""
        raise ExampleFault(f"executed example starting {first_line!r} raised {described(error)}") from error


def format_executed(source: str, language: str, class_name: str, options: dict, md, **kwargs) -> str:
    """The code, highlighted as any fence is, followed by its output as a text block."""
    site, page = for_markdown(md)
    try:
        output = printed_output(source, site.cache_dir("examples"))
    except ExampleFault as error:
        raise ExampleFault(f"{page.src}: {error}") from error
    # superfences' own highlighter, with the site's pymdownx.highlight settings.
    highlight = md.preprocessors["fenced_code_block"].highlight
    plain = {"options": {}, "md": md, "classes": [], "id_value": "", "attrs": {}}
    return (highlight(src=source, language="python", **plain) + "\n"
            + highlight(src=output.rstrip("\n"), language="text", **plain))
