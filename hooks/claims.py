"""MkDocs adapter of the claims stage (sitekit/claims.py): claims.json in the site, and warnings
for a claim without a test or a test naming a claim that no page states."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from hooks import site_of
from sitekit import versions
from sitekit.claims import CLAIMS_FILE, check_release_record, site_claims, tests_by_claim, write_claim_indexes

log = logging.getLogger("mkdocs.hooks.claims")


def on_files(files: Files, config: MkDocsConfig) -> Files:
    # A placeholder, so that pages may link to claims.json; on_post_build writes the real index.
    files.append(File.generated(config, CLAIMS_FILE, content="[]\n"))
    return files


def on_post_build(config: MkDocsConfig) -> None:
    site = site_of(config)
    try:
        claims = site_claims(site)
    except ValueError as error:
        raise PluginError(str(error)) from error
    for claim in claims:
        if not claim.tests:
            log.warning("%s: claim %r has no test: mark one with @pytest.mark.claim(%r)", claim.page, claim.id,
                        claim.id)
    unknown = sorted(set(tests_by_claim(site)) - {claim.id for claim in claims})
    if unknown:
        log.warning("tests name claims that no page states: %s", ", ".join(unknown))
    releases, this = versions.for_site(site.root)
    check_release_record(claims, releases, this)
    write_claim_indexes(Path(config.site_dir), claims, releases, this)
