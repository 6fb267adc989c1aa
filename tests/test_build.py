"""How the build behaves: loud failures that name the culprit, and a figure cache that redraws
only what an edit affects, also across rebuilds in one process as under `make serve`."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers import build_env, edit, mkdocs_build
from tests.markdown_fences import ROOT

pytestmark = pytest.mark.slow

CACHE_TEST_MODULE = '''\
"""Two figures that depend on different functions."""
from matplotlib.figure import Figure
from snippets.figures import figure


def curve_a():
    return [0, 1, 0]


def curve_b():
    return [1, 0, 1]


@figure("cache-a", alt="A test figure drawn from curve_a only, a tent of three points.", caption="a")
def draw_a():
    fig = Figure()
    fig.subplots().plot(curve_a())
    return fig


@figure("cache-b", alt="A test figure drawn from curve_b only, a valley of three points.", caption="b")
def draw_b():
    fig = Figure()
    fig.subplots().plot(curve_b())
    return fig
'''


def rendered(log: str) -> list[str]:
    """The figures the (last) build in `log` drew, as its figures hook reports them."""
    found = re.findall(r"figures: rendered \d+ \(([^)]*)\)", log)
    assert found, f"no figures line in the build log:\n{log[-2000:]}"
    return [] if found[-1] == "none" else found[-1].split(", ")


def append_to_index(project: Path, markdown: str) -> None:
    index = project / "docs" / "index.md"
    index.write_text(index.read_text() + "\n" + textwrap.dedent(markdown))


def fails_with_one_message(result: subprocess.CompletedProcess[str], *said: str) -> None:
    """The build failed, said each of `said`, and printed no traceback (sitekit/errors.py)."""
    assert result.returncode != 0, "the build did not fail"
    assert "Traceback" not in result.stderr, result.stderr[-4000:]
    for text in said:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr[-3000:]}"


def include_line(section: str) -> int:
    """The line of the first page where it includes `section`."""
    lines = (ROOT / "docs" / "index.md").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if f'"{section}"' in line)


EMPTY_FIGURE = '''
from snippets.figures import figure, new_figure


@figure("empty-figure", alt="A figure that draws nothing at all on its one set of axes.", caption="x")
def draw_empty():
    fig = new_figure(figsize=(3, 2))
    fig.subplots()
    return fig
'''

# (what is broken, how, what the one message must say). Each kind printed a traceback (most two)
# after its first line, or (the end marker) built, before sitekit/errors.py and sitekit/listings.py.
FAULTS = {
    "malformed TeX": (lambda p: append_to_index(p, r"Broken: $\frac{1}{$"),
                      ["index.md: cannot typeset", "(at character 10)"]),
    "a key not in the bibliography": (lambda p: append_to_index(p, '{{ citep("nobody1900") }}'),
                                      ['index.md: {{ citep("nobody1900") }}',
                                       "no entry 'nobody1900' in references.bib"]),
    "a claim without an id": (lambda p: append_to_index(p, "/// claim | No id\n\nText.\n///\n"),
                              ["index.md: claim 'No id' needs `attrs: {id: claim-...}`"]),
    "an unregistered figure": (lambda p: append_to_index(p, '{{ figure("no-such-figure") }}'),
                               ["index.md", "no figure named 'no-such-figure'"]),
    "a value of an unknown function": (lambda p: append_to_index(p, '{{ value("overview:nothing_here", "x") }}'),
                                       ["index.md", "has no attribute 'nothing_here'"]),
    "a value with a bad format": (
        lambda p: append_to_index(p, '{{ value("overview:superposition_defects", "network", ".2q") }}'),
        ["index.md", "cannot be formatted as '.2q'"]),
    "an executed example that raises": (
        lambda p: append_to_index(p, '```python exec="on"\nraise RuntimeError("example on purpose")\n```\n'),
        ["index.md: executed example starting", "RuntimeError: example on purpose"]),
    "a snippets module with a syntax error": (
        lambda p: edit(p / "snippets" / "overview.py", "def superposition_defect", "def (superposition_defect"),
        ["SyntaxError in snippets/overview.py, line"]),
    "a snippets module that imports what is not there": (
        lambda p: edit(p / "snippets" / "overview.py", "from snippets.network import",
                       "from snippets.nowhere import x\nfrom snippets.network import"),
        ["snippets/: the figure registry: ModuleNotFoundError", "(snippets/overview.py, line"]),
    "a figure with nothing drawn": (
        lambda p: ((p / "snippets" / "empty.py").write_text(EMPTY_FIGURE),
                   append_to_index(p, '{{ figure("empty-figure") }}')),
        ["figure 'empty-figure'", "nothing is drawn on axes 1 of 1"]),
    "a listing whose end marker is deleted": (
        lambda p: edit(p / "snippets" / "overview.py", "# --8<-- [end:models]", "# (the end marker)"),
        [f"index.md, line {include_line('snippets/overview.py:models')}: snippets/overview.py: section 'models' "
         "has a start marker", "and no end marker"]),
    "a listing whose start marker is there twice": (
        lambda p: edit(p / "snippets" / "overview.py", "# --8<-- [end:models]",
                       "# --8<-- [start:models]\n# --8<-- [end:models]"),
        ["section 'models' has markers start at line"]),
    "a glossary that is not YAML": (
        lambda p: (p / "docs" / "glossary.yml").write_text("- term: x\n  definition: [unclosed\n"),
        ["docs/glossary.yml, line", "not valid YAML"]),
}


@pytest.mark.parametrize("kind", FAULTS)
def test_each_kind_of_build_fault_is_one_message_without_a_traceback(project: Path, kind: str) -> None:
    damage, said = FAULTS[kind]
    damage(project)
    fails_with_one_message(mkdocs_build(project), *said)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "https://github.com/a b/c", "https://x.org/\"><b>/"])
def test_a_bad_repository_url_fails_the_build(project: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPO_URL", url)
    fails_with_one_message(mkdocs_build(project), "extra.repository (REPO_URL): expected nothing or an absolute")


def test_the_copy_builds(cold_project: Path) -> None:
    result = mkdocs_build(cold_project)
    assert result.returncode == 0, result.stderr[-3000:]


def test_a_missing_snippet_section_fails_the_build_and_names_it(project: Path) -> None:
    edit(project / "docs" / "index.md", '"snippets/overview.py:models"', '"snippets/overview.py:no-such-region"')
    fails_with_one_message(mkdocs_build(project), "no-such-region")


def test_a_missing_snippet_file_fails_the_build_and_names_it(project: Path) -> None:
    edit(project / "docs" / "index.md", '"snippets/overview.py:models"', '"snippets/nowhere.py:models"')
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "nowhere.py" in result.stderr


def test_a_figure_that_raises_fails_the_build_and_names_it(project: Path) -> None:
    (project / "snippets" / "broken.py").write_text(textwrap.dedent('''
        from snippets.figures import figure

        @figure("broken-figure", alt="A figure whose drawing function always raises an error.", caption="x")
        def draw():
            raise ZeroDivisionError("on purpose")
    '''))
    fails_with_one_message(mkdocs_build(project),
                           "figure 'broken-figure' failed to render: ZeroDivisionError: on purpose",
                           "(snippets/broken.py, line")


def test_a_dead_anchor_fails_the_build(project: Path) -> None:
    append_to_index(project, "See [nowhere](#no-such-anchor).\n")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "no-such-anchor" in result.stderr


def test_a_dead_link_fails_the_build(project: Path) -> None:
    append_to_index(project, "See [a missing page](missing.md).\n")
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "missing.md" in result.stderr


def test_an_unknown_shortcode_and_a_bad_formula_fail_the_build(project: Path) -> None:
    append_to_index(project, '{{ plot("x") }}\n')
    fails_with_one_message(mkdocs_build(project), "unknown shortcode 'plot'")
    edit(project / "docs" / "index.md", '{{ plot("x") }}', r"Broken: $\frac{1}{$")
    fails_with_one_message(mkdocs_build(project), "cannot typeset")


def test_a_claim_without_a_test_fails_the_strict_build(project: Path) -> None:
    append_to_index(project, """
        /// claim | An untested statement
            attrs: {id: claim-untested-statement}

        Nothing checks this sentence, so the strict build must refuse it.
        ///
    """)
    result = mkdocs_build(project)
    assert result.returncode != 0 and "untested-statement" in result.stderr


def test_warm_rebuild_draws_nothing_and_an_edit_redraws_only_what_it_reaches(cold_project: Path) -> None:
    (cold_project / "snippets" / "cachetest.py").write_text(CACHE_TEST_MODULE)
    first = mkdocs_build(cold_project)
    assert first.returncode == 0, first.stderr[-3000:]
    assert sorted(rendered(first.stderr)) == ["cache-a", "cache-b", "parameter-lines"]

    warm = mkdocs_build(cold_project)
    assert rendered(warm.stderr) == []

    edit(cold_project / "snippets" / "cachetest.py", "return [0, 1, 0]", "return [0, 2, 0]")
    after_edit = mkdocs_build(cold_project)
    assert rendered(after_edit.stderr) == ["cache-a"]

    # A comment or blank line changes no bytecode: nothing to redraw.
    edit(cold_project / "snippets" / "cachetest.py", "def curve_b():", "def curve_b():\n    # the valley")
    assert rendered(mkdocs_build(cold_project).stderr) == []


PROPERTY_TEST_MODULE = '''\
"""A figure that reads a property of a class, and one that does not."""
from matplotlib.figure import Figure
from snippets.figures import figure


class Curve:
    @property
    def heights(self):
        return [0, 1, 0]


@figure("property-a", alt="A test figure drawn from the heights property of Curve, a tent.", caption="a")
def draw_a():
    fig = Figure()
    fig.subplots().plot(Curve().heights)
    return fig


@figure("property-b", alt="A test figure drawn from a list of its own, a valley of three points.", caption="b")
def draw_b():
    fig = Figure()
    fig.subplots().plot([1, 0, 1])
    return fig
'''


def test_an_edit_to_a_property_redraws_the_figure_that_reads_it(project: Path) -> None:
    (project / "snippets" / "propertytest.py").write_text(PROPERTY_TEST_MODULE)
    first = mkdocs_build(project)
    assert sorted(rendered(first.stderr)) == ["property-a", "property-b"], first.stderr[-3000:]
    before = (project / "site" / "figures" / "property-a.svg").read_bytes()
    edit(project / "snippets" / "propertytest.py", "return [0, 1, 0]", "return [0, 3, 0]")
    after_edit = mkdocs_build(project)
    assert rendered(after_edit.stderr) == ["property-a"]
    assert (project / "site" / "figures" / "property-a.svg").read_bytes() != before


def test_rebuilds_in_one_process_pick_up_snippets_edits(project: Path) -> None:
    # `mkdocs serve` rebuilds in one long-lived process; the build hook must reload snippets/.
    (project / "snippets" / "cachetest.py").write_text(CACHE_TEST_MODULE)
    script = textwrap.dedent('''
        import logging
        from pathlib import Path
        from mkdocs.commands.build import build
        from mkdocs.config import load_config

        def once():
            build(load_config("mkdocs.yml"))
            return Path("site/figures/cache-a.svg").read_bytes()

        logging.basicConfig(level=logging.INFO)
        before = once()
        module = Path("snippets/cachetest.py")
        module.write_text(module.read_text().replace("return [0, 1, 0]", "return [0, 5, 0]"))
        after = once()
        print("CHANGED" if before != after else "UNCHANGED")
    ''')
    env = build_env(measured=False, SITE_CACHE_DIR=str(project / ".build-cache"))
    result = subprocess.run([sys.executable, "-c", script], cwd=project, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "CHANGED"
    assert rendered(result.stderr) == ["cache-a"]


def test_an_executed_example_that_raises_fails_the_build_and_says_why(project: Path) -> None:
    append_to_index(project, """
        ```python exec="on"
        print("before")
        raise RuntimeError("example broke on purpose")
        ```
    """)
    fails_with_one_message(mkdocs_build(project), "example broke on purpose")


def test_examples_run_once_and_rerun_when_what_they_import_changes(cold_project: Path) -> None:
    first = mkdocs_build(cold_project)
    assert re.search(r"examples: ran 1, 0 from cache", first.stderr), first.stderr[-2000:]
    assert re.search(r"examples: ran 0, 1 from cache", mkdocs_build(cold_project).stderr)
    # The example imports linear_predictor: change its code, and the example runs again.
    edit(cold_project / "snippets" / "overview.py", "return float(x @ beta)", "return float(beta @ x)")
    assert re.search(r"examples: ran 1, 0 from cache", mkdocs_build(cold_project).stderr)


def test_search_entries_are_reused_until_a_page_changes(cold_project: Path) -> None:
    first = mkdocs_build(cold_project)
    assert first.returncode == 0, first.stderr[-3000:]
    assert re.search(r"search: indexed [1-9]\d* pages, 0 from cache", first.stderr), first.stderr[-2000:]
    index = (cold_project / "site" / "search" / "search_index.json").read_bytes()

    warm = mkdocs_build(cold_project)
    assert re.search(r"search: indexed 0 pages, [1-9]\d* from cache", warm.stderr), warm.stderr[-2000:]
    assert (cold_project / "site" / "search" / "search_index.json").read_bytes() == index

    append_to_index(cold_project, "A sentence with the word quillwort in it.\n")
    edited = mkdocs_build(cold_project)
    assert re.search(r"search: indexed 1 pages, ", edited.stderr), edited.stderr[-2000:]
    assert "quillwort" in (cold_project / "site" / "search" / "search_index.json").read_text()


def site_files(project: Path) -> set[str]:
    site = project / "site"
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}


def test_theme_files_are_listed_once_and_a_custom_dir_stays_live(cold_project: Path) -> None:
    assert mkdocs_build(cold_project).returncode == 0
    [listing] = (cold_project / ".build-cache" / "theme").glob("*.json")
    cold = site_files(cold_project)
    assert "assets/images/favicon.png" in cold and any(n.startswith("assets/javascripts/bundle.") for n in cold)

    assert mkdocs_build(cold_project).returncode == 0
    assert site_files(cold_project) == cold
    # The build reads the listing: a name taken out of it is not copied.
    from sitekit import cache  # written as the build writes it, with its digest

    cache.write_text(listing, listing.read_text().replace('"assets/images/favicon.png", ', ""))
    assert mkdocs_build(cold_project).returncode == 0
    assert site_files(cold_project) == cold - {"assets/images/favicon.png"}

    # A cold_project's own theme folder (the copy's mkdocs.yml names overrides/) is listed afresh on every build.
    assert "\n  custom_dir: overrides" in (cold_project / "mkdocs.yml").read_text()
    (cold_project / "overrides" / "assets").mkdir(parents=True)
    (cold_project / "overrides" / "assets" / "first.txt").write_text("one\n")
    assert mkdocs_build(cold_project).returncode == 0
    (cold_project / "overrides" / "assets" / "second.txt").write_text("two\n")
    assert mkdocs_build(cold_project).returncode == 0
    assert {"assets/first.txt", "assets/second.txt"} <= site_files(cold_project)
    assert list((cold_project / ".build-cache" / "theme").glob("*.json")) == [listing]


def test_theme_templates_are_compiled_once_into_the_cache(cold_project: Path) -> None:
    assert mkdocs_build(cold_project).returncode == 0
    compiled = list((cold_project / ".build-cache" / "templates").glob("*.cache"))
    assert len(compiled) > 10  # Material's base, main, partials...



def test_the_memo_follows_edits_to_the_pipeline_code_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The memo keeps whole shortcode expansions: an edit to the code that writes them must count.
    from sitekit import memo

    snippets, pipeline = tmp_path / "snippets", tmp_path / "hooks"
    snippets.mkdir()
    pipeline.mkdir()
    (snippets / "a.py").write_text("x = 1\n")
    (pipeline / "shortcodes.py").write_text("y = 1\n")
    monkeypatch.setattr(memo, "PIPELINE_DIRS", (pipeline,))
    before = memo.tree_digest(snippets)
    (pipeline / "shortcodes.py").write_text("y = 2\n")
    assert memo.tree_digest(snippets) != before


def site_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_every_kind_of_cache_entry_is_verified_on_read(project: Path) -> None:
    cache_dir = project / ".build-cache"
    first = mkdocs_build(project, cache_dir)
    assert first.returncode == 0, first.stderr[-3000:]
    expected = site_bytes(project / "site")
    # Damage one entry of each kind the way a faulty disk or a tampered restore would.
    damaged = {}
    for kind, pattern, damage in (
        ("figures", "*.svg", lambda b: b[: len(b) // 3]),
        ("examples", "*.txt", lambda b: b.replace(b"defect", b"DEFECT")),
        ("values", "*.json", lambda b: b.replace(b": ", b": 1", 1)),  # a digit more, still JSON
        ("math", "*.json", lambda b: b.replace(b"<mi>", b"<mn>", 1)),
        ("memo", "*.json", lambda b: b[:-7]),
        ("search", "*.json", lambda b: b[: len(b) // 2]),
        ("search-text", "*.json", lambda b: b.replace(b"GLM", b"XYZ")),
        ("claims", "*.json", lambda b: b"{}"),
        ("templates", "*.cache", lambda b: b[:100]),
        ("theme", "*.json", lambda b: b"[]"),
    ):
        # Every entry of the kind: which ones a build reads can depend on where the project is
        # (Jinja keys a compiled template by its file's path, and the copy's theme override has a
        # path of its own), so the check is that each kind reports one that the build read.
        paths = sorted((cache_dir / kind).glob(pattern))
        for path in paths:
            path.write_bytes(damage(path.read_bytes()))
        damaged[kind] = paths
    second = mkdocs_build(project, cache_dir)
    assert second.returncode == 0, second.stderr[-3000:]
    for kind, paths in damaged.items():
        assert any(f"cache: discarded {path}" in second.stderr for path in paths), \
            f"{kind}: not reported:\n{second.stderr}"
    assert site_bytes(project / "site") == expected  # recomputed, not published as found


def test_a_cache_entry_is_read_only_as_the_build_wrote_it(tmp_path: Path) -> None:
    from sitekit import cache

    path = tmp_path / "kind" / "entry.json"
    cache.write_json(path, {"a": 1})
    assert cache.read_json(path) == {"a": 1}
    path.write_text('{"a": 2}')  # altered after it was written
    assert cache.read_json(path) is None and not path.exists()
    cache.write_text(path, "{not json")
    assert cache.read_json(path) is None and not path.exists()
    path.write_text("[]")  # an entry without the digest the build writes beside it
    assert cache.read_bytes(path) is None and not path.exists()
    assert cache.read_bytes(tmp_path / "absent") is None


@pytest.mark.parametrize("url", ['https://example.org/"><script>alert(1)</script>/', "ftp://example.org/",
                                 "https://exa mple.org/", "example.org/",
                                 # would run in the reader's shell from the notebooks' %pip line
                                 "https://example.org/$(touch%20x)/", "https://example.org/`id`/"])
def test_a_bad_site_url_fails_the_build(project: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SITE_URL", url)
    result = mkdocs_build(project)
    assert result.returncode != 0
    # MkDocs refuses some itself (a URL without a scheme); this build refuses the rest.
    assert ("site_url (SITE_URL): expected an absolute http:// or https:// URL ending in '/'" in result.stderr
            or "Config value 'site_url'" in result.stderr), result.stderr[-2000:]


def test_a_value_that_is_not_finite_fails_the_build_naming_page_shortcode_and_function(project: Path) -> None:
    edit(project / "snippets" / "overview.py", '"network": abs(superposition_defect_network(x, theta1, theta2)),',
         '"network": float("nan"),')
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "index.md" in result.stderr and 'value("overview:superposition_defects", "network"' in result.stderr
    # The package's boundary refuses the NaN before the shortcode's own check would.
    assert "superposition_defects: the result is NaN or infinite for these arguments" in result.stderr


def test_an_unclosed_shortcode_fails_the_build_instead_of_being_published(project: Path) -> None:
    edit(project / "docs" / "index.md", '{{ value("overview:superposition_defects", "network", ".2f") }}',
         '{{ value("overview:superposition_defects", "network", ".2f" }}')
    result = mkdocs_build(project)
    assert result.returncode != 0
    assert "index.md: left on the published page: a shortcode" in result.stderr


def test_leftovers_are_found_outside_code_and_math_annotations() -> None:
    from sitekit.leftovers import find_leftovers

    assert find_leftovers("<p>fine</p><pre>{{ x }} $a$ --8<--</pre><annotation>\\(x\\)</annotation>") == []
    found = find_leftovers("<p>{{ value(x</p><p>\\(x\\)</p><p>costs $a + b$ here</p><p>--8&lt;-- f</p>")
    assert [f.split(":")[0] for f in found] == ["a shortcode", "an include marker", "an untypeset formula",
                                                "an untypeset formula", "an untypeset formula"]


def test_make_build_replaces_the_site_only_after_a_build_that_succeeded(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("the last good site")
    env = dict(os.environ, SITE_URL="ftp://not-a-site/")  # fails in the build's first step
    result = subprocess.run(["make", "-s", "build", f"SITE_DIR={site}"], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    assert result.returncode != 0
    assert (site / "index.html").read_text() == "the last good site"
    assert not (tmp_path / "site.partial" / "index.html").exists()


def test_fingerprints_follow_every_cached_library_statsmodels_included(monkeypatch: pytest.MonkeyPatch) -> None:
    from sitekit import cache
    from sitekit import fingerprint as fingerprint_module
    from snippets.glm import statsmodels_agreement

    assert {"numpy", "matplotlib", "statsmodels", "scour", "math-core", "fonttools"} <= set(cache.LIBRARIES)
    before = fingerprint_module._fingerprint(statsmodels_agreement)
    real = cache.version
    monkeypatch.setattr(cache, "version", lambda name: "0.0-other" if name == "statsmodels" else real(name))
    cache.library_versions.cache_clear()
    try:
        assert fingerprint_module._fingerprint(statsmodels_agreement) != before
    finally:
        cache.library_versions.cache_clear()


def test_every_library_snippets_imports_is_a_cached_library() -> None:
    """A result computed with a library is cached under that library's version (LIBRARIES), so
    that an upgrade which changes the result recomputes it: scipy.stats' quantiles, say."""
    import ast
    from importlib.metadata import packages_distributions

    from sitekit import cache

    imported = set()
    for path in (ROOT / "snippets").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.partition(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.partition(".")[0])
    libraries = {name for name in imported if name not in sys.stdlib_module_names and name != "snippets"}
    assert {"numpy", "scipy", "matplotlib", "statsmodels"} <= libraries  # the scan sees the imports
    distributions = packages_distributions()
    assert {name for name in libraries if not set(distributions[name]) & set(cache.LIBRARIES)} == set()


