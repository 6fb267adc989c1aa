"""Tests of the Markdown parser the suite uses to find fences (tests/markdown_fences.py)."""

from __future__ import annotations

import textwrap

import pytest
from pymdownx.snippets import SnippetMissingError

from tests.markdown_fences import NAMESPACE_MARKER, SiteMarkdownIt, displayed_code

PAGE = textwrap.dedent('''
    # Title {#title}

    ```python
    top = 1
    ```

    !!! note "In an admonition"

        ```python
        in_admonition = 2
        ```

    === "Tab one"

        ```python
        in_tab = 3
        ```

    === "Tab two"

        !!! tip

            ```python
            nested = 4
            ```

    ```python
    --8<-- "snippets/overview.py:models"
    ```
''')


def fences(markdown: str) -> list:
    return [t for t in SiteMarkdownIt().parse(markdown) if t.type == "fence"]


def test_fences_in_admonitions_tabs_and_both_are_found() -> None:
    found = fences(PAGE)
    contents = [f.content.strip() for f in found]
    assert contents[:4] == ["top = 1", "in_admonition = 2", "in_tab = 3", "nested = 4"]
    # Line numbers point at the fences in the page, for failure reports.
    lines = PAGE.splitlines()
    for fence in found[:4]:
        assert lines[fence.map[0]].strip() == "```python"


def test_includes_are_expanded_and_run_in_their_module_namespace() -> None:
    include = fences(PAGE)[4]
    assert NAMESPACE_MARKER in include.content
    shown = displayed_code(include.content)
    assert "def linear_predictor" in shown and "--8<--" not in shown
    namespace: dict = {}
    exec(compile(include.content, "include", "exec"), namespace)
    assert namespace["linear_predictor"]([1.0, 2.0], [3.0, 4.0]) == 11.0


def test_a_missing_region_fails_loudly() -> None:
    with pytest.raises(SnippetMissingError):
        fences('```python\n--8<-- "snippets/overview.py:no-such-region"\n```\n')
