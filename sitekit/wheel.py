"""The `snippets` package as a wheel of its own, for readers who download a notebook.

`wheel_bytes(root)` is nn_glm_snippets-VERSION-py3-none-any.whl (`wheel_name`): the files of
snippets/ and the metadata pip needs, nothing else (no hooks, no tests, no sitekit). The bytes are
the same from build to build: entries sorted, every timestamp fixed, no build date.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tomllib
import zipfile
from pathlib import Path

DISTRIBUTION = "nn-glm-snippets"
PACKAGE = "snippets"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip file can record


def project_metadata(root: Path) -> dict:
    """The version, Python requirement and runtime dependencies of the project (pyproject.toml)."""
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    return {"version": project["version"], "requires_python": project["requires-python"],
            "dependencies": list(project["dependencies"])}


def wheel_name(version: str) -> str:
    return f"{DISTRIBUTION.replace('-', '_')}-{version}-py3-none-any.whl"


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def wheel_files(root: Path) -> dict[str, bytes]:
    """{path in the wheel: bytes}: the package's Python files and its dist-info (RECORD last)."""
    meta = project_metadata(root)
    dist_info = f"{DISTRIBUTION.replace('-', '_')}-{meta['version']}.dist-info"
    files = {path.relative_to(root).as_posix(): path.read_bytes()
             for path in sorted((root / PACKAGE).rglob("*.py"))}
    metadata = [
        "Metadata-Version: 2.1",
        f"Name: {DISTRIBUTION}",
        f"Version: {meta['version']}",
        "Summary: The mathematics and figures of the site 'Are neural networks stacked GLMs?', "
        "as its notebooks import them.",
        "License: MIT",
        f"Requires-Python: {meta['requires_python']}",
        *(f"Requires-Dist: {dependency}" for dependency in meta["dependencies"]),
    ]
    files[f"{dist_info}/METADATA"] = ("\n".join(metadata) + "\n").encode()
    files[f"{dist_info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: sitekit\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    files[f"{dist_info}/top_level.txt"] = f"{PACKAGE}\n".encode()
    record = "".join(f"{path},{_record_hash(data)},{len(data)}\n" for path, data in files.items())
    files[f"{dist_info}/RECORD"] = (record + f"{dist_info}/RECORD,,\n").encode()
    return files


def wheel_bytes(root: Path) -> bytes:
    """The wheel as bytes: the same bytes for the same sources."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, data in wheel_files(root).items():
            info = zipfile.ZipInfo(path, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


