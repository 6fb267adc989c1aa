"""Executed examples: a fence written ```python exec="on"``` runs when the site is built and shows
its code followed by what it printed. The output is cached under a hash of the code and of the
fingerprints of the snippets objects it imports, so a warm rebuild runs nothing, and an edit to
snippets/ reruns only the examples that import what changed. An example that raises fails the build.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import importlib
import io
import logging

from mkdocs.config.defaults import MkDocsConfig
from pymdownx.superfences import SuperFencesException

from hooks import memo
from hooks.fingerprint import fingerprint_value
from sitekit import cache

log = logging.getLogger("mkdocs.hooks.execute")

_state: dict = {"cache": None, "ran": 0, "cached": 0}


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
    h = hashlib.sha256(source.encode())
    for name, value in sorted(imported_snippets(source), key=lambda item: item[0]):
        h.update(f"{name}={fingerprint_value(value)}".encode())
    return h.hexdigest()[:24]


def run(source: str) -> str:
    """Execute the code in a fresh namespace and return what it printed."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        exec(compile(source, "<executed example>", "exec"), {"__name__": "__example__"})
    return buffer.getvalue()


def printed_output(source: str) -> str:
    source_key = hashlib.sha256(source.encode()).hexdigest()[:24]
    remembered = memo.get("examples", source_key)
    if remembered is not None:  # the package's sources are unchanged since that build
        _state["cached"] += 1
        return remembered
    output = _cached_run(source)
    memo.put("examples", source_key, output)
    return output


def _cached_run(source: str) -> str:
    directory = _state["cache"]
    path = directory / f"{cache_key(source)}.txt"
    stored = cache.read_text(path)
    if stored is not None:
        _state["cached"] += 1
        return stored
    try:
        output = run(source)
    except Exception as error:
        first_line = source.strip().splitlines()[0] if source.strip() else ""
        # superfences treats any other exception as "not a fence" and renders the code silently;
        # SuperFencesException is the one it lets through, so the build fails and says why.
        raise SuperFencesException(f"executed example starting {first_line!r} raised "
                                   f"{type(error).__name__}: {error}") from error
    cache.write_text(path, output)
    _state["ran"] += 1
    return output


def format_executed(source: str, language: str, class_name: str, options: dict, md, **kwargs) -> str:
    """The code, highlighted as any fence is, followed by its output as a text block."""
    output = printed_output(source)
    # superfences' own highlighter, with the site's pymdownx.highlight settings.
    highlight = md.preprocessors["fenced_code_block"].highlight
    plain = {"options": {}, "md": md, "classes": [], "id_value": "", "attrs": {}}
    return (highlight(src=source, language="python", **plain) + "\n"
            + highlight(src=output.rstrip("\n"), language="text", **plain))


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    superfences = config.mdx_configs.setdefault("pymdownx.superfences", {})
    fences = superfences.setdefault("custom_fences", [])
    if not any(f.get("format") is format_executed for f in fences):
        fences.append({"name": "python", "class": "python", "validator": is_executed, "format": format_executed})
    return config


def on_pre_build(config: MkDocsConfig) -> None:
    _state.update(cache=memo.cache_dir(config, "examples"), ran=0, cached=0)
    _state["cache"].mkdir(parents=True, exist_ok=True)


def on_post_build(config: MkDocsConfig) -> None:
    log.info("examples: ran %d, %d from cache", _state["ran"], _state["cached"])
