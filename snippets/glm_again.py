"""When a network is a GLM again: frozen random features, the last layer, and the lazy regime.

Notation as on the page: Phi = [1, phi(X W^T + b)] is the design made of hidden features, beta the
output-layer coefficients, lambda a ridge penalty; in the lazy regime
f(x; theta) = M^{-1/2} sum_j v_j tanh(w_j x + b_j) and f_lin its first-order Taylor expansion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from snippets import style
from snippets._boundary import Array, Labels, NonNegative, Positive, PositiveInt, Seed, at_least, enforce_annotations
from snippets._cache import cached
from snippets.figures import figure, new_figure
from snippets.glm import ConvergenceError
from snippets.network import (
    Network,
    forward,
    init_network,
    jacobian_wrt_params,
    linearize,
    loss_value,
    params,
    predict,
    sigmoid,
    train_gradient_descent,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def two_moons(n: PositiveInt = 200, noise: NonNegative = 0.25, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """(X, y): two interleaved half circles with Gaussian noise, n / 2 points each, labels 0 and 1."""
    rng = np.random.default_rng(seed)
    angle = rng.uniform(0, np.pi, n)
    y = (np.arange(n) % 2).astype(float)
    X = np.where(y[:, None] == 0, np.column_stack([np.cos(angle), np.sin(angle)]),
                 np.column_stack([1 - np.cos(angle), 0.5 - np.sin(angle)]))
    return X + noise * rng.standard_normal((n, 2)), y


# A ridge penalty that still counts against the information in double precision: with a smaller one,
# on separated data, the weights grow to about log(1/lam) and the Hessian is singular to rounding.
Penalty = at_least(1e-12, "a smaller penalty is lost to rounding on separated data")


# --8<-- [start:penalised-logistic]
def penalised_logistic_objective(Phi: Array("n k"), y: Labels("n"), beta: Array("k"), lam: NonNegative) -> float:
    """Mean Bernoulli negative log-likelihood of eta = Phi beta, plus (lam / 2) ||beta||^2."""
    eta = Phi @ beta
    return float(np.mean(np.logaddexp(0, eta) - y * eta) + lam / 2 * beta @ beta)


def fit_penalised_logistic_newton(Phi: Array("n k"), y: Labels("n"), lam: Penalty, *,
                                  max_iter: PositiveInt = 100) -> np.ndarray:
    """The unique minimiser of the objective above (lam > 0 makes it strictly convex), by Newton."""
    n, k = Phi.shape
    beta = np.zeros(k)
    for _ in range(max_iter):
        mu = sigmoid(Phi @ beta)
        gradient = Phi.T @ (mu - y) / n + lam * beta
        hessian = Phi.T @ ((mu * (1 - mu))[:, None] * Phi) / n + lam * np.eye(k)
        step = np.linalg.solve(hessian, gradient)
        beta = beta - step
        if np.max(np.abs(step)) < 1e-13:
            return beta
    raise ConvergenceError(f"max_iter: Newton did not converge in {max_iter} iterations")
# --8<-- [end:penalised-logistic]


def random_feature_design(X: Array("n d"), M: PositiveInt = 30, seed: Seed = 1) -> np.ndarray:
    """Phi = [1, tanh(X W^T + b)] (n x (M + 1)) with W, b drawn once from N(0, 1) and then frozen."""
    rng = np.random.default_rng(seed)
    W, b = rng.standard_normal((M, X.shape[1])), rng.standard_normal(M)
    return np.column_stack([np.ones(len(X)), np.tanh(X @ W.T + b)])


def random_fourier_features(X: Array("n d"), M: PositiveInt, seed: Seed = 0) -> np.ndarray:
    """Phi(x) = sqrt(2/M) cos(W x + b), rows w_j of W standard normal, b_j uniform on [0, 2 pi]; (n, M).

    E[Phi(x)^T Phi(x')] = exp(-||x - x'||^2 / 2), the Gaussian kernel, whose Fourier transform is the
    standard normal density (Rahimi and Recht)."""
    rng = np.random.default_rng(seed)
    W, b = rng.standard_normal((M, X.shape[1])), rng.uniform(0, 2 * np.pi, M)
    return np.sqrt(2 / M) * np.cos(X @ W.T + b)


@cached
def random_fourier_kernel_errors(widths: tuple[PositiveInt, ...] = (100, 1000, 10000), n: PositiveInt = 50
                                 ) -> dict[int, float]:
    """{"M": largest entry of |Phi Phi^T - K|} on n points of two_moons, K the Gaussian kernel matrix."""
    X = two_moons(n)[0]
    K = np.exp(-np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1) / 2)
    return {str(M): float(np.max(np.abs((Phi := random_fourier_features(X, M)) @ Phi.T - K))) for M in widths}


@cached
def random_features_summary(lam: Positive = 0.05, steps: PositiveInt = 3000) -> dict[str, float]:
    """Newton against gradient descent from two random starts, on a GLM with frozen random features."""
    X, y = two_moons()
    Phi = random_feature_design(X)
    newton = fit_penalised_logistic_newton(Phi, y, lam)
    lipschitz = np.linalg.eigvalsh(Phi.T @ Phi / len(y)).max() / 4 + lam
    rng = np.random.default_rng(2)
    distances = []
    for _ in range(2):
        beta = rng.normal(0, 3, Phi.shape[1])
        for _ in range(steps):
            mu = sigmoid(Phi @ beta)
            beta = beta - (Phi.T @ (mu - y) / len(y) + lam * beta) / lipschitz
        distances.append(float(np.max(np.abs(beta - newton))))
    worst_excess = -np.inf
    for _ in range(50):
        b1, b2 = rng.normal(0, 3, (2, Phi.shape[1]))
        ends = (penalised_logistic_objective(Phi, y, b1, lam) + penalised_logistic_objective(Phi, y, b2, lam)) / 2
        worst_excess = max(worst_excess, penalised_logistic_objective(Phi, y, (b1 + b2) / 2, lam) - ends)
    return {"gd_distance_1": distances[0], "gd_distance_2": distances[1], "worst_midpoint_excess": float(worst_excess),
            "accuracy": float(np.mean((Phi @ newton > 0) == (y == 1)))}


def hidden_features(net: Network, X: Array("n d")) -> np.ndarray:
    """[1, h_L(x)]: the last hidden layer's activations with an intercept column."""
    _, _, activations = forward(net, X)
    return np.column_stack([np.ones(len(activations[-1])), activations[-1]])


@cached
def trained_and_refit(steps: PositiveInt = 3000, ridge: Positive = 1e-6) -> tuple[Network, np.ndarray]:
    """An 8-unit tanh network with a sigmoid output trained on two_moons(), and the coefficients of
    its last layer refitted as a ridge-penalised logistic regression on its hidden features."""
    X, y = two_moons()
    net = init_network([2, 8, 1], "tanh", "sigmoid", seed=3, scale=1.0)
    trained, _ = train_gradient_descent(net, X, y, learning_rate=0.5, steps=steps)
    return trained, fit_penalised_logistic_newton(hidden_features(trained, X), y, ridge)


def last_layer_summary(steps: PositiveInt = 3000, ridge: Positive = 1e-6) -> dict[str, float]:
    """Train an 8-unit tanh network with a sigmoid output, then refit its last layer as a GLM."""
    X, y = two_moons()
    trained, beta_refit = trained_and_refit(steps, ridge)
    Phi = hidden_features(trained, X)
    beta_net = np.concatenate([trained.biases[-1], trained.weights[-1][0]])
    mu = sigmoid(Phi @ beta_refit)
    return {
        "network_objective": penalised_logistic_objective(Phi, y, beta_net, ridge),
        "network_loss": loss_value(trained, X, y),
        "refit_objective": penalised_logistic_objective(Phi, y, beta_refit, ridge),
        "refit_gradient": float(np.max(np.abs(Phi.T @ (mu - y) / len(y) + ridge * beta_refit))),
        "accuracy": float(np.mean((predict(trained, X)[:, 0] > 0.5) == (y == 1))),
    }


# --- the lazy regime --------------------------------------------------------------------------

LAZY_WIDTHS = (50, 400, 3200)
LAZY_X = np.linspace(-1, 1, 8)[:, None]
LAZY_Y = np.sin(np.pi * LAZY_X[:, 0])
LAZY_TEST = np.linspace(-1, 1, 101)[:, None]


def ntk_network(width: PositiveInt, seed: Seed = 0) -> Network:
    """f(x) = M^{-1/2} (v^T tanh(w x + b) + c), all parameters standard normal: the NTK parameterisation."""
    return init_network([1, width, 1], "tanh", "identity", seed=seed, scale=1.0, output_scale=1 / np.sqrt(width))


# --8<-- [start:lazy]
def train_network_and_linearisation(width: PositiveInt, *, steps: PositiveInt = 300, learning_rate: Positive = 0.5,
                                    seed: Seed = 0):
    """Gradient descent on (1/2n) sum (f - y)^2 for the network and for its linearisation at theta_0.

    The linearisation f_lin(theta) = f(theta_0) + J_0 (theta - theta_0) is linear in theta, so its
    training is least squares on the fixed features J_0 = df/dtheta at initialisation.
    """
    net = ntk_network(width, seed)
    trained, _ = train_gradient_descent(net, LAZY_X, LAZY_Y, learning_rate=learning_rate, steps=steps)
    theta0, J0 = params(net), jacobian_wrt_params(net, LAZY_X)
    f_lin = linearize(net, LAZY_X)
    theta = theta0.copy()
    for _ in range(steps):
        theta = theta - learning_rate * J0.T @ (f_lin(theta) - LAZY_Y) / len(LAZY_Y)
    return net, trained, theta
# --8<-- [end:lazy]


@cached
def lazy_summary() -> dict[int, dict[str, float]]:
    """Per width: sup gap between trained network and trained linearisation on 101 test points,
    relative parameter change ||theta_T - theta_0|| / ||theta_0||, and the network's training loss."""
    summary = {}
    for width in LAZY_WIDTHS:
        net, trained, theta_lin = train_network_and_linearisation(width)
        f_lin_test = linearize(net, LAZY_TEST)(theta_lin)
        summary[width] = {
            "gap": float(np.max(np.abs(predict(trained, LAZY_TEST)[:, 0] - f_lin_test))),
            "relative_change": float(np.linalg.norm(params(trained) - params(net)) / np.linalg.norm(params(net))),
            "training_mse": float(np.mean((predict(trained, LAZY_X)[:, 0] - LAZY_Y) ** 2)),
        }
    return summary


def lazy_table() -> dict[str, float]:
    """The lazy-regime numbers flattened for the page: gap_50, change_400, ..."""
    return {f"{key}_{width}": value for width, row in lazy_summary().items() for key, value in row.items()}


# --- figures ----------------------------------------------------------------------------------


@figure(
    "lazy-linearisation",
    alt=("Three panels, for networks with 50, 400 and 3200 hidden units, each showing the eight training points "
         "from a sine curve, the trained network and its trained linearisation over inputs from -1 to 1. At "
         "width 50 the two curves visibly separate between the training points; at 400 they nearly coincide; at "
         "3200 they lie on top of each other."),
    caption=("A wide network trained by gradient descent stays close to its linearisation at initialisation, "
             "which is a linear model in $\\theta$. Solid: the trained network; dashed: the trained "
             "linearisation; dots: training data from $\\sin(\\pi x)$."),
)
def draw_lazy_linearisation() -> Figure:
    fig = new_figure(figsize=(8.4, 3.0))
    axes = fig.subplots(1, 3, sharey=True)
    for ax, width in zip(axes, LAZY_WIDTHS, strict=True):
        net, trained, theta_lin = train_network_and_linearisation(width)
        ax.plot(LAZY_TEST[:, 0], predict(trained, LAZY_TEST)[:, 0], label="network")
        ax.plot(LAZY_TEST[:, 0], linearize(net, LAZY_TEST)(theta_lin), linestyle="--", label="linearisation")
        ax.plot(LAZY_X[:, 0], LAZY_Y, marker="o", linestyle="none", color=style.FOREGROUND, label="data")
        ax.set(title=f"width $M = {width}$", xlabel="input $x$")
    axes[0].set_ylabel("output")
    axes[0].legend(loc="upper left", fontsize=9)
    return fig


@figure(
    "last-layer-refit",
    alt=("Two-moons data, two interleaved crescents of points in two classes, with the decision boundary of a "
         "trained eight-unit tanh network drawn as a solid curve and the boundary after refitting only its last "
         "layer as a logistic regression on the hidden features drawn as a dashed curve. The two boundaries "
         "nearly coincide and both separate the crescents."),
    caption=("A trained network's decision boundary (solid) and the boundary after refitting its last layer by "
             "Newton's method as a GLM on the learned features (dashed). The refit can only lower the training "
             "loss, and here changes little."),
)
def draw_last_layer_refit() -> Figure:
    X, y = two_moons()
    trained, beta_refit = trained_and_refit()  # the network and refit of the claim, not trained again
    g1, g2 = np.meshgrid(np.linspace(-1.5, 2.5, 161), np.linspace(-1.2, 1.7, 121))
    grid = np.column_stack([g1.ravel(), g2.ravel()])
    fig = new_figure(figsize=(5.6, 4.0))
    ax = fig.subplots()
    for label, marker, colour in ((0, "o", style.BLUE), (1, "s", style.ORANGE)):
        ax.plot(*X[y == label].T, marker=marker, linestyle="none", markersize=3.5, color=colour, label=f"class {label}")
    ax.contour(g1, g2, predict(trained, grid)[:, 0].reshape(g1.shape), levels=[0.5], colors=[style.FOREGROUND])
    refit = (hidden_features(trained, grid) @ beta_refit).reshape(g1.shape)
    ax.contour(g1, g2, refit, levels=[0.0], colors=[style.VERMILLION], linestyles="--")
    ax.set(xlabel="$x_1$", ylabel="$x_2$", aspect="equal")
    ax.legend(loc="lower left", fontsize=9)
    return fig


enforce_annotations(globals())
