"""The deploy workflow: pinned actions, least privilege, and the same test command as CI."""

from __future__ import annotations

import re

import yaml

from tests.markdown_fences import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "deploy.yml"


def load() -> dict:
    return yaml.load(WORKFLOW.read_text(), Loader=yaml.BaseLoader)


def test_every_action_is_pinned_to_a_commit_hash() -> None:
    uses = re.findall(r"uses:\s*(\S+)", WORKFLOW.read_text())
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), f"not pinned to a commit: {action}"


def test_permissions_are_minimal() -> None:
    workflow = load()
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert "permissions" not in jobs["test"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["needs"] == "test"


def test_the_workflow_runs_the_readme_test_command_with_the_browser_tests() -> None:
    steps = load()["jobs"]["test"]["steps"]
    test_step = next(step for step in steps if step.get("run") == "make test")
    assert test_step["env"]["CI"] == "true"  # so that the browser tests fail rather than skip
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_test_files_import_helpers_only_from_conftest_and_tests_helpers() -> None:
    # A test module imported by another is collected twice and couples the two; shared code lives
    # in conftest.py or tests/helpers.py (tests/markdown_fences.py is the Markdown fence plugin's).
    importers = [path.relative_to(ROOT).as_posix() for path in [ROOT / "conftest.py", *ROOT.glob("tests/*.py"),
                                                                  *ROOT.glob("bench/*.py")]
                 if re.search(r"^\s*(from|import) tests\.test_", path.read_text(), re.MULTILINE)]
    assert importers == []


def test_make_bench_edits_lines_that_exist() -> None:
    # bench/run.py toggles a harmless line into one snippets function; when that function's text
    # changes, `make bench` stops at its first edit rather than measuring anything.
    import ast

    tree = ast.parse((ROOT / "bench" / "run.py").read_text())
    edited = next(ast.literal_eval(node.value) for node in tree.body
                  if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "EDITED")
    path, marker = edited
    assert marker in (ROOT / path).read_text(), f"bench/run.py: EDITED is not in {path}"
