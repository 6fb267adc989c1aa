"""Universal approximation: constructive approximations in one dimension, what width and depth buy,
and what the theorem does not promise.

Notation as on the page: the target is f(x) = sin(2 pi x) + x^2 on [0, 1]; a network with M hidden
units; sigma the logistic function; T the tent map; T^L its L-fold composition.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np

from snippets import style
from snippets._boundary import (
    Array,
    Elementwise,
    NonNegativeInt,
    Positive,
    PositiveInt,
    Seed,
    at_most,
    enforce_annotations,
    integer_in,
)
from snippets._cache import cached
from snippets.figures import figure, new_figure
from snippets.network import Network, forward, predict

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _distinct_and_two(x: np.ndarray) -> str | None:
    if x.shape[0] < 2 or np.any(np.diff(np.sort(x)) <= 0):
        return f"expected at least two distinct points, got {x.shape[0]} with {x.shape[0] - len(np.unique(x))} repeated"
    return None


def _relu_with_identity_output(net: Network) -> str | None:
    if net.hidden != "relu" or net.output != "identity":
        return f"expected ReLU hidden units and an identity output, got {net.hidden}, {net.output}"
    return None


DistinctPoints = Array("n", _distinct_and_two)
ReLUNetwork = Annotated[Network, _relu_with_identity_output]

GRID = np.linspace(0, 1, 20_001)
WIDTHS = (8, 16, 32, 64)
SLIDER_WIDTHS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64)


def target(x: Array(...)) -> np.ndarray:
    """f(x) = sin(2 pi x) + x^2, the function every construction on the page approximates."""
    return np.sin(2 * np.pi * x) + x**2


# --8<-- [start:constructions]
def relu_interpolant(f: Elementwise, M: PositiveInt) -> Network:
    """f(0) + sum_i c_i ReLU(x - x_i) with knots x_i = i/M: the piecewise-linear interpolant of f.

    c_0 is the first secant slope s_0, and c_i = s_i - s_{i-1} the change of slope at knot i.
    """
    knots = np.arange(M + 1) / M
    return interpolating_relu(knots, f(knots))


def sigmoid_staircase(f: Elementwise, M: PositiveInt, steepness: Positive | None = None) -> Network:
    """f(0) + sum_i (f(x_i) - f(x_{i-1})) sigma(s (x - t_i)): steep sigmoids as steps at the
    midpoints t_i of M equal cells, with s = 400 M unless given."""
    s = 400.0 * M if steepness is None else steepness
    knots = np.arange(M + 1) / M
    midpoints = (knots[:-1] + knots[1:]) / 2
    jumps = np.diff(f(knots))
    return Network((np.full((M, 1), s), jumps[None, :]), (-s * midpoints, np.array([f(0.0)])), "sigmoid", "identity")
# --8<-- [end:constructions]


def sup_error(net: Network, f: Elementwise = target, grid: Array("n") = GRID) -> float:
    """max over the grid of |net(x) - f(x)|."""
    return float(np.max(np.abs(predict(net, grid[:, None])[:, 0] - f(grid))))


@cached
def approximation_errors(widths: tuple[PositiveInt, ...] = WIDTHS) -> dict[str, list[float]]:
    """Sup errors of both constructions at each width, and the bound ||f''|| / (8 M^2) for the ReLU one."""
    second_derivative_bound = 4 * np.pi**2 + 2  # |f''| = |-4 pi^2 sin(2 pi x) + 2| <= 4 pi^2 + 2
    return {
        "widths": list(widths),
        "relu": [sup_error(relu_interpolant(target, M)) for M in widths],
        "staircase": [sup_error(sigmoid_staircase(target, M)) for M in widths],
        "relu_bound": [second_derivative_bound / (8 * M**2) for M in widths],
    }


def error_ratios(name: Literal["relu", "staircase"]) -> list[float]:
    """Consecutive ratios error(M) / error(2M) for one construction."""
    errors = approximation_errors()[name]
    return [a / b for a, b in pairwise(errors)]


# --- what the theorem does not promise ---------------------------------------------------------

# --8<-- [start:interpolate-noise]
def interpolating_relu(x: DistinctPoints, y: Array("n")) -> Network:
    """A one-hidden-layer ReLU network with n - 1 units through n points (x_i, y_i), distinct x_i.

    It is the piecewise-linear interpolant: a knot at every sorted x_i but the last.
    """
    order = np.argsort(x)
    xs, ys = x[order], y[order]
    slopes = np.diff(ys) / np.diff(xs)
    c = np.concatenate([[slopes[0]], np.diff(slopes)])
    return Network((np.ones((len(c), 1)), c[None, :]), (-xs[:-1], np.array([ys[0]])), "relu", "identity")
# --8<-- [end:interpolate-noise]


@cached
def noise_interpolation(n: integer_in(2) = 30, n_test: PositiveInt = 2000, seed: Seed = 0) -> dict[str, float]:
    """Fit pure noise exactly, then measure the error on fresh noise: universality is not learning."""
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(0, 1, n), rng.standard_normal(n)
    net = interpolating_relu(x, y)
    x_test, y_test = rng.uniform(0, 1, n_test), rng.standard_normal(n_test)
    return {
        "units": net.sizes[1],
        "train_error": float(np.max(np.abs(predict(net, x[:, None])[:, 0] - y))),
        "test_mse": float(np.mean((predict(net, x_test[:, None])[:, 0] - y_test) ** 2)),
    }


@cached
def polynomial_regression_errors(degrees: tuple[NonNegativeInt, ...] = (2, 4, 8, 12, 16, 20)
                                 ) -> dict[str, list[float]]:
    """Sup error of least-squares polynomial fits (Chebyshev basis) of growing degree to f on [0, 1]."""
    x = np.linspace(0, 1, 2001)
    errors = []
    for degree in degrees:
        coefficients = np.polynomial.chebyshev.chebfit(2 * x - 1, target(x), degree)
        errors.append(float(np.max(np.abs(np.polynomial.chebyshev.chebval(2 * GRID - 1, coefficients) - target(GRID)))))
    return {"degrees": list(degrees), "errors": errors}


# --- polynomial activations ---------------------------------------------------------------------

def polynomial_target(x: Array(...)) -> np.ndarray:
    """sin(3 x) + |x|: smooth but for a kink at 0, the target of the polynomial activations."""
    return np.sin(3 * x) + np.abs(x)


def random_feature_fit(activation: Literal["square", "tanh"], width: PositiveInt, seed: Seed = 0,
                       n: integer_in(2) = 400) -> dict[str, object]:
    """Random hidden weights, best output layer by least squares: residual sum of squares, the
    numerical rank of the feature matrix [1, phi(w x + b)] on n points of [-1, 1], and the fitted
    values there (what the figure draws)."""
    rng = np.random.default_rng(seed)
    x = np.linspace(-1, 1, n)
    w, b = rng.standard_normal(width), rng.standard_normal(width)
    phi = {"square": lambda t: t**2, "tanh": lambda t: np.tanh(3 * t)}[activation]
    features = np.column_stack([np.ones(n), phi(np.outer(x, w) + b)])
    coefficients = np.linalg.lstsq(features, polynomial_target(x), rcond=None)[0]
    return {
        "residual": float(np.sum((features @ coefficients - polynomial_target(x)) ** 2)),
        "rank": int(np.linalg.matrix_rank(features)),
        "fitted": features @ coefficients,
    }


@cached
def polynomial_activation_summary() -> dict[str, float]:
    x = np.linspace(-1, 1, 400)
    quadratic = np.polyval(np.polyfit(x, polynomial_target(x), 2), x)
    rng = np.random.default_rng(1)
    # Depth 2 with t^2: quadratics of quadratics, degree <= 4 (rank <= 5 on a line).
    hidden = (np.outer(x, rng.standard_normal(50)) + rng.standard_normal(50)) ** 2
    depth_two = (hidden @ rng.standard_normal((50, 50)) + rng.standard_normal(50)) ** 2
    # One t^2 layer on two inputs: the 6 monomials of degree <= 2 in (x1, x2).
    X2 = rng.standard_normal((400, 2))
    two_d = (X2 @ rng.standard_normal((2, 50)) + rng.standard_normal(50)) ** 2
    summary = {
        "quadratic_residual": float(np.sum((quadratic - polynomial_target(x)) ** 2)),
        "depth_two_rank": int(np.linalg.matrix_rank(np.column_stack([np.ones(400), depth_two]))),
        "two_inputs_rank": int(np.linalg.matrix_rank(np.column_stack([np.ones(400), two_d]))),
    }
    for width in (5, 50, 500):
        for activation in ("square", "tanh"):
            fit = random_feature_fit(activation, width)
            summary[f"{activation}_{width}_residual"] = fit["residual"]
            summary[f"{activation}_{width}_rank"] = fit["rank"]
    return summary


# --- ReLU networks are piecewise linear -----------------------------------------------------------

def small_relu_2d(seed: Seed = 9, width: PositiveInt = 16) -> Network:
    """A ReLU network 2 -> width -> width -> 1, normal weights of variance 1/fan_in, biases of variance 1/4."""
    rng = np.random.default_rng(seed)
    sizes = (2, width, width, 1)
    return Network(tuple(rng.standard_normal((m, n)) / np.sqrt(n) for n, m in pairwise(sizes)),
                   tuple(0.5 * rng.standard_normal(m) for m in sizes[1:]), "relu", "identity")


# --8<-- [start:local-affine]
def activation_pattern(net: Network, X: Array("n d")) -> np.ndarray:
    """Which hidden units are on (z > 0) at each input: n x (total hidden units), booleans."""
    _, pre, _ = forward(net, X)
    return np.concatenate([z > 0 for z in pre[:-1]], axis=1)


def local_affine_map(net: ReLUNetwork, x: Array("d")) -> tuple[np.ndarray, np.ndarray]:
    """(A_p, c_p) with f = A_p x + c_p on x's activation region: each layer is affine once the
    pattern D_l = diag(1[z_l > 0]) is fixed, so A_p = W_L D_{L-1} W_{L-1} ... D_1 W_1."""
    pattern_rows = activation_pattern(net, x[None, :])[0]
    A, c, start = np.eye(len(x)), np.zeros(len(x)), 0
    for W, b in zip(net.weights[:-1], net.biases[:-1], strict=True):
        D = pattern_rows[start:start + W.shape[0]].astype(float)
        A, c = D[:, None] * (W @ A), D * (W @ c + b)
        start += W.shape[0]
    return net.weights[-1] @ A, net.weights[-1] @ c + net.biases[-1]
# --8<-- [end:local-affine]


@cached
def piecewise_linear_summary(seed: Seed = 9) -> dict[str, float]:
    net = small_relu_2d(seed)
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, (500, 2))
    worst, worst_nearby = 0.0, 0.0
    for x in X:
        A, c = local_affine_map(net, x)
        delta = 1e-7 * rng.standard_normal(2)
        worst = max(worst, float(np.max(np.abs(A @ x + c - predict(net, x[None, :])[0]))))
        nearby = x + delta
        worst_nearby = max(worst_nearby, float(np.max(np.abs(A @ nearby + c - predict(net, nearby[None, :])[0]))))
    segment = np.linspace(0, 1, 30_001)[:, None] * np.array([[4.0, 3.0]]) - np.array([[2.0, 1.5]])
    second_differences = np.abs(np.diff(predict(net, segment)[:, 0], 2))
    return {
        "max_error": worst,
        "max_error_nearby": worst_nearby,
        "patterns": len({row.tobytes() for row in activation_pattern(net, X)}),
        "kink_fraction": float(np.mean(second_differences > 1e-9)),
    }


# --- depth: the sawtooth ------------------------------------------------------------------------

SAWTOOTH_MAX_DEPTH = 20  # 2^20 pieces; the grid of sawtooth_pieces then holds 2^23 points (64 MB)
Depth = at_most(SAWTOOTH_MAX_DEPTH)


# --8<-- [start:sawtooth]
def tent(x: Array(...)) -> np.ndarray:
    """T(x) = 2 ReLU(x) - 4 ReLU(x - 1/2): up from 0 to 1 on [0, 1/2], back down on [1/2, 1]."""
    return 2 * np.maximum(x, 0) - 4 * np.maximum(x - 0.5, 0)


def sawtooth(x: Array(...), L: Depth) -> np.ndarray:
    """T^L(x), the tent map composed L times: a ReLU network of depth L with 2 units per layer."""
    for _ in range(L):
        x = tent(x)
    return x
# --8<-- [end:sawtooth]


def count_pieces(y: Array("n"), tol: Positive = 1e-9) -> int:
    """Affine pieces of a sampled continuous piecewise-linear function.

    A kink strictly between two grid points changes two consecutive slopes; runs of consecutive
    slope changes are merged so that each kink is counted once.
    """
    slopes = np.diff(y)
    changed = np.abs(np.diff(slopes)) > tol
    runs = np.count_nonzero(changed[1:] & ~changed[:-1]) + int(changed[0]) if changed.size else 0
    return int(runs) + 1


def sawtooth_pieces(L: Depth) -> int:
    """Pieces of T^L on a dyadic grid of step 2^-(L+3), which contains every kink of T^L."""
    x = np.linspace(0, 1, 2 ** (L + 3) + 1)
    return int(count_pieces(sawtooth(x, L)))


@cached
def shallow_max_pieces(widths: tuple[PositiveInt, ...] = (1, 2, 5, 10, 20), nets: PositiveInt = 10, seed: Seed = 0
                       ) -> dict[int, int]:
    """Most pieces seen on [0, 1] among random one-hidden-layer ReLU networks of each width."""
    rng = np.random.default_rng(seed)
    x = np.linspace(0, 1, 50_001)
    most = {}
    for M in widths:
        counts = []
        for _ in range(nets):
            w, b, v = rng.standard_normal(M), rng.uniform(-1, 1, M), rng.standard_normal(M)
            counts.append(count_pieces(np.maximum(np.outer(x, w) + b, 0) @ v))
        most[M] = max(counts)
    return most


# --- data for the interactive figure --------------------------------------------------------------

def _rounded(values: np.ndarray) -> list[float]:
    return [float(f"{v:.4g}") for v in values]


def _count(n: int, noun: str) -> str:
    """'1 unit', '3 units': a count with its noun in the right number."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def width_slider_frames() -> dict:
    """Every frame of the width slider, computed here at build time: both constructions at each M."""
    x = np.linspace(0, 1, 201)
    frames = {"relu": [], "staircase": []}
    readouts = []
    for M in SLIDER_WIDTHS:
        relu, stairs = relu_interpolant(target, M), sigmoid_staircase(target, M)
        frames["relu"].append(_rounded(predict(relu, x[:, None])[:, 0]))
        frames["staircase"].append(_rounded(predict(stairs, x[:, None])[:, 0]))
        readouts.append(f"M = {_count(M, 'hidden unit')}: sup error {sup_error(relu):.2g} (ReLU interpolant), "
                        f"{sup_error(stairs):.2g} (sigmoid staircase)")
    return {
        "parameter": "hidden units", "values": list(SLIDER_WIDTHS), "initial": SLIDER_WIDTHS.index(8),
        "x": _rounded(x), "reference": {"name": "target f(x)", "y": _rounded(target(x))},
        "series": [{"name": "ReLU interpolant", "frames": frames["relu"]},
                   {"name": "sigmoid staircase", "frames": frames["staircase"]}],
        "readouts": readouts, "ylim": [-1.2, 1.9], "yticks": [-1, 0, 1],
    }


