"""Caches of the work MkDocs and Material repeat on every build, kept beside the build's own caches.

- MkDocs lists every file of the theme's folders (14,500 for Material, most of them icons) to find
  the static files it copies, and tests each name against a dozen patterns: 0.25 s a build. The
  names that pass are kept for the installed theme's folders, under the folder, its identity on
  disk (replaced on an upgrade) and the versions of MkDocs and Material; a folder outside the
  Python environment (a project's `custom_dir`) is listed afresh on every build.
- Jinja compiles the theme's templates to Python on every build; its bytecode cache keeps the
  compiled code, checked against each template's source (an edited or upgraded template is compiled
  afresh).
- Material's search plugin parses every finished page's HTML into index entries; the entries of a
  page are kept under a digest of everything they are made from (the page's URL, title, metadata,
  HTML and table of contents), so an unchanged page is not parsed again.

None changes a byte of the output: the two-build test compares a site built from nothing with
one built from these caches.

All three stand in for internals of MkDocs, Material and Jinja (`Theme.get_env`,
`Environment.list_templates`, the search plugin's `SearchIndex.add_entry_from_context`), which a
release may change. They are used only with the versions they were checked against (VERIFIED);
with any other, this module does nothing but say so once: the build is the same, only slower.
tests/test_build.py checks that the internals are still where this module expects them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import warnings
from pathlib import Path

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import TableOfContents

from hooks import cache_dir
from sitekit import cache
from sitekit.build import current

log = logging.getLogger("mkdocs.hooks.build_cache")

# The versions whose internals these caches were written and tested against (major.minor).
VERIFIED = {"mkdocs": ("1.6",), "mkdocs-material": ("9.5", "9.6", "9.7", "9.8"), "jinja2": ("3.1",)}


def verified() -> bool:
    """Whether the installed MkDocs, Material and Jinja are versions these caches know."""
    unknown = [f"{name} {cache.version(name)}" for name, known in VERIFIED.items()
               if ".".join(cache.version(name).split(".")[:2]) not in known]
    build = current()
    if unknown and not build.caches_off_told:
        # Python's warnings, not the log: a strict build must not fail for being slower.
        warnings.warn(f"hooks/build_cache.py: not checked against {', '.join(unknown)}; its caches are off "
                      "(the build is unchanged, only slower)", stacklevel=2)
        build.caches_off_told = True
    return not unknown


SEARCH_PLUGIN = "material/search"


def _installed(directory: str) -> bool:
    return Path(directory).resolve().is_relative_to(Path(sys.prefix).resolve())


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not verified():
        return config
    theme, directory = config.theme, cache_dir(config, "theme")
    installed = [d for d in theme.dirs if _installed(d)]
    others = [d for d in theme.dirs if not _installed(d)]
    if not installed:
        return config
    make_env = theme.get_env

    def listing(dirs: list[str], filter_func) -> list[str]:
        return jinja2.Environment(loader=jinja2.FileSystemLoader(dirs)).list_templates(filter_func=filter_func)

    def get_env() -> jinja2.Environment:
        env = make_env()
        list_templates = env.list_templates

        def cached_list_templates(extensions=None, filter_func=None) -> list[str]:
            if filter_func is None or extensions is not None:
                return list_templates(extensions, filter_func)
            stamp = [[d, (s := os.stat(d)).st_ino, s.st_mtime_ns] for d in installed]
            key = cache.key(json.dumps([stamp, sorted(theme.static_templates)]))
            # (A new listing replaces an upgraded theme's.)
            names, _ = cache.through(directory, "listing", key, "json", lambda: listing(installed, filter_func))
            if others:
                names = names + listing(others, filter_func)
            return sorted(set(names))  # as FileSystemLoader returns them

        env.list_templates = cached_list_templates
        return env

    theme.get_env = get_env
    return config


class VerifiedBytecodeCache(jinja2.BytecodeCache):
    """Jinja's compiled templates on disk, through sitekit.cache: compiled code is loaded only when
    it is exactly what this build wrote (Jinja's documented BytecodeCache interface)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = cache.read_bytes(self.directory / f"{bucket.key}.cache")
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        cache.write_bytes(self.directory / f"{bucket.key}.cache", bucket.bytecode_to_string())


def on_env(env: jinja2.Environment, config: MkDocsConfig, files) -> jinja2.Environment:
    if not verified():
        return env
    directory = cache_dir(config, "templates")
    directory.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = VerifiedBytecodeCache(directory)
    return env


def _toc_outline(toc: TableOfContents | list) -> list:
    return [[item.id, item.url, item.title, item.level, _toc_outline(item.children)] for item in toc]


def search_key(page: Page) -> str:
    """What a page's search entries are made from, hashed."""
    outline = [page.url, page.title, page.meta, page.content, _toc_outline(page.toc)]
    return hashlib.sha256(json.dumps(outline, sort_keys=True, default=str).encode()).hexdigest()


def on_pre_build(config: MkDocsConfig) -> None:
    plugin = config.plugins.get(SEARCH_PLUGIN)
    if plugin is None or not plugin.config.enabled or not verified():
        return
    # Under the library versions alone (cache.key()): each page's entries are keyed inside it.
    path = cache.entry(cache_dir(config, "search"), "entries", cache.key(), "json")
    search = current().search
    search.path, search.stored = path, cache.read_json(path) or {}  # what earlier builds left
    index = plugin.search_index
    add_entries = index.add_entry_from_context

    def add_entry_from_context(page: Page) -> None:
        key = search_key(page)
        entries = search.stored.get(key)
        if entries is None:
            start = len(index.entries)
            add_entries(page)
            entries = index.entries[start:]
            search.parsed += 1
        else:
            index.entries.extend(json.loads(json.dumps(entries)))  # copies: the plugin may edit them
        search.used[key] = entries

    index.add_entry_from_context = add_entry_from_context


def on_post_build(config: MkDocsConfig) -> None:
    search = current().search
    path, used = search.path, search.used
    if path is None:
        return
    log.info("search: indexed %d pages, %d from cache", search.parsed, len(used) - search.parsed)
    if used.keys() == search.stored.keys():
        return
    # Keep only this build's pages: the file stays the size of one site (no sort_keys: the index
    # keeps the plugin's key order).
    cache.store(path.parent, "entries", cache.key(), "json", json.dumps(used))
