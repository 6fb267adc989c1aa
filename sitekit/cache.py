"""Reading and writing the build's cache entries, each verified on read.

Every entry is a file with a sidecar `NAME.sha256` holding the SHA-256 of its bytes, written by
the build after the entry itself. Reading checks the two: an entry that is missing its sidecar,
does not match it, or (for JSON) does not parse is reported in the build log with its path and
what was wrong, deleted, and treated as absent, so that the caller computes it again. Nothing a
cache holds reaches the site unless the build itself wrote exactly those bytes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.sitekit.cache")

SIDECAR = ".sha256"
# The project's cache folder, beside mkdocs.yml. Not `.cache`: Zensical keeps its own cache there
# and `zensical build --clean` deletes that folder whole.
FOLDER = ".build-cache"


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


def remove(path: Path) -> None:
    """Delete an entry (a stale one) with its sidecar."""
    path.unlink(missing_ok=True)
    _sidecar(path).unlink(missing_ok=True)
