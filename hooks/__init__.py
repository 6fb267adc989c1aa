"""The site's MkDocs hooks (listed in mkdocs.yml) and the little they share."""

from __future__ import annotations

import yaml

# libyaml's loader where PyYAML was built with it: the same result, several times faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> object:
    """yaml.safe_load, with libyaml when it is there."""
    return yaml.load(text, _SafeLoader)
