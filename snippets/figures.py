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
import string
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
    """A registered figure: `draw()` returns a matplotlib Figure.

    `alt` may name computed numbers as format fields ("{iterations}"); `alt_values()` returns the
    dict that fills them, so that an alt text that states a number cannot drift from the figure.
    """

    name: str
    draw: Callable[[], Figure]
    alt: str
    caption: str
    alt_values: Callable[[], dict[str, Any]] | None = None
    larger_because: str | None = None  # why the SVG may exceed 25 KB (a raster it must carry, say)

    @property
    def alt_values_target(self) -> str | None:
        """"module:function" of `alt_values` inside the package, as the build's value cache names it."""
        if self.alt_values is None:
            return None
        return f"{self.alt_values.__module__.removeprefix('snippets.')}:{self.alt_values.__name__}"

    def alt_text(self, values: dict[str, Any] | None = None) -> str:
        """The alt text with its numbers filled in (from `values`, or by calling `alt_values`)."""
        if self.alt_values is None:
            return self.alt
        return self.alt.format(**(self.alt_values() if values is None else values))


_REGISTRY: dict[str, FigureSpec] = {}


def figure(name: str, *, alt: str, caption: str, alt_values: Callable[[], dict[str, Any]] | None = None,
           larger_because: str | None = None) -> Callable[[Callable[[], Figure]], Callable[[], Figure]]:
    """Register the decorated function as the drawing of figure `name`; `alt_values`, if given,
    returns the numbers that fill the format fields of `alt`; `larger_because` says why its SVG
    may weigh more than 25 KB."""
    if not isinstance(name, str) or not NAME_PATTERN.match(name):
        raise ValueError(f"name: expected a lowercase slug such as 'link-functions', got {name!r}")
    if not isinstance(alt, str) or len(alt.strip()) < MIN_ALT_LENGTH:
        raise ValueError(f"alt: figure {name!r} needs alt text of at least {MIN_ALT_LENGTH} characters")
    if not isinstance(caption, str) or not caption.strip():
        raise ValueError(f"caption: figure {name!r} needs a caption")
    if larger_because is not None and (not isinstance(larger_because, str) or len(larger_because.split()) < 5):
        raise ValueError(f"larger_because: figure {name!r} needs a reason of a few words, got {larger_because!r}")
    fields = {field for _, field, _, _ in string.Formatter().parse(alt) if field is not None}
    if fields and alt_values is None:
        raise ValueError(f"alt_values: figure {name!r} has fields {sorted(fields)} in its alt text "
                         "and nothing to fill them")
    if alt_values is not None and not callable(alt_values):
        raise TypeError(f"alt_values: figure {name!r} needs a function returning a dict, "
                        f"got {type(alt_values).__name__}")

    def register(draw: Callable[[], Figure]) -> Callable[[], Figure]:
        previous = _REGISTRY.get(name)
        # A reloaded module registers its figures again; only another function is a clash.
        where = f"{draw.__module__}.{draw.__qualname__}"
        if previous is not None and f"{previous.draw.__module__}.{previous.draw.__qualname__}" != where:
            raise ValueError(f"name: figure {name!r} is registered twice, by "
                             f"{previous.draw.__module__}.{previous.draw.__qualname__} and by {where}")
        _REGISTRY[name] = FigureSpec(name, draw, " ".join(alt.split()), caption.strip(), alt_values, larger_because)
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
        empty = [str(i) for i, ax in enumerate(fig.axes, 1) if not _has_drawing(ax)]
        if not fig.axes or empty:
            where = f"axes {', '.join(empty)} of {len(fig.axes)}" if fig.axes else "it: it has no axes"
            raise ValueError(f"figure {spec.name!r}: nothing is drawn on {where}")
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    light = buffer.getvalue()
    return {"light": light.encode(), "dark": style.to_dark(light).encode()}


def _has_drawing(ax: Any) -> bool:
    """Whether matplotlib axes `ax` holds anything drawn: a line, a collection (markers, fills), a
    patch, an image, a text, a table, a legend or another artist."""
    return any((ax.lines, ax.collections, ax.patches, ax.images, ax.texts, ax.tables, ax.artists,
                ax.get_legend()))


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