def test_the_internals_build_cache_stands_in_for_are_still_there() -> None:
    # hooks/build_cache.py wraps these; if a release moves one, this fails before the caches do.
    import inspect

    import jinja2
    from material.plugins.search.plugin import SearchIndex
    from mkdocs.theme import Theme

    assert callable(Theme.get_env)
    assert list(inspect.signature(jinja2.Environment.list_templates).parameters) == [
        "self", "extensions", "filter_func"]
    assert callable(SearchIndex.add_entry_from_context) and "entries" in vars(SearchIndex(lang=["en"]))
    assert callable(jinja2.BytecodeCache.load_bytecode) and callable(jinja2.BytecodeCache.dump_bytecode)


def test_build_cache_switches_itself_off_once_on_an_unknown_version(monkeypatch: pytest.MonkeyPatch) -> None:
    from hooks import build_cache
    from sitekit import build, cache

    assert build_cache.verified()  # the installed versions are the checked ones
    real = cache.version
    monkeypatch.setattr(cache, "version", lambda name: "99.0.0" if name == "mkdocs-material" else real(name))
    build.begin()  # a build that has said nothing yet
    with pytest.warns(UserWarning, match="not checked against mkdocs-material 99.0.0"):
        assert not build_cache.verified()
    assert not build_cache.verified()  # said once


