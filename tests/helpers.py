"""Helpers shared by the tests (fixtures are in conftest.py): the build's environment, a build
of a cut-down copy of the project, and editing a file in such a copy."""

from __future__ import annotations

import os
import subprocess
import sys
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
    env = build_env(SITE_CACHE_DIR=str(cache or project / ".cache"))
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                          capture_output=True, text=True)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))
