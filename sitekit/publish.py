"""Publishing: each release at its own address on the Pages branch, the latest text at its root.

    python -m sitekit.publish record X.Y           # make release: releases.json and CITATION.cff
    python -m sitekit.publish release X.Y --branch B  # the tag vX.Y, built by mike into B:v/X.Y/
    python -m sitekit.publish latest SITE_DIR --branch B  # main's build into B's root, v/ kept

A release is built once, from its own tag and lock, by mike (`mike deploy --deploy-prefix v`),
which commits it to the branch beside the earlier ones and lists it in v/versions.json; a version
already on the branch is left as it is. The latest is written to the branch's root by git's own
plumbing (a temporary index), every file but v/ replaced; its versions.json lists the latest and
every release, for Material's version selector at the root. CONTRIBUTING, "Making a release".
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from sitekit import versions
from sitekit.claims import release_record, site_claims
from sitekit.context import Site, page_url, read_config, site_from
from sitekit.errors import BuildFault

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "v"


def git(root: Path, *arguments: str, env: dict[str, str] | None = None, stdin: bytes | None = None) -> str:
    result = subprocess.run(["git", "-C", str(root), *arguments], input=stdin, capture_output=True,
                            env=env, check=False)
    if result.returncode != 0:
        raise BuildFault(f"git {' '.join(arguments)}: {result.stderr.decode(errors='replace').strip()}")
    return result.stdout.decode()


def branch_file(root: Path, branch: str, path: str) -> str | None:
    """A file of the branch, or None if the branch or the file does not exist."""
    result = subprocess.run(["git", "-C", str(root), "show", f"{branch}:{path}"], capture_output=True, check=False)
    return result.stdout.decode() if result.returncode == 0 else None


def published_versions(root: Path, branch: str) -> list[str]:
    """The releases on the branch, as mike lists them in v/versions.json (newest first)."""
    listed = branch_file(root, branch, f"{PREFIX}/versions.json")
    return [entry["version"] for entry in json.loads(listed)] if listed else []


def root_versions_json(releases: list[str]) -> str:
    """versions.json at the branch's root, as Material's selector reads it there: the latest (this
    folder) first, then each release by its folder."""
    entries = [{"version": ".", "title": "latest", "aliases": ["latest"]}]
    entries += [{"version": f"{PREFIX}/{release}", "title": release, "aliases": []} for release in releases]
    return json.dumps(entries, indent=1) + "\n"


def commit_files(root: Path, branch: str, files: dict[str, bytes], message: str, keep: str | None) -> None:
    """Commit `files` (path: bytes) to `branch`: every other file removed but those under `keep/`
    (all kept if `keep` is None: the files are added or replaced)."""
    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ, GIT_INDEX_FILE=str(Path(scratch) / "index"))
        parent = subprocess.run(["git", "-C", str(root), "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
                                capture_output=True, text=True, check=False).stdout.strip()
        if parent:
            git(root, "read-tree", parent, env=env)
            if keep is not None:
                kept = [p for p in git(root, "ls-files", env=env).splitlines() if not p.startswith(f"{keep}/")]
                for start in range(0, len(kept), 500):
                    git(root, "rm", "--cached", "--quiet", "--", *kept[start:start + 500], env=env)
        lines = []
        for path, data in sorted(files.items()):
            blob = git(root, "hash-object", "-w", "--stdin", stdin=data).strip()
            lines.append(f"100644 {blob}\t{path}")
        git(root, "update-index", "--add", "--index-info", env=env, stdin=("\n".join(lines) + "\n").encode())
        tree = git(root, "write-tree", env=env).strip()
        commit = git(root, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", message).strip()
        git(root, "update-ref", f"refs/heads/{branch}", commit, *([parent] if parent else []))


def publish_release(root: Path, version: str, branch: str) -> bool:
    """Build release `version` with mike into branch:v/version/ unless it is there already; then
    the root's versions.json. True if it was published now."""
    versions.checked_version(version)
    if version in published_versions(root, branch):
        print(f"version {version} is already published on {branch}: left as it is")
        return False
    configured = read_config(root).get("site_url") or "/"
    env = dict(os.environ, SITE_VERSION=version, SITE_URL_CONFIGURED=configured)
    mike = Path(sys.executable).with_name("mike")
    subprocess.run([str(mike), "deploy", "--deploy-prefix", PREFIX, "--branch", branch, version],
                   cwd=root, env=env, check=True)
    commit_files(root, branch, {"versions.json": root_versions_json(published_versions(root, branch)).encode()},
                 f"versions.json: version {version} listed", keep=None)
    return True


