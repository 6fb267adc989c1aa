"""Build the project at argv[1] twice in this one process, as `mkdocs serve` does, and print (JSON)
what the second build did differently from the first: the files of the site that differ, and
every module-level container of sitekit/ and hooks/ that a build changed.

Run in a process of its own by tests/test_build.py: the builds purge the snippets modules from
sys.modules, which must not happen under the tests' feet.
"""

from __future__ import annotations

import collections
import importlib
import json
import pkgutil
import sys
import weakref
from pathlib import Path
from types import ModuleType

WEAK = (weakref.WeakKeyDictionary, weakref.WeakValueDictionary)  # their contents: a count (entries come and go)
CONTAINERS = (dict, list, set, bytearray, collections.deque, *WEAK)


def containers(module: ModuleType) -> dict[str, str]:
    """{name: its contents} of each container a module binds at its top level."""
    found = {}
    for name, value in vars(module).items():
        if name.startswith("__") or not isinstance(value, CONTAINERS):
            continue
        found[name] = f"{len(value)} weak entries" if isinstance(value, WEAK) else repr(value)
    return found


def changed_containers(before: dict[str, dict[str, str]], modules: dict[str, ModuleType]) -> list[str]:
    """'module.name' of each container whose contents are not what `before` recorded."""
    return sorted(f"{module}.{name}" for module, recorded in before.items()
                  for name, contents in containers(modules[module]).items() if recorded.get(name) != contents)


def pipeline_modules() -> dict[str, ModuleType]:
    import hooks
    import sitekit

    modules = {}
    for package in (sitekit, hooks):
        for info in pkgutil.iter_modules(package.__path__):
            name = f"{package.__name__}.{info.name}"
            modules[name] = importlib.import_module(name)
    return modules


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def main(project: Path) -> dict:
    sys.path.insert(0, str(project))
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    modules = pipeline_modules()
    before = {name: containers(module) for name, module in modules.items()}
    sites, changed = [], []
    for run in ("first", "second"):
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / f"site-{run}"), strict=True)
        # MkDocs loads each hook file as a module of its own, for each configuration it loads.
        hook_modules = {f"mkdocs hook {name}": module for name, module in config.hooks.items()}
        hooks_before = {name: containers(module) for name, module in hook_modules.items()}
        build(config)
        changed += changed_containers(before, modules) + changed_containers(hooks_before, hook_modules)
        sites.append(site_files(project / f"site-{run}"))
    first, second = sites
    return {"files": len(first),
            "differ": sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name)),
            "changed": sorted(set(changed))}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]).resolve())))
