"""MkDocs adapter of the figure stage (sitekit/figures.py): each registered figure is a generated
file of the build, copied from the cache or written when its worker has drawn it."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from hooks import cache_dir
from sitekit import figures, memo

log = logging.getLogger("mkdocs.hooks.figures")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if memo.get("figures", "fingerprints") is None:  # snippets/ changed: something may need drawing
        figures.start_workers()
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    directory = cache_dir(config, "figures")
    keys, missing = figures.start_drawing(directory)
    log.info("figures: rendered %d (%s), %d from cache", len(missing), ", ".join(missing) or "none",
             len(keys) - len(missing))
    for name, key in keys.items():
        for variant, path in figures.cache_paths(directory, name, key).items():
            if name in missing:  # being drawn: on_post_build writes the SVG over this placeholder
                files.append(File.generated(config, figures.figure_path(name, variant), content=b""))
            else:
                files.append(File.generated(config, figures.figure_path(name, variant), abs_src_path=str(path)))
    return files


@event_priority(-100)  # last: every other end-of-build step runs while the figures are drawn
def on_post_build(config: MkDocsConfig) -> None:
    try:
        figures.finish_rendering(Path(config.site_dir))
    except RuntimeError as error:
        raise PluginError(str(error)) from error


def on_build_error(error: Exception) -> None:
    figures.stop_workers()
