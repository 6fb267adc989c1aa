"""The MkDocs adapters of the build pipeline (listed under `hooks:` in mkdocs.yml).

Each calls into sitekit/, which does the work; what is here is what only MkDocs offers: its
events, its file list, its page templates.
"""

from __future__ import annotations

from pathlib import Path

from sitekit import cache
from sitekit.context import Site, site_from


def project_root(config) -> Path:
    """The project folder: the one that holds mkdocs.yml (config is MkDocs' MkDocsConfig)."""
    return Path(config.config_file_path).parent


def cache_dir(config, kind: str) -> Path:
    """The build's cache folder for one kind of entry (sitekit.cache.folder)."""
    return cache.folder(project_root(config), kind)


def site_of(config) -> Site:
    """The sitekit view of an MkDocs configuration."""
    return site_from(project_root(config), config)  # MkDocs' docs_dir is absolute already
