"""The build memo: everything the build computed from snippets/, under a digest of its sources.

When no file under snippets/ changed since a build (and numpy, matplotlib and statsmodels are the
same versions), that build's figure list, computed values, interactive frames and example outputs
are reused as they were, without importing the package at all; this is what keeps a warm rebuild
close to plain MkDocs. When any file changed, the fine-grained caches take over (figures and
examples by the fingerprints of the code they reach) and the memo is written anew.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path

from sitekit import cache as cache_io

# The libraries whose output the build caches: their versions are part of every cache key.
LIBRARIES = ("numpy", "matplotlib", "statsmodels")

_memo: dict = {"path": None, "entries": {}, "dirty": False}


@cache
def version(distribution: str) -> str:
    """The installed version of a distribution. importlib.metadata parses the package's metadata
    on every call (5 ms); the build asks dozens of times, and an upgrade means a new process."""
    return metadata.version(distribution)


def cache_dir(project: Path, kind: str) -> Path:
    """Where the build keeps what it computed, by kind (sitekit.cache.folder)."""
    return cache_io.folder(project, kind)


PIPELINE_DIRS = (Path(__file__).resolve().parent, Path(__file__).resolve().parent.parent / "hooks")


def tree_digest(snippets_dir: Path) -> str:
    """A hash of every source file of the package, of the build's own code (sitekit/ and hooks/:
    what turns the results into Markdown), and of the libraries the package computes with."""
    h = hashlib.sha256(" ".join(f"{name}={version(name)}" for name in LIBRARIES).encode())
    for directory in (snippets_dir, *PIPELINE_DIRS):
        for path in sorted(directory.rglob("*.py")):
            h.update(f"{directory.name}/{path.relative_to(directory).as_posix()}".encode() + b"\0"
                     + path.read_bytes() + b"\0")
    return h.hexdigest()[:24]


def begin(cache_dir: Path, snippets_dir: Path) -> None:
    """Start a build: load the memo of this source tree, if an earlier build left one."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"{tree_digest(snippets_dir)}.json"
    entries = cache_io.read_json(path) or {}
    _memo.update(path=path, entries=entries, dirty=False)


def get(kind: str, key: str) -> object | None:
    return _memo["entries"].get(kind, {}).get(key)


def put(kind: str, key: str, value: object) -> None:
    _memo["entries"].setdefault(kind, {})[key] = value
    _memo["dirty"] = True


def finish() -> None:
    """End a build: write the memo if anything was added; drop memos of other source trees."""
    path = _memo["path"]
    if path is None or not _memo["dirty"]:
        return
    for stale in path.parent.glob("*.json"):
        if stale != path:
            cache_io.remove(stale)
    cache_io.write_json(path, _memo["entries"], sort_keys=True)
