"""Versions and citations (sitekit/versions.py, sitekit/publish.py, sitekit/cite.py): what a
release records, what changed between releases, and two releases of a copy of the project
published as the workflow publishes them, read in Chromium."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitekit import versions
from sitekit.cite import bibtex_entry, markdown_link
from sitekit.errors import BuildFault
from tests.helpers import CHROMIUM, build_env, chromium_args, edit
from tests.markdown_fences import ROOT


def release(version: str, claims: dict[str, str], headings: dict[str, str]) -> versions.Release:
    return versions.Release(version, f"2026-12-0{version[-1]}", {
        claim_id: {"statement": text, "digest": f"d-{text}", "page": "index.md"} for claim_id, text in claims.items()
    }, headings)


def test_changed_in_is_the_release_that_last_changed_the_statement() -> None:
    releases = [release("1.0", {"a": "A", "b": "B"}, {}), release("1.1", {"a": "A2", "b": "B"}, {}),
                release("1.2", {"a": "A2", "b": "B", "c": "C"}, {})]
    at = versions.ThisVersion(release="1.2", date="2026-12-02")
    assert versions.changed_in("a", "d-A2", releases, at) == "1.1"
    assert versions.changed_in("b", "d-B", releases, at) == "1.0"
    assert versions.changed_in("c", "d-C", releases, at) == "1.2"
    # Built as 1.0 again (from its tag), it knows nothing of what came after.
    assert versions.changed_in("a", "d-A", releases, versions.ThisVersion(release="1.0", date="")) == "1.0"
    commit = versions.ThisVersion(release=None, date="2026-12-09", commit="abc1234", follows="1.2")
    assert versions.changed_in("b", "d-B", releases, commit) == "1.0"
    assert versions.changed_in("b", "d-B3", releases, commit) == versions.UNRELEASED
    assert versions.changed_in("new", "d-N", releases, commit) == versions.UNRELEASED


def test_changes_list_the_changed_and_new_statements_and_the_moved_headings() -> None:
    older = release("1.0", {"a": "A", "b": "B"}, {"h": "glm/", "k": "glm/"})
    newer = release("1.1", {"a": "A2", "b": "B", "c": "C"}, {"h": "stacking/", "k": "glm/"})
    assert versions.statement_changes(older, newer) == [("a", "A", "A2"), ("c", None, "C")]
    assert versions.moved_headings(older, newer) == [("h", "glm/", "stacking/")]
    assert versions.moved_headings(None, newer) == []
    page = versions.changes_markdown([older, newer], versions.ThisVersion(release="1.1", date=""),
                                     newer.claims)
    assert page.index("## Version 1.1") < page.index("## Version 1.0")
    assert page.count('class="claim-change"') == 2 and "`h`: from `/glm/` to `/stacking/`" in page
    assert "{#changes-1-1}" in page and "{#changes-1-0}" in page


def test_a_commit_after_a_release_shows_what_changed_since_without_a_heading_id() -> None:
    releases = [release("1.0", {"a": "A"}, {"h": "glm/"})]
    commit = versions.ThisVersion(release=None, date="2026-12-09", commit="abc1234", follows="1.0")
    changed = versions.changes_markdown(releases, commit, {"a": {"statement": "A3", "digest": "d-A3", "page": "x"}})
    assert "**Since version 1.0, not yet released:**" in changed and "A3" in changed
    # The section comes and goes with the commits: no id that the anchors lock would keep.
    assert changed.split("## Version 1.0")[0].count("{#") == 0
    same = versions.changes_markdown(releases, commit, releases[0].claims)
    assert "Nothing has changed since version 1.0." in same


def test_a_release_is_recorded_once_and_in_order() -> None:
    first = versions.new_release("1.0", "2026-12-01", {}, {}, [])
    with pytest.raises(BuildFault, match="not newer than the newest release, 1.0"):
        versions.new_release("1.0", "2026-12-02", {}, {}, first)
    with pytest.raises(BuildFault, match="not newer"):
        versions.new_release("0.9", "2026-12-02", {}, {}, first)
    assert [r.version for r in versions.new_release("1.10", "2026-12-02", {}, {}, first)] == ["1.0", "1.10"]
    for bad in ("1", "v1.0", "1.0.0", "01.2", ""):
        with pytest.raises(BuildFault, match="expected MAJOR.MINOR"):
            versions.new_release(bad, "2026-12-02", {}, {}, [])
    with pytest.raises(BuildFault, match="expected YYYY-MM-DD"):
        versions.new_release("1.0", "yesterday", {}, {}, [])


def test_the_version_a_build_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / versions.RELEASES_FILE).write_text(versions.releases_json([release("1.0", {}, {})]))
    monkeypatch.setenv("SITE_VERSION", "1.0")
    built = versions.this_version(tmp_path, versions.read_releases(tmp_path))
    assert (built.release, built.in_own_folder) == ("1.0", True)
    monkeypatch.setenv("SITE_VERSION", "1.1")
    with pytest.raises(BuildFault, match="records no such release"):
        versions.this_version(tmp_path, versions.read_releases(tmp_path))
    monkeypatch.delenv("SITE_VERSION")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796601600")  # 2026-12-07
    commit = versions.this_version(tmp_path, versions.read_releases(tmp_path))  # not a git checkout
    assert (commit.release, commit.follows, commit.date, commit.in_own_folder) == (None, "1.0", "2026-12-07", False)
    assert commit.label == "unreleased sources of 2026-12-07, after version 1.0 (not yet released)"
    (tmp_path / versions.RELEASES_FILE).write_text("{not json")
    with pytest.raises(BuildFault, match="releases.json: not a list of releases"):
        versions.read_releases(tmp_path)


def test_a_citation_names_the_version_and_its_date() -> None:
    this = versions.ThisVersion(release="1.0", date="2026-12-07")
    assert this.base("https://example.org/site/") == "https://example.org/site/v/1.0/"
    assert markdown_link("IRLS [sketch]", "Site", "u", this.label) == (
        "[IRLS \\[sketch\\] \u2013 Site, version 1.0 of 2026-12-07](u)")
    entry = bibtex_entry("A_b & 50% {c}", "Site", "irls", "https://x/v/1.0/glm/#irls", "https://x/glm/#irls", this)
    assert entry.startswith("@misc{nn-glm:irls:v1.0,\n")
    assert "title = {{A\\_b \\& 50\\% \\{c\\}}}" in entry and "year = {2026}" in entry
    assert "howpublished = {\\url{https://x/v/1.0/glm/#irls}}" in entry
    assert "version 1.0 of 2026-12-07; latest text: \\url{https://x/glm/#irls}" in entry
    commit = versions.ThisVersion(release=None, date="2026-12-09", commit="abc1234", follows="1.0")
    assert commit.base("https://x/") is None
    assert bibtex_entry("T", "S", "a", "u", "u", commit).startswith("@misc{nn-glm:a:abc1234,")


def test_citation_cff_carries_the_newest_release() -> None:
    releases = versions.read_releases(ROOT)
    cff = (ROOT / "CITATION.cff").read_text()
    if releases:
        assert f'version: "{releases[-1].version}"' in cff and f'date-released: "{releases[-1].date}"' in cff
    else:
        assert 'version: "0.' in cff  # before the first release, a 0.x version


# --- Two releases of a copy of the project, published as the workflow does, read in Chromium

SECOND_PAGE = """# A second page {#second-page}

