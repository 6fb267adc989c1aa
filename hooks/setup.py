"""Build set-up: a reproducible build date, and fresh `snippets` code on every (re)build."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from hooks import memo

# Used when the sources are not a git checkout (an unpacked archive, say): still reproducible.
FALLBACK_EPOCH = "1730419200"  # 2024-11-01T00:00:00Z


def last_commit_epoch(repo: Path) -> str:
    """The committer timestamp of HEAD, or FALLBACK_EPOCH outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), "log", "-1", "--format=%ct"],
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return FALLBACK_EPOCH
    return out or FALLBACK_EPOCH


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # The sitemap's dates come from SOURCE_DATE_EPOCH: pin it so two builds are byte-identical.
    os.environ.setdefault("SOURCE_DATE_EPOCH", last_commit_epoch(Path(config.config_file_path).parent))
    # `mkdocs serve` keeps one process alive: drop the cached snippets modules so that an edit
    # to snippets/ is what the next build imports. numpy and matplotlib stay loaded.
    for name in [n for n in sys.modules if n == "snippets" or n.startswith("snippets.")]:
        del sys.modules[name]
    root = Path(config.config_file_path).parent
    memo.begin(memo.cache_dir(config, "memo"), root / "snippets")
    return config


def on_post_build(config: MkDocsConfig) -> None:
    memo.finish()
