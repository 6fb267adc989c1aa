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
import logging
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from hooks import load_yaml, memo
from hooks.cite import cite_button, permalink
from sitekit import cache as cache_io

log = logging.getLogger("mkdocs.hooks.claims")

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

    @property
    def anchor(self) -> str:
        return f"claim-{self.id}"


def parse_claims(markdown: str, page: str) -> list[Claim]:
    """Every claim box in one page's Markdown, with its statement as plain Markdown text."""
    claims = []
    for match in CLAIM_BLOCK.finditer(markdown):
        options = load_yaml("\n".join(line[4:] for line in match.group("options").splitlines())) or {}
        anchor = str((options.get("attrs") or {}).get("id", ""))
        if not CLAIM_ID.match(anchor):
            raise ValueError(f"{page}: claim {match.group('title')!r} needs `attrs: {{id: claim-...}}` "
                             f"with a lowercase slug, got {anchor!r}")
        # Plain text for claims.json: Markdown links keep only their text (TeX stays as written).
        statement = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", " ".join(match.group("body").split()))
        if "{{" in statement:
            raise ValueError(f"{page}: claim {anchor} has a shortcode in its statement; keep citations outside the box")
        if not statement:
            raise ValueError(f"{page}: claim {anchor} has no statement")
        claims.append(Claim(anchor.removeprefix("claim-"), match.group("title").strip(), statement, page))
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
    if cache is not None:
        digest = hashlib.sha256(json.dumps(sources).encode()).hexdigest()[:24]
        stored = cache / f"{digest}.json"
        if (remembered := cache_io.read_json(stored)) is not None:
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
        cache.mkdir(parents=True, exist_ok=True)
        for stale in cache.glob("*.json"):
            cache_io.remove(stale)
        cache_io.write_json(stored, found)
    return found


def tests_by_claim(config: MkDocsConfig) -> dict[str, list[str]]:
    """node_ids_by_claim for the project being built, through the build cache."""
    return node_ids_by_claim(Path(config.config_file_path).parent, memo.cache_dir(config, "claims"))


_claims: dict[str, Claim] = {}
_tests: dict[str, list[str]] = {}


def on_pre_build(config: MkDocsConfig) -> None:
    _claims.clear()
    _tests.clear()
    _tests.update(tests_by_claim(config))


def on_files(files: Files, config: MkDocsConfig) -> Files:
    # A placeholder, so that pages may link to claims.json; on_post_build writes the real index.
    files.append(File.generated(config, "claims.json", content="[]\n"))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    try:
        claims = parse_claims(markdown, page.file.src_uri)
    except ValueError as error:
        raise PluginError(str(error)) from error
    for claim in claims:
        if claim.id in _claims:
            raise PluginError(f"{page.file.src_uri}: claim id {claim.id!r} is already used in {_claims[claim.id].page}")
        claim.url = permalink(config, page, claim.anchor)
        claim.tests = sorted(_tests.get(claim.id, []))
        if not claim.tests:
            log.warning("%s: claim %r has no test: mark one with @pytest.mark.claim(%r)", page.file.src_uri, claim.id,
                        claim.id)
        _claims[claim.id] = claim
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # A permalink and a cite control on each claim's title, like those on headings.
    def link(match: re.Match[str]) -> str:
        anchor = match.group("id")
        claim = _claims[anchor.removeprefix("claim-")]
        button = cite_button(f"Claim: {claim.title}", config.site_name, permalink(config, page, anchor))
        return (f'{match.group(1)}{match.group("title")}'
                f'<a class="headerlink" href="#{anchor}" title="Permanent link to this claim">&para;</a>{button}</p>')

    return CLAIM_TITLE_HTML.sub(link, html)


def on_post_build(config: MkDocsConfig) -> None:
    unknown = sorted(set(_tests) - set(_claims))
    if unknown:
        log.warning("tests name claims that no page states: %s", ", ".join(unknown))
    index = [asdict(claim) | {"anchor": claim.anchor} for claim in sorted(_claims.values(), key=lambda c: c.id)]
    path = Path(config.site_dir) / "claims.json"
    path.write_text(json.dumps(index, indent=2, ensure_ascii=False) + "\n")


def nav_pages(config: MkDocsConfig) -> list[str]:
    """The Markdown files of the nav, in order."""
    pages: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            if isinstance(value, list):
                walk(value)
            elif isinstance(value, str) and value.endswith(".md"):
                pages.append(value)

    walk(config.nav or [])
    return pages


def claims_index_markdown(page_src: str, config: MkDocsConfig) -> str:
    """Every claim on the site, page by page in nav order: a link, the statement, the tests."""
    docs = Path(config.docs_dir)
    tests = tests_by_claim(config)
    here = Path(page_src).parent.as_posix()
    blocks = []
    for src in nav_pages(config):
        for claim in parse_claims((docs / src).read_text(), src):
            target = Path(src).as_posix() if here in ("", ".") else f"../{src}"
            checked = ", ".join(f"`{node}`" for node in sorted(tests.get(claim.id, []))) or "**no test**"
            blocks.append(f"**[{claim.anchor}]({target}#{claim.anchor})**: {claim.title}\n"
                          f"{{: .claim-index-title }}\n\n{claim.statement}\n\n"
                          f"<small>Checked by {checked}</small>")
    return "\n\n---\n\n".join(blocks)
