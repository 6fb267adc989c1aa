""""Open in Colab" and "Launch Binder" for the companion notebooks, and the copies those services open.

Colab and Binder open a notebook from a GitHub repository at a commit, not from a web site. So the
repository keeps, in notebooks/NAME.ipynb, each notebook exactly as readers download it from the site
but without outputs (`make notebooks` writes them from a build; the suite fails while they differ), and
binder/ holds the environment Binder starts from: Python and the pinned libraries the install cell
names (the cell itself installs the `snippets` wheel from the site, as it does anywhere else).

The site offers the two links for a notebook only when its copy at the commit the site is built from
is that build's notebook, byte for byte: a link never opens a missing notebook, or one that differs
from the page. Both services need GitHub, so other repositories get the source link only.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

REPOSITORY_DIR = "notebooks"  # where the repository keeps the output-free copies
BINDER_DIR = "binder"
_GITHUB = re.compile(r"https://github\.com/([A-Za-z0-9-]+)/([\w.-]+?)(?:\.git)?/?")


def without_outputs(published: str) -> str:
    """The published notebook (JSON text) with every code cell's outputs and execution count removed:
    what the repository keeps, small, and the same whatever the outputs were."""
    nb = json.loads(published)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def github_repository(repo_url: str | None) -> tuple[str, str] | None:
    """(owner, name) of a https://github.com/OWNER/NAME URL; None for anything else."""
    match = _GITHUB.fullmatch(repo_url or "")
    return (match.group(1), match.group(2)) if match else None


def launch_urls(owner: str, name: str, commit: str, notebook: str) -> dict[str, str]:
    """{label: URL} of the notebook notebooks/NOTEBOOK.ipynb at `commit` in Colab and on Binder."""
    path = f"{REPOSITORY_DIR}/{notebook}.ipynb"
    return {
        "Open in Colab": f"https://colab.research.google.com/github/{owner}/{name}/blob/{commit}/{path}",
        "Launch Binder": f"https://mybinder.org/v2/gh/{owner}/{name}/{commit}?labpath={quote(path, safe='')}",
    }


def committed_text(root: Path, commit: str, path: str) -> str | None:
    """The text of `path` in the commit, or None where git, the commit or the file is missing."""
    try:
        result = subprocess.run(["git", "show", f"{commit}:{path}"], cwd=root, capture_output=True, check=False)
    except OSError:
        return None
    return result.stdout.decode() if result.returncode == 0 else None


def binder_requirements(install_source: str) -> str:
    """binder/requirements.txt: the `name==version` pins of the install cell, one per line."""
    pins = re.findall(r"\b([A-Za-z][\w.-]*==[\w.+-]+)", install_source)
    if not pins:
        raise ValueError("install_source: expected an install cell with name==version pins")
    return "# The libraries the notebooks' install cell pins (written by `make notebooks`).\n" + "\n".join(pins) + "\n"


def runtime_txt(requires_python: str) -> str:
    """binder/runtime.txt: the oldest Python the project supports (`>=3.11` gives python-3.11), which
    the locked versions are tested with."""
    match = re.fullmatch(r">=\s*(\d+\.\d+)", requires_python.strip())
    if match is None:
        raise ValueError(f"requires_python: expected '>=X.Y', got {requires_python!r}")
    return f"python-{match.group(1)}\n"


def repository_files(site_dir: Path, requires_python: str, install_tag: str = "install") -> dict[str, str]:
    """{path in the repository: text} that `make notebooks` writes, from a built site: each
    notebook as downloaded, without outputs, and binder/'s requirements and runtime."""
    published = sorted(site_dir.glob(f"{REPOSITORY_DIR}/*/*.ipynb"))
    if not published:
        raise ValueError(f"site_dir: expected a built site with {REPOSITORY_DIR}/NAME/NAME.ipynb, found none")
    files = {f"{REPOSITORY_DIR}/{path.name}": without_outputs(path.read_text()) for path in published}
    cells = json.loads(published[0].read_text())["cells"]  # every notebook has the same install cell
    install = next("".join(c["source"]) for c in cells if install_tag in c.get("metadata", {}).get("tags", []))
    files[f"{BINDER_DIR}/requirements.txt"] = binder_requirements(install)
    files[f"{BINDER_DIR}/runtime.txt"] = runtime_txt(requires_python)
    return files


def main(argv: list[str]) -> int:
    """python -m sitekit.launch SITE_DIR ROOT: write repository_files(SITE_DIR) under ROOT, and
    delete copies of notebooks the site no longer has."""
    if len(argv) != 2:
        print("usage: python -m sitekit.launch SITE_DIR ROOT", file=sys.stderr)
        return 2
    from sitekit.wheel import project_metadata

    site_dir, root = Path(argv[0]), Path(argv[1])
    files = repository_files(site_dir, project_metadata(root)["requires_python"])
    for stale in (root / REPOSITORY_DIR).glob("*.ipynb"):
        if f"{REPOSITORY_DIR}/{stale.name}" not in files:
            stale.unlink()
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    print(f"wrote {len(files)} files: " + ", ".join(files))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