def depth_slider_frames() -> dict:
    """Every frame of the depth slider: the sawtooth T^L for L = 1..6, with its piece count."""
    x = np.linspace(0, 1, 2 ** 9 + 1)
    depths = list(range(1, 7))
    return {
        "parameter": "layers", "values": depths, "initial": 2, "x": _rounded(x), "reference": None,
        "series": [{"name": "sawtooth: the tent map applied L times",
                    "frames": [_rounded(sawtooth(x, L)) for L in depths]}],
        "readouts": [f"depth L = {L}: {_count(2 * L, 'ReLU unit')}, {_count(sawtooth_pieces(L), 'linear piece')}; "
                     f"one hidden layer would need at least {_count(2 ** L - 1, 'unit')}" for L in depths],
        "ylim": [-0.05, 1.05], "yticks": [0, 0.5, 1],
    }


# --- figures ----------------------------------------------------------------------------------------


@figure(
    "approximation-widths",
    alt=("Three panels for 4, 8 and 16 hidden units. Each shows the target curve sin(2 pi x) + x squared on the "
         "unit interval, a ReLU network that joins the target's values at equally spaced knots with straight "
         "segments, and a sigmoid network that climbs the target in steep steps. With more units the segments hug "
         "the curve more closely and the steps get finer."),
    caption=("Two explicit one-hidden-layer networks for $f(x) = \\sin(2\\pi x) + x^2$: the ReLU interpolant "
             "(solid) and the staircase of steep sigmoids (dashed), at $M = 4, 8, 16$ hidden units."),
)
def draw_approximation_widths() -> Figure:
    x = np.linspace(0, 1, 801)
    fig = new_figure(figsize=(8.4, 2.9))
    axes = fig.subplots(1, 3, sharey=True)
    for ax, M in zip(axes, (4, 8, 16), strict=True):
        ax.plot(x, target(x), color=style.FOREGROUND, linewidth=1, label="target")
        ax.plot(x, predict(relu_interpolant(target, M), x[:, None])[:, 0], label="ReLU interpolant")
        ax.plot(x, predict(sigmoid_staircase(target, M), x[:, None])[:, 0], linestyle="--", label="sigmoid staircase")
        ax.set(title=f"$M = {M}$", xlabel="$x$")
    axes[0].set_ylabel("$f(x)$ and its approximations")
    axes[0].legend(loc="lower left", fontsize=9)
    return fig


