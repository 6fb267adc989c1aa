"""The first page: a GLM's linear predictor against a one-hidden-layer network, along lines in parameter space.

Notation as on the page: x in R^d is one input; a GLM has eta = x^T beta; the network is
f(x; theta) = v^T tanh(W x + b) + c with theta = (W, b, v, c), W of shape (M, d).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from snippets import style
from snippets._checks import as_finite_float, as_instance, as_positive_int, as_real_array
from snippets.figures import figure, new_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure


@dataclass(frozen=True)
class NetworkParams:
    """theta = (W, b, v, c) of f(x; theta) = v^T tanh(W x + b) + c; W is (M, d), b and v are (M,)."""

    W: np.ndarray
    b: np.ndarray
    v: np.ndarray
    c: float

    def __post_init__(self) -> None:
        W = as_real_array("W", self.W, ndim=2)
        b = as_real_array("b", self.b, ndim=1)
        v = as_real_array("v", self.v, ndim=1)
        c = float(as_real_array("c", self.c, ndim=0))
        if b.shape[0] != W.shape[0] or v.shape[0] != W.shape[0]:
            raise ValueError(f"b, v: expected length M = {W.shape[0]} (rows of W), got {b.shape[0]} and {v.shape[0]}")
        for name, value in (("W", W), ("b", b), ("v", v), ("c", c)):
            object.__setattr__(self, name, value)

    def __add__(self, other: NetworkParams) -> NetworkParams:
        if not isinstance(other, NetworkParams):
            return NotImplemented
        if other.W.shape != self.W.shape:
            raise ValueError(f"other: parameters of networks of different shapes cannot be added "
                             f"(W is {self.W.shape} and {other.W.shape})")
        return NetworkParams(self.W + other.W, self.b + other.b, self.v + other.v, self.c + other.c)

    def __mul__(self, t: float) -> NetworkParams:
        t = as_finite_float("t", t)
        return NetworkParams(t * self.W, t * self.b, t * self.v, t * self.c)

    __rmul__ = __mul__


# --8<-- [start:models]
def linear_predictor(x: np.ndarray, beta: np.ndarray) -> float:
    """eta = x^T beta: what a GLM feeds to its inverse link."""
    x, beta = as_real_array("x", x, ndim=1), as_real_array("beta", beta, ndim=1)
    if x.shape != beta.shape:
        raise ValueError(f"x, beta: expected the same length, got {x.shape[0]} and {beta.shape[0]}")
    return float(x @ beta)


def one_hidden_layer(x: np.ndarray, theta: NetworkParams) -> float:
    """f(x; theta) = v^T tanh(W x + b) + c: a GLM-shaped output on top of tanh features."""
    as_instance("theta", theta, NetworkParams)
    x = as_real_array("x", x, ndim=1)
    if x.shape[0] != theta.W.shape[1]:
        raise ValueError(f"x: expected length d = {theta.W.shape[1]} (columns of W), got {x.shape[0]}")
    return float(theta.v @ np.tanh(theta.W @ x + theta.b) + theta.c)
# --8<-- [end:models]


def random_params(rng: np.random.Generator, d: int, M: int) -> NetworkParams:
    """Standard normal W, b, v and c: a generic point in parameter space."""
    as_instance("rng", rng, np.random.Generator)
    d, M = as_positive_int("d", d), as_positive_int("M", M)
    return NetworkParams(rng.standard_normal((M, d)), rng.standard_normal(M), rng.standard_normal(M),
                         float(rng.standard_normal()))


def superposition_defect_glm(x: np.ndarray, beta1: np.ndarray, beta2: np.ndarray) -> float:
    """eta(beta1 + beta2) - eta(beta1) - eta(beta2) + eta(0): zero for a map that is linear in beta."""
    x, beta1, beta2 = (as_real_array(name, value, ndim=1) for name, value in (("x", x), ("beta1", beta1),
                                                                            ("beta2", beta2)))
    if not x.shape == beta1.shape == beta2.shape:
        raise ValueError(f"x, beta1, beta2: expected three vectors of the same length, "
                         f"got {x.shape[0]}, {beta1.shape[0]} and {beta2.shape[0]}")
    zero = np.zeros_like(x)
    return (linear_predictor(x, beta1 + beta2) - linear_predictor(x, beta1)
            - linear_predictor(x, beta2) + linear_predictor(x, zero))


def superposition_defect_network(x: np.ndarray, theta1: NetworkParams, theta2: NetworkParams) -> float:
    """f(theta1 + theta2) - f(theta1) - f(theta2) + f(0): non-zero once theta enters non-linearly."""
    _same_shape("theta1", theta1, "theta2", theta2)
    return (one_hidden_layer(x, theta1 + theta2) - one_hidden_layer(x, theta1)
            - one_hidden_layer(x, theta2) + one_hidden_layer(x, 0.0 * theta1))


def network_second_derivative_along_line(x: np.ndarray, theta: NetworkParams, direction: NetworkParams) -> float:
    """d^2/dt^2 f(x; theta + t * direction) at t = 0, by the chain rule.

    With u = W x + b and a = dW x + db (the rate at which u moves along the line):
    f'' = 2 dv^T (tanh'(u) * a) + v^T (tanh''(u) * a^2), where tanh' = 1 - tanh^2 and
    tanh'' = -2 tanh (1 - tanh^2). A GLM's eta has second derivative 0 along every line.
    """
    _same_shape("theta", theta, "direction", direction)
    x = as_real_array("x", x, ndim=1, length=theta.W.shape[1])
    u = theta.W @ x + theta.b
    a = direction.W @ x + direction.b
    h = np.tanh(u)
    return float(2 * direction.v @ ((1 - h**2) * a) + theta.v @ (-2 * h * (1 - h**2) * a**2))


def _same_shape(name1: str, theta1: object, name2: str, theta2: object) -> None:
    """Both are NetworkParams of networks of the same shape, or an error naming them."""
    as_instance(name1, theta1, NetworkParams), as_instance(name2, theta2, NetworkParams)
    if theta1.W.shape != theta2.W.shape:
        raise ValueError(f"{name1}, {name2}: expected parameters of the same network shape, "
                         f"got W of shape {theta1.W.shape} and {theta2.W.shape}")


def superposition_defects(seed: int = 434906) -> dict[str, float]:
    """The defects of the GLM and of a 2-input, 5-unit network at one random point, as on the first page."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(2)
    beta1, beta2 = rng.standard_normal(2), rng.standard_normal(2)
    theta1, theta2 = random_params(rng, 2, 5), random_params(rng, 2, 5)
    return {
        "glm": abs(superposition_defect_glm(x, beta1, beta2)),
        "network": abs(superposition_defect_network(x, theta1, theta2)),
    }


@figure(
    "parameter-lines",
    alt=(
        "Two panels sharing a horizontal axis t from -3 to 3. Left: the GLM linear predictor along five "
        "random straight lines in parameter space; every trace is a straight line. Right: the output of a "
        "one-hidden-layer tanh network along five random lines; every trace bends, rises and flattens."
    ),
    caption=(
        "Walk along a straight line $\\theta_0 + t\\,d$ in parameter space. A GLM's linear predictor "
        "$\\eta = x^\\top\\beta$ moves along a straight line too (left); the output of a network with one "
        "hidden tanh layer does not (right). Five random lines each, one fixed input $x$."
    ),
)
def draw_parameter_lines() -> Figure:
    rng = np.random.default_rng(7)
    d, M = 2, 5
    x = rng.standard_normal(d)
    t = np.linspace(-3, 3, 121)
    fig = new_figure(figsize=(7.2, 3.2))
    glm_ax, net_ax = fig.subplots(1, 2, sharex=True)
    for _ in range(5):
        beta0, direction = rng.standard_normal(d), rng.standard_normal(d)
        glm_ax.plot(t, [linear_predictor(x, beta0 + s * direction) for s in t])
        theta0, step = random_params(rng, d, M), random_params(rng, d, M)
        net_ax.plot(t, [one_hidden_layer(x, theta0 + s * step) for s in t])
    glm_ax.set(title="GLM: $\\eta = x^\\top(\\beta_0 + t\\,d)$", xlabel="position $t$ along the line",
               ylabel="model output")
    net_ax.set(title="network: $f(x;\\, \\theta_0 + t\\,d)$", xlabel="position $t$ along the line")
    net_ax.axhline(0, color=style.FOREGROUND, linewidth=0.8)
    glm_ax.axhline(0, color=style.FOREGROUND, linewidth=0.8)
    return fig
