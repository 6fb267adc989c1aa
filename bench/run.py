"""`make bench`: how long the site takes to build, against plain MkDocs on the same pages.

Measures, in a scratch copy of the repository, with medians over --runs runs (default 5):
cold build (empty caches), warm rebuild (nothing changed), rebuild after editing one snippets
function, the time from saving an edit to the rebuilt page under `mkdocs serve`, and the floor:
plain MkDocs on the same pages with figures, executed examples and all hooks turned off.
Prints a table and writes bench/results.json (not committed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

from tests.helpers import build_env

ROOT = Path(__file__).resolve().parent.parent
COPY = ("docs", "snippets", "hooks", "sitekit", "overrides", "tests", "mkdocs.yml", "pyproject.toml", "CITATION.cff")
# The edit toggles a harmless line into (and out of) separation_gradient_descent, drawn by one figure.
EDITED = ("snippets/glm.py",
          "    Returns (t, beta_t) for t = 1 .. steps.\n    \"\"\"\n"
          "    x, y = np.array([-2.0, -1.0, 1.0, 2.0])")
ENV = build_env()


def scratch_copy() -> Path:
    root = Path(tempfile.mkdtemp(prefix="nn-glm-bench-"))
    for name in COPY:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, root / name)
    # The floor: the same pages, no hooks and no sitekit extensions at all (so no figures, values,
    # examples, math, claims or tooltips) and no notebooks (the mkdocs-jupyter plugin and the nav's
    # notebook section go too).
    config = re.sub(r"\nhooks:\n(?:  - .*\n)+", "\n", (root / "mkdocs.yml").read_text())
    config = re.sub(r"\n(?:  # [^\n]*\n)*  - sitekit\.\w+\n", "\n", config)
    fences = r"  - pymdownx\.superfences:\n      custom_fences:\n(?:        .*\n)+"
    config = re.sub(fences, "  - pymdownx.superfences\n", config)
    config = re.sub(r"\n(?:  # [^\n]*\n)*  - notebooks:\n(?:      .*\n)+", "\n", config)
    config = re.sub(r"\n  - Notebooks:\n(?:      - .*\n)+", "\n", config)
    (root / "mkdocs-floor.yml").write_text(config.replace("strict: true", "strict: false"))
    return root


def build(root: Path, cache: Path, config: str = "mkdocs.yml") -> float:
    # Each configuration its own output folder: MkDocs empties it first, and emptying the other
    # configuration's output would be counted against this one.
    site = root / ("site" if config == "mkdocs.yml" else "site-" + Path(config).stem)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(site)],
                   cwd=root, env=dict(ENV, SITE_CACHE_DIR=str(cache)), check=True, capture_output=True)
    return time.perf_counter() - start


def toggle_edit(root: Path) -> None:
    """Change the bytecode of one function (separation_gradient_descent), back and forth."""
    path, marker = root / EDITED[0], EDITED[1]
    text = path.read_text()
    assert marker in text or marker.replace("    x, y", "    steps = int(steps)\n    x, y") in text, (
        f"bench: the edited lines are no longer in {EDITED[0]}; update EDITED")
    edited = marker.replace("    x, y", "    steps = int(steps)\n    x, y")
    path.write_text(text.replace(edited, marker) if edited in text else text.replace(marker, edited))


def redraw_times(root: Path) -> tuple[float, float]:
    """Seconds to draw the edited function's one figure: (in a fresh process: start Python, import
    what drawing needs, draw; the drawing alone, with everything already imported)."""
    script = ("import time; t = time.perf_counter(); "
              "from snippets.figures import registry, render_svg, prepare_drawing; "
              "prepare_drawing(); s = registry()['separation-drift']; d = time.perf_counter(); render_svg(s); "
              "print(time.perf_counter() - d)")
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", script], cwd=root, env=ENV, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, float(out.stdout.strip())


def serve_reload(root: Path, cache: Path, runs: int) -> list[float]:
    """Seconds from saving an edit to docs/glm.md until `mkdocs serve` serves the new page."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}",
                               "--livereload"],
                              cwd=root, env=dict(ENV, SITE_CACHE_DIR=str(cache)),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/glm/"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url, timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        times, page = [], root / "docs" / "glm.md"
        for run in range(runs):
            token = f"benchmark-token-{run}-{time.time_ns()}"
            start = time.perf_counter()
            page.write_text(page.read_text() + f"\n\n{token}\n")
            while token not in urllib.request.urlopen(url, timeout=5).read().decode():
                if time.perf_counter() - start > 120:
                    raise TimeoutError("mkdocs serve did not show the edit within 120 s")
                time.sleep(0.05)
            times.append(time.perf_counter() - start)
        return times
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = max(3, parser.parse_args().runs)
    root = scratch_copy()
    try:
        cold = [build(root, root / f".cold-cache-{i}") for i in range(runs)]
        warm_cache = root / ".cold-cache-0"
        # The floor and the warm rebuild alternate, so that a slow spell of the machine (this one
        # varies by 10-20% from minute to minute) weighs on both alike.
        floor, warm = [], []
        for i in range(runs):
            floor.append(build(root, root / f".floor-cache-{i}", "mkdocs-floor.yml"))
            warm.append(build(root, warm_cache))
        edit = []
        for _ in range(runs):
            toggle_edit(root)
            edit.append(build(root, warm_cache))
        redraws = [redraw_times(root) for _ in range(runs)]
        redraw = statistics.median(fresh for fresh, _ in redraws)
        drawing = statistics.median(alone for _, alone in redraws)
        serve = serve_reload(root, warm_cache, runs)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    median = {name: statistics.median(values) for name, values in
              {"floor": floor, "cold": cold, "warm": warm, "edit": edit, "serve": serve}.items()}
    rows = [
        ("cold build (empty caches)", median["cold"], "<= 60 s"),
        ("warm rebuild (nothing changed)", median["warm"], f"<= 1.3 x floor = {1.3 * median['floor']:.2f} s"),
        ("rebuild after a one-function edit", median["edit"], f"<= floor + redraw = {median['floor'] + redraw:.2f} s"),
        ("  redraw in a fresh process", redraw, "(start Python, import, draw)"),
        ("  the drawing alone", drawing, f"(libraries loaded; floor + this = {median['floor'] + drawing:.2f} s)"),
        ("save to rebuilt page, make serve", median["serve"], "(seconds)"),
        ("floor: plain MkDocs, same pages", median["floor"], "(reference)"),
    ]
    print(f"{'measurement':<36}{'median s':>10}{'x floor':>9}   target")
    for name, seconds, target in rows:
        print(f"{name:<36}{seconds:>10.2f}{seconds / median['floor']:>9.2f}   {target}")
    print(f"(the edit changes separation_gradient_descent, drawn by one figure; {runs} runs each; "
          f"{os.cpu_count()} cores; {date.today().isoformat()})")
    results = {"date": date.today().isoformat(), "cores": os.cpu_count(), "python": platform.python_version(),
               "runs": runs, "median_seconds": median,
               "redraw_seconds": {"fresh_process": redraw, "drawing_alone": drawing},
               "all_seconds": {"floor": floor, "cold": cold, "warm": warm, "edit": edit, "serve": serve,
                               "redraw": [list(r) for r in redraws]}}
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