@figure(
    "approximation-error-rates",
    alt=("Log-log plot of the largest error against the number of hidden units, from 8 to 64. The ReLU "
         "interpolant's error falls along a line of slope minus 2, a quarter for each doubling, and stays under "
         "its theoretical bound, drawn dotted. The sigmoid staircase's error falls along a line of slope minus 1, "
         "halving for each doubling, and is larger throughout."),
    caption=("Sup error against width. The ReLU interpolant's error falls like $1/M^2$, under the bound "
             "$\\lVert f''\\rVert_\\infty/(8M^2)$ (dotted); the staircase's like $1/M$."),
)
def draw_approximation_error_rates() -> Figure:
    from matplotlib.ticker import NullFormatter

    errors = approximation_errors()
    fig = new_figure(figsize=(5.2, 3.6))
    ax = fig.subplots()
    ax.loglog(errors["widths"], errors["relu"], marker="o", label="ReLU interpolant")
    ax.loglog(errors["widths"], errors["staircase"], marker="s", linestyle="--", label="sigmoid staircase")
    ax.loglog(errors["widths"], errors["relu_bound"], linestyle=":", color=style.FOREGROUND, linewidth=1,
              label="bound $\\|f\u2033\\|/(8N^2)$")  # primes as characters: style.RC_PARAMS
    ax.set(xlabel="hidden units $M$", ylabel="sup error on $[0, 1]$")
    # Ticks at the widths themselves: log-scale minor labels ("3x10^1 4x10^1") collide.
    ax.set_xticks(errors["widths"], [str(n) for n in errors["widths"]])
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.legend(loc="lower left", fontsize=9)
    return fig