def test_one_key_scheme_and_one_pruning_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sitekit import cache

    key = cache.key("inputs", b"more")
    assert cache.KEY.fullmatch(key) and key == cache.key("inputs", b"more") != cache.key("inputs", b"other")
    monkeypatch.setattr(cache, "library_versions", lambda: "numpy=0.0")  # an upgrade changes every key
    assert cache.key("inputs", b"more") != key
    old = cache.store(tmp_path, "glm.fit", "a" * cache.KEY_LENGTH, "json", {"beta": 1})
    other_kind = cache.store(tmp_path, "glm.fit", "a" * cache.KEY_LENGTH, "txt", "kept: another extension")
    other_name = cache.store(tmp_path, "glm.fit_more", "a" * cache.KEY_LENGTH, "json", [1])
    new = cache.store(tmp_path, "glm.fit", "b" * cache.KEY_LENGTH, "json", {"beta": 2})
    assert not old.exists() and not (tmp_path / f"{old.name}.sha256").exists()
    assert cache.read_json(new) == {"beta": 2} and other_kind.exists() and other_name.exists()
    assert cache.folder(tmp_path, "values") == tmp_path / ".build-cache" / "values"
    monkeypatch.setenv("SITE_CACHE_DIR", str(tmp_path / "elsewhere"))
    assert cache.folder(tmp_path, "values") == tmp_path / "elsewhere" / "values"


