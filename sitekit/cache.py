"""The build's cache: one folder, one key scheme, one pruning rule, entries verified on read.

Layout: `.build-cache/KIND/NAME.KEY.EXT` (SITE_CACHE_DIR instead of `.build-cache` when set), with
`NAME.KEY.EXT.sha256` beside each entry. NAME says what the entry is (a figure, a function, an
example), KEY what it was computed from: `key(...)`, a SHA-256 of those inputs and of the versions
of every library in LIBRARIES, cut to KEY_LENGTH hex digits. `store` writes an entry and deletes the
other entries of the same NAME and EXT (the one pruning rule: an entry replaces the ones it
supersedes); `entry` names one and `read_*` read it.

Every entry is a file with a sidecar `NAME.sha256` holding the SHA-256 of its bytes, written by
the build after the entry itself. Reading checks the two: an entry that is missing its sidecar,
does not match it, or (for JSON) does not parse is reported in the build log with its path and
what was wrong, deleted, and treated as absent, so that the caller computes it again. Nothing a
cache holds reaches the site unless the build itself wrote exactly those bytes.
"""

from __future__ import annotations

import glob
import hashlib
import inspect
import json
import logging
import os
import re
import types
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.sitekit.cache")

SIDECAR = ".sha256"
# The project's cache folder, beside mkdocs.yml. Not `.cache`: Zensical keeps its own cache there
# and `zensical build --clean` deletes that folder whole.
FOLDER = ".build-cache"


KEY_LENGTH = 24
KEY = re.compile(f"[0-9a-f]{{{KEY_LENGTH}}}")
# Every library whose output the build keeps: an upgrade of any one changes every key.
LIBRARIES = ("numpy", "scipy", "matplotlib", "cycler", "statsmodels", "scour", "math-core", "fonttools", "pybtex",
             "pylatexenc", "ipykernel", "nbclient", "jupytext", "mkdocs", "mkdocs-material", "mkdocs-jupyter",
             "markdown", "pymdown-extensions", "pygments")


@cache
def version(distribution: str) -> str:
    """The installed version of a distribution. importlib.metadata parses the package's metadata
    on every call (5 ms); the build asks dozens of times, and an upgrade means a new process."""
    return metadata.version(distribution)


@cache
def library_versions() -> str:
    return " ".join(f"{name}={version(name)}" for name in LIBRARIES)


def key(*inputs: str | bytes) -> str:
    """The key of an entry computed from `inputs` (and the library versions)."""
    h = hashlib.sha256(library_versions().encode())
    for part in inputs:
        h.update(b"\0" + (part if isinstance(part, bytes) else part.encode()))
    return h.hexdigest()[:KEY_LENGTH]


def source_digest(*modules: types.ModuleType) -> str:
    """A digest of the source of the pipeline modules that compute an entry: part of its key, so
    that an edit of how an entry is made recomputes it (no version number to remember to raise)."""
    h = hashlib.sha256()
    for module in modules:
        h.update(inspect.getsource(module).encode())
    return h.hexdigest()[:KEY_LENGTH]


def entry(directory: Path, name: str, key: str, ext: str) -> Path:
    """The path of entry NAME.KEY.EXT in `directory`."""
    return directory / f"{name}.{key}.{ext}"


def store(directory: Path, name: str, key: str, ext: str, data: bytes | str | Any) -> Path:
    """Write entry NAME.KEY.EXT (bytes, text, or a value as JSON) and delete the other entries of
    the same NAME and EXT in `directory`; the entry's path."""
    path = entry(directory, name, key, ext)
    for stale in directory.glob(f"{glob.escape(name)}.*.{ext}"):
        if stale != path and KEY.fullmatch(stale.name[len(name) + 1: -len(ext) - 1]):
            remove(stale)
    if isinstance(data, bytes):
        write_bytes(path, data)
    elif isinstance(data, str):
        write_text(path, data)
    else:
        write_json(path, data)
    return path


def folder(project: Path, kind: str) -> Path:
    """Where the build keeps one kind of entry (figures, values, examples, memo, ...):
    SITE_CACHE_DIR/kind, or .build-cache/kind in the project folder (the one of mkdocs.yml)."""
    return Path(os.environ.get("SITE_CACHE_DIR") or Path(project) / FOLDER) / kind


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_bytes(path: Path, data: bytes) -> None:
    """Store `data` at `path`, then its digest beside it (a crash in between leaves no valid entry)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _sidecar(path).unlink(missing_ok=True)
    path.write_bytes(data)
    _sidecar(path).write_text(digest(data) + "\n")


def seal(path: Path) -> None:
    """Write the digest beside an entry another library has just written (mkdocs-jupyter's
    converted pages), so that reading it is checked like any entry of this build's own."""
    _sidecar(path).write_text(digest(path.read_bytes()) + "\n")


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode())


def write_json(path: Path, value: Any, **dumps: Any) -> None:
    write_text(path, json.dumps(value, **dumps))


def discard(path: Path, reason: str) -> None:
    """Report a bad entry and delete it with its sidecar."""
    # INFO, not WARNING: a strict build must recompute a bad entry, not fail on it.
    log.info("cache: discarded %s (%s); computing it again", path, reason)
    path.unlink(missing_ok=True)
    _sidecar(path).unlink(missing_ok=True)


def read_bytes(path: Path) -> bytes | None:
    """The entry's bytes if the build wrote exactly these, else None (and the entry is gone)."""
    if not path.exists():
        _sidecar(path).unlink(missing_ok=True)
        return None
    data = path.read_bytes()
    sidecar = _sidecar(path)
    if not sidecar.exists():
        discard(path, "no digest beside it")
        return None
    if sidecar.read_text().strip() != digest(data):
        discard(path, "its content does not match the digest the build wrote")
        return None
    return data


def is_valid(path: Path) -> bool:
    """Whether the entry at `path` is there and intact (a bad one is discarded)."""
    return read_bytes(path) is not None


def read_text(path: Path) -> str | None:
    data = read_bytes(path)
    if data is None:
        return None
    try:
        return data.decode()
    except UnicodeDecodeError as error:
        discard(path, f"not UTF-8 text: {error}")
        return None


def read_json(path: Path) -> Any | None:
    text = read_text(path)
    if text is None:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        discard(path, f"not valid JSON: {error}")
        return None


def through(directory: Path | None, name: str, key: str, ext: str, compute: Callable[[], Any],
            form: str = "json") -> tuple[Any, bool]:
    """(entry NAME.KEY.EXT as the build wrote it, False), else (compute(), True) with the result
    stored there: the one sequence every cache of the build follows, read and verify, else compute
    and store. `form` is how the entry is kept: "json" (a value), "text" or "bytes". Without a
    directory nothing is kept."""
    if directory is not None:
        found = _READERS[form](entry(directory, name, key, ext))
        if found is not None:
            return found, False
    value = compute()
    if directory is not None:
        store(directory, name, key, ext, json.dumps(value) if form == "json" else value)
    return value, True


def remove(path: Path) -> None:
    """Delete an entry (a stale one) with its sidecar."""
    path.unlink(missing_ok=True)
    _sidecar(path).unlink(missing_ok=True)


_READERS = {"json": read_json, "text": read_text, "bytes": read_bytes}
