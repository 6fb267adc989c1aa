"""mkdocs-jupyter, with its heavy imports deferred until a notebook has to be converted.

mkdocs-jupyter imports nbconvert and jupytext when MkDocs loads it, about half a second, on every
build. A build whose notebook pages all come from its cache never calls either, so this entry
point (`notebooks` in mkdocs.yml, registered in pyproject.toml) loads both modules lazily and
hands MkDocs mkdocs-jupyter's plugin class, with one change: its cache of converted pages lives
with the build's other caches (SITE_CACHE_DIR, or .build-cache/), so a build from an empty cache
converts every notebook again.
"""

from __future__ import annotations

import importlib
import sys
import types


class DeferredModule(types.ModuleType):
    """Stands in for module `name` in sys.modules until one of its attributes is first read.

    (importlib.util.LazyLoader does not do here: the import system reads `__spec__` of a module
    found in sys.modules, which already makes a LazyLoader module execute.)"""

    def __getattr__(self, attribute: str):
        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        real = importlib.import_module(name)
        self.__dict__.update(real.__dict__)
        return getattr(real, attribute)


def defer_import(name: str) -> None:
    if name not in sys.modules:
        module = DeferredModule(name)
        module.__spec__ = None
        sys.modules[name] = module


defer_import("jupytext")
defer_import("mkdocs_jupyter.convert")

from mkdocs_jupyter import plugin as _mkdocs_jupyter  # noqa: E402

from hooks import cache_dir  # noqa: E402


class Plugin(_mkdocs_jupyter.Plugin):
    def on_config(self, config):
        self.config["cache_dir"] = str(cache_dir(config, "mkdocs-jupyter"))
        return config


__all__ = ["Plugin"]
