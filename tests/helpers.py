"""Helpers shared by the tests (fixtures are in conftest.py): the build's environment, a build
of a cut-down copy of the project, and editing a file in such a copy."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

# MkDocs 2's announcement, printed by Material, is silenced for every build the tests start (the
# Makefile does the same for `make serve` and `make build`).
MKDOCS_2_QUIET = {"DISABLE_MKDOCS_2_WARNING": "true", "NO_MKDOCS_2_WARNING": "1"}


def build_env(**extra: str) -> dict[str, str]:
    """The environment for a build the tests start: this process's, quietened, plus `extra`."""
    return {**os.environ, **MKDOCS_2_QUIET, **extra}


# The first page and the modules it needs: enough to exercise every part of the pipeline quickly.
PROJECT_SNIPPETS = ("__init__.py", "_checks.py", "figures.py", "style.py", "overview.py")


def mkdocs_build(project: Path, cache: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = build_env(SITE_CACHE_DIR=str(cache or project / ".build-cache"))
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                          capture_output=True, text=True)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# What GitHub Pages sends gzip-compressed (text types); images and fonts it sends as they are.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


def site_pages(site: Path) -> list[str]:
    """URL paths of the site's pages, without redirect stubs and the 404 page."""
    pages = []
    for html_file in sorted(site.rglob("index.html")):
        if "http-equiv=\"refresh\"" in html_file.read_text()[:2000]:
            continue
        relative = html_file.parent.relative_to(site).as_posix()
        pages.append("/" if relative == "." else f"/{relative}/")
    return pages


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Files of a directory; with `gzip` set, text sent gzip-compressed to a client that accepts it."""

    compress = False

    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass

    def send_head(self):  # the base class's hook: headers sent, body returned as a file
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        kind = self.guess_type(str(path))
        if not (self.compress and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "")
                and kind.startswith(COMPRESSED_TYPES)):
            return super().send_head()
        body = _gzipped(path, path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@functools.lru_cache(maxsize=512)
def _gzipped(path: Path, mtime_ns: int) -> bytes:
    """A file's bytes gzip-compressed, once per version of the file: every page visit asks for the
    same style sheets, scripts and search index."""
    return gzip.compress(path.read_bytes(), compresslevel=9, mtime=0)


@contextlib.contextmanager
def served(site: Path, *, compress: bool = False) -> Iterator[str]:
    """`site` on http://127.0.0.1:PORT while the block runs; `compress`: gzip as GitHub Pages does."""
    handler = functools.partial(type("Handler", (_QuietHandler,), {"compress": compress}), directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
