"""The deploy workflow: valid against GitHub's workflow schema, pinned actions, least privilege,
the same test command as CI, and the publish steps that tests/test_publish.py runs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.markdown_fences import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "deploy.yml"


def load() -> dict:
    return yaml.load(WORKFLOW.read_text(), Loader=yaml.BaseLoader)


def test_the_workflow_is_valid_against_githubs_workflow_schema() -> None:
    # check-jsonschema bundles the schema (SchemaStore's github-workflow.json): nothing is downloaded.
    checker = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_fails_on_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("runs-on: ubuntu-latest", "runs-onn: ubuntu-latest", 1))
    checker = Path(sys.executable).with_name("check-jsonschema")
    result = subprocess.run([str(checker), "--builtin-schema", "vendor.github-workflows", str(broken)],
                            capture_output=True, text=True)
    assert result.returncode != 0


def test_pushes_publish_tags_as_releases_and_main_as_the_latest() -> None:
    workflow = load()
    assert workflow["on"]["push"]["branches"] == ["main"]
    assert workflow["on"]["push"]["tags"] == ["v[0-9]+.[0-9]+"]
    publish = workflow["jobs"]["publish"]
    script = next(step["run"] for step in publish["steps"] if "run" in step)
    assert 'make publish-release VERSION="${GITHUB_REF_NAME#v}"' in script
    assert "make publish-latest" in script and "git push origin gh-pages" in script
    assert "git archive gh-pages" in script
    makefile = (ROOT / "Makefile").read_text()
    assert "-m sitekit.publish release $(VERSION) --branch $(PAGES_BRANCH)" in makefile
    assert "-m sitekit.publish latest $(SITE_DIR) --branch $(PAGES_BRANCH)" in makefile


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
    assert jobs["publish"]["permissions"] == {"contents": "write"}  # the Pages branch, after the tests
    assert jobs["publish"]["needs"] == "test"
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["needs"] == "publish"


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