@figure(
    "quadratic-activation-stuck",
    alt=("The target sin(3x) plus the absolute value of x on the interval from -1 to 1, with the best fits of "
         "one-hidden-layer networks. With the activation t squared, the fits at widths 5, 50 and 500 are the same "
         "parabola, which misses the target's kink and wiggles. With a tanh activation at width 500, the fit lies on "
         "the target."),
    caption=("A polynomial activation caps what width can do. With $\\phi(t) = t^2$ every hidden unit is a "
             "quadratic, so networks of width 5, 50 and 500 all give the best quadratic (dashed, one curve); tanh "
             "features at width 500 follow the target."),
)
def draw_quadratic_activation_stuck() -> Figure:
    x = np.linspace(-1, 1, 400)
    fig = new_figure(figsize=(5.6, 3.6))
    ax = fig.subplots()
    ax.plot(x, polynomial_target(x), color=style.FOREGROUND, linewidth=1, label="target")
    for width in (5, 50, 500):  # the fits the claim's test checks, not a second computation of them
        ax.plot(x, random_feature_fit("square", width)["fitted"], linestyle="--", color=style.VERMILLION,
                label="$t^2$, widths 5, 50, 500" if width == 5 else None)
    ax.plot(x, random_feature_fit("tanh", 500)["fitted"], color=style.GREEN, label="tanh, width 500", linewidth=1.5)
    ax.set(xlabel="$x$", ylabel="$\\sin(3x) + |x|$ and fits")
    ax.legend(loc="upper center", fontsize=9)
    return fig


