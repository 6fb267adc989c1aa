"""Tests of sitekit/: the Python-Markdown extensions, run on their own, without a site build."""

from __future__ import annotations

import functools
import json
import re

import markdown
import pytest

from sitekit import build

GLOSSARY = {"GLM": "Generalized linear model.", "IRLS": "Iteratively reweighted least squares."}


def convert(text: str) -> str:
    md = markdown.Markdown(extensions=["abbr", "attr_list", "toc", "sitekit.glossary"],
                           extension_configs={"abbr": {"glossary": GLOSSARY}})
    return md.convert(text)


def test_a_term_is_marked_once_per_page_and_can_be_focused() -> None:
    html = convert("A GLM, and another GLM.\n\nIRLS fits a GLM.")
    assert html.count("<abbr") == 2
    assert html.count('tabindex="0"') == 2
    assert html.startswith('<p>A <abbr tabindex="0" title="Generalized linear model.">GLM</abbr>, and another GLM.</p>')
    assert "IRLS</abbr> fits a GLM." in html


def test_terms_in_headings_are_not_marked_and_the_next_occurrence_is() -> None:
    html = convert("# Fitting a GLM by IRLS {#fitting}\n\nThe GLM here.")
    assert '<h1 id="fitting">Fitting a GLM by IRLS</h1>' in html
    assert '<p>The <abbr tabindex="0" title="Generalized linear model.">GLM</abbr> here.</p>' in html


def test_unwrapping_keeps_the_surrounding_text_and_markup() -> None:
    html = convert("A GLM *is* GLM-shaped; a GLM **again**.")
    assert html.count("<abbr") == 1
    assert "<em>is</em> GLM-shaped; a GLM <strong>again</strong>." in html


def test_the_search_index_keeps_the_prose_and_inline_code_but_not_the_listings() -> None:
    from sitekit.search_text import readable_index
    raw = json.dumps({"config": {}, "docs": [{"location": "a/", "title": "A", "text":
        "<p>Fit with <code>fit_glm_irls</code>:</p> <pre><code>def f(x):\n    return x</code></pre> <p>Done.</p>"}]})
    text = json.loads(readable_index(raw))["docs"][0]["text"]
    assert text == "<p>Fit with <code>fit_glm_irls</code>:</p> <p>Done.</p>"


def test_formulas_in_search_text_read_as_plain_unicode() -> None:
    from sitekit.search_text import readable, tex_to_text

    tent = tex_to_text(r"T(x) = 2\,\mathrm{ReLU}(x) - 4\,\mathrm{ReLU}(x - \tfrac12)")
    assert tent == "T(x) = 2 ReLU(x) - 4 ReLU(x - 1/2)"
    assert tex_to_text(r"b'(\theta)") == "b′(θ)"
    assert readable(r"the score \(X^\top(y - \mu)\) and \[\mathbb{R}^d\]") == "the score X^⊤(y - μ) and ℝ^d"


def git(root, *args: str) -> str:
    import subprocess

    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=root, check=True,
                          capture_output=True, text=True).stdout.strip()


