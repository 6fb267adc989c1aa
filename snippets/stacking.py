"""Stacking: where linearity in the parameters is lost, and what follows from it.

Notation as on the page: a one-hidden-layer network f(x; theta) = v^T phi(W x + b) + c with
theta = (W, b, v, c), W of shape (M, d); deep linear networks W_L ... W_1 x; the GLMM linear
predictor eta = X beta + Z gamma (gamma the random effects).
"""

from __future__ import annotations

import itertools
from itertools import pairwise
from typing import TYPE_CHECKING, Annotated

import numpy as np

from snippets import style
from snippets._boundary import (
    Array,
    NonNegative,
    Positive,
    PositiveInt,
    Real,
    Seed,
    Step,
    enforce_annotations,
    integer_in,
)
from snippets._cache import cached
from snippets.figures import figure, new_figure
from snippets.glm import fisher_information, fit_glm_irls, resolve_family_and_link
from snippets.network import (
    Activation,
    Network,
    init_network,
    jacobian_wrt_params,
    layer_sizes,
    one_hidden_layer_network,
    params,
    predict,
    sigmoid,
    train_gradient_descent,
    with_flat_params,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _identity_activations(net: Network) -> str | None:
    if net.hidden != "identity" or net.output != "identity":
        return f"expected identity activations, got hidden={net.hidden}, output={net.output}"
    return None


LinearNetwork = Annotated[Network, _identity_activations]  # a deep linear network
TanhNetwork = one_hidden_layer_network("tanh")


# --8<-- [start:two-layer]
def two_layer(W: Array("M d"), b: Array("M"), v: Array("M"), c: Real, hidden: Activation = "tanh") -> Network:
    """f(x; theta) = v^T phi(W x + b) + c as a Network: a GLM-shaped output on learned features."""
    return Network((W, v[None, :]), (b, np.array([c])), hidden, "identity")


def output_weight_derivative(W: Array("M d"), b: Array("M"), x: Array("d"), hidden: Activation = "tanh"
                             ) -> np.ndarray:
    """d f / d v_j = phi(w_j^T x + b_j): the 'covariates' of the output layer depend on W and b."""
    net = two_layer(W, b, np.zeros(W.shape[0]), 0.0, hidden)
    return jacobian_wrt_params(net, x[None, :])[0, W.size + W.shape[0]:W.size + 2 * W.shape[0]]
# --8<-- [end:two-layer]


def random_two_layer(rng: np.random.Generator, d: PositiveInt, M: PositiveInt, hidden: Activation = "tanh") -> Network:
    """f(x) = v^T phi(W x + b) + c with every parameter drawn from N(0, 1) by rng."""
    return two_layer(rng.standard_normal((M, d)), rng.standard_normal(M), rng.standard_normal(M),
                     float(rng.standard_normal()), hidden)


def layerwise_superposition_defects(seed: Seed = 0, d: PositiveInt = 2, M: PositiveInt = 5, n: PositiveInt = 50
                                    ) -> dict[str, float]:
    """f(theta1 + theta2) - f(theta1) - f(theta2) + f(0), max over n inputs: over all parameters,
    and over the output layer (v, c) alone with (W, b) held fixed."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    net1, net2 = random_two_layer(rng, d, M), random_two_layer(rng, d, M)
    t1, t2 = params(net1), params(net2)

    def f(theta: np.ndarray) -> np.ndarray:
        return predict(with_flat_params(net1, theta), X)[:, 0]

    everything = f(t1 + t2) - f(t1) - f(t2) + f(0 * t1)
    inner = slice(0, M * d + M)  # W and b come first in theta
    s1, s2, zero = t1.copy(), t2.copy(), 0 * t1
    s2[inner] = s1[inner]
    zero[inner] = s1[inner]
    sum_outer = s1.copy()
    sum_outer[M * d + M:] += s2[M * d + M:]
    output_layer = f(sum_outer) - f(s1) - f(s2) + f(zero)
    return {"all": float(np.max(np.abs(everything))), "output_layer": float(np.max(np.abs(output_layer)))}


def jacobian_change(hidden: Activation, seed: Seed = 0, d: PositiveInt = 2, M: PositiveInt = 5, n: PositiveInt = 50
                    ) -> float:
    """||J(theta_1) - J(theta_2)||_F / ||J(theta_1)||_F for two random parameter vectors."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    J1 = jacobian_wrt_params(random_two_layer(rng, d, M, hidden), X)
    J2 = jacobian_wrt_params(random_two_layer(rng, d, M, hidden), X)
    return float(np.linalg.norm(J1 - J2) / np.linalg.norm(J1))


def glmm_jacobian_change(seed: Seed = 0, n: PositiveInt = 50, h: Step = 1e-6) -> float:
    """The same for the GLMM predictor eta = X beta + Z gamma, by central differences: zero up to rounding."""
    rng = np.random.default_rng(seed)
    X, Z = rng.standard_normal((n, 3)), np.eye(5)[rng.integers(0, 5, n)]  # fixed effects, group indicators

    def eta(beta_gamma: np.ndarray) -> np.ndarray:
        return X @ beta_gamma[:3] + Z @ beta_gamma[3:]

    def jacobian(beta_gamma: np.ndarray) -> np.ndarray:
        return np.column_stack([(eta(beta_gamma + h * e) - eta(beta_gamma - h * e)) / (2 * h) for e in np.eye(8)])

    J1, J2 = jacobian(rng.standard_normal(8)), jacobian(10 * rng.standard_normal(8))
    return float(np.linalg.norm(J1 - J2) / np.linalg.norm(J1))


def mixed_partial(seed: Seed = 0, j: integer_in(0, 4) = 1, k: integer_in(0, 1) = 0, h: Step = 1e-4
                  ) -> dict[str, float]:
    """d^2 f / dv_j dW_jk at one input (5 units, 2 inputs), by central differences and by the formula
    phi'(w_j^T x + b_j) x_k."""
    rng = np.random.default_rng(seed)
    W, b, v, c = rng.standard_normal((5, 2)), rng.standard_normal(5), rng.standard_normal(5), 0.3
    x = rng.standard_normal(2)

    def f(W_: np.ndarray, v_: np.ndarray) -> float:
        return float(predict(two_layer(W_, b, v_, c), x[None, :])[0, 0])

    E_W, e_v = np.zeros_like(W), np.zeros_like(v)
    E_W[j, k], e_v[j] = h, h
    fd = (f(W + E_W, v + e_v) - f(W + E_W, v - e_v) - f(W - E_W, v + e_v) + f(W - E_W, v - e_v)) / (4 * h * h)
    formula = (1 - np.tanh(W[j] @ x + b[j]) ** 2) * x[k]
    return {"finite_difference": float(fd), "formula": float(formula)}


# --- deep linear networks ---------------------------------------------------------------------

# --8<-- [start:deep-linear]
def scalar_deep_linear_loss(w: Array("*s"), v: Array("*s")) -> np.ndarray:
    """ell(w, v) = (1 - v w)^2: fit y = 1 at x = 1 with the two-layer linear 'network' x -> v w x."""
    return (1 - v * w) ** 2


def collapse_linear_network(net: LinearNetwork) -> tuple[np.ndarray, np.ndarray]:
    """(A, c) with f(x) = A x + c for a network whose activations are all the identity."""
    A, c = np.eye(net.sizes[0]), np.zeros(net.sizes[0])
    for W, b in zip(net.weights, net.biases, strict=True):
        A, c = W @ A, W @ c + b
    return net.output_scale * A, net.output_scale * c
# --8<-- [end:deep-linear]


def saddle_at_origin(h: Step = 1e-4) -> dict[str, object]:
    """Gradient and Hessian of (1 - v w)^2 at (0, 0) by central differences, and the midpoint loss."""
    def ell(point: np.ndarray) -> float:
        return float(scalar_deep_linear_loss(point[0], point[1]))

    origin, eye = np.zeros(2), np.eye(2)
    gradient = np.array([(ell(origin + h * e) - ell(origin - h * e)) / (2 * h) for e in eye])
    hessian = np.array([[(ell(h * (ei + ej)) - ell(h * (ei - ej)) - ell(-h * (ei - ej)) + ell(-h * (ei + ej)))
                          / (4 * h * h) for ej in eye] for ei in eye])
    return {"gradient": gradient, "eigenvalues": np.linalg.eigvalsh(hessian),
            "loss_at_minima": (ell(np.array([1.0, 1.0])), ell(np.array([-1.0, -1.0]))), "loss_at_midpoint": ell(origin)}


def rotated_gaussian(n: integer_in(2) = 500, variances: tuple[Positive, ...] = (5.0, 3.0, 1.0, 0.5), seed: Seed = 0
                     ) -> tuple[np.ndarray, np.ndarray]:
    """(X centred, U): n draws with the given variances along the orthonormal columns of a random U."""
    variances = np.array(variances)
    rng = np.random.default_rng(seed)
    U, _ = np.linalg.qr(rng.standard_normal((len(variances), len(variances))))
    X = rng.standard_normal((n, len(variances))) * np.sqrt(variances) @ U.T
    return X - X.mean(axis=0), U


@cached
def linear_autoencoder(M: PositiveInt = 2, steps: PositiveInt = 3000, learning_rate: Positive = 0.02
                       ) -> dict[str, float]:
    """Train x -> B A x (identity activations, M < d units) by gradient descent on the squared error.

    Returns max |B A - Q Q^T|, where the orthonormal columns of Q span the top-M principal subspace.
    """
    X, _ = rotated_gaussian()
    d = X.shape[1]
    net = init_network([d, M, d], hidden="identity", output="identity", seed=3, scale=0.1)
    trained, _ = train_gradient_descent(net, X, X, learning_rate=learning_rate, steps=steps)
    A, _ = collapse_linear_network(trained)
    eigenvalues, eigenvectors = np.linalg.eigh(X.T @ X / len(X))
    Q = eigenvectors[:, np.argsort(eigenvalues)[::-1][:M]]
    return {"projector_error": float(np.max(np.abs(A - Q @ Q.T)))}


# --- weight-space symmetries ------------------------------------------------------------------

TEACHER_X = np.linspace(-2, 2, 100)[:, None]


def teacher(seed: Seed = 4, M: PositiveInt = 4) -> Network:
    """A one-hidden-layer tanh network with M units and 1-D input; its own outputs are the targets."""
    rng = np.random.default_rng(seed)
    return two_layer(rng.normal(0, 1.5, (M, 1)), rng.normal(0, 1.0, M), rng.normal(0, 2.0, M), 0.5)


SYMMETRY_MAX_UNITS = 6  # 6! 2^6 = 46,080 copies; each unit more multiplies the count by 2M


def _few_enough_units(net: Network) -> str | None:
    M = net.sizes[1]
    if M > SYMMETRY_MAX_UNITS:
        return f"hidden units M: expected an integer <= {SYMMETRY_MAX_UNITS} (the cost grows exponentially), got {M}"
    return None


# A one-hidden-layer tanh network small enough to list its M! 2^M copies.
SmallTanhNetwork = Annotated[one_hidden_layer_network("tanh"), _few_enough_units]


# --8<-- [start:symmetries]
def symmetry_copies(net: SmallTanhNetwork) -> list[Network]:
    """All M! 2^M networks obtained by permuting the hidden units and flipping the signs of
    (w_j, b_j, v_j) for a tanh layer (tanh is odd): every one computes the same function."""
    (W, v), (b, c) = net.weights, net.biases
    M = W.shape[0]
    copies = []
    for order in itertools.permutations(range(M)):
        for signs in itertools.product((1.0, -1.0), repeat=M):
            s = np.array(signs)
            copies.append(two_layer(s[:, None] * W[list(order)], s * b[list(order)], s * v[0, list(order)], c[0]))
    return copies
# --8<-- [end:symmetries]


def mean_squared_loss(net: Network, target: Network, X: Array("n d") = TEACHER_X) -> float:
    """(1/2n) sum_i (f(x_i; net) - f(x_i; target))^2 over the rows of X."""
    return float(np.mean((predict(net, X) - predict(target, X)) ** 2) / 2)


def _architecture_of_a(b: Network, a: Network) -> str | None:
    if (a.sizes, a.hidden, a.output) != (b.sizes, b.hidden, b.output):
        return f"expected a network of the same architecture as a, got sizes {b.sizes} and {a.sizes}"
    return None


def midpoint(a: Network, b: Annotated[Network, _architecture_of_a]) -> Network:
    """The network whose parameters are (theta_a + theta_b) / 2."""
    return with_flat_params(a, (params(a) + params(b)) / 2)


@cached
def symmetry_summary() -> dict[str, float]:
    """How many copies, how far their outputs stray, and the loss at two midpoints."""
    star = teacher()
    copies = symmetry_copies(star)
    distinct = len({params(c).round(12).tobytes() for c in copies})
    deviation = max(float(np.max(np.abs(predict(c, TEACHER_X) - predict(star, TEACHER_X)))) for c in copies)
    permuted = copies[2 ** 4]  # the first copy with a different order of units and no sign flips
    flipped = copies[1]  # same order, the last unit's sign flipped
    return {
        "irreducible": is_irreducible(star),
        "copies": len(copies),
        "distinct": distinct,
        "max_output_deviation": deviation,
        "midpoint_loss_permuted": mean_squared_loss(midpoint(star, permuted), star),
        "midpoint_loss_flipped": mean_squared_loss(midpoint(star, flipped), star),
        "distance": float(np.linalg.norm(params(star) - params(permuted))),
    }


def is_irreducible(net: TanhNetwork, tol: NonNegative = 1e-8) -> bool:
    """Sussmann's condition for a one-hidden-layer tanh network: no unit with v_j = 0 or
    (w_j, b_j) = 0, and no two units with (w_j, b_j) = +-(w_k, b_k). Only then is the number of
    parameter vectors computing its function exactly M! 2^M."""
    (W, v), (b, _) = net.weights, net.biases
    inner = np.column_stack([W, b])
    if np.any(np.abs(v[0]) <= tol) or np.any(np.linalg.norm(inner, axis=1) <= tol):
        return False
    for j, k in itertools.combinations(range(inner.shape[0]), 2):
        if min(np.linalg.norm(inner[j] - inner[k]), np.linalg.norm(inner[j] + inner[k])) <= tol:
            return False
    return True


def zero_output_weight_freedom(seed: Seed = 0) -> float:
    """Set the first unit's output weight of the teacher to 0, then move that unit's (w_1, b_1) to
    random values: the largest change of the output, which is 0 since the unit no longer counts.
    Such a reducible network has a continuum of parameter vectors for its function."""
    (W, v), (b, c) = teacher().weights, teacher().biases
    v = v[0].copy()
    v[0] = 0.0
    base = two_layer(W, b, v, c[0])
    rng = np.random.default_rng(seed)
    moved = [two_layer(np.vstack([rng.normal(size=(1, 1)), W[1:]]), np.concatenate([rng.normal(size=1), b[1:]]),
                       v, c[0])
             for _ in range(5)]
    return max(float(np.max(np.abs(predict(m, TEACHER_X) - predict(base, TEACHER_X)))) for m in moved)


# --- a singular Fisher information ------------------------------------------------------------

def relu_rescaling_tangent(net: one_hidden_layer_network("relu")) -> np.ndarray:
    """For unit j, d/dalpha of (alpha w_j, alpha b_j, v_j / alpha) at alpha = 1: (w_j, b_j, -v_j).

    One such tangent per hidden unit; f does not change along any of them.
    """
    (W, v), (b, _) = net.weights, net.biases
    M, d = W.shape
    tangents = []
    for j in range(M):
        t_W, t_b, t_v = np.zeros_like(W), np.zeros(M), np.zeros(M)
        t_W[j], t_b[j], t_v[j] = W[j], b[j], -v[0, j]
        tangents.append(np.concatenate([t_W.ravel(), t_b, t_v, [0.0]]))
    return np.array(tangents)


@cached
def fisher_spectrum(seed: Seed = 5, d: PositiveInt = 2, M: PositiveInt = 6, n: PositiveInt = 300) -> dict[str, float]:
    """Singular values of J = df/dtheta (relative to the largest) for ReLU and tanh, and the GLM's."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    relu = random_two_layer(rng, d, M, "relu")
    tanh = random_two_layer(rng, d, M, "tanh")
    s_relu = np.linalg.svd(jacobian_wrt_params(relu, X), compute_uv=False)
    s_tanh = np.linalg.svd(jacobian_wrt_params(tanh, X), compute_uv=False)
    tangent_image = jacobian_wrt_params(relu, X) @ relu_rescaling_tangent(relu).T
    X1 = np.column_stack([np.ones(n), X])
    glm_info = fisher_information(X1, np.array([0.2, -0.5, 0.8]), *resolve_family_and_link("bernoulli", None))
    return {
        "relu_null_directions": int(np.sum(s_relu / s_relu[0] < 1e-10)),
        "hidden_units": M,
        "parameters": relu.n_params,
        "tangent_image": float(np.max(np.abs(tangent_image))),
        "tanh_smallest": float(s_tanh[-1] / s_tanh[0]),
        "glm_smallest_eigenvalue": float(np.linalg.eigvalsh(glm_info).min()),
    }


# --- single index against a sum of ridge functions --------------------------------------------

def _two_nonzero_directions(gradients: np.ndarray) -> str | None:
    if min(gradients.shape) < 2:
        return f"expected at least two rows and two columns, got shape {gradients.shape}"
    if not np.any(gradients):
        return "all zero, so they point in no direction"
    return None


def gradient_rank_ratio(gradients: Array("m d", _two_nonzero_directions)) -> float:
    """sigma_2 / sigma_1 of the m stacked input-gradients: 0 when they all point one way."""
    s = np.linalg.svd(gradients, compute_uv=False)
    return float(s[1] / s[0])


def ridge_sum_net(X: Array("n 2")) -> np.ndarray:
    """sigmoid(tanh(x1 + x2) - tanh(x1 - x2)): two ridge functions in two directions."""
    return sigmoid(np.tanh(X[:, 0] + X[:, 1]) - np.tanh(X[:, 0] - X[:, 1]))


@cached
def single_index_summary(seed: Seed = 6) -> dict[str, float]:
    rng = np.random.default_rng(seed)
    Xd = rng.standard_normal((200, 2))
    y = (rng.random(200) < sigmoid(0.5 + Xd @ np.array([1.5, -1.0]))).astype(float)
    beta = fit_glm_irls(np.column_stack([np.ones(200), Xd]), y, "bernoulli").beta

    def mu(X: np.ndarray) -> np.ndarray:
        return sigmoid(beta[0] + X @ beta[1:])

    points = rng.standard_normal((30, 2))
    # Input gradients by the chain rule. GLM: mu (1 - mu) beta_{1:}, always along the same vector.
    glm_gradients = (mu(points) * (1 - mu(points)))[:, None] * beta[1:]
    # Network: s (1 - s) (tanh'(x1 + x2) (1, 1) - tanh'(x1 - x2) (1, -1)), with s its output.
    out = ridge_sum_net(points)
    plus = 1 - np.tanh(points[:, 0] + points[:, 1]) ** 2
    minus = 1 - np.tanh(points[:, 0] - points[:, 1]) ** 2
    net_gradients = (out * (1 - out))[:, None] * np.column_stack([plus - minus, plus + minus])

    u = np.array([-beta[2], beta[1]]) / np.linalg.norm(beta[1:])  # orthogonal to the slope vector
    return {
        "glm_ratio": gradient_rank_ratio(glm_gradients),
        "glm_invariance": float(np.max(np.abs(mu(points + 3 * u) - mu(points)))),
        "net_ratio": gradient_rank_ratio(net_gradients),
        "beta_1": float(beta[1]), "beta_2": float(beta[2]), "beta_0": float(beta[0]),
    }


# --- ReLU networks: degree 1 in x, degree L in the weights ------------------------------------

def bias_free_relu(seed: Seed = 7, sizes: tuple[PositiveInt, ...] = (3, 16, 16, 1)) -> Network:
    """A ReLU network of these layer sizes with no biases, weights N(0, 1/fan_in)."""
    sizes = layer_sizes(sizes)
    rng = np.random.default_rng(seed)
    weights = tuple(rng.standard_normal((m, n)) / np.sqrt(n) for n, m in pairwise(sizes))
    return Network(weights, tuple(np.zeros(m) for m in sizes[1:]), "relu", "identity")


def homogeneity_ratios(alpha: Positive = 2.0, seed: Seed = 7) -> dict[str, float]:
    """f(x; alpha W) / f(x; W) (= alpha^L) and f(alpha x; W) / f(x; W) (= alpha) for a bias-free ReLU net."""
    net = bias_free_relu(seed)
    X = np.random.default_rng(seed).standard_normal((20, 3))
    scaled = net.with_params([alpha * W for W in net.weights], net.biases)
    f = predict(net, X)[:, 0]
    keep = np.abs(f) > 1e-8
    return {
        "parameter_scaling": float(np.median(predict(scaled, X)[keep, 0] / f[keep])),
        "parameter_scaling_spread": float(np.ptp(predict(scaled, X)[keep, 0] / f[keep])),
        "input_scaling": float(np.median(predict(net, alpha * X)[keep, 0] / f[keep])),
        "depth": len(net.weights),
    }


# --- figures ----------------------------------------------------------------------------------


@figure(
    "symmetric-minima-segment",
    alt=("Training loss of a four-unit tanh network along the straight segment between two parameter vectors "
         "that compute exactly the same function: the teacher and a copy with its hidden units reordered, and "
         "the teacher and a copy with one unit's signs flipped. Both curves start and end at zero loss. The "
         "sign-flip curve rises high, to a loss of {midpoint_loss_flipped:.2f} at the midpoint; the reordering "
         "curve stays much lower, {midpoint_loss_permuted:.3f} at the midpoint, but still well above zero, so "
         "neither pair of minima is joined by a valley."),
    alt_values=symmetry_summary,
    caption=("Two global minima of the same loss, joined by a straight line. Reordering the hidden units "
             "(solid) or flipping the signs of one unit (dashed) leaves the function unchanged, so the loss is "
             "zero at both ends; in between it climbs. A convex loss could not do this."),
)
def draw_symmetric_minima_segment() -> Figure:
    star = teacher()
    copies = symmetry_copies(star)
    t = np.linspace(0, 1, 81)
    fig = new_figure(figsize=(5.6, 3.4))
    ax = fig.subplots()
    for other, label, line in ((copies[2 ** 4], "units reordered", "-"), (copies[1], "one unit's signs flipped", "--")):
        a, b = params(star), params(other)
        losses = [mean_squared_loss(with_flat_params(star, (1 - s) * a + s * b), star) for s in t]
        ax.plot(t, losses, linestyle=line, label=label)
    ax.set(xlabel="position $t$ on the segment $(1 - t)\\,\\theta^* + t\\,\\theta\u2032$", ylabel="mean squared loss")
    ax.legend(loc="upper right")
    return fig


@figure(
    "deep-linear-saddle",
    alt=("Contour plot of the loss (1 - v w) squared over the two weights w and v from -2 to 2. The "
         "zero-loss set is the pair of hyperbola branches v w = 1, drawn in one colour, in the first and third "
         "quadrants. The origin, marked, is a saddle point: the loss rises along the line v = -w and falls "
         "along v = w. The straight line between the two minima (1, 1) and (-1, -1) passes through the "
         "origin, where the loss is 1."),
    caption=("The loss $(1 - vw)^2$ of the simplest deep linear network, $x \\mapsto v\\,w\\,x$ fitted to "
             "$y = 1$ at $x = 1$. The minima form the hyperbola $vw = 1$ (not a convex set); the origin is a "
             "saddle, and the midpoint of the minima $(1, 1)$ and $(-1, -1)$ has loss 1."),
)
def draw_deep_linear_saddle() -> Figure:
    grid = np.linspace(-2, 2, 201)
    w, v = np.meshgrid(grid, grid)
    fig = new_figure(figsize=(4.6, 4.2))
    ax = fig.subplots()
    contours = ax.contour(w, v, scalar_deep_linear_loss(w, v), levels=[0.25, 1, 2, 4, 8, 16], cmap="viridis")
    ax.clabel(contours, fontsize=9, fmt="%g")
    branch = np.linspace(0.5, 2, 100)
    ax.plot(branch, 1 / branch, color=style.VERMILLION, label="minima $vw = 1$")
    ax.plot(-branch, -1 / branch, color=style.VERMILLION)
    ax.plot([-1, 1], [-1, 1], linestyle=":", color=style.FOREGROUND, linewidth=1)
    ax.plot([0], [0], marker="o", color=style.FOREGROUND, linestyle="none", label="saddle at the origin")
    ax.set(xlabel="first-layer weight $w$", ylabel="second-layer weight $v$", aspect="equal")
    ax.grid(False)
    ax.legend(loc="lower right", fontsize=9)
    return fig


@figure(
    "jacobian-moves",
    alt=("Two panels over inputs x from -3 to 3. Left, for a GLM with linear predictor beta0 + beta1 x, the "
         "derivatives of the output with respect to the two parameters are the constant 1 and the straight line x, "
         "drawn once because they are the same for every beta. Right, for a three-unit tanh network, the derivative "
         "of the output with respect to each output weight v_j is the S-shaped curve tanh(w_j x + b_j), drawn for "
         "two different settings of the hidden weights: solid and dashed curves differ, so the network's "
         "Jacobian changes with its parameters."),
    caption=("The Jacobian with respect to the parameters, as functions of the input. A GLM's is the design row "
             "$(1, x)$ whatever $\\beta$ is (left). A network's output-layer columns "
             "$\\partial f/\\partial v_j = \\tanh(w_j x + b_j)$ move when the hidden weights move (right: two "
             "settings, solid and dashed)."),
)
def draw_jacobian_moves() -> Figure:
    x = np.linspace(-3, 3, 121)
    rng = np.random.default_rng(8)
    fig = new_figure(figsize=(7.2, 3.2))
    glm_ax, net_ax = fig.subplots(1, 2)
    glm_ax.plot(x, np.ones_like(x), label="$\\partial\\eta/\\partial\\beta_0 = 1$")
    glm_ax.plot(x, x, label="$\\partial\\eta/\\partial\\beta_1 = x$")
    glm_ax.set(title="GLM: the same for every $\\beta$", xlabel="input $x$", ylabel="derivative of the output")
    glm_ax.legend(loc="upper left", fontsize=9)
    settings = [(rng.normal(0, 1.5, (3, 1)), rng.normal(0, 1, 3)) for _ in range(2)]
    for (W, b), line in zip(settings, ("-", "--"), strict=True):
        columns = np.array([output_weight_derivative(W, b, np.array([s])) for s in x])
        for j in range(3):
            net_ax.plot(x, columns[:, j], linestyle=line, color=style.CYCLE[j])
    net_ax.set(title="network: moves with $W$ and $b$", xlabel="input $x$")
    return fig


@figure(
    "single-index-vs-ridge",
    alt=("Two contour plots over the square from -2 to 2 in both inputs. Left, a fitted logistic regression: its "
         "level sets are parallel straight lines, all perpendicular to one direction, closest together at the "
         "level 0.5 and further apart towards 0.1 and 0.9. Right, a network "
         "output built from two tanh units in the directions x1 + x2 and x1 - x2: its level sets are curved and "
         "change direction across the square."),
    caption=("Level sets of the mean. A GLM depends on $x$ through one index $x^\\top\\beta$, so its level sets "
             "are parallel hyperplanes (left). A network with two hidden units is a sum of two ridge functions in "
             "two learned directions, and its level sets bend (right)."),
)
def draw_single_index_vs_ridge() -> Figure:
    summary = single_index_summary()
    grid = np.linspace(-2, 2, 161)
    g1, g2 = np.meshgrid(grid, grid)
    points = np.column_stack([g1.ravel(), g2.ravel()])
    glm_mean = sigmoid(summary["beta_0"] + summary["beta_1"] * g1 + summary["beta_2"] * g2)
    fig = new_figure(figsize=(7.2, 3.4))
    axes = fig.subplots(1, 2, sharey=True)
    for ax, surface, title in ((axes[0], glm_mean, "GLM: one index"),
                               (axes[1], ridge_sum_net(points).reshape(g1.shape), "network: two ridge functions")):
        contours = ax.contour(g1, g2, surface, levels=np.linspace(0.1, 0.9, 9), cmap="viridis")
        ax.clabel(contours, fontsize=9, fmt="%.1f")
        ax.set(title=title, xlabel="$x_1$", aspect="equal")
        ax.grid(False)
    axes[0].set_ylabel("$x_2$")
    return fig


enforce_annotations(globals())
