"""The site's build pipeline: Python-Markdown extensions for the page-level work, and the site-level
stages that a generator runs around them.

The page-level work (shortcodes, claim boxes, cite controls, math, executed examples, glossary
tooltips) is done by Python-Markdown extensions that any generator running Python-Markdown loads
by dotted name from `markdown_extensions` in mkdocs.yml: MkDocs today, Zensical tomorrow. The
site-level stages (figure files, the math font, claims.json, notebooks, the one-page version) are
plain functions; hooks/ holds the thin MkDocs adapters that call them. CONTRIBUTING, "How a build
works", lists the stages in order.
"""

from __future__ import annotations

import yaml

# libyaml's loader where PyYAML was built with it: the same result, several times faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str, where: str = "") -> object:
    """yaml.safe_load, with libyaml when it is there; a ValueError naming `where` (a file) and the
    line and column for text that is not YAML."""
    try:
        return yaml.load(text, _SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        at = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise ValueError(f"{where or 'YAML'}{at}: not valid YAML: {problem}") from None
