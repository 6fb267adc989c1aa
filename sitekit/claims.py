"""Claims: boxes in the Markdown with a stable id, each checked by tests that name it.

A claim is written as

    /// claim | Title of the claim
        attrs: {id: claim-some-id}

    The statement, with its conditions.
    ///

and a test declares what it checks with `@pytest.mark.claim("some-id")`. The build links each
box to its tests and writes site/claims.json: id, title, statement, URL and pytest node ids.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sitekit import cache as cache_io
from sitekit import load_yaml, versions
from sitekit.cite import cite_button, permalink
from sitekit.context import Page, Site, page_url
from sitekit.errors import BuildFault

CLAIM_BLOCK = re.compile(
    r"^/// claim \| (?P<title>[^\n]+)\n(?P<options>(?:    [^\n]*\n)*)(?P<body>.*?)^///[ \t]*$",
    re.MULTILINE | re.DOTALL,
)
CLAIM_ID = re.compile(r"^claim-[a-z0-9]+(?:-[a-z0-9]+)*$")
CLAIM_TITLE_HTML = re.compile(
    r'(<div class="admonition claim" id="(?P<id>claim-[a-z0-9-]+)">\s*<p class="admonition-title">)(?P<title>.*?)</p>',
    re.DOTALL,
)


@dataclass
class Claim:
    id: str  # without the "claim-" prefix, as tests name it
    title: str
    statement: str
    page: str  # source file, e.g. index.md
    url: str = ""
    tests: list[str] = field(default_factory=list)
    tested: str = ""  # what the tests compute, with their tolerances: the box's "Tested:" paragraph

    @property
    def anchor(self) -> str:
        return f"claim-{self.id}"

    @property
    def path(self) -> str:
        """Its box's site-relative URL: glm/#claim-x."""
        return f"{page_url(self.page)}#{self.anchor}"

    @property
    def statement_digest(self) -> str:
        """A digest of the statement alone (not its title or how it is tested): what a citation of
        the claim quotes, so that a reader can tell whether the statement they cited has changed."""
        return hashlib.sha256(self.statement.encode()).hexdigest()[:16]


TESTED = re.compile(r"^Tested: ", re.MULTILINE)
ATTRIBUTES = re.compile(r"\{:[^}]*\}")


def _plain(markdown: str) -> str:
    # Plain text for claims.json: Markdown links keep only their text (TeX stays as written).
    return re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", " ".join(markdown.split()))


def parse_claims(markdown: str, page: str) -> list[Claim]:
    """Every claim box in one page's Markdown, with its statement as plain Markdown text."""
    claims = []
    for match in CLAIM_BLOCK.finditer(markdown):
        options = load_yaml("\n".join(line[4:] for line in match.group("options").splitlines()),
                            f"{page}: the options of claim {match.group('title').strip()!r}") or {}
        anchor = str((options.get("attrs") or {}).get("id", ""))
        if not CLAIM_ID.match(anchor):
            raise BuildFault(f"{page}: claim {match.group('title')!r} needs `attrs: {{id: claim-...}}` "
                             f"with a lowercase slug, got {anchor!r}")
        # The statement is the mathematics with its conditions; a last paragraph "Tested: ..." says
        # what the tests compute and within which tolerances, and is kept apart from it.
        body = match.group("body")
        found = TESTED.search(body)
        statement, tested = (body[:found.start()], body[found.end():]) if found else (body, "")
        statement, tested = _plain(statement), _plain(ATTRIBUTES.sub("", tested))
        if "{{" in statement:
            raise BuildFault(f"{page}: claim {anchor} has a shortcode in its statement; keep citations outside the box")
        if not statement:
            raise BuildFault(f"{page}: claim {anchor} has no statement")
        claims.append(Claim(anchor.removeprefix("claim-"), match.group("title").strip(), statement, page,
                            tested=tested))
    return claims


