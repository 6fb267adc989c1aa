"""A small fully connected network in numpy, with hand-written backpropagation.

Notation as on the pages: layer l maps h_{l-1} to h_l = phi(z_l) with z_l = W_l h_{l-1} + b_l;
h_0 = x. The last layer's activation is the output activation (the inverse link), and the loss is
a negative log-likelihood when the pair is matched. Inputs X are n x d, one row per example;
internally activations are stored as rows too, so z_l = h_{l-1} W_l^T + b_l.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Annotated, Literal

import numpy as np

from snippets._boundary import (
    Array,
    Map,
    NonNegative,
    Positive,
    PositiveInt,
    Real,
    Seed,
    Targets,
    enforce_annotations,
)
from snippets._checks import as_finite_float, as_instance, as_real_array, as_sequence, one_of


# --8<-- [start:activations]
def sigmoid(z: Array(...)) -> np.ndarray:
    """1 / (1 + e^-z), written with tanh so that it does not overflow for large |z|."""
    return 0.5 * (1 + np.tanh(z / 2))


def softmax(Z: Array("n k")) -> np.ndarray:
    """Row-wise e^z_k / sum_l e^z_l; invariant to adding the same number to a row, which is used
    to avoid overflow."""
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


# Each activation with its derivative, written as a function of the pre-activation z.
ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray], np.ndarray]]] = {
    "identity": (lambda z: z, np.ones_like),
    "tanh": (np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
    "sigmoid": (sigmoid, lambda z: 0.25 / np.cosh(z / 2) ** 2),
    "exp": (np.exp, np.exp),
}
OUTPUTS = ("identity", "sigmoid", "exp", "softmax")
# Matched output activation and loss: the loss is the negative log-likelihood of the GLM whose
# inverse canonical link is the activation, so dLoss/dz = (mu - y) / n exactly.
MATCHED_LOSS = {"identity": "squared", "sigmoid": "cross_entropy", "softmax": "categorical", "exp": "poisson"}
# --8<-- [end:activations]
LOSSES = ("squared", "cross_entropy", "categorical", "poisson")
Activation = Literal[tuple(ACTIVATIONS)]
OutputActivation = Literal[OUTPUTS]


@dataclass(frozen=True)
class Network:
    """Weights W_l (out x in) and biases b_l per layer, the hidden activation, the output activation.

    `output_scale` multiplies the last pre-activation (1/sqrt(width) gives the NTK parameterisation).
    """

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    hidden: str = "tanh"
    output: str = "identity"
    output_scale: float = 1.0

    def __post_init__(self) -> None:
        if self.hidden not in ACTIVATIONS:
            raise ValueError(f"hidden: expected one of {sorted(ACTIVATIONS)}, got {self.hidden!r}")
        if self.output not in OUTPUTS:
            raise ValueError(f"output: expected one of {list(OUTPUTS)}, got {self.output!r}")
        as_sequence("weights", self.weights), as_sequence("biases", self.biases)
        as_finite_float("output_scale", self.output_scale)
        if len(self.weights) != len(self.biases):
            raise ValueError("weights, biases: expected one weight matrix and one bias vector per layer")
        weights = tuple(as_real_array(f"weights[{i}]", W, ndim=2) for i, W in enumerate(self.weights))
        biases = tuple(as_real_array(f"biases[{i}]", b, ndim=1) for i, b in enumerate(self.biases))
        for i, (W, b) in enumerate(zip(weights, biases, strict=True)):
            if b.shape[0] != W.shape[0]:
                raise ValueError(f"biases[{i}]: expected length {W.shape[0]} (rows of weights[{i}]), got {b.shape[0]}")
            if i and W.shape[1] != weights[i - 1].shape[0]:
                raise ValueError(f"weights[{i}]: expected {weights[i - 1].shape[0]} columns, got {W.shape[1]}")
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "biases", biases)

    @property
    def sizes(self) -> tuple[int, ...]:
        return (self.weights[0].shape[1], *(W.shape[0] for W in self.weights))

    @property
    def n_params(self) -> int:
        return sum(W.size + b.size for W, b in zip(self.weights, self.biases, strict=True))

    @property
    def letters(self) -> dict[str, int]:
        """The pages' letters for its sizes: d inputs, k outputs, P parameters (a call's shapes use them)."""
        return {"d": self.sizes[0], "k": self.sizes[-1], "P": self.n_params}

    def with_params(self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> Network:
        return Network(tuple(weights), tuple(biases), self.hidden, self.output, self.output_scale)

    def _with_arrays_of_its_shapes(self, weights: tuple[np.ndarray, ...], biases: tuple[np.ndarray, ...]) -> Network:
        # The same architecture with new finite values of the same shapes (from with_flat_params,
        # whose theta is checked at the boundary or by the training loop): what __post_init__ would
        # check holds already, and a training step would otherwise pay for it twice.
        new = object.__new__(Network)
        for name, value in (("weights", weights), ("biases", biases), ("hidden", self.hidden),
                            ("output", self.output), ("output_scale", self.output_scale)):
            object.__setattr__(new, name, value)
        return new

    # theta1 + theta2 and t * theta: the parameters of one architecture as a vector space (the first
    # page's superposition test), layer by layer.
    def __add__(self, other: Network) -> Network:
        if not isinstance(other, Network):
            return NotImplemented
        if (other.sizes, other.hidden, other.output, other.output_scale) != \
                (self.sizes, self.hidden, self.output, self.output_scale):
            raise ValueError(f"other: networks of different architectures cannot be added (sizes {self.sizes} "
                             f"and {other.sizes})")
        return with_flat_params(self, params(self) + params(other))

    def __mul__(self, t: float) -> Network:
        return with_flat_params(self, as_finite_float("t", t) * params(self))

    __rmul__ = __mul__


def one_hidden_layer_params(net: Network, hidden: str = "tanh", *, name: str = "net") -> tuple[tuple, tuple]:
    """((W, v), (b, c)) of f(x) = v tanh(W x + b) + c: a network with one hidden layer (of this
    activation) and one output; an error naming the argument for any other."""
    if not isinstance(name, str):
        raise TypeError(f"name: expected the argument's name, a str, got {type(name).__name__}")
    hidden = one_of("hidden", hidden, tuple(ACTIVATIONS))
    as_instance(name, net, Network)
    if len(net.weights) != 2 or net.hidden != hidden or net.sizes[-1] != 1:
        raise ValueError(f"{name}: expected a one-hidden-layer {hidden} network with one output, got sizes "
                         f"{net.sizes} and hidden activation {net.hidden!r}")
    return net.weights, net.biases


def one_hidden_layer_network(hidden: Activation) -> object:
    """The kind of f(x) = v phi(W x + b) + c: a Network with one hidden layer of this activation and
    one output (an argument annotated with it is checked at the boundary)."""
    def has_one_hidden_layer(net: Network) -> str | None:
        if len(net.weights) != 2 or net.hidden != hidden or net.sizes[-1] != 1:
            return (f"expected a one-hidden-layer {hidden} network with one output, got sizes {net.sizes} and "
                    f"hidden activation {net.hidden!r}")
        return None
    return Annotated[Network, has_one_hidden_layer]


def _inputs_and_outputs(sizes: list[int]) -> str | None:
    return None if len(sizes) >= 2 else f"expected at least (inputs, outputs), got {tuple(sizes)}"


# Layer sizes (d, h_1, ..., k): at least the inputs and the outputs, each a positive integer.
LayerSizes = Annotated[list[PositiveInt], _inputs_and_outputs]


def layer_sizes(sizes: LayerSizes) -> list[int]:
    """Layer sizes (d, h_1, ..., k) as a list: at least the inputs and the outputs."""
    return sizes


def init_network(sizes: LayerSizes, hidden: Activation = "tanh", output: OutputActivation = "identity", *,
                 seed: Seed = 0, scale: str | float = "glorot", output_scale: Real = 1.0) -> Network:
    """Random weights for layer sizes (d, h_1, ..., k): N(0, 1/fan_in) ('glorot'-style) or N(0, scale^2)."""
    if isinstance(scale, str):
        one_of("scale", scale, ("glorot",))
    else:
        scale = as_finite_float("scale", scale, positive=True)
    rng = np.random.default_rng(seed)
    weights, biases = [], []
    for fan_in, fan_out in pairwise(sizes):
        sd = 1 / np.sqrt(fan_in) if scale == "glorot" else float(scale)
        weights.append(rng.normal(0, sd, (fan_out, fan_in)))
        biases.append(rng.normal(0, sd, fan_out) if scale != "glorot" else np.zeros(fan_out))
    return Network(tuple(weights), tuple(biases), hidden, output, output_scale)


def _output_activation(net: Network, z: np.ndarray) -> np.ndarray:
    if net.output == "softmax":
        return softmax(z)
    return ACTIVATIONS[net.output][0](z)


# --8<-- [start:forward]
def forward(net: Network, X: Array("n d")) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """The output mu (n x k) and, for backpropagation, every pre-activation z_l and activation h_l."""
    phi = ACTIVATIONS[net.hidden][0]
    activations, pre_activations = [X], []
    for W, b in zip(net.weights[:-1], net.biases[:-1], strict=True):
        pre_activations.append(activations[-1] @ W.T + b)
        activations.append(phi(pre_activations[-1]))
    z = net.output_scale * (activations[-1] @ net.weights[-1].T + net.biases[-1])
    pre_activations.append(z)
    return _output_activation(net, z), pre_activations, activations
# --8<-- [end:forward]


def predict(net: Network, X: Array("n d")) -> np.ndarray:
    """mu = f(X; theta), n x k."""
    return forward(net, X)[0]


def _pairs_with_output(loss: str | None, net: Network) -> str | None:
    # The losses whose output error is a GLM residual go with their own output activation; squared
    # error goes with any output but softmax.
    if loss is None:
        return None
    if (net.output == "softmax") != (loss == "categorical"):
        return f"softmax output goes with the categorical loss only, got {net.output} + {loss}"
    if loss in ("cross_entropy", "poisson") and MATCHED_LOSS[net.output] != loss:
        return f"{loss} needs the {'sigmoid' if loss == 'cross_entropy' else 'exp'} output, got {net.output}"
    return None


def _fit_the_loss(y: np.ndarray, net: Network, loss: str | None) -> str | None:
    loss = MATCHED_LOSS[net.output] if loss is None else loss
    if loss in ("cross_entropy", "categorical") and not np.all((y == 0) | (y == 1)):
        return f"the {loss} loss needs 0/1 targets (one-hot rows for categorical)"
    if loss == "categorical" and not np.all(y.sum(axis=1) == 1):
        return "the categorical loss needs one-hot rows"
    if loss == "poisson" and not np.all(y >= 0):
        return "the poisson loss needs non-negative counts"
    return None


# A loss by name, matched to the network's output activation (None: the matched one).
Loss = Annotated[Literal[LOSSES] | None, _pairs_with_output]
# Targets in the loss's support, n x k (n for one output).
NetworkTargets = Targets("n k", _fit_the_loss)


def loss_value(net: Network, X: Array("n d"), y: NetworkTargets, loss: Loss = None) -> float:
    """Mean loss over the n examples. Default: the loss matched to the output activation.

    squared: sum_k (mu - y)^2 / 2;  cross_entropy: -[y log mu + (1 - y) log(1 - mu)];
    categorical: -sum_k y_k log mu_k;  poisson: mu - y log mu  (terms free of theta dropped).
    """
    loss = MATCHED_LOSS[net.output] if loss is None else loss
    mu, pre, _ = forward(net, X)
    z = pre[-1]
    if loss == "squared":
        per_example = 0.5 * np.sum((mu - y) ** 2, axis=1)
    elif loss == "cross_entropy":  # written in z to stay finite where mu rounds to 0 or 1
        per_example = np.sum(np.logaddexp(0, z) - y * z, axis=1)
    elif loss == "categorical":
        per_example = np.logaddexp.reduce(z, axis=1) - np.sum(y * z, axis=1)
    else:
        per_example = np.sum(np.exp(z) - y * z, axis=1)
    return float(np.mean(per_example))


# --8<-- [start:backprop]
def gradients(net: Network, X: Array("n d"), y: NetworkTargets, loss: Loss = None
              ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """dLoss/dW_l and dLoss/db_l for the mean loss, by backpropagation.

    The output error is delta_L = dLoss/dz_L. For a matched pair it is (mu - y) / n, the same
    residual as a GLM's score X^T (y - mu); then delta_{l-1} = (delta_l W_l) * phi'(z_{l-1}).
    """
    loss = MATCHED_LOSS[net.output] if loss is None else loss
    mu, pre, acts = forward(net, X)
    n = mu.shape[0]
    if loss == MATCHED_LOSS[net.output]:
        delta = (mu - y) / n
    else:  # squared error on a sigmoid or exp output: chain rule through the activation
        delta = (mu - y) * ACTIVATIONS[net.output][1](pre[-1]) / n
    delta = delta * net.output_scale  # z_L = s (W_L a + b_L)
    grad_W, grad_b = [], []
    dphi = ACTIVATIONS[net.hidden][1]
    for layer in range(len(net.weights) - 1, -1, -1):
        grad_W.append(delta.T @ acts[layer])
        grad_b.append(delta.sum(axis=0))
        if layer:
            delta = (delta @ net.weights[layer]) * dphi(pre[layer - 1])
    return grad_W[::-1], grad_b[::-1]
# --8<-- [end:backprop]


def _one_per_weight_matrix(biases: tuple[np.ndarray, ...], weights: tuple[np.ndarray, ...]) -> str | None:
    if len(weights) != len(biases):
        return (f"weights, biases: expected as many bias vectors as weight matrices, "
                f"got {len(weights)} and {len(biases)}")
    return None


def flatten(weights: tuple[Array(...), ...], biases: Annotated[tuple[Array(...), ...], _one_per_weight_matrix]
            ) -> np.ndarray:
    """theta = (vec W_1, b_1, vec W_2, b_2, ...) as one vector."""
    return np.concatenate([part for W, b in zip(weights, biases, strict=True) for part in (W.ravel(), b)])


def params(net: Network) -> np.ndarray:
    """theta, the P parameters of the network as one vector."""
    return flatten(net.weights, net.biases)


def with_flat_params(net: Network, theta: Array("P")) -> Network:
    """The same architecture with parameters read from the flat vector theta."""
    weights, biases, i = [], [], 0
    for W, b in zip(net.weights, net.biases, strict=True):
        weights.append(theta[i:i + W.size].reshape(W.shape))
        i += W.size
        biases.append(theta[i:i + b.size])
        i += b.size
    return net._with_arrays_of_its_shapes(tuple(weights), tuple(biases))


def flat_gradient(net: Network, X: Array("n d"), y: NetworkTargets, loss: Loss = None) -> np.ndarray:
    """dLoss/dtheta as one vector, in the order of params(net)."""
    return flatten(*gradients(net, X, y, loss))


def _one_output(net: Network) -> str | None:
    if net.sizes[-1] != 1 or net.output == "softmax":
        return f"the parameter Jacobian here is for networks with one (non-softmax) output, got sizes {net.sizes}"
    return None


OneOutputNetwork = Annotated[Network, _one_output]


# --8<-- [start:jacobian]
def jacobian_wrt_params(net: OneOutputNetwork, X: Array("n d")) -> np.ndarray:
    """J[i, :] = d f(x_i; theta) / d theta for a one-output network: n x P, by backpropagation.

    Each example gets its own backward pass (no averaging over n): delta starts at dmu/dz_L.
    """
    mu, pre, acts = forward(net, X)
    delta = ACTIVATIONS[net.output][1](pre[-1]) * net.output_scale  # n x 1
    dphi = ACTIVATIONS[net.hidden][1]
    blocks = []
    for layer in range(len(net.weights) - 1, -1, -1):
        # d f_i / d W_l = outer(delta_i, h_{l-1,i}), flattened row-major like W_l.ravel()
        blocks.append(np.concatenate([np.einsum("ij,ik->ijk", delta, acts[layer]).reshape(len(mu), -1), delta], axis=1))
        if layer:
            delta = (delta @ net.weights[layer]) * dphi(pre[layer - 1])
    return np.concatenate(blocks[::-1], axis=1)
# --8<-- [end:jacobian]


def linearize(net: OneOutputNetwork, X: Array("n d")) -> Map("theta", "P"):
    """f_lin(theta) = f(X; theta_0) + J(theta_0) (theta - theta_0): linear in theta, one output."""
    theta0, f0, J0 = params(net), predict(net, X)[:, 0], jacobian_wrt_params(net, X)
    return lambda theta: f0 + J0 @ (theta - theta0)


def train_gradient_descent(net: Network, X: Array("n d"), y: NetworkTargets, *, learning_rate: Positive,
                           steps: PositiveInt, loss: Loss = None, weight_decay: NonNegative = 0.0
                           ) -> tuple[Network, np.ndarray]:
    """Full-batch gradient descent on the mean loss (+ weight_decay/2 * ||theta||^2).

    Returns the trained network and the loss after every step.
    """
    theta, history = params(net), np.empty(steps)
    for t in range(steps):
        current = with_flat_params(net, theta)
        # Overflow is expected when a step is too large: this loop reports it, numpy need not warn.
        with np.errstate(over="ignore", invalid="ignore"):
            theta = theta - learning_rate * (flat_gradient(current, X, y, loss) + weight_decay * theta)
            history[t] = loss_value(with_flat_params(net, theta), X, y, loss) if np.all(np.isfinite(theta)) else np.nan
        if not np.isfinite(history[t]):
            raise FloatingPointError(f"learning_rate: the loss diverged at step {t + 1}; try a smaller step")
    return with_flat_params(net, theta), history


enforce_annotations(globals())