@figure(
    "sawtooth-depth",
    alt=("Five stacked plots of the sawtooth functions obtained by composing the tent map with itself 1, 2, 3, 4 "
         "and 5 times on the unit interval. Each has twice as many teeth as the one before: 1, 2, 4, 8 and 16 "
         "teeth, that is 2, 4, 8, 16 and 32 straight pieces, all between 0 and 1."),
    caption=("The tent map composed $L = 1, \\dots, 5$ times. Each composition adds one layer of 2 ReLU units "
             "and doubles the number of linear pieces: $2^L$ pieces from $2L$ units."),
)
def draw_sawtooth_depth() -> Figure:
    x = np.linspace(0, 1, 2 ** 10 + 1)
    fig = new_figure(figsize=(6.0, 5.2))
    axes = fig.subplots(5, 1, sharex=True)
    for L, ax in enumerate(axes, start=1):
        ax.plot(x, sawtooth(x, L), color=style.CYCLE[(L - 1) % len(style.CYCLE)], linewidth=1.5)
        ax.set_ylabel(f"$T^{{{L}}}$", rotation=0, labelpad=14)
        ax.set_yticks([0, 1])
    axes[-1].set_xlabel("$x$")
    return fig


@figure(
    "relu-regions",
    alt=("A map of the square from -2 to 2 in both inputs, divided into many convex polygons of different colours. "
         "Each polygon is a region where the same hidden units of a small two-layer ReLU network are active, so the "
         "network is a single affine function there. The first layer's boundaries are straight lines crossing the "
         "whole square; the second layer's boundaries are made of straight segments that bend where they cross a "
         "first-layer line."),
    caption=("The linear regions of a random ReLU network $\\mathbb{R}^2 \\to \\mathbb{R}$ with two hidden layers "
             "of 16 units: on each coloured region the activation pattern is fixed, and the network is affine."),
    larger_because="a 323 x 323 raster of the activation regions, 22 KB of base64 PNG; as polygons it is larger",
)
def draw_relu_regions() -> Figure:
    net = small_relu_2d()
    grid = np.linspace(-2, 2, 301)
    g1, g2 = np.meshgrid(grid, grid)
    patterns = activation_pattern(net, np.column_stack([g1.ravel(), g2.ravel()]))
    _, labels = np.unique(patterns, axis=0, return_inverse=True)
    # A fixed shuffle of region labels so that neighbouring regions get unrelated colours.
    colours = np.random.default_rng(0).permutation(labels.max() + 1)[labels.ravel()].reshape(g1.shape)
    fig = new_figure(figsize=(4.6, 4.2))
    ax = fig.subplots()
    ax.imshow(colours, origin="lower", extent=(-2, 2, -2, 2), cmap="tab20", interpolation="nearest")
    ax.set(xlabel="$x_1$", ylabel="$x_2$")
    ax.grid(False)
    return fig


enforce_annotations(globals())
