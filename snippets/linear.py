"""What "linear" means: linear and affine maps, linearity in the parameters, and XOR.

Notation as on the page: A is a q x p matrix, c a vector in R^q; Phi is the n x k design of fixed
basis functions phi_j(x); beta the coefficients; X the XOR inputs with y their labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import numpy as np

from snippets import style
from snippets._boundary import (
    Array,
    Function,
    Map,
    NonNegativeInt,
    PositiveInt,
    Real,
    Seed,
    enforce_annotations,
    integer_in,
)
from snippets._cache import cached
from snippets.figures import figure, new_figure
from snippets.glm import fit_glm_irls
from snippets.network import init_network, params, predict, sigmoid, train_gradient_descent

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# --8<-- [start:affine]
def affine_map(A: Array("q p"), c: Array("q")) -> Map("x", "p"):
    """x -> A x + c. Linear exactly when c = 0."""
    return lambda x: A @ x + c


def superposition_defect(f: Function, x: Array("*s"), x_prime: Array("*s"), s: Real, t: Real) -> np.ndarray:
    """f(s x + t x') - s f(x) - t f(x'): zero for every s, t, x, x' exactly when f is linear."""
    return f(s * x + t * x_prime) - s * f(x) - t * f(x_prime)


def compose_affine(A1: Array("q p"), c1: Array("q"), A2: Array("r q"), c2: Array("r")
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(A, c) with A2 (A1 x + c1) + c2 = A x + c: a composition of affine maps is affine."""
    return A2 @ A1, A2 @ c1 + c2
# --8<-- [end:affine]


# --8<-- [start:polynomial]
def _representable(degree: int, x: np.ndarray) -> str | None:
    # x^degree must stay a finite double for every x: log10|x|^degree below 308.
    largest = float(np.max(np.abs(x)))
    if largest > 1 and degree * np.log10(largest) >= 308:
        return f"x^{degree} overflows for |x| up to {largest:g} (a double holds up to about 1e308)"
    return None


def polynomial_design(x: Array("n"), degree: Annotated[NonNegativeInt, _representable]) -> np.ndarray:
    """Phi = [1, x, x^2, ..., x^degree] (n x (degree + 1)): fixed, known basis functions of the input."""
    return np.vander(x, degree + 1, increasing=True)


def least_squares(Phi: Array("n k"), y: Array("n")) -> np.ndarray:
    """beta_hat = argmin ||y - Phi beta||^2: one linear solve, because Phi beta is linear in beta."""
    return np.linalg.lstsq(Phi, y, rcond=None)[0]


def squared_error_hessian(Phi: Array("n k")) -> np.ndarray:
    """The Hessian of ||y - Phi beta||^2 in beta: 2 Phi^T Phi (k x k), the same at every beta."""
    return 2 * Phi.T @ Phi
# --8<-- [end:polynomial]


def cubic_example(n: PositiveInt = 200, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) with y = 1 - 2x + 0.5 x^3 + N(0, 0.5^2) noise, x uniform on [-2, 2]."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, n)
    return x, 1 - 2 * x + 0.5 * x**3 + 0.5 * rng.standard_normal(x.shape[0])


# --8<-- [start:xor]
XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([0.0, 1.0, 1.0, 0.0])


def xor_logistic_raw() -> np.ndarray:
    """Fitted probabilities of logistic regression on (1, x1, x2): all 1/2."""
    X = np.column_stack([np.ones(4), XOR_X])
    fit = fit_glm_irls(X, XOR_Y, "bernoulli")
    return sigmoid(X @ fit.beta)


def xor_product_feature_coefficients() -> np.ndarray:
    """Least squares on (1, x1, x2, x1 x2), a feature a person chose: fits XOR exactly."""
    Phi = np.column_stack([np.ones(4), XOR_X, XOR_X[:, 0] * XOR_X[:, 1]])
    return least_squares(Phi, XOR_Y)


def xor_relu_network(X: Array("n 2")) -> np.ndarray:
    """Two ReLU units h = (relu(x1 + x2), relu(x1 + x2 - 1)), output h1 - 2 h2: features it computes."""
    s = X[:, 0] + X[:, 1]
    return np.maximum(s, 0) - 2 * np.maximum(s - 1, 0)
# --8<-- [end:xor]


def affine_demo(seed: Seed = 0) -> dict[str, float]:
    """The superposition defects of a linear and an affine map, and the composition error."""
    rng = np.random.default_rng(seed)
    A, c = rng.standard_normal((3, 4)), rng.standard_normal(3)
    x, x_prime, s, t = rng.standard_normal(4), rng.standard_normal(4), 2.5, -1.3
    A2, c2 = rng.standard_normal((2, 3)), rng.standard_normal(2)
    A_comp, c_comp = compose_affine(A, c, A2, c2)
    return {
        "linear": float(np.max(np.abs(superposition_defect(affine_map(A, np.zeros(3)), x, x_prime, s, t)))),
        "affine": float(np.max(np.abs(superposition_defect(affine_map(A, c), x, x_prime, s, t)))),
        "affine_predicted": float(np.max(np.abs((1 - s - t) * c))),
        "composition": float(np.max(np.abs(affine_map(A2, c2)(affine_map(A, c)(x)) - affine_map(A_comp, c_comp)(x)))),
    }


@figure(
    "xor-three-models",
    alt=("Three heat maps over the unit square with the four XOR points marked, two labelled 1 at the "
         "off-diagonal corners and two labelled 0 at the diagonal corners. Left, logistic regression on the raw "
         "inputs: a flat surface at one half everywhere. Middle, a linear model with the product feature x1 "
         "times x2: a saddle that is 1 at the off-diagonal corners and 0 at the others. Right, the two-unit ReLU "
         "network: a ridge along the anti-diagonal, also exact at all four points."),
    caption=("XOR three ways. Logistic regression on $(1, x_1, x_2)$ cannot do better than $p = 1/2$ (left). "
             "Given the feature $x_1 x_2$, a linear model fits exactly (middle). A two-unit ReLU network fits "
             "exactly too (right), with features it computes from the inputs."),
    larger_because="three 153 x 153 rasters of the model surfaces, 22 KB of base64 PNG",
)
def draw_xor_three_models() -> Figure:
    grid = np.linspace(-0.25, 1.25, 121)
    g1, g2 = np.meshgrid(grid, grid)
    points = np.column_stack([g1.ravel(), g2.ravel()])
    beta = xor_product_feature_coefficients()
    surfaces = {
        "logistic, raw inputs": np.full(g1.shape, xor_logistic_raw()[0]),
        "linear + feature $x_1 x_2$": (beta[0] + beta[1] * g1 + beta[2] * g2 + beta[3] * g1 * g2),
        "two ReLU units": xor_relu_network(points).reshape(g1.shape),
    }
    fig = new_figure(figsize=(8.4, 3.0))
    axes = fig.subplots(1, 3, sharey=True)
    for ax, (title, surface) in zip(axes, surfaces.items(), strict=True):
        # A raster inside the SVG: a few kilobytes, where a mesh of 14,641 cells would be megabytes.
        image = ax.imshow(surface, origin="lower", extent=(-0.25, 1.25, -0.25, 1.25), cmap="cividis",
                          vmin=-0.5, vmax=1.5, interpolation="nearest")
        for (x1, x2), label in zip(XOR_X, XOR_Y, strict=True):
            ax.plot(x1, x2, marker="o" if label else "s", markersize=9, color=style.VERMILLION if label else style.SKY,
                    markeredgecolor=style.FOREGROUND, linestyle="none")
        ax.set(title=title, xlabel="$x_1$", aspect="equal")
        ax.grid(False)
    axes[0].set_ylabel("$x_2$")
    fig.colorbar(image, ax=axes, shrink=0.8, label="model output")
    return fig


# --- additive models and an interaction ---------------------------------------------------------

# --8<-- [start:additive]
def additive_design(X: Array("n 2"), degree: integer_in(1, 30)) -> np.ndarray:
    """[1, x_1, ..., x_1^degree, x_2, ..., x_2^degree]: a separate polynomial in each input, no
    products between inputs; the basis of an additive model y = f_1(x_1) + f_2(x_2)."""
    return np.column_stack([polynomial_design(X[:, 0], degree), polynomial_design(X[:, 1], degree)[:, 1:]])


def r_squared(y: Array("n"), fitted: Array("n")) -> float:
    """1 - RSS / TSS."""
    return float(1 - np.sum((y - fitted) ** 2) / np.sum((y - y.mean()) ** 2))


@cached
def interaction_fits(n: integer_in(20, 5000) = 400, degree: integer_in(1, 30) = 6, width: PositiveInt = 4,
                     steps: PositiveInt = 3000, seed: Seed = 0) -> dict[str, float]:
    """R^2 on y = x_1 x_2, x uniform on [-1, 1]^2: the least-squares additive model of the given
    degree in each input, and a network with one hidden layer of tanh units trained by gradient descent."""
    X = np.random.default_rng(seed).uniform(-1, 1, (n, 2))
    y = X[:, 0] * X[:, 1]
    A = additive_design(X, degree)
    additive = A @ np.linalg.lstsq(A, y, rcond=None)[0]
    net = init_network([2, width, 1], hidden="tanh", output="identity", seed=seed)
    net, _ = train_gradient_descent(net, X, y[:, None], learning_rate=0.5, steps=steps)
    return {"additive": r_squared(y, additive), "network": r_squared(y, predict(net, X)[:, 0]),
            "additive_columns": A.shape[1], "network_parameters": len(params(net))}
# --8<-- [end:additive]



enforce_annotations(globals())