def test_make_serve_watches_every_folder_the_build_reads() -> None:
    from sitekit.context import read_config

    config = read_config(ROOT)
    watched = set(config["watch"])
    # the pipeline, the mathematics and the theme override; docs/ and mkdocs.yml are watched anyway
    read = {"snippets", "sitekit", "hooks", config["theme"]["custom_dir"]}
    assert read <= watched, f"edits here would not reach the served page: {sorted(read - watched)}"
    assert {hook.split("/")[0] for hook in config["hooks"]} <= watched


def test_one_cache_path_reads_a_verified_entry_or_computes_and_stores_it(tmp_path: Path) -> None:
    from sitekit import cache

    calls = []

    def compute() -> dict:
        calls.append(1)
        return {"beta": [1.5, "text"]}

    for form, value in (("json", {"beta": [1.5, "text"]}), ("text", "printed\n"), ("bytes", b"\x00svg")):
        make = (lambda v=value: (calls.append(1), v)[1]) if form != "json" else compute
        calls.clear()
        assert cache.through(tmp_path, "entry", "k" * 24, form, make, form) == (value, True)
        assert cache.through(tmp_path, "entry", "k" * 24, form, make, form) == (value, False)
        assert len(calls) == 1
        cache.entry(tmp_path, "entry", "k" * 24, form).write_bytes(b"tampered")  # not as the build wrote it
        assert cache.through(tmp_path, "entry", "k" * 24, form, make, form) == (value, True)
    # A string is a JSON value like any other (it was written as text, and never read back).
    assert cache.through(tmp_path, "word", "w" * 24, "json", lambda: "GLM") == ("GLM", True)
    assert cache.through(tmp_path, "word", "w" * 24, "json", lambda: "other") == ("GLM", False)
    assert cache.through(None, "nowhere", "n" * 24, "json", lambda: 3) == (3, True)


