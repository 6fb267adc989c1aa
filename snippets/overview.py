"""The first page: a GLM's linear predictor against a one-hidden-layer network, along lines in parameter space.

Notation as on the page: x in R^d is one input; a GLM has eta = x^T beta; the network is
f(x; theta) = v tanh(W x + b) + c with theta = (W, b, v, c), W of shape (M, d) and v of shape
(1, M): a snippets.network.Network with one hidden tanh layer, whose parameters add and scale.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import numpy as np

from snippets import style
from snippets._boundary import Array, PositiveInt, Seed, enforce_annotations
from snippets.figures import figure, new_figure
from snippets.network import Network, one_hidden_layer_network

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# theta: a network with one hidden layer of tanh units and one output (two of them in one call have
# the same sizes d and P).
TanhNetwork = one_hidden_layer_network("tanh")


def _like_theta1(theta2: Network, theta1: Network) -> str | None:
    return None if theta2.sizes == theta1.sizes else \
        f"expected parameters of the same network shape as theta1, got sizes {theta2.sizes} and {theta1.sizes}"


def _like_theta(direction: Network, theta: Network) -> str | None:
    return None if direction.sizes == theta.sizes else \
        f"expected a direction of the same network shape as theta, got sizes {direction.sizes} and {theta.sizes}"


# --8<-- [start:models]
def linear_predictor(x: Array("p"), beta: Array("p")) -> float:
    """eta = x^T beta: what a GLM feeds to its inverse link."""
    return float(x @ beta)


def one_hidden_layer(x: Array("d"), theta: TanhNetwork) -> float:
    """f(x; theta) = v tanh(W x + b) + c: a GLM-shaped output on top of tanh features."""
    (W, v), (b, c) = theta.weights, theta.biases  # v is 1 x M, c has length 1
    return float(v[0] @ np.tanh(W @ x + b) + c[0])
# --8<-- [end:models]


def random_params(rng: np.random.Generator, d: PositiveInt, M: PositiveInt) -> Network:
    """A network d -> M tanh units -> 1 with standard normal W, b, v and c: a generic point in
    parameter space."""
    W, b, v, c = rng.standard_normal((M, d)), rng.standard_normal(M), rng.standard_normal(M), rng.standard_normal()
    return Network((W, v[None, :]), (b, np.array([c])), hidden="tanh", output="identity")


def superposition_defect_glm(x: Array("p"), beta1: Array("p"), beta2: Array("p")) -> float:
    """eta(beta1 + beta2) - eta(beta1) - eta(beta2) + eta(0): zero for a map that is linear in beta."""
    zero = np.zeros_like(x)
    return (linear_predictor(x, beta1 + beta2) - linear_predictor(x, beta1)
            - linear_predictor(x, beta2) + linear_predictor(x, zero))


def superposition_defect_network(x: Array("d"), theta1: TanhNetwork, theta2: Annotated[TanhNetwork, _like_theta1]
                                 ) -> float:
    """f(theta1 + theta2) - f(theta1) - f(theta2) + f(0): non-zero once theta enters non-linearly."""
    return (one_hidden_layer(x, theta1 + theta2) - one_hidden_layer(x, theta1)
            - one_hidden_layer(x, theta2) + one_hidden_layer(x, 0.0 * theta1))


def network_second_derivative_along_line(x: Array("d"), theta: TanhNetwork,
                                         direction: Annotated[TanhNetwork, _like_theta]) -> float:
    """d^2/dt^2 f(x; theta + t * direction) at t = 0, by the chain rule.

    With u = W x + b and a = dW x + db (the rate at which u moves along the line):
    f'' = 2 dv^T (tanh'(u) * a) + v^T (tanh''(u) * a^2), where tanh' = 1 - tanh^2 and
    tanh'' = -2 tanh (1 - tanh^2). A GLM's eta has second derivative 0 along every line.
    """
    (W, v), (b, _) = theta.weights, theta.biases
    (dW, dv), (db, _) = direction.weights, direction.biases
    u, a = W @ x + b, dW @ x + db
    h = np.tanh(u)
    return float(2 * dv[0] @ ((1 - h**2) * a) + v[0] @ (-2 * h * (1 - h**2) * a**2))


def superposition_defects(seed: Seed = 434906) -> dict[str, float]:
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
        "Walk along a straight line $\\theta_0 + t\\,u$ in parameter space. A GLM's linear predictor "
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
    glm_ax.set(title="GLM: $\\eta = x^\\top(\\beta_0 + t\\,u)$", xlabel="position $t$ along the line",
               ylabel="model output")
    net_ax.set(title="network: $f(x;\\, \\theta_0 + t\\,u)$", xlabel="position $t$ along the line")
    net_ax.axhline(0, color=style.FOREGROUND, linewidth=0.8)
    glm_ax.axhline(0, color=style.FOREGROUND, linewidth=0.8)
    return fig


enforce_annotations(globals())
