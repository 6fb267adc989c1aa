"""The coverage gates of `make test`, after `coverage run -m pytest` and `coverage combine`.

- snippets/: 100% of its lines, outside the figure-drawing bodies and the interactive figures'
  frame data (excluded in pyproject.toml, [tool.coverage.report]: checked by their output).
- the pipeline (sitekit/ and the MkDocs adapters in hooks/): at least 95%, measured in the site
  builds and notebook kernels the suite starts as well as in the tests themselves.

Prints each group's report (missed lines listed) and exits 1 when a group is under its gate.
"""

from __future__ import annotations

import sys

import coverage

GATES = {"snippets": (["snippets/*"], 100.0), "pipeline": (["sitekit/*", "hooks/*"], 95.0)}


def main() -> int:
    measured = coverage.Coverage()
    measured.load()
    failed = []
    for name, (include, gate) in GATES.items():
        print(f"\n{name} (gate {gate:g}%):")
        percent = measured.report(include=include, show_missing=True, skip_covered=True, precision=1)
        if percent < gate:
            failed.append(f"{name} {percent:.1f}% < {gate:g}%")
    if failed:
        print(f"\ncoverage under its gate: {'; '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
