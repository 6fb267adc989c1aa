"""A neuron is a GLM: matched output activations and losses, trained by gradient descent,
reach the maximum likelihood estimates of the corresponding GLMs.

Notation as on the page: X is n x p with an intercept column where a GLM needs one; a network
without hidden layers has weights w and bias b, so its linear predictor is z = X w + b.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np

from snippets import style
from snippets._boundary import (
    Array,
    IntegerKind,
    Labels,
    Positive,
    PositiveInt,
    Real,
    Seed,
    enforce_annotations,
)
from snippets._cache import cached
from snippets.figures import figure, new_figure
from snippets.glm import ConvergenceError, SeparationError, cpunish_data, fit_glm_irls, spector_data, spector_fit
from snippets.network import Network, loss_value, predict, sigmoid, softmax, train_gradient_descent

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FamilyName = Literal["gaussian", "bernoulli", "poisson"]
AtLeastTwo = Annotated[int, IntegerKind(minimum=2)]


def single_layer(p: PositiveInt, k: PositiveInt, output: str) -> Network:
    """A network with no hidden layer, weights and bias at zero: z = X W^T + b, mu = output(z)."""
    return Network((np.zeros((k, p)),), (np.zeros(k),), hidden="identity", output=output)


def lipschitz_step(covariates: Array("n p"), curvature_bound: Positive) -> float:
    """1/Lambda for the mean loss: Lambda = curvature_bound * lambda_max(X^T X / n), X = [1, covariates]."""
    X = np.column_stack([np.ones(len(covariates)), covariates])
    return 1 / (curvature_bound * np.linalg.eigvalsh(X.T @ X / len(X)).max())


# --8<-- [start:sigmoid-neuron]
@cached
def sigmoid_neuron_on_grades(steps: int = 5000) -> dict[str, np.ndarray | float]:
    """Train mu = sigmoid(w^T x + b) by gradient descent on the mean cross-entropy, on the grade data.

    The inputs are standardised first (a fixed affine map, undone afterwards), which only changes
    how fast gradient descent goes, not where it ends up. Returns both estimates in original units.
    """
    data = spector_data()
    covariates = data.X[:, 1:]
    centre, spread = covariates.mean(axis=0), covariates.std(axis=0)
    standardised = (covariates - centre) / spread
    # The cross-entropy's curvature is at most 1/4 per unit of squared input: step 1/Lambda is safe.
    net, _ = train_gradient_descent(single_layer(standardised.shape[1], 1, "sigmoid"), standardised, data.y,
                                    learning_rate=lipschitz_step(standardised, 0.25), steps=steps)
    w, b = net.weights[0][0] / spread, net.biases[0][0]
    beta_gd = np.concatenate([[b - w @ centre], w])
    beta_irls = spector_fit().beta
    return {"gd": beta_gd, "irls": beta_irls, "max_difference": float(np.max(np.abs(beta_gd - beta_irls)))}
# --8<-- [end:sigmoid-neuron]


def simulated_glm_data(family: FamilyName, n: AtLeastTwo, p: AtLeastTwo, seed: Seed) -> tuple[np.ndarray, np.ndarray]:
    """(Z, y): n x (p - 1) standard normal covariates (no intercept column) and a response."""
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, p - 1))
    eta = 0.3 + Z @ np.linspace(-0.6, 0.6, p - 1)
    if family == "gaussian":
        return Z, eta + rng.standard_normal(n)
    if family == "bernoulli":
        return Z, (rng.random(n) < sigmoid(eta)).astype(float)
    return Z, rng.poisson(np.exp(eta)).astype(float)


def neuron_against_glm(family: FamilyName, *, n: AtLeastTwo = 300, p: AtLeastTwo = 4, seed: Seed = 0,
                       steps: PositiveInt = 5000) -> float:
    """max |beta_GD - beta_IRLS| for the single neuron matched to `family`, on simulated data."""
    output = {"gaussian": "identity", "bernoulli": "sigmoid", "poisson": "exp"}[family]
    Z, y = simulated_glm_data(family, n, p, seed)
    glm = fit_glm_irls(np.column_stack([np.ones(n), Z]), y, family)
    mu_hat = np.exp(np.column_stack([np.ones(n), Z]) @ glm.beta)
    # A curvature bound for each loss: 1 (squared), 1/4 (cross-entropy), and for the Poisson loss,
    # whose curvature mu is unbounded, twice the largest fitted mean: safe from a start at 0.
    bound = {"gaussian": 1.0, "bernoulli": 0.25, "poisson": 2 * float(mu_hat.max())}[family]
    net, _ = train_gradient_descent(single_layer(p - 1, 1, output), Z, y,
                                    learning_rate=lipschitz_step(Z, bound), steps=steps)
    beta_gd = np.concatenate([net.biases[0], net.weights[0][0]])
    return float(np.max(np.abs(beta_gd - glm.beta)))


def _one_hot_rows(Y: np.ndarray) -> str | None:
    if Y.shape[1] < 2 or not np.all(Y.sum(axis=1) == 1):
        return f"expected an n x K one-hot matrix with K >= 2 classes, got shape {Y.shape} with rows summing to " \
               f"{sorted(set(Y.sum(axis=1).tolist()))[:3]}"
    return None


def _solve_or_separated(information: np.ndarray, score: np.ndarray) -> np.ndarray:
    # A Newton step; a singular information matrix means separated classes (no estimate exists).
    try:
        return np.linalg.solve(information, score)
    except np.linalg.LinAlgError:
        raise SeparationError("Y: the information matrix became singular: the classes are (quasi-)separated "
                              "by a linear combination of X, so the maximum likelihood estimate does not "
                              "exist") from None


OneHot = Labels("n K", _one_hot_rows)


# --8<-- [start:multinomial]
def multinomial_score_and_information(X: Array("n p"), Y: OneHot, B: Array("p K")) -> tuple[np.ndarray, np.ndarray]:
    """The gradient and the information of the log-likelihood in the free columns B[:, 1:], stacked:
    blocks X^T (y_j - P_j) and X^T diag(P_j (1[j = k] - P_k)) X, with P = softmax(X B)."""
    p, K = B.shape
    P = softmax(X @ B)
    gradient = (X.T @ (Y - P)[:, 1:]).T.ravel()
    information = np.zeros((p * (K - 1), p * (K - 1)))
    for j in range(1, K):
        for k in range(1, K):
            weights = P[:, j] * ((j == k) - P[:, k])
            information[(j - 1) * p:j * p, (k - 1) * p:k * p] = X.T @ (weights[:, None] * X)
    return gradient, information


def fit_multinomial_newton(X: Array("n p"), Y: OneHot, *, max_iter: PositiveInt = 50) -> np.ndarray:
    """Multinomial (baseline-category) logit by Newton's method, class 0 as the reference.

    X is n x p, Y is n x K one-hot. Returns B (p x K) with B[:, 0] = 0, the identifiable version.
    """
    p, K = X.shape[1], Y.shape[1]
    B = np.zeros((p, K))
    for _ in range(max_iter):
        gradient, information = multinomial_score_and_information(X, Y, B)
        step = _solve_or_separated(information, gradient)
        B[:, 1:] += step.reshape(K - 1, p).T
        if np.max(np.abs(step)) < 1e-12:
            return B
    raise ConvergenceError(f"max_iter: Newton did not converge in {max_iter} iterations (separated classes?)")
# --8<-- [end:multinomial]


def simulated_three_classes(n: PositiveInt = 300, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """(Z, Y): two standard normal covariates and one-hot labels from a 3-class multinomial logit."""
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, 2))
    B = np.array([[0.0, 0.5, -0.4], [0.0, 1.0, -0.5], [0.0, -0.8, 1.2]])  # rows: intercept, z1, z2
    P = softmax(np.column_stack([np.ones(n), Z]) @ B)
    labels = np.array([rng.choice(3, p=row) for row in P])
    return Z, np.eye(3)[labels]


@cached
def softmax_against_multinomial(steps: int = 6000) -> dict[str, float]:
    """Softmax layer (K = 3 full columns) by gradient descent against Newton with a reference class."""
    Z, Y = simulated_three_classes()
    X = np.column_stack([np.ones(len(Z)), Z])
    P_newton = softmax(X @ fit_multinomial_newton(X, Y))
    net, _ = train_gradient_descent(single_layer(2, 3, "softmax"), Z, Y, learning_rate=1.0, steps=steps)
    P_gd = predict(net, Z)
    rng = np.random.default_rng(1)
    delta_W, delta_b = rng.standard_normal(2), rng.standard_normal()
    shifted = Network((net.weights[0] + delta_W,), (net.biases[0] + delta_b,), "identity", "softmax")
    return {
        "probability_difference": float(np.max(np.abs(P_gd - P_newton))),
        "shift_difference": float(np.max(np.abs(predict(shifted, Z) - P_gd))),
    }


# --8<-- [start:sigmoid-squared]
def squared_error_curvature(w: Array(...)) -> np.ndarray:
    """ell''(w) for ell(w) = (1 - sigmoid(w))^2: one observation x = 1, y = 1.

    L'' = -2 s (1 - s)^2 (1 - 3 s) with s = sigmoid(w): negative wherever s < 1/3, i.e. w < -log 2.
    """
    s = sigmoid(w)
    return -2 * s * (1 - s) ** 2 * (1 - 3 * s)


def cross_entropy_curvature(w: Array(...)) -> np.ndarray:
    """ell''(w) for ell(w) = -log sigmoid(w): s (1 - s) > 0 everywhere."""
    s = sigmoid(w)
    return s * (1 - s)
# --8<-- [end:sigmoid-squared]


def _in_unit_interval(y: float) -> str | None:
    return None if 0 <= y <= 1 else f"expected a target in [0, 1], got {y}"


Target = Annotated[Real, _in_unit_interval]


# --8<-- [start:saturation]
def weight_gradients(w: Real, x: Real = 1.0, y: Target = 1.0) -> dict[str, float]:
    """dL/dw for one observation (x, y) and mu = sigmoid(w x), under both losses:
    squared error (mu - y)^2 gives 2 (mu - y) mu (1 - mu) x, with the factor sigma' = mu (1 - mu);
    cross-entropy -(y log mu + (1 - y) log(1 - mu)) gives (mu - y) x, without it."""
    mu = float(sigmoid(w * x))
    return {"mu": mu, "squared_error": 2 * (mu - y) * mu * (1 - mu) * x, "cross_entropy": (mu - y) * x}


def steps_to_recover(loss: Literal["squared_error", "cross_entropy"], w: Real = -10.0, learning_rate: Positive = 1.0,
                     max_steps: PositiveInt = 100_000) -> int:
    """Gradient-descent steps from weight w until sigmoid(w) > 1/2 for the observation (1, 1)."""
    for step in range(max_steps + 1):
        gradient = weight_gradients(w)
        if gradient["mu"] > 0.5:
            return step
        w -= learning_rate * gradient[loss]
    raise ConvergenceError(f"max_steps: with the {loss} loss, sigmoid(w) is still below 1/2 after {max_steps} steps")
# --8<-- [end:saturation]


def saturation_summary() -> dict[str, float]:
    """The two gradients at w = -10 and the steps each loss needs to recover from there."""
    at = weight_gradients(-10.0)
    return {"mu": at["mu"], "squared_error": at["squared_error"], "cross_entropy": at["cross_entropy"],
            "steps_squared_error": steps_to_recover("squared_error"),
            "steps_cross_entropy": steps_to_recover("cross_entropy")}


def grade_data_losses() -> dict[str, float]:
    """Mean cross-entropy of the IRLS estimate and of the gradient-descent neuron on the grade data."""
    data, result = spector_data(), sigmoid_neuron_on_grades()
    def mean_nll(beta: np.ndarray) -> float:
        eta = data.X @ beta
        return float(np.mean(np.logaddexp(0, eta) - data.y * eta))
    return {"irls": mean_nll(result["irls"]), "gd": mean_nll(result["gd"])}


def poisson_counts_neuron_check() -> float:
    """Mean Poisson loss of the IRLS fit on the execution counts, as a network with exp output computes it."""
    data = cpunish_data()
    fit = fit_glm_irls(data.X, data.y, "poisson")
    net = Network((fit.beta[None, 1:],), (fit.beta[:1],), "identity", "exp")
    return loss_value(net, data.X[:, 1:], data.y)


@figure(
    "neuron-losses",
    alt=("Two loss curves for one sigmoid neuron and one observation with target 1, plotted against the weight "
         "w from -6 to 6. The cross-entropy falls steadily and is convex everywhere. The squared error is an "
         "S-shaped curve: flat and bending downwards for negative weights, with the region where it is concave, "
         "to the left of w = -log 2, shaded."),
    caption=("One sigmoid neuron, one observation $(x, y) = (1, 1)$. Cross-entropy, the Bernoulli negative "
             "log-likelihood, is convex in $w$; squared error is not: it is concave for $w < -\\log 2$ (shaded)."),
)
def draw_neuron_losses() -> Figure:
    w = np.linspace(-6, 6, 301)
    fig = new_figure(figsize=(5.6, 3.4))
    ax = fig.subplots()
    ax.plot(w, -np.log(sigmoid(w)), label="cross-entropy $-\\log\\sigma(w)$")
    ax.plot(w, (1 - sigmoid(w)) ** 2, label="squared error $(1 - \\sigma(w))^2$", linestyle="--")
    ax.axvspan(-6, -np.log(2), color=style.GRID, alpha=0.5, linewidth=0, label="squared error concave")
    ax.set(xlabel="weight $w$", ylabel="loss", ylim=(0, 3))
    ax.legend(loc="upper right")
    return fig


enforce_annotations(globals())
