"""The site built by Zensical, Material's successor: `python -m sitekit.zensical_site` (`make zensical`).

Zensical reads mkdocs.yml (through zensical.yml, which only moves the output to ZENSICAL_SITE) and
renders every Markdown page with the configured Python-Markdown extensions, so the page stages of
sitekit.pages run as they do under MkDocs. It runs no MkDocs hooks, so the site stages that need
the whole build run here, after it, from the same caches:

- the figure files (sitekit/figures.py), drawn only when the cache lacks them;
- the math font, cut to the formulas found in the built pages (sitekit/formulas.py);
- claims.json (sitekit/claims.py).

What the MkDocs adapters do and this does not (the notebooks, the one-page version, the readable
search text, the font preload, the anchors lock) is listed in the README, "Building with Zensical".
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from sitekit import load_yaml, versions
from sitekit.build import begin
from sitekit.claims import site_claims, write_claim_indexes
from sitekit.context import site_from_config
from sitekit.figures import write_figures
from sitekit.formulas import formulas_in, write_math_font

ROOT = Path(__file__).resolve().parent.parent
CONFIG = "zensical.yml"


def site_dir(root: Path = ROOT) -> Path:
    """Where zensical.yml sends the build (inside the project: Zensical requires it)."""
    return root / load_yaml((root / CONFIG).read_text())["site_dir"]


def build(root: Path = ROOT) -> dict[str, float]:
    """`zensical build`, then the site stages; the seconds each took. Raises RuntimeError with
    Zensical's log when its build fails (mkdocs.yml's strict mode: any warning fails it)."""
    timings = {}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "zensical", "build", "--clean", "-f", CONFIG], cwd=root,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"zensical build failed:\n{result.stdout}\n{result.stderr}")
    timings["zensical build"] = time.perf_counter() - start
    out = site_dir(root)
    site = site_from_config(root)
    begin()  # the site stages of this build (Zensical's own process rendered the pages, each in a Build of its own)
    start = time.perf_counter()
    write_figures(out, site.cache_dir("figures"))
    timings["figures"] = time.perf_counter() - start
    start = time.perf_counter()
    write_math_font(out, formulas_in(out), site.cache_dir("math-font"))
    timings["math font"] = time.perf_counter() - start
    start = time.perf_counter()
    claims = site_claims(site)
    untested = [claim.anchor for claim in claims if not claim.tests]
    if untested:  # a warning under MkDocs, whose strict mode fails the build on it
        raise RuntimeError(f"claims without a test (mark one with @pytest.mark.claim): {', '.join(untested)}")
    write_claim_indexes(out, claims, *versions.for_site(site.root))
    timings["claims.json"] = time.perf_counter() - start
    return timings


if __name__ == "__main__":
    for stage, seconds in build().items():
        print(f"{stage}: {seconds:.2f} s")
    print(f"site: {site_dir()}")
