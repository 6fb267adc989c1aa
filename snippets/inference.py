"""Inference for networks: the likelihood-ratio test for one more hidden unit, inference on a
learned feature, and separation.

Notation as on the page: the null model y = beta_0 + beta_1 x + noise, and one added hidden unit
v tanh(w x + b); for fixed (w, b) the unit's column h = tanh(w x + b) enters linearly, so the fit
of (beta_0, beta_1, v) is least squares and only (w, b) are searched (a grid, in w and b).
"""

from __future__ import annotations

from typing import Annotated

import numpy as np
from scipy import stats

from snippets._boundary import Array, Positive, PositiveInt, Seed, enforce_annotations, integer_in
from snippets._cache import cached
from snippets.linear import XOR_X, XOR_Y
from snippets.network import init_network, params, train_gradient_descent


def _positive_slopes(w_grid: np.ndarray) -> str | None:
    # w = 0 makes tanh(b) a constant, the intercept's column again: no unit to add.
    return None if np.all(w_grid > 0) else "expected positive slopes w (w = 0 adds a constant column)"


def _below_rss0(drop: np.ndarray, rss0: np.ndarray) -> str | None:
    # The drop is a part of RSS_0; all of it would mean a perfect fit and an infinite statistic.
    return None if np.all((drop >= 0) & (drop < rss0)) else "expected 0 <= drop < rss0 in every entry"


def _more_points_than_columns(x: np.ndarray) -> str | None:
    return None if len(np.unique(x)) >= 4 else "expected at least 4 distinct inputs (3 coefficients and a residual)"


# --8<-- [start:added-unit]
def unit_columns(x: Array("n"), w_grid: Array("G", _positive_slopes), b_grid: Array("B")) -> np.ndarray:
    """The columns tanh(w x + b), one per (w, b) of the grid, made orthogonal to [1, x] and of unit
    length: (n, G B). Adding a column h to the null model lowers its residual sum of squares by
    (h' r)^2, r the null residuals."""
    Q = np.linalg.qr(np.column_stack([np.ones_like(x), x]))[0]
    H = np.tanh(np.multiply.outer(x, w_grid)[:, :, None] + b_grid).reshape(len(x), -1)
    H = H - Q @ (Q.T @ H)
    return H / np.linalg.norm(H, axis=0)


def added_unit_statistics(Y: Array("R n"), x: Array("n", _more_points_than_columns),
                          w_grid: Array("G", _positive_slopes), b_grid: Array("B")) -> dict[str, np.ndarray]:
    """For each response vector (a row of Y): the residual sum of squares of the null model, the
    largest drop in it by one added unit over the grid, and the (w, b) column that gives it."""
    Q = np.linalg.qr(np.column_stack([np.ones_like(x), x]))[0]
    r = Y - (Y @ Q) @ Q.T
    drops = (r @ unit_columns(x, w_grid, b_grid)) ** 2
    return {"rss0": np.sum(r**2, axis=1), "drop": drops.max(axis=1), "column": drops.argmax(axis=1)}


def likelihood_ratio(rss0: Array("R"), drop: Array("R", _below_rss0), n: PositiveInt) -> np.ndarray:
    """The Gaussian likelihood-ratio statistic n log(RSS_0 / RSS_1) with RSS_1 = RSS_0 - drop."""
    return n * np.log(rss0 / (rss0 - drop))
# --8<-- [end:added-unit]


def learned_unit_t2(rss0: Array("R"), drop: Array("R", _below_rss0), n: integer_in(4, 10**9)) -> np.ndarray:
    """t^2 of v in the least-squares fit of y on [1, x, h], h the unit's column, read as if h were a
    fixed covariate: (n - 3) drop / (RSS_0 - drop), an F statistic on 1 and n - 3 degrees of freedom."""
    return (n - 3) * drop / (rss0 - drop)


