"""Build set-up: a new Build (sitekit/build.py) for every (re)build, checked URLs (the site's and the
repository's), a reproducible build date, fresh `snippets` code and the memo."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from hooks import cache_dir, project_root
from sitekit import build, memo, versions

log = logging.getLogger("mkdocs.hooks.setup")

# Used when the sources are not a git checkout (an unpacked archive, say) and SOURCE_DATE_EPOCH is
# not set: still reproducible, and the build log says so (2024-11-01; the versions' stage dates a
# commit the same way).
FALLBACK_EPOCH = versions.FALLBACK_EPOCH

# An absolute http(s) URL whose path has letters, digits and `. _ ~ % - /` only: nothing that would
# need escaping in HTML, XML or a shell line (the notebooks' install cell names the site's wheel).
URL = r"https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~%-]*)*"
SITE_URL = re.compile(f"^{URL}/$")
REPO_URL = re.compile(f"^{URL}$")
URL_CHARACTERS = "with a path of letters, digits and . _ ~ % - / only"


def checked_site_url(url: str | None) -> str:
    """The canonical URL (SITE_URL) if it is an absolute http(s) URL ending in "/", else an error."""
    if not url or not SITE_URL.match(url):
        raise PluginError(f"site_url (SITE_URL): expected an absolute http:// or https:// URL ending in '/', "
                          f"{URL_CHARACTERS}; got {url!r}")
    return url


def checked_repository_url(url: str | None) -> str:
    """The repository's URL (REPO_URL: the source and launch links of the notebooks) if it is empty
    (no links) or an absolute http(s) URL, else an error."""
    if url and not REPO_URL.match(url):
        raise PluginError(f"extra.repository (REPO_URL): expected nothing or an absolute http:// or https:// "
                          f"URL, {URL_CHARACTERS}; got {url!r}")
    return url or ""


def last_commit_epoch(repo: Path) -> str | None:
    """The committer timestamp of HEAD, or None outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "-C", str(repo), "log", "-1", "--format=%ct"],
            capture_output=True, text=True, check=True, timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return out or None


@event_priority(100)  # first: every other stage of this build works in the Build begun here
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    build.begin()
    checked_site_url(config.site_url)
    checked_repository_url(config.extra.get("repository"))
    # The sitemap's dates and the gzipped sitemap's timestamp come from SOURCE_DATE_EPOCH, MkDocs'
    # one setting for the build date: pin it so two builds are byte-identical.
    if "SOURCE_DATE_EPOCH" not in os.environ:
        epoch = last_commit_epoch(project_root(config))
        if epoch is None:
            log.info("sitemap dates: not a git checkout and SOURCE_DATE_EPOCH is not set; using "
                     "2024-11-01 (set SOURCE_DATE_EPOCH to the sources' date to choose)")
            epoch = FALLBACK_EPOCH
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    # `mkdocs serve` keeps one process alive: drop the cached snippets modules so that an edit
    # to snippets/ is what the next build imports (the chapters' code, not the build's state: the
    # Build holds that). numpy and matplotlib stay loaded.
    for name in [n for n in sys.modules if n == "snippets" or n.startswith("snippets.")]:
        del sys.modules[name]
    root = project_root(config)
    memo.begin(cache_dir(config, "memo"), root / "snippets")
    return config


def on_post_build(config: MkDocsConfig) -> None:
    memo.finish()
