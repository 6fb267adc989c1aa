"""`make bench-pages`: each page as a phone on a slow network sees it, by Lighthouse's mobile preset.

Serves the built site (SITE_DIR, default site/) gzip-compressed from 127.0.0.1, as GitHub Pages
serves it, and runs Lighthouse (bench/package.json pins the version; `make bench-pages` installs it
with `npm ci`) with Debian's Chromium on the chapters, the index, the verdict, the FAQ, the claims
page and every notebook page, one after another on a quiet machine, --runs times each (default 3),
keeping each page's median run by performance score, as Lighthouse's own documentation advises for
a score that varies from run to run. Writes bench/pages.json and prints the table the README shows:
performance, LCP, TBT, CLS, DOM elements, bytes transferred, accessibility and best practices.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers import CHROMIUM, served, site_pages  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
MEASURED = ("/", "/linear/", "/glm/", "/neuron/", "/stacking/", "/glm-again/", "/inference/", "/universal/",
            "/verdict/", "/faq/", "/claims/")


def lighthouse(url: str) -> dict:
    """Lighthouse's report on one URL (mobile preset: a mid-range phone, slow 4G, 4x CPU slowdown)."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        subprocess.run([str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
                        "--only-categories=performance,accessibility,best-practices",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                       env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True)
        return json.loads(report.read_text())


def summary(report: dict) -> dict:
    audits, categories = report["audits"], report["categories"]
    return {
        "performance": categories["performance"]["score"],
        "accessibility": categories["accessibility"]["score"],
        "best_practices": categories["best-practices"]["score"],
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "dom_elements": audits["dom-size"]["numericValue"],
        "transferred_kib": round(audits["total-byte-weight"]["numericValue"] / 1024, 1),
    }


def table(results: dict) -> str:
    lines = ["| page | performance | LCP ms | TBT ms | CLS | DOM elements | transferred | a11y | best practices |",
             "|---|---|---|---|---|---|---|---|---|"]
    for path, r in results.items():
        lines.append(f"| {path} | {r['performance']:.2f} | {r['lcp_ms']} | {r['tbt_ms']} | {r['cls']} | "
                     f"{r['dom_elements']:.0f} | {r['transferred_kib']} KiB | {r['accessibility']:.2f} | "
                     f"{r['best_practices']:.2f} |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / os.environ.get("SITE_DIR", "site"))
    parser.add_argument("--pages", nargs="*", help="URL paths (default: the pages listed above and every notebook)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print(f"{LIGHTHOUSE} is missing: run `make bench-pages` (it installs Lighthouse with npm ci)", file=sys.stderr)
        return 2
    pages = args.pages or [*MEASURED, *(p for p in site_pages(args.site) if p.startswith("/notebooks/"))]
    results = {}
    with served(args.site, compress=True) as base:
        for path in pages:
            runs = sorted((summary(lighthouse(base + path)) for _ in range(args.runs)), key=lambda r: r["performance"])
            results[path] = runs[len(runs) // 2]
            print(f"{path}: {[r['performance'] for r in runs]} -> {results[path]}", file=sys.stderr)
    version = json.loads((ROOT / "bench" / "package.json").read_text())["dependencies"]["lighthouse"]
    record = {"date": date.today().isoformat(), "lighthouse": version, "preset": "mobile (default)",
              "served": "gzip-compressed, 127.0.0.1", "runs": args.runs, "kept": "median run by performance",
              "pages": results}
    (ROOT / "bench" / "pages.json").write_text(json.dumps(record, indent=1) + "\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