def publish_latest(root: Path, site_dir: Path, branch: str) -> None:
    """The latest build (site_dir) at the branch's root, every release under v/ kept."""
    files = {path.relative_to(site_dir).as_posix(): path.read_bytes()
             for path in sorted(site_dir.rglob("*")) if path.is_file()}
    if any(path.startswith(f"{PREFIX}/") for path in files):
        raise BuildFault(f"{site_dir}: holds a folder {PREFIX}/, where the releases are published")
    files["versions.json"] = root_versions_json(published_versions(root, branch)).encode()
    files[".nojekyll"] = b""
    head = git(root, "rev-parse", "--short", "HEAD").strip()
    commit_files(root, branch, files, f"The latest text, from {head}", keep=PREFIX)


HEADING = re.compile(r"^#{2,4} .*?\{[^}]*#(?P<id>[A-Za-z0-9_-]+)[^}]*\}\s*$", re.MULTILINE)


def headings_of(site: Site) -> dict[str, str]:
    """Each heading written in the nav's Markdown pages (levels 2 to 4, each with its explicit id)
    and the URL of its page."""
    found: dict[str, str] = {}
    for src in site.nav:
        for match in HEADING.finditer((site.docs_dir / src).read_text()):
            found.setdefault(match.group("id"), page_url(src))
    return dict(sorted(found.items()))


def record_release(root: Path, version: str, date: str | None = None) -> versions.Release:
    """releases.json with `version` added (its claims and headings as the pages state them now),
    and CITATION.cff's version and date set to it."""
    date = date or datetime.date.today().isoformat()
    site = site_from(root, read_config(root))
    releases = versions.new_release(version, date, release_record(site_claims(site)), headings_of(site),
                                    versions.read_releases(root))
    (root / versions.RELEASES_FILE).write_text(versions.releases_json(releases))
    citation = root / "CITATION.cff"
    text = re.sub(r'^version: .*$', f'version: "{version}"', citation.read_text(), count=1, flags=re.MULTILINE)
    text = re.sub(r'^date-released: .*$', f'date-released: "{date}"', text, count=1, flags=re.MULTILINE)
    citation.write_text(text)
    return releases[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sitekit.publish", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    record = commands.add_parser("record", help="record a release in releases.json and CITATION.cff")
    record.add_argument("version")
    record.add_argument("--date")
    release = commands.add_parser("release", help="publish a release with mike, once")
    release.add_argument("version")
    release.add_argument("--branch", default="gh-pages")
    latest = commands.add_parser("latest", help="publish the latest build at the branch's root")
    latest.add_argument("site_dir", type=Path)
    latest.add_argument("--branch", default="gh-pages")
    args = parser.parse_args(argv)
    try:
        if args.command == "record":
            made = record_release(ROOT, args.version, args.date)
            print(f"recorded release {made.version} of {made.date}: commit releases.json and CITATION.cff, "
                  f"then tag v{made.version}")
        elif args.command == "release":
            publish_release(ROOT, args.version, args.branch)
        else:
            publish_latest(ROOT, args.site_dir, args.branch)
    except BuildFault as fault:
        print(f"publish {args.command}: {fault}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
