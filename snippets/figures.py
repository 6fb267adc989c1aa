"""The figure registry: each figure's name, the function that draws it, its alt text and caption.

Chapter modules register figures with the `figure` decorator, next to the code that draws
them; `registry()` imports every chapter module and returns the complete mapping. Drawing
functions start from `new_figure`, so that matplotlib is imported when something is drawn, not
when the package is: the build reads the registry and fingerprints the code without it.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from snippets import style

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NAME_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MIN_ALT_LENGTH = 40  # shorter than this is a label, not a description of what the figure shows


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure: `draw()` returns a matplotlib Figure."""

    name: str
    draw: Callable[[], Figure]
    alt: str
    caption: str


_REGISTRY: dict[str, FigureSpec] = {}


def figure(name: str, *, alt: str, caption: str) -> Callable[[Callable[[], Figure]], Callable[[], Figure]]:
    """Register the decorated function as the drawing of figure `name`."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ValueError(f"name: expected a lowercase slug such as 'link-functions', got {name!r}")
    if not isinstance(alt, str) or len(alt.strip()) < MIN_ALT_LENGTH:
        raise ValueError(f"alt: figure {name!r} needs alt text of at least {MIN_ALT_LENGTH} characters")
    if not isinstance(caption, str) or not caption.strip():
        raise ValueError(f"caption: figure {name!r} needs a caption")

    def register(draw: Callable[[], Figure]) -> Callable[[], Figure]:
        previous = _REGISTRY.get(name)
        # A reloaded module registers its figures again; only a second function is a clash.
        if previous is not None and previous.draw.__qualname__ != draw.__qualname__:
            raise ValueError(f"name: figure {name!r} is registered twice")
        _REGISTRY[name] = FigureSpec(name, draw, " ".join(alt.split()), caption.strip())
        return draw

    return register


def registry() -> dict[str, FigureSpec]:
    """Every registered figure, after importing all chapter modules of the package."""
    import snippets

    for module in pkgutil.iter_modules(snippets.__path__):
        importlib.import_module(f"snippets.{module.name}")
    return dict(sorted(_REGISTRY.items()))


def new_figure(**kwargs: Any) -> Figure:
    """An empty matplotlib Figure (keyword arguments as for `matplotlib.figure.Figure`), drawn
    without a screen: no pyplot, no interactive backend."""
    from matplotlib.figure import Figure

    return Figure(**kwargs)


def render_svg(spec: FigureSpec) -> dict[str, bytes]:
    """Draw `spec` and return its SVG in both palettes: {"light": ..., "dark": ...}.

    The bytes are identical from run to run: fixed hash salt for element ids, no date.
    """
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(style.RC_PARAMS):
        fig = spec.draw()
        if not isinstance(fig, Figure):
            raise TypeError(f"figure {spec.name!r}: draw() must return a matplotlib Figure, got {type(fig).__name__}")
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    light = buffer.getvalue()
    return {"light": light.encode(), "dark": style.to_dark(light).encode()}


def prepare_drawing() -> None:
    """Import every chapter module and matplotlib's SVG drawing machinery: what a worker process
    of the build does while it waits for its first figure."""
    import matplotlib.figure  # noqa: F401
    from matplotlib.backends import backend_svg  # noqa: F401

    registry()


def render_named(name: str) -> dict[str, bytes]:
    """`render_svg` by figure name: the entry point of the build's worker processes."""
    specs = registry()
    if name not in specs:
        raise ValueError(f"name: no figure {name!r}; registered: {', '.join(specs) or 'none'}")
    return render_svg(specs[name])
