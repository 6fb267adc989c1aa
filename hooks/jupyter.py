"""mkdocs-jupyter, with its heavy imports deferred until a notebook has to be converted.

mkdocs-jupyter imports nbconvert and jupytext when MkDocs loads it, about half a second, on every
build. A build whose notebook pages all come from its cache never calls either, so this entry
point (`notebooks` in mkdocs.yml, registered in pyproject.toml) loads both modules lazily and
hands MkDocs mkdocs-jupyter's plugin class, with two changes. Its cache of converted pages lives
with the build's other caches (SITE_CACHE_DIR, or .build-cache/), so a build from an empty cache
converts every notebook again. And its entries are verified like the build's own (sitekit/cache.py):
mkdocs-jupyter publishes whatever its cache holds, so an entry changed or cut short after it was
written is discarded before the pages are read (mkdocs-jupyter then converts that notebook again),
and each entry it writes gets its digest once the build is over.
"""

from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path


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
from sitekit import cache  # noqa: E402


def is_converted_page(value: object) -> bool:
    """Whether a cache entry holds what mkdocs-jupyter writes: {content, toc_tokens, title}."""
    return (isinstance(value, dict) and isinstance(value.get("content"), str)
            and isinstance(value.get("toc_tokens"), list) and isinstance(value.get("title"), (str, type(None))))


def verify_converted_pages(directory: Path) -> None:
    """Discard every entry that is not exactly as this build wrote and sealed it."""
    for path in sorted(directory.glob("*.json")):
        value = cache.read_json(path)  # discards (and reports) an entry that does not verify
        if value is not None and not is_converted_page(value):
            cache.discard(path, "not a page converted by mkdocs-jupyter")
    drop_orphan_digests(directory)


def drop_orphan_digests(directory: Path) -> None:
    for sidecar in directory.glob(f"*.json{cache.SIDECAR}"):
        if not sidecar.with_suffix("").exists():
            sidecar.unlink()


def seal_converted_pages(directory: Path) -> None:
    """A digest beside each entry written in this build (every other one was verified at its start)."""
    for path in sorted(directory.glob("*.json")):
        if not path.with_name(path.name + cache.SIDECAR).exists():
            cache.seal(path)
    drop_orphan_digests(directory)  # of the entries mkdocs-jupyter evicted


class Plugin(_mkdocs_jupyter.Plugin):
    def on_config(self, config):
        self.config["cache_dir"] = str(cache_dir(config, "mkdocs-jupyter"))
        return config

    def on_pre_build(self, config):
        super().on_pre_build(config)
        verify_converted_pages(Path(self.config["cache_dir"]))

    def on_post_build(self, config):
        super().on_post_build(config)  # evicts the entries this build did not use
        seal_converted_pages(Path(self.config["cache_dir"]))


__all__ = ["Plugin"]