# --8<-- [start:split]
def split_sample_t2(Y: Array("R n"), x: Array("n", _more_points_than_columns),
                    w_grid: Array("G", _positive_slopes), b_grid: Array("B")) -> np.ndarray:
    """t^2 of v when the unit is learned on the even-numbered observations and v is fitted, with
    the unit's column then fixed, on the odd-numbered ones."""
    learn, fit = slice(0, None, 2), slice(1, None, 2)
    chosen = added_unit_statistics(Y[:, learn], x[learn], w_grid, b_grid)["column"]
    x_fit, Y_fit = x[fit], Y[:, fit]
    Q = np.linalg.qr(np.column_stack([np.ones_like(x_fit), x_fit]))[0]
    r = Y_fit - (Y_fit @ Q) @ Q.T
    drop = np.sum(r * unit_columns(x_fit, w_grid, b_grid)[:, chosen].T, axis=1) ** 2
    return learned_unit_t2(np.sum(r**2, axis=1), drop, len(x_fit))
# --8<-- [end:split]


W_RANGES = (5.0, 20.0, 50.0)  # the largest slope w searched; each grid contains the one before


def w_grid(w_max: Positive) -> np.ndarray:
    """Slopes 0.25, 0.5, ..., w_max: a wider range searches a superset of a narrower one."""
    return np.arange(1, int(w_max / 0.25) + 1) * 0.25


B_GRID = np.linspace(-2, 2, 21)


@cached
def added_unit_null_summary(replicates: integer_in(100, 20_000) = 2000, n: integer_in(8, 2000) = 200,
                            seed: Seed = 0) -> dict[str, float | tuple[float, ...]]:
    """Simulated null data, y pure noise on x = n points evenly spaced in [-2, 2]: how often the
    naive tests reject, and the 95th percentile of the likelihood-ratio statistic for each range."""
    x = np.linspace(-2, 2, n)
    Y = np.random.default_rng(seed).standard_normal((replicates, n))
    by_range = [added_unit_statistics(Y, x, w_grid(w_max), B_GRID) for w_max in W_RANGES]
    percentiles = [float(np.quantile(likelihood_ratio(s["rss0"], s["drop"], n), 0.95)) for s in by_range]
    searched = by_range[0]  # the narrowest range: the naive and the split tests search it
    lr = likelihood_ratio(searched["rss0"], searched["drop"], n)
    naive = learned_unit_t2(searched["rss0"], searched["drop"], n)
    split = split_sample_t2(Y, x, w_grid(W_RANGES[0]), B_GRID)
    return {
        "chi2_1_size": float(np.mean(lr > stats.chi2.ppf(0.95, 1))),
        "chi2_3_size": float(np.mean(lr > stats.chi2.ppf(0.95, 3))),
        "lr_95th_percentiles": tuple(percentiles),
        "naive_miss_rate": float(np.mean(naive > stats.f.ppf(0.95, 1, n - 3))),
        "split_miss_rate": float(np.mean(split > stats.f.ppf(0.95, 1, n // 2 - 3))),
        "replicates": replicates,
    }


# --- separation -----------------------------------------------------------------------------------

def _increasing(checkpoints: tuple[int, ...]) -> str | None:
    return None if all(a < b for a, b in zip(checkpoints, checkpoints[1:], strict=False)) else \
        f"expected increasing step counts, got {checkpoints}"


# --8<-- [start:separation]
@cached
def separated_network_growth(checkpoints: Annotated[tuple[PositiveInt, ...], _increasing] = (30, 300, 3000),
                             width: PositiveInt = 4, seed: Seed = 1) -> dict[str, tuple[float, ...]]:
    """Gradient descent (step 1) on the mean cross-entropy of a tanh network with a sigmoid output
    on the four XOR points, which it separates: ||theta|| and the loss after each checkpoint."""
    net = init_network([2, width, 1], hidden="tanh", output="sigmoid", seed=seed)
    norms, losses, done = [], [], 0
    for steps in checkpoints:
        net, history = train_gradient_descent(net, XOR_X, XOR_Y[:, None], learning_rate=1.0, steps=steps - done)
        norms.append(float(np.linalg.norm(params(net))))
        losses.append(float(history[-1]))
        done = steps
    return {"steps": tuple(float(s) for s in checkpoints), "norm": tuple(norms), "loss": tuple(losses)}
# --8<-- [end:separation]


enforce_annotations(globals())