def test_the_memo_computes_once_per_source_tree(tmp_path: Path) -> None:
    from sitekit import build, memo

    build.begin()
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "m.py").write_text("x = 1\n")
    memo.begin(tmp_path / "memo", tmp_path / "snippets")
    calls = []
    assert memo.through("kind", "key", lambda: calls.append(1) or "value") == "value"
    assert memo.through("kind", "key", lambda: calls.append(1) or "other") == "value"
    assert calls == [1]


def test_no_function_of_the_pipeline_spells_out_the_cache_sequence_itself() -> None:
    """Reading an entry and storing it in one function is cache.through's job (and the memo's get and
    put, memo.through's): a copy of the sequence elsewhere is how a cache comes to differ from the rest."""
    import ast

    spelled = []
    for path in sorted([*(ROOT / "sitekit").glob("*.py"), *(ROOT / "hooks").glob("*.py")]):
        if path.name in ("cache.py", "memo.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            called = {f"{call.func.value.id}.{call.func.attr}" for call in ast.walk(node)
                      if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                      and isinstance(call.func.value, ast.Name)}
            reads = {name for name in called if name.startswith("cache.read_")}
            if (reads and "cache.store" in called) or {"memo.get", "memo.put"} <= called:
                spelled.append(f"{path.name}: {node.name}")
    assert not spelled, spelled


# --- one build, one Build: nothing a build remembers outlives it ---------------------------------

def test_two_builds_in_one_process_are_the_same_and_change_no_module_state(project: Path) -> None:
    # As `mkdocs serve` rebuilds: one process, a configuration loaded anew for each build. Everything
    # a build remembers is on its Build (sitekit/build.py); no module of sitekit/ or hooks/ keeps any.
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "two_builds.py"), str(project)], cwd=project,
                            env=build_env(measured=False, SITE_CACHE_DIR=str(project / ".build-cache")),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.splitlines()[-1])
    assert report["files"] > 50
    assert report["differ"] == [], "the second build's site differs from the first's"
    assert report["changed"] == [], "module-level state changed by a build"


def test_the_two_builds_check_sees_a_module_level_container_that_a_build_changes() -> None:
    import types

    from tests.two_builds import changed_containers, containers

    module = types.ModuleType("probe")
    module.KEPT, module.pending, module.counts = ("a", "b"), [], {"ran": 0}
    before = {"probe": containers(module)}
    assert changed_containers(before, {"probe": module}) == []
    module.pending.append("page")
    module.counts["ran"] += 1
    assert changed_containers(before, {"probe": module}) == ["probe.counts", "probe.pending"]
