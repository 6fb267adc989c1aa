"""The page stages of the build, in order: `sitekit.pages` in mkdocs.yml's markdown_extensions.

One Python-Markdown extension, so that every generator that runs Python-Markdown (MkDocs today,
Zensical tomorrow) renders a page the same way. A page goes through:

0. listings     (preprocessor)   every `--8<-- "file:section"` the page includes has its start and
                                 end markers (sitekit/listings.py), before pymdownx.snippets reads them
1. shortcodes   (preprocessor)   `{{ figure(...) }}`, `{{ value(...) }}` ... expanded to Markdown
                                 (sitekit/shortcodes.py); reads snippets/ results through the caches
2. claims       (preprocessor)   the page's claim boxes parsed and checked (sitekit/claims.py)
   ... Python-Markdown and the other extensions render the page; executed examples are a
       superfences fence (sitekit/examples.py), glossary tooltips a treeprocessor (sitekit/glossary.py)
3. claim links  (postprocessor)  a permalink and a cite control on each claim title
4. cite buttons (postprocessor)  a cite control on each h2-h4 heading (sitekit/cite.py)
5. math         (postprocessor)  arithmatex's spans typeset as MathML Core (sitekit/formulas.py)

The postprocessors run on the page's finished HTML, after Python-Markdown has put its raw HTML
back (its own postprocessor at priority 30). The site and the page come from sitekit/context.py.
A stage that fails raises a BuildFault naming the page (sitekit/errors.py): one message, no traceback.
"""

from __future__ import annotations

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from sitekit import cite, claims, listings, shortcodes
from sitekit.context import for_markdown
from sitekit.errors import reported
from sitekit.formulas import formulas_for


class ListingsStage(Preprocessor):
    name = "sitekit-listings"

    @reported
    def run(self, lines: list[str]) -> list[str]:
        site, page = for_markdown(self.md)
        listings.check_includes("\n".join(lines), page.src, site.root, site.docs_dir)
        return lines


class ShortcodesStage(Preprocessor):
    name = "sitekit-shortcodes"

    @reported
    def run(self, lines: list[str]) -> list[str]:
        site, page = for_markdown(self.md)
        return shortcodes.expand("\n".join(lines), site, page).split("\n")


class ClaimsStage(Preprocessor):
    name = "sitekit-claims"
    found: dict = {}  # {anchor: Claim} of this page's claims, as written, for ClaimLinksStage

    @reported
    def run(self, lines: list[str]) -> list[str]:
        _, page = for_markdown(self.md)
        self.found = {claim.anchor: claim for claim in claims.parse_claims("\n".join(lines), page.src)}
        return lines


class ClaimLinksStage(Postprocessor):
    name = "sitekit-claim-links"

    @reported
    def run(self, text: str) -> str:
        site, page = for_markdown(self.md)
        return claims.link_claim_titles(text, self.md.preprocessors[ClaimsStage.name].found, site, page)


class CiteButtonsStage(Postprocessor):
    name = "sitekit-cite-buttons"

    @reported
    def run(self, text: str) -> str:
        site, page = for_markdown(self.md)
        return cite.add_cite_buttons(text, site, page)


class MathStage(Postprocessor):
    name = "sitekit-math"

    @reported
    def run(self, text: str) -> str:
        site, page = for_markdown(self.md)
        return formulas_for(site.cache_dir("math")).typeset_page(text, page.src)


# (stage, registry, priority): Python-Markdown runs higher priorities first. The preprocessors come
# before its own (normalize_whitespace is 30), so they see the page as written, like an author.
STAGES = (
    (ListingsStage, "preprocessors", 115),  # first: its line numbers are the page's as written
    (ShortcodesStage, "preprocessors", 110),
    (ClaimsStage, "preprocessors", 105),
    (ClaimLinksStage, "postprocessors", 8),
    (CiteButtonsStage, "postprocessors", 7),
    (MathStage, "postprocessors", 6),
)


class PagesExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        for stage, registry, priority in STAGES:
            getattr(md, registry).register(stage(md), stage.name, priority)


def makeExtension(**kwargs: object) -> PagesExtension:  # noqa: N802 (Python-Markdown's name)
    return PagesExtension(**kwargs)
