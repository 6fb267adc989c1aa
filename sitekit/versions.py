"""Releases: which version of the text a build is, and what changed between versions.

Each release `vMAJOR.MINOR` is published once at `<site_url>v/MAJOR.MINOR/` (sitekit/publish.py,
with mike) beside the latest text at `<site_url>`. `releases.json`, in the repository, records
every release as it was made (`make release VERSION=X.Y`): its date, each claim's statement and
its digest, and the page of each heading. A build reads it from its own checkout, so a release
built again from its tag says the same thing; from it come the version a cite control pins, the
version that last changed each claim (claims.json) and the page of changes (docs/changes.md).

The version a build is:
- SITE_VERSION=X.Y (set by the publish step): release X.Y, which releases.json must record with
  exactly the claims the pages state;
- otherwise the newest release if HEAD is its tag, else the commit (and the release it follows).
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sitekit.errors import BuildFault

RELEASES_FILE = "releases.json"
VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
UNRELEASED = "unreleased"


@dataclass(frozen=True)
class Release:
    version: str  # "MAJOR.MINOR"
    date: str  # ISO date, YYYY-MM-DD
    claims: dict[str, dict[str, str]]  # claim id: {"statement", "digest", "page"}
    headings: dict[str, str]  # heading id: URL of its page ("glm/")


@dataclass(frozen=True)
class ThisVersion:
    """The version a build's pages are: a release (`release` set, with its own address) or a commit
    of the sources after the newest release (`release` None: no address of its own yet)."""

    release: str | None
    date: str  # the release's date, or the commit's
    commit: str = ""  # short hash, "" outside a git checkout
    follows: str | None = None  # for a commit: the newest release before it
    # Built for the release's own folder, /v/X.Y/ (SITE_VERSION), not as the latest at the root.
    in_own_folder: bool = False

    def base(self, site_url: str) -> str | None:
        """Where this version is published, or None for a commit (only the latest shows it)."""
        return f"{site_url.rstrip('/')}/v/{self.release}/" if self.release else None

    @property
    def label(self) -> str:
        """How a citation names it: 'version 1.0 of 2026-12-07' or 'commit 1a2b3c4 of 2026-12-07,
        after version 1.0 (not yet released)'."""
        if self.release:
            return f"version {self.release} of {self.date}"
        what = f"commit {self.commit}" if self.commit else "unreleased sources"
        after = f", after version {self.follows}" if self.follows else ""
        return f"{what} of {self.date}{after} (not yet released)"


def checked_version(text: str) -> str:
    """A release number MAJOR.MINOR (no leading zeros), else a BuildFault naming what was given."""
    if not isinstance(text, str) or not VERSION.match(text):
        raise BuildFault(f"release version: expected MAJOR.MINOR such as 1.0 (the tag is vMAJOR.MINOR); got {text!r}")
    return text


def read_releases(root: Path) -> list[Release]:
    """The releases recorded in root/releases.json, oldest first ([] if there is none yet)."""
    path = root / RELEASES_FILE
    if not path.exists():
        return []
    try:
        entries = json.loads(path.read_text())
        releases = [Release(checked_version(e["version"]), e["date"], e["claims"], e["headings"]) for e in entries]
    except (ValueError, KeyError, TypeError) as error:
        raise BuildFault(f"{RELEASES_FILE}: not a list of releases ({error}); restore it from git") from error
    return releases


