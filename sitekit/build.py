"""One build's memory: everything a build remembers while it runs, in one object.

A `Build` is made when a build starts (`begin`: under MkDocs by hooks/setup.py's `on_config`,
under Zensical by the first page a process renders) and is the current build of that thread
until the next one starts; every stage asks `current()` for it. It holds the memo, the values
computed so far, the examples' counts, the figure workers, the typeset formulas, the search
entries, the one-page version's chapters and the page being rendered. Nothing else in sitekit/
or hooks/ changes while a build runs (tests/test_sitekit.py builds twice in one process and
compares), so a second build in the same process (`mkdocs serve`) starts from nothing but its
caches on disk.
"""

from __future__ import annotations

import contextvars
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Memo:
    """What the build computed from snippets/, under a digest of the sources (sitekit/memo.py)."""

    directory: Path | None = None  # None: nothing read or written (a build that began no memo)
    key: str | None = None
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    dirty: bool = False


@dataclass
class Drawing:
    """The figure workers and what they are drawing (sitekit/figures.py)."""

    pools: list = field(default_factory=list)
    futures: dict = field(default_factory=dict)
    directory: Path | None = None
    keys: dict[str, str] = field(default_factory=dict)


@dataclass
class SearchEntries:
    """Material's search entries by page, read from and written to the cache (hooks/build_cache.py)."""

    path: Path | None = None
    stored: dict = field(default_factory=dict)
    used: dict = field(default_factory=dict)
    parsed: int = 0


@dataclass
class Build:
    memo: Memo = field(default_factory=Memo)
    values: dict[str, object] = field(default_factory=dict)  # computed values, by 'module:function'
    value_folder: Path | None = None  # where computed values are cached (None: only in this build)
    examples: dict[str, int] = field(default_factory=lambda: {"ran": 0, "cached": 0})
    drawing: Drawing = field(default_factory=Drawing)
    formulas: dict[Path, Any] = field(default_factory=dict)  # sitekit.formulas.Formulas, by cache folder
    search: SearchEntries = field(default_factory=SearchEntries)
    chapters: list[tuple[str, str, str]] = field(default_factory=list)  # the one-page version's (url, slug, html)
    nav_order: dict[str, tuple[int, str]] = field(default_factory=dict)  # page url: (position, title)
    page: tuple | None = None  # (Site, Page) that MkDocs converts next (sitekit/context.py)
    asked: dict[tuple, object] = field(default_factory=dict)  # answers asked once a build (git's HEAD, ...)
    fingerprints: weakref.WeakKeyDictionary = field(default_factory=weakref.WeakKeyDictionary)
    caches_off_told: bool = False

    def once(self, key: tuple, compute):
        """compute(), asked once in this build for `key`."""
        if key not in self.asked:
            self.asked[key] = compute()
        return self.asked[key]


_current: contextvars.ContextVar[Build] = contextvars.ContextVar("sitekit_build")


def begin() -> Build:
    """A new build, the current one from now on in this thread."""
    build = Build()
    _current.set(build)
    return build


def current() -> Build:
    """The build running in this thread; one is begun if none is (a test calling a stage directly)."""
    try:
        return _current.get()
    except LookupError:
        return begin()
