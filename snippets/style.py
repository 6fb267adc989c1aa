"""One look for every figure on the site: colours, fonts and the light/dark palettes.

Figures are drawn once in the light palette. The dark variant is the same SVG with each
light colour swapped for its dark counterpart, so both variants always show the same data.
"""

from __future__ import annotations

from cycler import cycler

# Okabe-Ito colours (colour-blind safe), as matplotlib writes them into SVG: lowercase hex.
BLUE = "#0072b2"
ORANGE = "#e69f00"
GREEN = "#009e73"
VERMILLION = "#d55e00"
PURPLE = "#cc79a7"
SKY = "#56b4e9"
# Text, axes and reference lines; grid lines.
FOREGROUND = "#1b1f24"
GRID = "#d0d4da"

CYCLE = (BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY)

# Light colour -> dark-palette colour. Each dark colour keeps at least 4.5:1 contrast
# with Material's slate background for text, and is lighter than its light twin.
DARK_PALETTE = {
    FOREGROUND: "#e3e6eb",
    GRID: "#454b57",
    BLUE: "#6cb6ff",
    ORANGE: "#f5b942",
    GREEN: "#2fd0a0",
    VERMILLION: "#ff8a4c",
    PURPLE: "#e8a3c9",
    SKY: "#8fd0f5",
}

RC_PARAMS = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 100,
    "savefig.transparent": True,
    # Text stays text, drawn by the reader's browser. Mathtext takes a prime (f'', \\prime) from
    # Computer Modern's cmsy10, where the prime is the character "0": a browser without that font
    # draws a 0. Primes are written as the characters \u2032 and \u2033 instead; tests/test_figures.py
    # checks that every text of every figure is in the one font family.
    "svg.fonttype": "none",
    "svg.hashsalt": "nn-glm",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 10,
    "axes.prop_cycle": cycler(color=list(CYCLE)),
    "axes.edgecolor": FOREGROUND,
    "axes.labelcolor": FOREGROUND,
    "axes.titlecolor": FOREGROUND,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "text.color": FOREGROUND,
    "xtick.color": FOREGROUND,
    "ytick.color": FOREGROUND,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
}


def to_dark(svg: str) -> str:
    """The dark-palette variant of an SVG drawn with the light colours above."""
    if not isinstance(svg, str):
        raise TypeError(f"svg: expected the SVG text, got {type(svg).__name__}")
    for light, dark in DARK_PALETTE.items():
        svg = svg.replace(light, dark)
    return svg
