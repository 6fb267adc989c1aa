"""A fault in the site's sources, reported as one message: what is wrong, where, and why.

Every stage of the build that finds a fault raises `BuildFault` with a message that starts with
where the fault is (the file, and the page, line or cell when they are known). Under MkDocs a
BuildFault is one of MkDocs' BuildErrors, which MkDocs prints as one message and then stops
("Aborted with a BuildError!"); any other exception it prints with its traceback, once for each
exception in the chain. The traceback of what caused a fault goes to the debug log, which
`mkdocs build --verbose` shows. `reported` makes a page stage's failures faults of that page.
"""

from __future__ import annotations

import functools
import logging
import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

try:  # the build runs under MkDocs: its own class of errors, reported without a traceback
    from mkdocs.exceptions import BuildError as _Reported
except ModuleNotFoundError:  # another generator (Zensical) or none: a plain exception
    _Reported = Exception

from sitekit.context import for_markdown

log = logging.getLogger("mkdocs.sitekit.errors")

ROOT = Path(__file__).resolve().parents[1]
REMOTE_FRAME = re.compile(r'^\s*File "([^"]+)", line (\d+)', re.MULTILINE)


class BuildFault(_Reported, ValueError):
    """A fault in the sources (a wrong value in them, hence a ValueError); its message says what,
    where and why."""


def described(error: BaseException) -> str:
    """`error` as its type and message, with the line of the sources where it arose (a syntax
    error: the file and line of the syntax; else the innermost frame in snippets/ or docs/), so
    that a fault raised deep in a computation still says where it is."""
    if isinstance(error, SyntaxError) and error.filename:
        return f"{type(error).__name__} in {_relative(error.filename)}, line {error.lineno}: {error.msg}"
    frames = [(frame.filename, frame.lineno) for frame in traceback.extract_tb(error.__traceback__)]
    # An error in a worker process comes with the worker's traceback as text (concurrent.futures).
    frames += [(name, int(line)) for name, line in REMOTE_FRAME.findall(str(error.__cause__ or ""))]
    # Where the sources' own code (snippets/, docs/) raised, if it did; the pipeline's lines say
    # nothing to the author of a page.
    # (snippets/_boundary.py and its kin check what the chapters compute: not where it went wrong.)
    sources = [(name, line) for name, line in frames if _under(name, ROOT / "snippets", ROOT / "docs")
               and not Path(name).name.startswith("_")]
    where = f" ({_relative(sources[-1][0])}, line {sources[-1][1]})" if sources else ""
    return f"{type(error).__name__}: {error}{where}"


def fault(where: str, error: BaseException) -> BuildFault:
    """The fault to raise for `error`, found at `where`: a BuildFault passes through unchanged,
    anything else is described after `where`, and its traceback is logged for --verbose."""
    if isinstance(error, BuildFault):
        return error
    log.debug("%s: the traceback of %s", where, type(error).__name__, exc_info=error)
    return BuildFault(f"{where}: {described(error)}")


def _under(filename: str, *folders: Path) -> bool:
    path = Path(filename)
    return path.is_absolute() and ".venv" not in path.parts and any(path.is_relative_to(f) for f in folders)


def _relative(filename: str) -> str:
    path = Path(filename).resolve()
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else filename


T = TypeVar("T")


def reported(run: Callable[[object, T], T]) -> Callable[[object, T], T]:
    """A stage's `run` whose failures are BuildFaults naming the page (a BuildFault as raised)."""

    @functools.wraps(run)
    def reporting(stage, text: T) -> T:
        try:
            return run(stage, text)
        except Exception as error:
            try:
                where = for_markdown(stage.md)[1].src
            except RuntimeError:  # no page to name: that is the fault (sitekit/context.py)
                raise error from None
            raise fault(where, error) from error

    return reporting