def _git(root: Path, *arguments: str) -> str:
    try:
        return subprocess.run(["git", "-C", str(root), *arguments], capture_output=True, text=True,
                              check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


# As hooks/setup.py dates a build outside a git checkout without SOURCE_DATE_EPOCH: 2024-11-01.
FALLBACK_EPOCH = "1730419200"


def _commit_date(root: Path) -> str:
    """The date of the sources (UTC): SOURCE_DATE_EPOCH, else the last commit's, as the sitemap's."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or _git(root, "log", "-1", "--format=%ct") or FALLBACK_EPOCH
    return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date().isoformat()


def this_version(root: Path, releases: list[Release]) -> ThisVersion:
    """The version the build of `root` is (see the module's docstring)."""
    wanted = os.environ.get("SITE_VERSION", "")
    by_version = {release.version: release for release in releases}
    if wanted:
        checked_version(wanted)
        if wanted not in by_version:
            raise BuildFault(f"SITE_VERSION={wanted}: {RELEASES_FILE} records no such release; "
                             f"make it with `make release VERSION={wanted}`")
        return ThisVersion(release=wanted, date=by_version[wanted].date, in_own_folder=True)
    newest = releases[-1] if releases else None
    head = _git(root, "rev-parse", "HEAD")
    if newest is not None and head and _git(root, "rev-parse", f"v{newest.version}^{{commit}}") == head:
        return ThisVersion(release=newest.version, date=newest.date)
    return ThisVersion(release=None, date=_commit_date(root), commit=head[:7],
                       follows=newest.version if newest else None)


def for_site(root: Path) -> tuple[list[Release], ThisVersion]:
    """The releases and the version of the build of `root`, read once a build."""
    from sitekit.build import current

    def read() -> tuple[list[Release], ThisVersion]:
        releases = read_releases(root)
        return releases, this_version(root, releases)

    return current().once(("versions", str(root), os.environ.get("SITE_VERSION", "")), read)


def released_by(releases: list[Release], this: ThisVersion) -> list[Release]:
    """The releases up to the version being built: all of them for a commit; for a release built
    again from its tag, those up to it (it knows nothing of what came after)."""
    if this.release is None:
        return releases
    return releases[:[release.version for release in releases].index(this.release) + 1]


def changed_in(claim_id: str, digest: str, releases: list[Release], this: ThisVersion) -> str:
    """The release that last changed a claim's statement (the first that recorded it, or the first
    whose digest differs from the release before it), up to the version being built; "unreleased"
    when the statement differs from (or is not in) the newest release before a commit."""
    last, previous = UNRELEASED, None
    for release in released_by(releases, this):
        recorded = release.claims.get(claim_id)
        now = recorded["digest"] if recorded else None
        if now is not None and now != previous:
            last = release.version
        previous = now
    if this.release is None and previous != digest:
        return UNRELEASED
    return last


def statement_changes(older: Release | None, newer: Release) -> list[tuple[str, str | None, str]]:
    """(claim id, old statement or None if new, new statement) for each claim whose statement
    `newer` changed or added, in id order."""
    before = older.claims if older else {}
    return [(claim_id, before[claim_id]["statement"] if claim_id in before else None, entry["statement"])
            for claim_id, entry in sorted(newer.claims.items())
            if claim_id not in before or before[claim_id]["digest"] != entry["digest"]]


def moved_headings(older: Release | None, newer: Release) -> list[tuple[str, str, str]]:
    """(heading id, page before, page now) for each heading that `newer` moved to another page."""
    if older is None:
        return []
    return [(anchor, older.headings[anchor], page) for anchor, page in sorted(newer.headings.items())
            if anchor in older.headings and older.headings[anchor] != page]


def _number(version: str) -> tuple[int, int]:
    major, minor = version.split(".")
    return int(major), int(minor)


def new_release(version: str, date: str, claims: dict[str, dict[str, str]], headings: dict[str, str],
                releases: list[Release]) -> list[Release]:
    """The releases with `version` added as the newest; BuildFault if it exists or is not newer."""
    checked_version(version)
    if not re.match(r"^\d{4}-\d{2}-\d{2}$", date):
        raise BuildFault(f"release date: expected YYYY-MM-DD; got {date!r}")
    if releases and _number(version) <= _number(releases[-1].version):
        raise BuildFault(f"release {version}: not newer than the newest release, {releases[-1].version}; "
                         "a release is published once and never replaced")
    return [*releases, Release(version, date, claims, headings)]


def releases_json(releases: list[Release]) -> str:
    return json.dumps([{"version": r.version, "date": r.date, "claims": r.claims, "headings": r.headings}
                       for r in releases], indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def _side_by_side(claim_id: str, old: str | None, new: str, newer: str) -> str:
    before = old if old is not None else "*(not stated before)*"
    return (f'<div class="claim-change" markdown>\n\n**`claim-{claim_id}`**\n\n'
            f'<div class="claim-change__old" markdown>\n\n<small>before</small>\n\n{before}\n\n</div>\n\n'
            f'<div class="claim-change__new" markdown>\n\n<small>{newer}</small>\n\n{new}\n\n</div>\n\n</div>')


def _section(older: Release | None, newer: Release, title: str) -> list[str]:
    changes = statement_changes(older, newer)
    moved = moved_headings(older, newer)
    if older is None:
        return [title, f"The first release: {len(newer.claims)} claims."]
    parts = [title]
    if changes:
        parts.append(f"Claims whose statement changed or is new ({len(changes)}):")
        parts += [_side_by_side(claim_id, old, new, f"version {newer.version}" if newer.version else "now")
                  for claim_id, old, new in changes]
    else:
        parts.append("No claim's statement changed.")
    if moved:
        parts.append("Headings that moved to another page:\n\n" + "\n".join(
            f"- `{anchor}`: from `/{before}` to `/{after}`" for anchor, before, after in moved))
    else:
        parts.append("No heading moved to another page.")
    return parts


def changes_markdown(releases: list[Release], this: ThisVersion, stated: dict[str, dict[str, str]],
                     headings: dict[str, str] | None = None) -> str:
    """The page of changes: per release, newest first, the claims whose statement it changed (old
    and new side by side) and the headings it moved; on a commit after the newest release, what
    has changed since (`stated`: the claims as the pages state them now, as releases.json records)."""
    shown = released_by(releases, this)
    parts: list[str] = []
    if this.release is None and shown:
        now = Release("", this.date, stated, headings if headings is not None else shown[-1].headings)
        if statement_changes(shown[-1], now) or moved_headings(shown[-1], now):
            parts += _section(shown[-1], now, f"**Since version {shown[-1].version}, not yet released:**")
        else:
            parts.append(f"Nothing has changed since version {shown[-1].version}.")
    for index in range(len(shown) - 1, -1, -1):
        newer, older = shown[index], shown[index - 1] if index else None
        anchor = "changes-" + newer.version.replace(".", "-")
        parts += _section(older, newer, f"## Version {newer.version}, {newer.date} {{#{anchor}}}")
    if not shown:
        parts.append("No version has been released yet: the text here is the latest, at no address of its own.")
    return "\n\n".join(parts)