def _claim_ids(decorator: ast.expr) -> list[str]:
    # Matches pytest.mark.claim("id") and mark.claim("id"), the forms the suite uses.
    if (isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute)
            and decorator.func.attr == "claim"):
        return [arg.value for arg in decorator.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
    return []


def node_ids_by_claim(root: Path, cache: Path | None = None) -> dict[str, list[str]]:
    """{claim id: [pytest node ids]} from the @pytest.mark.claim decorators under root/tests.

    With a cache directory, the answer is kept under a digest of the test files: parsing them all
    is most of what this hook costs a warm build, and the build asks twice (boxes and index).
    """
    sources = [(path.relative_to(root).as_posix(), path.read_text())
               for path in sorted((root / "tests").rglob("test_*.py"))]
    key = cache_io.key(json.dumps(sources))
    remembered = cache_io.read_json(cache_io.entry(cache, "claims", key, "json")) if cache is not None else None
    if remembered is not None:
        return remembered
    found: dict[str, list[str]] = {}
    for relative, text in sources:
        tree = ast.parse(text, filename=relative)

        def walk(body: list[ast.stmt], prefix: str, inherited: list[str]) -> None:
            for node in body:
                if isinstance(node, ast.ClassDef):
                    ids = inherited + [i for d in node.decorator_list for i in _claim_ids(d)]
                    walk(node.body, f"{prefix}::{node.name}", ids)
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
                    for claim_id in inherited + [i for d in node.decorator_list for i in _claim_ids(d)]:
                        found.setdefault(claim_id, []).append(f"{prefix}::{node.name}")

        walk(tree.body, relative, [])
    if cache is not None:
        cache_io.store(cache, "claims", key, "json", found)
    return found


def tests_by_claim(site: Site) -> dict[str, list[str]]:
    """node_ids_by_claim for the project being built, through the build cache."""
    return node_ids_by_claim(site.root, site.cache_dir("claims"))


def site_claims(site: Site) -> list[Claim]:
    """Every claim of the nav's pages, in nav order, with its permalink and its tests; ValueError
    for an id used twice."""
    tests = tests_by_claim(site)
    found: dict[str, Claim] = {}
    for src in site.nav:
        for claim in parse_claims((site.docs_dir / src).read_text(), src):
            if claim.id in found:
                raise BuildFault(f"{src}: claim id {claim.id!r} is already used in {found[claim.id].page}")
            claim.url = permalink(site.site_url, page_url(src), claim.anchor)
            claim.tests = sorted(tests.get(claim.id, []))
            found[claim.id] = claim
    return list(found.values())


def claims_json(claims: list[Claim], releases: list[versions.Release] | None = None,
                this: versions.ThisVersion | None = None) -> str:
    """claims.json: each claim's id, title, statement, page, URL (and site-relative path), tests,
    anchor, statement digest and the release that last changed its statement, by id."""
    releases = releases or []
    this = this or versions.ThisVersion(release=None, date="")
    index = [asdict(claim) | {"anchor": claim.anchor, "path": claim.path,
                              "statement_digest": claim.statement_digest,
                              "changed_in": versions.changed_in(claim.id, claim.statement_digest, releases, this)}
             for claim in sorted(claims, key=lambda c: c.id)]
    return json.dumps(index, indent=2, ensure_ascii=False) + "\n"


# The two indexes' names are part of the site: pages link claims.json, and a published release
# fetches claim-digests.json from the latest text.
CLAIMS_FILE = "claims.json"
CLAIM_DIGESTS_FILE = "claim-digests.json"


def claim_digests_json(claims: list[Claim]) -> str:
    """claim-digests.json: {anchor: {"digest": statement digest, "path": site-relative URL}}, what a
    published release's pages read from the latest text to tell that a claim's statement has changed
    since (assets/site.js). A release reads it for as long as it is published, so its name and shape
    stay; it is a small file of its own so that a release's reader does not download claims.json."""
    index = {claim.anchor: {"digest": claim.statement_digest, "path": claim.path}
             for claim in sorted(claims, key=lambda c: c.id)}
    return json.dumps(index, separators=(",", ":")) + "\n"


def write_claim_indexes(site_dir: Path, claims: list[Claim], releases: list[versions.Release],
                        this: versions.ThisVersion) -> None:
    """claims.json and claim-digests.json in the built site (both generators' adapters call this)."""
    (site_dir / CLAIMS_FILE).write_text(claims_json(claims, releases, this))
    (site_dir / CLAIM_DIGESTS_FILE).write_text(claim_digests_json(claims))


def release_record(claims: list[Claim]) -> dict[str, dict[str, str]]:
    """What releases.json records of each claim: its statement, the statement's digest, its page."""
    return {claim.id: {"statement": claim.statement, "digest": claim.statement_digest, "page": claim.page}
            for claim in sorted(claims, key=lambda c: c.id)}


def check_release_record(claims: list[Claim], releases: list[versions.Release], this: versions.ThisVersion) -> None:
    """A release's build states exactly the claims releases.json recorded for it (BuildFault if not):
    what the changes page and claims.json say of it is then what its readers read."""
    if this.release is None:
        return
    recorded = next(r for r in releases if r.version == this.release).claims
    stated = release_record(claims)
    differ = sorted(k for k in set(recorded) | set(stated) if recorded.get(k, {}).get("digest")
                    != stated.get(k, {}).get("digest"))
    if differ:
        raise BuildFault(f"release {this.release}: the pages' claims differ from what {versions.RELEASES_FILE} "
                         f"recorded for it ({', '.join(differ)}); build a release from its own tag")


def link_claim_titles(content: str, found: dict[str, Claim], site: Site, page: Page) -> str:
    """A permalink and a cite control on each claim box's title (`found`: {anchor: Claim} of the
    page's claims), like those on headings, and the digest of its statement on the box, with which
    an old version's page tells that the statement has changed since (assets/site.js)."""

    def link(match: re.Match[str]) -> str:
        anchor = match.group("id")
        claim = found[anchor]
        button = cite_button(f"Claim: {claim.title}", site, page.url, anchor)
        digest = f'data-statement-digest="{claim.statement_digest}"'
        opening = match.group(1).replace(f'id="{anchor}">', f'id="{anchor}" {digest}>', 1)
        return (f'{opening}{match.group("title")}'
                f'<a class="headerlink" href="#{anchor}" title="Permanent link to this claim">&para;</a>{button}</p>')

    return CLAIM_TITLE_HTML.sub(link, content)


PAGE_HEADING = re.compile(r"^# (?P<title>.+?)(?:\s*\{[^}]*\})?\s*$", re.MULTILINE)


def page_heading(markdown: str, src: str) -> str:
    """The text of a page's level-1 heading, without its attribute list."""
    match = PAGE_HEADING.search(markdown)
    if match is None:
        raise BuildFault(f"{src}: no level-1 heading")
    return match.group("title")


def tests_by_file(node_ids: list[str]) -> str:
    """pytest node ids as Markdown, each file named once: `tests/a.py`: `test_x`, `test_y`; ..."""
    by_file: dict[str, list[str]] = {}
    for node in node_ids:
        file, _, name = node.partition("::")
        by_file.setdefault(file, []).append(f"`{name}`")
    return "; ".join(f"`{file}`: {', '.join(names)}" for file, names in by_file.items()) or "**no test**"


def claims_index_markdown(page_src: str, site: Site) -> str:
    """Every claim on the site, under the title of its page, in nav order: its title linked to its
    box, its id, the tests that check it. The statements stay in the boxes (and in claims.json):
    247 formulas on one page made it the heaviest page of the site on a phone."""
    here = Path(page_src).parent.as_posix()
    by_page: dict[str, list[Claim]] = {}
    for claim in site_claims(site):
        by_page.setdefault(claim.page, []).append(claim)
    sections = []
    for src, claims in by_page.items():
        target = src if here in ("", ".") else f"../{src}"
        stem = Path(src).with_suffix("").as_posix().replace("/", "-")
        heading = page_heading((site.docs_dir / src).read_text(), src)
        entries = [f"- [{claim.title}]({target}#{claim.anchor})<br>"
                   f"<small>`{claim.anchor}`, checked by {tests_by_file(claim.tests)}</small>" for claim in claims]
        anchor = "claims-overview" if stem == "index" else f"claims-{stem}"
        sections.append(f"## {heading} {{#{anchor}}}\n\n<div class=\"claims-index\" markdown>\n\n"
                        + "\n".join(entries) + "\n\n</div>")
    return "\n\n".join(sections)
