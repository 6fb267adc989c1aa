"""Every formula of the site as Chromium draws it, before and after a change of typesetting.

    python bench/math_sheets.py capture SITE_DIR before   # e.g. a build of the old typesetting
    python bench/math_sheets.py capture SITE_DIR after
    python bench/math_sheets.py compose                   # one sheet per page: before | after

`capture` screenshots each formula element of each page (KaTeX's `.katex` or MathML's `math`, in
document order) at 2x on a light page; `compose` puts the two captures of each page side by side,
row by row, into bench/math-sheets/PAGE.png (1x, 16 greys), with the formula's number on the left.
The folder is outside docs/, so the build ignores it. Look at the sheets: a row that reads worse after is a bug.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "math-sheets"
SELECTOR = ".katex, math:not(.katex-mathml math)"  # KaTeX (inline or display) or MathML


def capture(site: Path, label: str) -> None:
    from playwright.sync_api import sync_playwright

    from tests.helpers import CHROMIUM, served, site_pages

    target = OUT / f".{label}"
    with served(site) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 900, "height": 900}, device_scale_factor=2, color_scheme="light")
        for path in site_pages(site):
            if path == "/print/":  # the chapters again, on one page
                continue
            page.goto(base + path, wait_until="load")
            page.evaluate("document.fonts.ready")
            # Formulas in closed <details> or hidden panels cannot be drawn; both captures skip the same.
            formulas = [f for f in page.query_selector_all(SELECTOR) if f.is_visible()]
            if not formulas:
                continue
            folder = target / (path.strip("/").replace("/", "-") or "index")
            folder.mkdir(parents=True, exist_ok=True)
            for i, formula in enumerate(formulas):
                formula.screenshot(path=str(folder / f"{i:04d}.png"), timeout=10_000)
            print(f"{path}: {len(formulas)} formulas")
        browser.close()


def compose() -> None:
    from PIL import Image, ImageDraw

    before_dir, after_dir = OUT / ".before", OUT / ".after"
    for folder in sorted(f for f in before_dir.iterdir() if (after_dir / f.name).is_dir()):
        before = sorted(folder.glob("*.png"))
        after = sorted((after_dir / folder.name).glob("*.png"))
        if len(before) != len(after):
            print(f"{folder.name}: {len(before)} formulas before, {len(after)} after", file=sys.stderr)
        pairs = [(Image.open(a), Image.open(b)) for a, b in zip(before, after, strict=False)]
        width = max((a.width for a, _ in pairs), default=0) + max((b.width for _, b in pairs), default=0) + 140
        height = sum(max(a.height, b.height) + 16 for a, b in pairs) + 40
        sheet = Image.new("RGB", (width, height), "white")
        draw = ImageDraw.Draw(sheet)
        draw.text((10, 10), f"{folder.name}: before (left), after (right)", fill="black")
        y = 40
        column = max((a.width for a, _ in pairs), default=0) + 120
        for i, (a, b) in enumerate(pairs):
            draw.text((10, y), str(i), fill="gray")
            sheet.paste(a, (60, y))
            sheet.paste(b, (column, y))
            y += max(a.height, b.height) + 16
            draw.line((0, y - 8, width, y - 8), fill=(230, 230, 230))
        # Kept in the repository: at 1x, in 16 greys, a sheet is a tenth of its captured size.
        sheet = sheet.convert("L").resize((sheet.width // 2, sheet.height // 2), Image.LANCZOS).quantize(colors=16)
        sheet.save(OUT / f"{folder.name}.png", optimize=True)
        print(f"{folder.name}: {len(pairs)} rows")


if __name__ == "__main__":
    if sys.argv[1:2] == ["capture"] and len(sys.argv) == 4:
        capture(Path(sys.argv[2]), sys.argv[3])
    elif sys.argv[1:] == ["compose"]:
        compose()
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