PUBLISHED = {"cells": [
    {"cell_type": "markdown", "id": "n-1", "metadata": {}, "source": "# Title"},
    {"cell_type": "code", "execution_count": None, "id": "n-install", "metadata": {"tags": ["install"]},
     "outputs": [], "source": '%pip install "nn-glm-snippets @ https://x.org/p.whl" numpy==2.0.1 statsmodels==0.15.0'},
    {"cell_type": "code", "execution_count": 3, "id": "n-2", "metadata": {},
     "outputs": [{"output_type": "stream", "name": "stdout", "text": "1.5\n"}], "source": "print(1.5)"}],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_the_repository_copy_of_a_notebook_has_no_outputs_and_nothing_else_changed() -> None:
    import json

    from sitekit.launch import without_outputs

    copy = json.loads(without_outputs(json.dumps(PUBLISHED)))
    assert copy["cells"][2]["outputs"] == [] and copy["cells"][2]["execution_count"] is None
    assert [c["source"] for c in copy["cells"]] == [c["source"] for c in PUBLISHED["cells"]]
    assert copy["cells"][1]["metadata"] == {"tags": ["install"]}


def test_colab_and_binder_urls_name_the_notebook_at_the_commit_on_github_only() -> None:
    from sitekit.launch import github_repository, launch_urls

    assert github_repository("https://github.com/o-1/r.x") == ("o-1", "r.x")
    assert github_repository("https://github.com/o/r.git") == ("o", "r")
    assert github_repository("https://github.com/o/r/") == ("o", "r")
    for other in (None, "", "https://gitlab.com/o/r", "http://github.com/o/r", "https://github.com/o",
                  'https://github.com/o/r"><script>'):
        assert github_repository(other) is None, other
    urls = launch_urls("o", "r", "abc123", "glm-again")
    assert urls == {
        "Open in Colab": "https://colab.research.google.com/github/o/r/blob/abc123/notebooks/glm-again.ipynb",
        "Launch Binder": "https://mybinder.org/v2/gh/o/r/abc123?labpath=notebooks%2Fglm-again.ipynb"}


def test_binder_gets_the_install_cells_pins_and_the_oldest_supported_python(tmp_path) -> None:
    import json

    import pytest

    from sitekit.launch import binder_requirements, repository_files, runtime_txt

    assert binder_requirements(PUBLISHED["cells"][1]["source"]).splitlines()[1:] == [
        "numpy==2.0.1", "statsmodels==0.15.0"]
    with pytest.raises(ValueError, match="install_source"):
        binder_requirements("%pip install numpy")
    assert runtime_txt(">=3.11") == "python-3.11\n"
    with pytest.raises(ValueError, match="requires_python"):
        runtime_txt("~=3.11")
    with pytest.raises(ValueError, match="site_dir"):
        repository_files(tmp_path, ">=3.11")
    (tmp_path / "notebooks" / "n").mkdir(parents=True)
    (tmp_path / "notebooks" / "n" / "n.ipynb").write_text(json.dumps(PUBLISHED))
    assert sorted(repository_files(tmp_path, ">=3.12")) == [
        "binder/requirements.txt", "binder/runtime.txt", "notebooks/n.ipynb"]


def test_launch_links_appear_only_for_the_notebook_the_commit_holds(tmp_path) -> None:
    import json

    from sitekit.launch import without_outputs
    from sitekit.notebooks import launch_links

    published = tmp_path / "published.ipynb"
    published.write_text(json.dumps(PUBLISHED))
    root = tmp_path / "repo"
    (root / "notebooks").mkdir(parents=True)
    git(root, "init", "-q")
    (root / "notebooks" / "n.ipynb").write_text(without_outputs(published.read_text()))
    git(root, "add", ".")
    git(root, "commit", "-qm", "notebook")
    build.begin()
    commit = git(root, "rev-parse", "HEAD")
    links = dict(launch_links("https://github.com/o/r", root, published, "n"))
    assert links["Open in Colab"].endswith(f"/o/r/blob/{commit}/notebooks/n.ipynb")
    assert launch_links("https://gitlab.com/o/r", root, published, "n") == ()
    assert launch_links(None, root, published, "n") == ()
    # The commit holds another version of the notebook (here, an older one), or none at all: no links.
    (root / "notebooks" / "n.ipynb").write_text(without_outputs(published.read_text()).replace("1.5", "2.5"))
    git(root, "commit", "-qam", "edit")
    build.begin()  # a new build asks git again
    assert launch_links("https://github.com/o/r", root, published, "other") == ()
    assert launch_links("https://github.com/o/r", root, published, "n") == ()


# --- sitekit.pages: the page stages in one Markdown conversion, with the context MkDocs' adapter gives


PAGE = '''## Data {#data}

The data of {{ cite("spector1980") }}, where $\\eta = x^\\top\\beta$.

/// claim | A claim of the test page
    attrs: {id: claim-test-page}

It holds.
///
'''


def render_page(site, src: str = "glm.md") -> str:
    from sitekit import context

    context.enter_page(site, context.Page(src=src, url=context.page_url(src)))
    extensions = ["sitekit.pages", "attr_list", "pymdownx.arithmatex", "pymdownx.blocks.admonition"]
    md = markdown.Markdown(extensions=extensions,
                           extension_configs={"pymdownx.arithmatex": {"generic": True},
                                              "pymdownx.blocks.admonition": {"types": ["claim"]}})
    return md.convert(PAGE)


def test_the_page_stages_expand_link_cite_and_typeset(tmp_path, monkeypatch) -> None:
    from sitekit.context import site_from_config
    from tests.markdown_fences import ROOT

    monkeypatch.setenv("SITE_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("SITE_URL", "https://example.org/nn/")
    html = render_page(site_from_config(ROOT))
    assert '<a href="references.md#ref-spector1980">Spector and Mazzeo (1980)</a>' in html
    assert "<math><mi>η</mi><mo>=</mo>" in html and "arithmatex" not in html
    assert 'data-cite-url="https://example.org/nn/glm/#data"' in html  # the heading's cite control
    assert 'href="#claim-test-page" title="Permanent link to this claim"' in html
    assert 'data-cite-url="https://example.org/nn/glm/#claim-test-page"' in html
    assert "aria-label=\"Cite: Claim: A claim of the test page\"" in html


def test_a_page_stage_without_a_page_context_says_what_is_missing(monkeypatch) -> None:
    build.begin()  # a build in which no adapter has announced a page
    with pytest.raises(RuntimeError, match="hooks/pages.py"):
        markdown.Markdown(extensions=["sitekit.pages"]).convert("Text.")


def test_page_urls_and_nav_pages_as_both_generators_give_them() -> None:
    from sitekit.context import nav_pages, page_url

    assert [page_url(s) for s in ("index.md", "glm.md", "a/index.md", "a/b.md")] == ["", "glm/", "a/", "a/b/"]
    mkdocs_nav = [{"Overview": "index.md"}, {"Part": [{"A": "a.md"}, {"N": "n.ipynb"}]}, "b.md"]
    zensical_nav = [{"title": "Overview", "url": "index.md", "children": []},
                    {"title": "Part", "url": None, "children": [{"title": "A", "url": "a.md", "children": []},
                                                                {"title": "N", "url": "n.ipynb", "children": []}]},
                    {"title": "B", "url": "b.md", "children": []}]
    assert nav_pages(mkdocs_nav) == nav_pages(zensical_nav) == ("index.md", "a.md", "b.md")


def test_the_site_settings_are_read_from_mkdocs_yml_with_its_environment(monkeypatch) -> None:
    from sitekit.context import site_from_config
    from tests.markdown_fences import ROOT

    monkeypatch.delenv("SITE_URL", raising=False)
    assert site_from_config(ROOT).site_url == "https://nn-glm.github.io/"
    monkeypatch.setenv("SITE_URL", "https://example.org/")
    site = site_from_config(ROOT)
    assert site.site_url == "https://example.org/" and site.site_name == "Are neural networks stacked GLMs?"
    assert site.nav[:3] == ("index.md", "linear.md", "glm.md") and "print.md" in site.nav


def test_under_zensical_the_stages_read_its_rendering_context(tmp_path, monkeypatch) -> None:
    from zensical.extensions.context import ContextExtension
    from zensical.extensions.context import Page as ZensicalPage

    from sitekit import context

    build.begin()  # nothing from an MkDocs adapter
    config = {"root_dir": str(tmp_path), "docs_dir": "docs", "site_url": "https://example.org/",
              "site_name": "Example", "nav": [{"title": "A", "url": "a.md", "children": []}]}
    md = markdown.Markdown(extensions=[ContextExtension(page=ZensicalPage(url="a/", path="a.md"), config=config),
                                       "sitekit.pages", "attr_list"])
    site, page = context.for_markdown(md)
    assert page == context.Page(src="a.md", url="a/")
    assert (site.root, site.docs_dir, site.site_url, site.site_name, site.nav) == \
        (tmp_path, tmp_path / "docs", "https://example.org/", "Example", ("a.md",))
    heading = md.convert("## Here {#here}")
    assert 'data-cite-url="https://example.org/a/#here"' in heading
    assert 'data-cite-markdown="[Here \u2013 Example, ' in heading and '](https://example.org/a/#here)"' in heading


def test_a_shortcode_that_fails_names_the_page_the_shortcode_and_the_reason(tmp_path, monkeypatch) -> None:
    import snippets.overview as overview
    from sitekit import shortcodes
    from sitekit.context import Page, site_from_config
    from tests.markdown_fences import ROOT

    monkeypatch.setattr(overview, "odd_values", lambda: {"word": "ten", "nan": float("nan"), "x": 1.5},
                        raising=False)
    monkeypatch.setattr(overview, "not_data", lambda: object(), raising=False)
    build.begin()
    shortcodes.cache_values_in(tmp_path)
    site, page = site_from_config(ROOT), Page("glm.md", "glm/")
    for text, reason in [
        ('{{ nothing() }}', "ValueError: unknown shortcode 'nothing'"),
        ('{{ value("overview:odd_values", "word") }}', "'word' is a str, not a number"),
        ('{{ value("overview:odd_values", "nan") }}', "returned nan for 'nan': not a finite number"),
        ('{{ value("overview:odd_values", "x", "d") }}', "1.5 cannot be formatted as 'd'"),
        ('{{ value("overview:not_data") }}', "TypeError: a computed value must be plain data"),
        ('{{ value("overview") }}', "expected 'module:function', got 'overview'"),
    ]:
        with pytest.raises(ValueError, match="^glm.md: " + re.escape(text) + ": .*" + re.escape(reason)):
            shortcodes.expand(f"Before {text} after.", site, page)
    assert shortcodes.expand('{{ value("overview:odd_values", "x", ".2f") }}', site, page) == "1.50"
    build.begin()  # later tests: a build that has computed nothing


def test_an_executed_example_that_raises_fails_the_page_with_its_first_line(tmp_path, monkeypatch) -> None:
    from pymdownx.superfences import SuperFencesException

    from sitekit import context, examples
    from sitekit.context import site_from_config
    from tests.markdown_fences import ROOT

    monkeypatch.setenv("SITE_CACHE_DIR", str(tmp_path))
    context.enter_page(site_from_config(ROOT), context.Page("glm.md", "glm/"))
    fence = {"name": "python", "class": "python", "validator": examples.is_executed, "format": examples.format_executed}
    md = markdown.Markdown(extensions=["pymdownx.superfences", "pymdownx.highlight"],
                           extension_configs={"pymdownx.superfences": {"custom_fences": [fence]}})
    ran = md.convert('```python exec="on"\nprint(6 * 7)\n```')
    assert ran.count("<pre") == 2 and "42" in ran  # the code, then what it printed
    with pytest.raises(SuperFencesException,
                       match=r"^glm\.md: executed example starting 'x = 1' raised ZeroDivisionError"):
        md.convert('```python exec="on"\nx = 1\nprint(x / 0)\n```')


def theme_code_colours(stylesheet: str) -> dict[str, str]:
    """{token class: the custom property it is drawn with} from a theme's `.highlight .x{color:...}` rules."""
    colours: dict[str, str] = {}
    for selectors, prop in re.findall(r"((?:,?\.highlight \.[a-z0-9]+)+)\{color:var\((--[a-z-]+)\)\}", stylesheet):
        for token in re.findall(r"\.highlight \.([a-z0-9]+)", selectors):
            colours[token] = prop
    return colours


def colour_per_character(code: str, colours: dict[str, str]) -> list[tuple[str, str]]:
    """(character, colour) for every visible character of highlighted `code`; "fg" is the code's own."""
    def colour(token: str) -> str:
        prop = colours.get(token, "--md-code-fg-color")  # no rule: the code's own colour
        return "fg" if prop in ("--md-code-fg-color", "--md-code-hl-name-color") else prop
    drawn: list[tuple[str, str]] = []
    pos = 0
    for span in re.finditer(r'<span class="([a-z0-9]+)">([^<]*)</span>', code):
        drawn += [(c, "fg") for c in re.sub(r"<[^>]+>", "", code[pos:span.start()])]
        drawn += [(c, colour(span.group(1))) for c in span.group(2)]
        pos = span.end()
    drawn += [(c, "fg") for c in re.sub(r"<[^>]+>", "", code[pos:])]
    return [(c, k) for c, k in drawn if not c.isspace()]


@functools.cache
def highlighted_snippets() -> tuple[str, str]:
    """All of snippets/ as one Python fence (and an inline f-string), highlighted as Pygments does
    and as the site does (sitekit.plain_code): the same for every stylesheet, so made once."""
    from tests.markdown_fences import ROOT

    sources = "".join(path.read_text(encoding="utf-8") for path in sorted((ROOT / "snippets").glob("*.py")))
    fence = f"```python\n{sources}\n```\n\nInline `#!python f\"{{x!r}} and {{y}}\"`."
    highlighting = ["pymdownx.superfences", "pymdownx.highlight", "pymdownx.inlinehilite"]
    return (markdown.Markdown(extensions=highlighting).convert(fence),
            markdown.Markdown(extensions=[*highlighting, "sitekit.plain_code"]).convert(fence))


THEME_STYLESHEETS = ["material/templates/assets/stylesheets/main.*.min.css",
                     "zensical/templates/assets/stylesheets/*/main.*.min.css"]


@pytest.mark.parametrize("pattern", THEME_STYLESHEETS)
def test_plain_code_keeps_every_character_in_its_colour_in_the_theme(pattern: str) -> None:
    import sysconfig
    from pathlib import Path

    from sitekit.plain_code import COLOUR_OF_TOKEN, PLAIN_TOKENS
    from tests.markdown_fences import ROOT
    stylesheets = sorted(Path(sysconfig.get_paths()["purelib"]).glob(pattern))
    assert stylesheets, f"no stylesheet {pattern}"
    for stylesheet in stylesheets:
        text = stylesheet.read_text(encoding="utf-8")
        colours = theme_code_colours(text)
        # The name colour is the code's own in both palettes (the theme's palette stylesheet beside
        # this one, and the site's), so names and constants need no span.
        palettes = [*stylesheet.parent.glob("*.css"), ROOT / "docs" / "assets" / "site.css"]
        names = [m for css in palettes for m in re.findall(r"--md-code-hl-name-color:\s*([^;}]*)", css.read_text())]
        assert len(names) >= 2 and set(names) == {"var(--md-code-fg-color)"}, names
        assert {colours[t] for t in ("n", "kc")} == {"--md-code-hl-name-color"} and not {"w", "sa"} & set(colours)
        # Tokens this module puts in one colour group are drawn alike by the theme, and vice versa.
        for a in COLOUR_OF_TOKEN:
            for b in COLOUR_OF_TOKEN:
                assert (COLOUR_OF_TOKEN[a] == COLOUR_OF_TOKEN[b]) == (colours[a] == colours[b]), (a, b)
        full, plain = highlighted_snippets()
        before, after = colour_per_character(full, colours), colour_per_character(plain, colours)
        def text(html: str) -> str:
            return re.sub(r"<[^>]+>", "", html)
        assert text(plain) == text(full)  # every character, whitespace included
        lighter = {colours["p"], colours["o"]}  # punctuation and operators take the code's colour on purpose
        changed = [(c, k, m) for (c, k), (_, m) in zip(before, after, strict=True) if k != m]
        assert changed and all(k in lighter and m == "fg" for _, k, m in changed), changed[:5]
        # And far fewer elements: no span in the code's colour, no neighbours in one colour.
        assert plain.count("<span") < full.count("<span") * 0.5
        assert not set(re.findall(r'<span class="([a-z0-9]+)">', plain)) & PLAIN_TOKENS
        assert "<span></span>" in full and "<span></span>" not in plain
        neighbours = re.findall(r'<span class="([a-z0-9]+)">[^<]*</span>\s*<span class="([a-z0-9]+)">', plain)
        assert neighbours and all(COLOUR_OF_TOKEN.get(a) != COLOUR_OF_TOKEN.get(b) for a, b in neighbours)



# --- fingerprints: everything a result depends on in snippets/, and nothing else ----------------

FINGERPRINT_PROBE = '''\
import dataclasses
import functools

SCALE = 2.0


def helper(x):
    return x + 1


class WithProperty:
    @property
    def size(self):
        return 3


class WithSetter:
    def __init__(self):
        self._v = 0

    @property
    def v(self):
        return self._v

    @v.setter
    def v(self, value):
        self._v = value * 1


class WithAttribute:
    LIMIT = 10


class WithHelper:
    def grown(self):
        return helper(1)


class WithCachedProperty:
    @functools.cached_property
    def total(self):
        return 4


@dataclasses.dataclass(frozen=True)
class Settings:
    steps: int = 10
    names: tuple = dataclasses.field(default_factory=lambda: ("a",))


def uses_property():
    return WithProperty().size


def uses_setter():
    box = WithSetter()
    box.v = 1
    return box.v


def uses_attribute():
    return WithAttribute.LIMIT


def uses_helper_of_a_method():
    return WithHelper().grown()


def uses_cached_property():
    return WithCachedProperty().total


def uses_dataclass_default():
    return Settings().steps


def uses_constant():
    return SCALE


def independent():
    return 0
'''

# Each edit of the probe, and the functions (or the class, fingerprinted itself) it must reach.
FINGERPRINT_EDITS = {
    "property getter": (("        return 3\n", "        return 4\n"), {"uses_property"}),
    "property setter": (("self._v = value * 1", "self._v = value * 2"), {"uses_setter"}),
    "class attribute": (("LIMIT = 10", "LIMIT = 11"), {"uses_attribute"}),
    "helper called by a method": (("return x + 1", "return x + 2"), {"uses_helper_of_a_method", "WithHelper"}),
    "cached property": (("        return 4\n\n\n@data", "        return 5\n\n\n@data"), {"uses_cached_property"}),
    "dataclass default": (("steps: int = 10", "steps: int = 12"), {"uses_dataclass_default"}),
    "dataclass default factory": (('("a",)', '("b",)'), {"uses_dataclass_default"}),
    "module constant": (("SCALE = 2.0", "SCALE = 3.0"), {"uses_constant"}),
}
PROBED = ["uses_property", "uses_setter", "uses_attribute", "uses_helper_of_a_method", "uses_cached_property",
          "uses_dataclass_default", "uses_constant", "independent", "WithHelper"]


def probe_fingerprints(source: str, tmp_path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The fingerprint of each probed name of `source`, loaded as a module of the snippets package."""
    import importlib.util
    import sys

    from sitekit.fingerprint import _fingerprint

    path = tmp_path / f"probe_{abs(hash(source))}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("snippets._fingerprint_probe", path)
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return {name: _fingerprint(getattr(module, name)) for name in PROBED}


@pytest.mark.parametrize("edit", FINGERPRINT_EDITS)
def test_an_edit_changes_exactly_the_fingerprints_that_depend_on_it(edit: str, tmp_path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (old, new), dependent = FINGERPRINT_EDITS[edit]
    assert FINGERPRINT_PROBE.count(old) == 1, old
    before = probe_fingerprints(FINGERPRINT_PROBE, tmp_path, monkeypatch)
    after = probe_fingerprints(FINGERPRINT_PROBE.replace(old, new), tmp_path, monkeypatch)
    assert {name for name in PROBED if before[name] != after[name]} == dependent


def test_a_fingerprint_is_the_same_when_nothing_changed(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Loaded twice (new objects, new addresses): the same fingerprints, and a comment changes none.
    first = probe_fingerprints(FINGERPRINT_PROBE, tmp_path, monkeypatch)
    assert probe_fingerprints(FINGERPRINT_PROBE + "\n", tmp_path, monkeypatch) == first
    commented = FINGERPRINT_PROBE.replace("SCALE = 2.0\n", "SCALE = 2.0  # the scale\n")
    assert probe_fingerprints(commented, tmp_path, monkeypatch) == first


LISTED = "x = 0\n# --8<-- [start:part]\ny = 1\n# --8<-- [end:part]\nz = 2\n"


@pytest.mark.parametrize(("text", "fault"), [
    (LISTED, None),
    (LISTED.replace("# --8<-- [end:part]", ""), "a start marker (line 2) and no end marker"),
    (LISTED.replace("[start:part]", "[end:part]", 1), "markers end at line 2, end at line 4: expected one start"),
    (LISTED.replace("z = 2", "# --8<-- [start:part]"), "markers start at line 2, end at line 4, start at line 5"),
    ("y = 1\n", "no start or end marker"),
])
def test_a_listing_needs_one_start_marker_then_one_end_marker(text: str, fault: str | None) -> None:
    from sitekit.listings import section_fault

    found = section_fault(text, "part")
    assert found == fault if fault is None else fault in found


def test_an_include_of_a_broken_section_names_the_page_line_file_and_section(tmp_path) -> None:
    from sitekit.errors import BuildFault
    from sitekit.listings import check_includes

    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "m.py").write_text(LISTED)
    (tmp_path / "docs").mkdir()
    page = '---\ntitle: T\n---\n# T\n\n--8<-- "snippets/m.py:part"\n;--8<-- "snippets/m.py:gone"\n'
    (tmp_path / "docs" / "p.md").write_text(page)
    body = page.split("---\n", 2)[2]  # what a page stage sees: no front matter
    check_includes(body, "p.md", tmp_path, tmp_path / "docs")  # an escaped include is not checked
    (tmp_path / "snippets" / "m.py").write_text(LISTED.replace("# --8<-- [end:part]", ""))
    with pytest.raises(BuildFault, match=r"^p\.md, line 6: snippets/m\.py: section 'part' has a start marker"):
        check_includes(body, "p.md", tmp_path, tmp_path / "docs")


def test_a_fault_says_where_the_sources_raised_and_is_one_message_under_mkdocs(tmp_path, monkeypatch) -> None:
    from mkdocs.exceptions import BuildError

    from sitekit import errors
    from sitekit.errors import BuildFault, described, fault

    # A project of its own (code run from the repository's snippets/ would count for coverage).
    monkeypatch.setattr(errors, "ROOT", tmp_path)

    assert issubclass(BuildFault, BuildError) and issubclass(BuildFault, ValueError)
    try:
        compile("def (x):\n", str(tmp_path / "snippets" / "probe.py"), "exec")
    except SyntaxError as error:
        assert described(error) == "SyntaxError in snippets/probe.py, line 1: invalid syntax"
    try:
        exec(compile("1 / 0", str(tmp_path / "snippets" / "probe.py"), "exec"))
    except ZeroDivisionError as error:
        assert described(error) == "ZeroDivisionError: division by zero (snippets/probe.py, line 1)"
        made = fault("index.md: {{ value(...) }}", error)
        assert isinstance(made, BuildFault)
        assert str(made) == ("index.md: {{ value(...) }}: ZeroDivisionError: division by zero "
                             "(snippets/probe.py, line 1)")
        assert fault("elsewhere", made) is made  # a fault passes through as it was raised
    # The pipeline's own lines are not where the sources went wrong: no location for those.
    try:
        int("x")
    except ValueError as error:
        assert described(error) == "ValueError: invalid literal for int() with base 10: 'x'"
    # A worker's error carries the worker's traceback as text.
    remote = RuntimeError("drawn")
    remote.__cause__ = RuntimeError(f'Traceback:\n  File "{tmp_path}/snippets/w.py", line 7, in draw\n')
    assert described(remote) == "RuntimeError: drawn (snippets/w.py, line 7)"


def test_yaml_that_does_not_parse_is_named_with_its_line_and_column() -> None:
    from sitekit import load_yaml

    assert load_yaml("a: [1, 2]") == {"a": [1, 2]}
    with pytest.raises(ValueError, match=r"^docs/x\.yml, line 2, column 1: not valid YAML: "):
        load_yaml("a: [1,\n", "docs/x.yml")


def test_a_converted_notebook_page_is_published_only_as_mkdocs_jupyter_wrote_it(tmp_path) -> None:
    from hooks.jupyter import seal_converted_pages, verify_converted_pages
    from sitekit import cache

    page = {"content": "<p>42</p>", "toc_tokens": [], "title": "T"}
    names = ("kept", "edited", "cut", "shape", "unsealed")
    for name in names:  # as mkdocs-jupyter writes them: no digest
        (tmp_path / f"{name}.json").write_text(json.dumps(page))
    seal_converted_pages(tmp_path)  # the end of the build that wrote them
    assert all(cache.is_valid(tmp_path / f"{name}.json") for name in names)
    (tmp_path / "edited.json").write_text(json.dumps(page | {"content": "<p>43</p><script>x()</script>"}))
    (tmp_path / "cut.json").write_text(json.dumps(page)[:20])
    cache.write_json(tmp_path / "shape.json", {"content": 1})  # verifies, but is not a page
    (tmp_path / "unsealed.json.sha256").unlink()
    (tmp_path / "evicted.json.sha256").write_text("0\n")  # a digest whose entry mkdocs-jupyter evicted
    verify_converted_pages(tmp_path)  # the start of the next build
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.json", "kept.json.sha256"]
    assert json.loads((tmp_path / "kept.json").read_text()) == page


def test_a_claims_digest_changes_with_its_statement_and_nothing_else() -> None:
    # What a citation quotes is the statement: a new title, page or test leaves its digest as it was.
    from dataclasses import replace

    from sitekit.claims import Claim, claims_json

    claim = Claim(id="x", title="A title", statement="For every n >= 1, f(n) > 0.", page="glm.md",
                  tested="Tested: n <= 9.")
    same = [replace(claim, title="Another title"), replace(claim, page="stacking.md", url="u"),
            replace(claim, tests=["tests/test_glm.py::test_x"], tested="Tested: n <= 99.")]
    assert {c.statement_digest for c in same} == {claim.statement_digest}
    assert replace(claim, statement="For every n >= 2, f(n) > 0.").statement_digest != claim.statement_digest
    assert json.loads(claims_json([claim]))[0]["statement_digest"] == claim.statement_digest


def test_claim_digests_json_gives_each_claims_digest_and_path_by_anchor() -> None:
    from sitekit.claims import Claim, claim_digests_json

    claims = [Claim(id=name, title="T", statement=f"{name} holds.", page=page, tested="")
              for name, page in (("b", "glm.md"), ("a", "index.md"))]
    assert json.loads(claim_digests_json(claims)) == {
        "claim-a": {"digest": claims[1].statement_digest, "path": "#claim-a"},
        "claim-b": {"digest": claims[0].statement_digest, "path": "glm/#claim-b"},
    }
