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


def load_yaml(text: str) -> object:
    """yaml.safe_load, with libyaml when it is there."""
    return yaml.load(text, _SafeLoader)
