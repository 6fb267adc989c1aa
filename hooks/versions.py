"""MkDocs adapter of the versions stage (sitekit/versions.py, sitekit/publish.py).

mike builds each release with its plugin, which points site_url at the version's folder; the
site's canonical URL stays the latest text's (every permalink, claims.json and the sitemap use
it), so it is set back here, after mike's plugin. A published build (a release, or the latest with
SITE_PUBLISHED=1) shows Material's version selector, which reads versions.json beside the versions;
other builds have no versions.json and no selector.
"""

from __future__ import annotations

import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from hooks import project_root
from sitekit import versions
from sitekit.errors import BuildFault


@event_priority(-100)  # after every plugin's on_config, mike's included
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    configured = os.environ.get("SITE_URL_CONFIGURED")
    if configured:
        config.site_url = configured
    try:
        _, this = versions.for_site(project_root(config))
    except BuildFault as fault:
        raise PluginError(str(fault)) from fault
    if this.release or os.environ.get("SITE_PUBLISHED") == "1":
        # Material's outdated banner shows on every version whose aliases lack "latest": every release.
        config.extra["version"] = {"provider": "mike", "default": "latest"}
    # A release built for its own folder knows it is one: its banner is shown as the page is parsed
    # (overrides/partials/javascripts/outdated.html), not after the bundle has read versions.json,
    # which moved the page down under the reader (a layout shift of 0.08 in Lighthouse).
    config.extra["release"] = this.release if this.in_own_folder else None
    return config