Text of the second page.

## A heading that moves {#a-heading-that-moves}

It is here in version 1.0.
"""
OLD = "is linear\nin $\\beta$"
NEW = "is linear\nin $\\beta$ (and in nothing else)"


def run(project: Path, *command: str, env: dict[str, str]) -> str:
    result = subprocess.run(list(command), cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    return result.stdout


@pytest.mark.slow
def test_two_releases_are_published_beside_the_latest_and_read_as_they_were(project: Path, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (CI must run the browser tests)")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    served_dir = tmp_path / "served"
    served_dir.mkdir()
    handler = functools.partial(type("Quiet", (http.server.SimpleHTTPRequestHandler,),
                                     {"log_message": lambda *a: None}), directory=str(served_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    bin_dir = str(Path(sys.executable).parent)
    env = build_env(measured=False, SITE_CACHE_DIR=str(project / ".build-cache"), SITE_URL=base,
                    PATH=f"{bin_dir}:{os.environ['PATH']}", GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
                    GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    env.pop("SITE_VERSION", None)
    publish = [sys.executable, "-m", "sitekit.publish"]
    try:
        (project / "docs" / "second.md").write_text(SECOND_PAGE)
        (project / "docs" / "changes.md").write_text((ROOT / "docs" / "changes.md").read_text()
                                                     .replace("(references.md#citing-this-site)", "(index.md)"))
        shutil_config = (project / "mkdocs.yml").read_text().replace(
            "nav:\n  - Overview: index.md\n", "nav:\n  - Overview: index.md\n  - Second: second.md\n"
                                              "  - What changed: changes.md\n")
        (project / "mkdocs.yml").write_text(shutil_config)
        (project / "CITATION.cff").write_text((ROOT / "CITATION.cff").read_text())
        (project / ".gitignore").write_text("site/\n.build-cache/\n__pycache__/\n")
        run(project, "git", "init", "--quiet", "--initial-branch=main", env=env)
        for version, date in (("1.0", "2026-12-01"), ("1.1", "2026-12-05")):
            if version == "1.1":  # one claim's statement changed, one heading moved to another page
                edit(project / "docs" / "index.md", OLD, NEW)
                edit(project / "docs" / "second.md", "## A heading that moves {#a-heading-that-moves}\n\n"
                     "It is here in version 1.0.\n", "")
                (project / "docs" / "index.md").write_text((project / "docs" / "index.md").read_text()
                                                           + "\n## A heading that moves {#a-heading-that-moves}\n\n"
                                                             "It is here since version 1.1.\n")
            run(project, *publish, "record", version, "--date", date, env=env)
            run(project, "git", "add", "-A", env=env)
            run(project, "git", "commit", "--quiet", "-m", f"Release {version}", env=env)
            run(project, "git", "tag", f"v{version}", env=env)
            run(project, *publish, "release", version, "--branch", "gh-pages", env=env)
        # Published once: a second publish of 1.0 leaves it as it is.
        assert "already published" in run(project, *publish, "release", "1.0", "--branch", "gh-pages", env=env)
        run(project, sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "latest",
            env=dict(env, SITE_PUBLISHED="1"))
        run(project, *publish, "latest", "latest", "--branch", "gh-pages", env=env)
        archive = subprocess.run(["git", "archive", "gh-pages"], cwd=project, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(served_dir)], input=archive, check=True)

        tree = {p.relative_to(served_dir).as_posix() for p in served_dir.rglob("*") if p.is_file()}
        assert {"index.html", "versions.json", "v/versions.json", "v/1.0/index.html", "v/1.1/index.html",
                "v/1.0/claims.json", "v/1.1/claims.json", "claims.json"} <= tree
        assert [v["version"] for v in json.loads((served_dir / "v" / "versions.json").read_text())] == ["1.1", "1.0"]
        claims_11 = {c["id"]: c for c in json.loads((served_dir / "v" / "1.1" / "claims.json").read_text())}
        assert claims_11["network-not-linear-in-parameters"]["changed_in"] == "1.1"
        read_in_chromium(base)
    finally:
        server.shutdown()
        server.server_close()


CLAIM = "claim-network-not-linear-in-parameters"
# The largest layout shift that is no movement a reader can see: Lighthouse reports the cumulative
# shift to three decimals, so below 0.0005 it shows 0. (Sub-pixel shifts of about 4e-6 happen in
# some runs and not in others.) A banner shown after the first paint moves the whole page down by
# its height: 0.035 for a 2.4rem line added to a built page at this viewport (1280 x 720).
NO_VISIBLE_SHIFT = 0.0005


def read_in_chromium(base: str) -> None:
    from playwright.sync_api import sync_playwright

    host = urlsplit(base).netloc
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=chromium_args())
        context = browser.new_context()
        elsewhere: list[str] = []
        context.on("request", lambda r: urlsplit(r.url).netloc != host and r.url.startswith("http")
                   and elsewhere.append(r.url))
        errors: list[str] = []
        # Each page's requests by path, to see what a release reads outside its own folder.
        requested: dict[str, set[str]] = {}

        def watch(page) -> None:
            page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
            page.on("console", lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text}"))
            page.on("request", lambda r: r.is_navigation_request()
                    or requested.setdefault(urlsplit(page.url).path, set()).add(urlsplit(r.url).path))

        context.on("page", watch)
        # Layout shifts, as Lighthouse's CLS adds them: a release's banner must not move the text.
        context.add_init_script("window.__shifts = []; new PerformanceObserver(list => list.getEntries()"
                                ".forEach(e => { if (!e.hadRecentInput) window.__shifts.push({value: e.value,"
                                " moved: e.sources.map(s => s.node ? s.node.nodeName + '.' + s.node.className"
                                " : '?')}); })).observe({type: 'layout-shift', buffered: true});")
        try:
            for version in ("1.0", "1.1"):
                page = context.new_page()
                response = page.goto(f"{base}v/{version}/")
                assert response.status == 200
                # The selector lists both releases (Material's, from v/versions.json).
                page.wait_for_selector(".md-version__list", state="attached")
                listed = page.locator(".md-version__link").all_text_contents()
                assert {"1.0", "1.1"} <= {text.strip() for text in listed}, listed
                # The old version and the newest release both say they are releases, linking to the
                # latest, from the first paint on: nothing moves when the selector has read the versions.
                page.wait_for_selector("[data-md-component=outdated]:not([hidden])", state="attached")
                page.wait_for_load_state("networkidle")
                shifts = page.evaluate("window.__shifts")
                total = sum(shift["value"] for shift in shifts)
                assert total < NO_VISIBLE_SHIFT, f"layout shift on v/{version}/: {shifts}"
                # The pinned link of the claim's cite control opens this version's page at the claim.
                button = page.locator(f"#{CLAIM} .cite-button")
                pinned = button.get_attribute("data-cite-pinned")
                assert pinned == f"{base}v/{version}/#{CLAIM}"
                assert f"version {version} of 2026-12-0" in button.get_attribute("data-cite-markdown")
                assert f"\\url{{{pinned}}}" in button.get_attribute("data-cite-bibtex")
                button.click()
                assert page.locator(f"#{CLAIM} .cite-status input.cite-url").first.input_value() == pinned
                opened = context.new_page()
                assert opened.goto(pinned).status == 200
                assert opened.evaluate(f"document.getElementById({CLAIM!r}) !== null")
                text = " ".join(opened.locator(f"#{CLAIM}").inner_text().split())
                assert ("and in nothing else" in text) == (version == "1.1")
                opened.close()
                # The claim changed after 1.0: the old version says so and links to the current statement.
                notice = page.locator(f"#{CLAIM} .claim-changed")
                if version == "1.0":
                    notice.wait_for()
                    assert notice.locator("a").get_attribute("href") == f"/#{CLAIM}"
                else:
                    page.wait_for_timeout(300)
                    assert notice.count() == 0
                page.close()
            # Both releases resolve at the moved heading's address of their own time, and each
            # release's search (its own index, served from its folder) finds it there.
            page = context.new_page()
            page.goto(f"{base}v/1.0/second/")
            assert page.evaluate("document.getElementById('a-heading-that-moves') !== null")
            page.goto(f"{base}v/1.1/")
            assert page.evaluate("document.getElementById('a-heading-that-moves') !== null")
            for version, where in (("1.0", "second/"), ("1.1", "")):
                page.goto(f"{base}v/{version}/")
                page.locator("input.md-search__input").click()
                page.keyboard.type("moves")
                found = page.locator(".md-search-result__item a[href*='h=moves']").first
                found.wait_for(timeout=10_000)
                assert urlsplit(found.get_attribute("href")).path == f"/v/{version}/{where}", version
            # The changes page lists exactly the one changed claim, with both statements, and the moved heading.
            page.goto(f"{base}v/1.1/changes/")
            changes = page.locator("#changes-1-1 ~ .claim-change")
            section = page.locator("article").inner_text()
            latest_section = section.split("Version 1.0")[0]
            assert latest_section.count("claim-network-not-linear-in-parameters") == 1
            assert changes.first.locator(".claim-change__old").inner_text().count("(and in nothing else)") == 0
            assert "(and in nothing else)" in changes.first.locator(".claim-change__new").inner_text()
            assert "a-heading-that-moves: from /second/ to /" in " ".join(latest_section.split())
            assert page.locator(".claim-change").count() == 1
            # The latest at the root: not outdated, and its selector lists the releases too.
            page.goto(base)
            page.wait_for_selector(".md-version__list", state="attached")
            listed = {text.strip() for text in page.locator(".md-version__link").all_text_contents()}
            assert {"latest", "1.0", "1.1"} <= listed, listed
            assert page.locator("[data-md-component=outdated]").get_attribute("hidden") is not None
            page.close()
        finally:
            context.close()
            browser.close()
        assert elsewhere == [], f"requests to another host: {elsewhere}"
        assert errors == [], "errors on published pages:\n" + "\n".join(errors)
        # A release depends on the rest of the branch only through the selector's list of releases
        # and the latest's claim digests (not claims.json: a reader of a release downloads 1 KB, not 13).
        for version in ("1.0", "1.1"):
            outside = {path for path in requested[f"/v/{version}/"] if not path.startswith(f"/v/{version}/")}
            assert outside == {"/v/versions.json", "/claim-digests.json"}, outside


def test_the_changes_page_is_in_the_nav_and_heading_ids_are_explicit() -> None:
    assert "changes.md" in (ROOT / "mkdocs.yml").read_text()
    assert re.search(r"^# What changed \{#what-changed\}$", (ROOT / "docs" / "changes.md").read_text(), re.MULTILINE)


# --- The publish steps in this process (the copy's run above is the copy's code, not measured here)

def git_repo(path: Path) -> Path:
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="t",
               GIT_COMMITTER_EMAIL="t@example.org")
    subprocess.run(["git", "init", "--quiet", str(path)], check=True)
    (path / "README").write_text("x\n")
    subprocess.run(["git", "-C", str(path), "add", "README"], check=True)
    subprocess.run(["git", "-C", str(path), "commit", "--quiet", "-m", "start"], check=True, env=env)
    return path


def branch_tree(repo: Path, branch: str) -> set[str]:
    out = subprocess.run(["git", "-C", str(repo), "ls-tree", "-r", "--name-only", branch],
                         capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_the_latest_replaces_the_root_and_keeps_every_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitekit import publish

    for name, value in (("NAME", "t"), ("EMAIL", "t@example.org")):
        monkeypatch.setenv(f"GIT_AUTHOR_{name}", value)
        monkeypatch.setenv(f"GIT_COMMITTER_{name}", value)
    repo = git_repo(tmp_path / "repo")
    assert publish.published_versions(repo, "gh-pages") == []
    publish.commit_files(repo, "gh-pages", {"v/1.0/index.html": b"one", "v/versions.json":
                         b'[{"version": "1.0", "title": "1.0", "aliases": []}]'}, "a release", keep=None)
    assert publish.published_versions(repo, "gh-pages") == ["1.0"]
    site = tmp_path / "site"
    (site / "glm").mkdir(parents=True)
    (site / "index.html").write_text("latest")
    (site / "old.html").write_text("gone next time")
    (site / "glm" / "index.html").write_text("glm")
    publish.publish_latest(repo, site, "gh-pages")
    assert branch_tree(repo, "gh-pages") == {"v/1.0/index.html", "v/versions.json", "index.html", "old.html",
                                             "glm/index.html", "versions.json", ".nojekyll"}
    (site / "old.html").unlink()
    publish.publish_latest(repo, site, "gh-pages")
    assert "old.html" not in branch_tree(repo, "gh-pages") and "v/1.0/index.html" in branch_tree(repo, "gh-pages")
    root_versions = json.loads(publish.branch_file(repo, "gh-pages", "versions.json"))
    assert root_versions == [{"version": ".", "title": "latest", "aliases": ["latest"]},
                             {"version": "v/1.0", "title": "1.0", "aliases": []}]
    assert publish.branch_file(repo, "gh-pages", "no-such-file") is None
    # A release already on the branch is not built again.
    assert publish.publish_release(repo, "1.0", "gh-pages") is False
    (site / "v").mkdir()
    (site / "v" / "x.html").write_text("in the way")
    with pytest.raises(BuildFault, match="holds a folder v/"):
        publish.publish_latest(repo, site, "gh-pages")
    assert publish.main(["latest", str(site), "--branch", "gh-pages"]) == 1


def test_a_release_records_the_claims_and_headings_and_citation_cff(tmp_path: Path) -> None:
    from sitekit import publish

    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: S\nsite_url: https://example.org/\nnav:\n  - A: a.md\n")
    (root / "docs" / "a.md").write_text("# A {#a}\n\n## Part {#part}\n\n/// claim | T\n    attrs: {id: claim-one}\n\n"
                                        "One is one.\n///\n")
    (root / "CITATION.cff").write_text('title: x\nversion: "0.1.0"\ndate-released: "2026-01-01"\n')
    made = publish.record_release(root, "1.0", "2026-12-07")
    assert made.headings == {"part": "a/"} and made.claims["one"]["statement"].startswith("One is one.")
    assert versions.read_releases(root)[0].claims == made.claims
    assert 'version: "1.0"' in (root / "CITATION.cff").read_text()
    assert 'date-released: "2026-12-07"' in (root / "CITATION.cff").read_text()
    with pytest.raises(BuildFault, match="not newer"):
        publish.record_release(root, "1.0", "2026-12-08")
    assert publish.main(["record", "not-a-version"]) == 1
    with pytest.raises(BuildFault, match="git rev-parse"):
        publish.git(root, "rev-parse", "--verify", "no-such-ref")


def test_a_release_build_states_exactly_the_claims_recorded_for_it() -> None:
    from sitekit.claims import Claim, check_release_record, release_record

    claim = Claim(id="one", title="T", statement="One is one.", page="a.md")
    recorded = [versions.Release("1.0", "2026-12-07", release_record([claim]), {})]
    check_release_record([claim], recorded, versions.ThisVersion(release="1.0", date=""))  # the same: no fault
    check_release_record([], recorded, versions.ThisVersion(release=None, date=""))  # a commit: nothing to check
    changed = Claim(id="one", title="T", statement="One is two.", page="a.md")
    with pytest.raises(BuildFault, match=r"release 1.0: the pages' claims differ .* \(one\)"):
        check_release_record([changed], recorded, versions.ThisVersion(release="1.0", date=""))
