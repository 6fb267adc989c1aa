"""The build memo: everything the build computed from snippets/, under a digest of its sources.

When no file under snippets/, sitekit/ or hooks/ changed since a build (and the libraries of
sitekit.cache.LIBRARIES are the same versions), that build's figure list, computed values,
interactive frames and example outputs are reused as they were, without importing the package
at all; this is what keeps a warm rebuild close to plain MkDocs. When any file changed, the
fine-grained caches take over (figures and examples by the fingerprints of the code they reach)
and the memo is written anew.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from sitekit import cache as cache_io
from sitekit.build import current

PIPELINE_DIRS = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "hooks")


def tree_digest(snippets_dir: Path) -> str:
    """A hash of every source file of the package, of the build's own code (sitekit/ and hooks/:
    what turns the results into Markdown), and of the libraries the package computes with."""
    return cache_io.key(*(f"{directory.name}/{path.relative_to(directory).as_posix()}".encode() + b"\0"
                          + path.read_bytes()
                          for directory in (snippets_dir, *PIPELINE_DIRS) for path in sorted(directory.rglob("*.py"))))


def begin(cache_dir: Path, snippets_dir: Path) -> None:
    """Start a build: load the memo of this source tree, if an earlier build left one."""
    memo = current().memo
    memo.directory, memo.key = cache_dir, tree_digest(snippets_dir)
    memo.entries = cache_io.read_json(cache_io.entry(cache_dir, "memo", memo.key, "json")) or {}
    memo.dirty = False


def get(kind: str, key: str) -> object | None:
    return current().memo.entries.get(kind, {}).get(key)


def put(kind: str, key: str, value: object) -> None:
    memo = current().memo
    memo.entries.setdefault(kind, {})[key] = value
    memo.dirty = True


def through(kind: str, key: str, compute: Callable[[], object]) -> object:
    """What this source tree's memo holds for (kind, key), else compute(), remembered."""
    found = get(kind, key)
    if found is None:
        found = compute()
        put(kind, key, found)
    return found


def finish() -> None:
    """End a build: write the memo if anything was added; drop memos of other source trees."""
    memo = current().memo
    if memo.directory is None or not memo.dirty:
        return
    cache_io.store(memo.directory, "memo", memo.key, "json", json.dumps(memo.entries, sort_keys=True))
