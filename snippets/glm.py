"""Generalized linear models: families, links, and a small IRLS fitter in numpy.

Notation as on the page: X is the n x p design (intercept column included), y the response,
beta the coefficients, eta = X beta the linear predictor, mu = g^{-1}(eta) the mean, V(mu) the
variance function, psi the dispersion. Canonical link: g = (kappa')^{-1}, so xi = eta.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np

from snippets import style
from snippets._boundary import Array, Positive, PositiveInt, Response, Seed, Step, Tolerance, enforce_annotations
from snippets._cache import cached
from snippets.figures import figure, new_figure
from snippets.network import sigmoid

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Fitted means are kept this far inside (0, 1) or above 0: log(0) and 1/V(0) stay finite.
MU_FLOOR = 1e-15


# --8<-- [start:links]
@dataclass(frozen=True)
class Link:
    """A link g with eta = g(mu), its inverse mu = g^{-1}(eta), and dmu/deta."""

    name: str
    g: Callable[[np.ndarray], np.ndarray]
    g_inv: Callable[[np.ndarray], np.ndarray]
    dmu_deta: Callable[[np.ndarray], np.ndarray]


LINKS = {
    "identity": Link("identity", lambda mu: mu, lambda eta: eta, np.ones_like),
    "logit": Link("logit", lambda mu: np.log(mu / (1 - mu)), sigmoid, lambda eta: sigmoid(eta) * sigmoid(-eta)),
    "log": Link("log", np.log, np.exp, np.exp),
    "cloglog": Link(
        "cloglog",
        lambda mu: np.log(-np.log1p(-mu)),
        lambda eta: -np.expm1(-np.exp(eta)),
        lambda eta: np.exp(eta - np.exp(eta)),
    ),
}
# --8<-- [end:links]


# --8<-- [start:families]
@dataclass(frozen=True)
class Family:
    """An exponential family f(y; xi, psi) = exp{(y xi - kappa(xi))/psi + a(y, psi)}.

    kappa is the cumulant function: mean mu = kappa'(xi), variance psi * kappa''(xi) = psi * V(mu).
    """

    name: str
    kappa: Callable[[np.ndarray], np.ndarray]
    mean: Callable[[np.ndarray], np.ndarray]  # kappa'(xi)
    variance: Callable[[np.ndarray], np.ndarray]  # V(mu) = kappa''(xi) written as a function of mu
    canonical_link: str
    links: tuple[str, ...]  # the links this fitter accepts for the family
    unit_deviance: Callable[[np.ndarray, np.ndarray], np.ndarray]
    estimates_dispersion: bool


def _xlogy_ratio(y: np.ndarray, mu: np.ndarray) -> np.ndarray:
    # y log(y/mu), with the limit 0 at y = 0
    return np.where(y > 0, y * np.log(np.where(y > 0, y, 1) / mu), 0.0)


FAMILIES = {
    "gaussian": Family(
        "gaussian", kappa=lambda xi: xi**2 / 2, mean=lambda xi: xi, variance=np.ones_like,
        canonical_link="identity", links=("identity",),
        unit_deviance=lambda y, mu: (y - mu) ** 2, estimates_dispersion=True,
    ),
    "bernoulli": Family(
        "bernoulli", kappa=lambda xi: np.logaddexp(0, xi), mean=sigmoid, variance=lambda mu: mu * (1 - mu),
        canonical_link="logit", links=("logit", "cloglog"),
        unit_deviance=lambda y, mu: 2 * (_xlogy_ratio(y, mu) + _xlogy_ratio(1 - y, 1 - mu)),
        estimates_dispersion=False,
    ),
    "poisson": Family(
        "poisson", kappa=np.exp, mean=np.exp, variance=lambda mu: mu,
        canonical_link="log", links=("log",),
        unit_deviance=lambda y, mu: 2 * (_xlogy_ratio(y, mu) - (y - mu)), estimates_dispersion=False,
    ),
}
# --8<-- [end:families]


class SeparationError(ValueError):
    """The maximum likelihood estimate does not exist: a linear combination of X separates y."""


class ConvergenceError(RuntimeError):
    """IRLS did not converge within max_iter iterations."""


@dataclass(frozen=True)
class Iteration:
    """One IRLS step: the coefficients after it, the deviance and the norm of the score there."""

    iteration: int
    beta: np.ndarray
    deviance: float
    score_norm: float


@dataclass(frozen=True)
class GLMFit:
    """A fitted GLM: coefficients, standard errors from the Fisher information, and the IRLS path."""

    family: str
    link: str
    beta: np.ndarray
    standard_errors: np.ndarray
    deviance: float
    dispersion: float
    iterations: list[Iteration] = field(repr=False)

    @property
    def n_iterations(self) -> int:
        return len(self.iterations)


def resolve_family_and_link(family: str, link: str | None) -> tuple[Family, Link]:
    """The Family and Link objects for names like ("bernoulli", "cloglog"); link defaults to canonical."""
    if not isinstance(family, str) or family not in FAMILIES:
        raise ValueError(f"family: expected one of {sorted(FAMILIES)}, got {family!r}")
    fam = FAMILIES[family]
    link = fam.canonical_link if link is None else link
    if not isinstance(link, str) or link not in fam.links:
        raise ValueError(f"link: the {family} family takes one of {list(fam.links)}, got {link!r}")
    return fam, LINKS[link]


# --- what the fitters accept, declared once for all of them ------------------------------------

def _family_named(family: str | Family) -> str:
    return family if isinstance(family, str) else family.name


def _taken_by_family(link: str | None, family: str) -> str | None:
    if link is not None and (not isinstance(link, str) or link not in FAMILIES[family].links):
        return f"the {family} family takes one of {list(FAMILIES[family].links)}, got {link!r}"
    return None


def _determines_the_coefficients(X: np.ndarray) -> str | None:
    n, p = X.shape
    if n < p:
        return f"{n} rows cannot determine {p} coefficients"
    rank = np.linalg.matrix_rank(X)
    if rank < p:
        return f"rank-deficient (rank {rank} < {p} columns); drop or combine collinear columns"
    return None


def _leaves_a_dispersion(X: np.ndarray, family: str) -> str | None:
    if FAMILIES[family].estimates_dispersion and X.shape[0] <= X.shape[1]:
        return (f"the {family} family estimates the dispersion from n - p residual degrees of freedom; "
                f"n = {X.shape[0]} rows and p = {X.shape[1]} columns leave none")
    return None


def _in_support(y: np.ndarray, family: str | Family) -> str | None:
    name = _family_named(family)
    if name == "bernoulli" and not np.all((y == 0) | (y == 1)):
        return "the bernoulli family needs every y in {0, 1}"
    if name == "poisson" and not np.all((y >= 0) & (y == np.round(y))):
        return "the poisson family needs non-negative integer counts"
    if name == "poisson" and np.max(y) > 2**53:
        return (f"the poisson family needs counts up to 2^53 = {2**53:.3g}, the largest integers a double "
                f"holds exactly; got {np.max(y):.3g}")
    return None


def _not_converged(method: str, X: np.ndarray, max_iter: int) -> str:
    """Why a fit stopped at max_iter: nearly collinear columns (the coefficients are then fixed only
    to about cond(X) times the rounding), else the likelier cause, separation or a mean at a boundary."""
    condition = float(np.linalg.cond(X))
    if condition > 1e10:
        return (f"X: {method} did not converge in {max_iter} iterations: the columns of X are nearly collinear "
                f"(condition number {condition:.1e}), so rounding alone moves beta by about "
                f"{condition * np.finfo(float).eps:.0e} of its size; drop or combine those columns")
    return (f"max_iter: {method} did not converge in {max_iter} iterations "
            "(quasi-complete separation, or a mean at the boundary of its range?)")


def _a_mean_of_the_family(mu: np.ndarray, family: Family) -> str | None:
    if family.name == "bernoulli" and not np.all((mu >= 0) & (mu <= 1)):
        return "the bernoulli family needs means mu in [0, 1]"
    if family.name == "poisson" and not np.all(mu >= 0):
        return "the poisson family needs non-negative means mu"
    return None


def _deviance_support(y: np.ndarray, family: Family) -> str | None:
    if family.name == "bernoulli" and not np.all((y == 0) | (y == 1)):
        return "the bernoulli family needs y in {0, 1}"
    if family.name == "poisson" and not np.all(y >= 0):
        return "the poisson family needs non-negative counts y"
    return None


FamilyName = Literal[tuple(FAMILIES)]
LinkName = Annotated[str | None, _taken_by_family]  # the family's canonical link when None
# A design that determines p coefficients (n >= p, full column rank), and a response of its family.
Design = Array("n p", _determines_the_coefficients, _leaves_a_dispersion)
GLMResponse = Response("n", _in_support)


def _clip_mean(mu: np.ndarray, family: Family) -> np.ndarray:
    if family.name == "bernoulli":
        return np.clip(mu, MU_FLOOR, 1 - MU_FLOOR)
    if family.name == "poisson":
        return np.maximum(mu, MU_FLOOR)
    return mu


def score(X: Array("n p"), y: Response("n"), beta: Array("p"), family: Family, link: Link) -> np.ndarray:
    """U(beta) = X^T [(y - mu) / V(mu) * dmu/deta], the gradient of the log-likelihood (psi = 1).

    For a canonical link (dmu/deta = V(mu)) this is X^T (y - mu).
    """
    eta = X @ beta
    mu = _clip_mean(link.g_inv(eta), family)
    return X.T @ ((y - mu) / family.variance(mu) * link.dmu_deta(eta))


def fisher_information(X: Array("n p"), beta: Array("p"), family: Family, link: Link) -> np.ndarray:
    """I(beta) = X^T Omega X with Omega = diag(omega), omega = (dmu/deta)^2 / V(mu) (psi = 1)."""
    eta = X @ beta
    mu = _clip_mean(link.g_inv(eta), family)
    omega = link.dmu_deta(eta) ** 2 / family.variance(mu)
    return X.T @ (omega[:, None] * X)


def deviance(y: Response("n", _deviance_support), mu: Array("n", _a_mean_of_the_family), family: Family) -> float:
    """D = sum of unit deviances: twice the log-likelihood gap to the saturated model (psi = 1)."""
    return float(np.sum(family.unit_deviance(y, _clip_mean(mu, family))))


def _separates(X: np.ndarray, y: np.ndarray, beta: np.ndarray) -> bool:
    # A beta that puts every point strictly on its own side is a certificate of complete
    # separation: scaling it up drives the Bernoulli likelihood to 1, so no finite maximum.
    return bool(np.all((2 * y - 1) * (X @ beta) > 0))


def _record_iteration(iteration: int, X: np.ndarray, y: np.ndarray, beta: np.ndarray, family: Family,
                      link: Link) -> Iteration:
    # The fit's bookkeeping: the deviance and the norm of the score after a step, and the stop when
    # the step has found a separating direction (the estimate does not exist; IRLS would run off).
    if family.name == "bernoulli" and _separates(X, y, beta):
        raise SeparationError("y: a linear combination of the columns of X separates the 0s from the 1s "
                              "completely, so the maximum likelihood estimate does not exist")
    with np.errstate(over="ignore"):  # what the check below reports
        means = link.g_inv(X @ beta)
    if not np.all(np.isfinite(means)):
        raise ConvergenceError(f"y: IRLS diverged at iteration {iteration}: the step sent the means beyond the "
                               "floating-point range (responses of very different sizes at nearby covariates?)")
    return Iteration(iteration, beta, deviance(y, means, family),
                     float(np.linalg.norm(score(X, y, beta, family, link))))


# --8<-- [start:irls]
def irls_step(X: Array("n p"), y: Response("n"), beta: Array("p"), family: Family, link: Link) -> np.ndarray:
    """One Fisher-scoring step from beta: the weighted least-squares regression of the working
    response y_tilde = eta + (y - mu) * deta/dmu on X, with weights omega = (dmu/deta)^2 / V(mu)."""
    eta = X @ beta
    mu = _clip_mean(link.g_inv(eta), family)
    # Every link here is increasing; the floor keeps 1/(dmu/deta) finite far out in the tails.
    dmu_deta = np.maximum(link.dmu_deta(eta), MU_FLOOR)
    y_tilde = eta + (y - mu) / dmu_deta
    sqrt_omega = np.sqrt(dmu_deta**2 / family.variance(mu))
    return np.linalg.lstsq(sqrt_omega[:, None] * X, sqrt_omega * y_tilde, rcond=None)[0]


def starting_beta(X: Array("n p"), y: Response("n"), family: Family, link: Link) -> np.ndarray:
    """beta = 0; for counts, the least-squares fit of g(y + 1/2) on X, a start near the data."""
    if family.name != "poisson":
        return np.zeros(X.shape[1])
    return np.linalg.lstsq(X, link.g(y + 0.5), rcond=None)[0]


def fit_glm_irls(X: Design, y: GLMResponse, family: FamilyName = "bernoulli", link: LinkName = None, *,
                 tol: Tolerance = 1e-10, max_iter: PositiveInt = 50) -> GLMFit:
    """Maximum likelihood by iteratively reweighted least squares, from starting_beta, until no
    coefficient moves by more than tol * (1 + max|beta|); standard errors from psi I(beta)^-1."""
    fam = FAMILIES[family]
    lnk = LINKS[fam.canonical_link if link is None else link]
    beta, path = starting_beta(X, y, fam, lnk), []
    for iteration in range(1, max_iter + 1):
        beta, previous = irls_step(X, y, beta, fam, lnk), beta
        path.append(_record_iteration(iteration, X, y, beta, fam, lnk))
        if np.max(np.abs(beta - previous)) <= tol * (1 + np.max(np.abs(beta))):
            break
    else:
        raise ConvergenceError(_not_converged("IRLS", X, max_iter))
    n, p = X.shape
    mu = _clip_mean(lnk.g_inv(X @ beta), fam)
    # Gaussian: psi estimated by the Pearson statistic / (n - p); Bernoulli and Poisson: psi = 1.
    psi = float(np.sum((y - mu) ** 2 / fam.variance(mu)) / (n - p)) if fam.estimates_dispersion else 1.0
    covariance = psi * np.linalg.inv(fisher_information(X, beta, fam, lnk))
    return GLMFit(fam.name, lnk.name, beta, np.sqrt(np.diag(covariance)), path[-1].deviance, psi, path)
# --8<-- [end:irls]


def negative_log_likelihood(X: Design, y: GLMResponse, beta: Array("p"), family: FamilyName = "bernoulli",
                            link: LinkName = None) -> float:
    """-log L(beta) up to terms free of beta: sum_i [kappa(xi_i) - y_i xi_i] (psi = 1).

    xi = (kappa')^{-1}(mu); for the canonical link xi = eta.
    """
    fam, lnk = resolve_family_and_link(family, link)
    eta = X @ beta
    if lnk.name == fam.canonical_link:
        xi = eta
    else:  # only Bernoulli has a second link here: xi = logit(mu)
        mu = _clip_mean(lnk.g_inv(eta), fam)
        xi = np.log(mu / (1 - mu))
    return float(np.sum(fam.kappa(xi) - y * xi))


def fit_glm_newton(X: Design, y: GLMResponse, family: FamilyName = "bernoulli", link: LinkName = None, *,
                   tol: Tolerance = 1e-12, max_iter: PositiveInt = 50, step: Step = 1e-6) -> list[np.ndarray]:
    """Newton-Raphson on the log-likelihood, from starting_beta, with the *observed* information.

    The observed information -dU/dbeta is taken by central differences of the analytic score.
    Returns the path of iterates (the last is the estimate).
    """
    fam, lnk = resolve_family_and_link(family, link)
    beta, path = starting_beta(X, y, fam, lnk), []
    for _ in range(max_iter):
        information = observed_information(X, y, beta, fam, lnk, step)
        try:
            beta = beta + np.linalg.solve(information, score(X, y, beta, fam, lnk))
        except np.linalg.LinAlgError:
            raise SeparationError("y: the observed information became singular; a linear combination of the "
                                  "columns of X separates the responses, so the maximum likelihood estimate "
                                  "does not exist") from None
        if not np.all(np.isfinite(beta)):
            raise ConvergenceError("max_iter: Newton diverged (the estimate left the floating-point range)")
        path.append(beta)
        if fam.name == "bernoulli" and _separates(X, y, beta):
            raise SeparationError("y: a linear combination of the columns of X separates the 0s from the 1s "
                                  "completely, so the maximum likelihood estimate does not exist")
        if len(path) > 1 and np.max(np.abs(path[-1] - path[-2])) <= tol * (1 + np.max(np.abs(beta))):
            return path
    raise ConvergenceError(_not_converged("Newton", X, max_iter))


def observed_information(X: Array("n p"), y: Response("n"), beta: Array("p"), family: Family, link: Link,
                         step: Step = 1e-6) -> np.ndarray:
    """-dU/dbeta at beta, by central differences of the score (p x p, symmetrised)."""
    p = beta.shape[0]
    columns = [(score(X, y, beta - step * e, family, link) - score(X, y, beta + step * e, family, link)) / (2 * step)
               for e in np.eye(p)]
    J = np.column_stack(columns)
    return (J + J.T) / 2


# --- real data shipped with statsmodels -----------------------------------------------------


@dataclass(frozen=True)
class Dataset:
    """A design matrix with named columns, a response, and where the data come from."""

    name: str
    X: np.ndarray
    y: np.ndarray
    columns: tuple[str, ...]
    source: str


@cached
def spector_data() -> Dataset:
    """Spector and Mazzeo (1980): did a new teaching method (PSI) raise grades? n = 32 students."""
    from statsmodels.datasets import spector

    data = spector.load_pandas().data
    X = np.column_stack([np.ones(len(data)), data[["GPA", "TUCE", "PSI"]].to_numpy(float)])
    return Dataset("spector", X, data["GRADE"].to_numpy(float), ("intercept", "GPA", "TUCE", "PSI"),
                   "Spector and Mazzeo (1980), as shipped with statsmodels")


@cached
def cpunish_data() -> Dataset:
    """Executions by US state in 1997 (17 states) against income, poverty and region: counts."""
    from statsmodels.datasets import cpunish

    data = cpunish.load_pandas().data
    covariates = data[["INCOME", "PERPOVERTY", "PERBLACK", "SOUTH"]].to_numpy(float)
    covariates[:, 0] = np.log(covariates[:, 0])  # income enters on the log scale
    X = np.column_stack([np.ones(len(data)), covariates])
    return Dataset("cpunish", X, data["EXECUTIONS"].to_numpy(float),
                   ("intercept", "log INCOME", "PERPOVERTY", "PERBLACK", "SOUTH"),
                   "US capital punishment data (1997), as shipped with statsmodels")


@cached
def spector_fit() -> GLMFit:
    data = spector_data()
    return fit_glm_irls(data.X, data.y, "bernoulli")


@cached
def cpunish_fit() -> GLMFit:
    data = cpunish_data()
    return fit_glm_irls(data.X, data.y, "poisson")


def _one_name_per_coefficient(columns: object, fit: GLMFit) -> str | None:
    if not isinstance(columns, (list, tuple)) or len(columns) != len(fit.beta) or \
            not all(isinstance(name, str) for name in columns):
        return f"expected {len(fit.beta)} names, one per coefficient, got {columns!r}"
    return None


def coefficient_table(fit: GLMFit, columns: Annotated[tuple[str, ...], _one_name_per_coefficient]) -> str:
    """The coefficients, standard errors and z = beta / se as a fixed-width text table."""
    lines = [f"{'':<12}{'coef':>10}{'std err':>10}{'z':>8}"]
    for name, b, se in zip(columns, fit.beta, fit.standard_errors, strict=True):
        lines.append(f"{name:<12}{b:>10.4f}{se:>10.4f}{b / se:>8.2f}")
    lines.append(f"deviance {fit.deviance:.4f} after {fit.n_iterations} IRLS iterations")
    return "\n".join(lines)


# --- demonstrations used on the page ---------------------------------------------------------


def simulated_logistic(n: PositiveInt = 400, p: PositiveInt = 4, seed: Seed = 1
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, y, true beta): an intercept and p - 1 standard normal covariates, y ~ Bernoulli(sigmoid(X beta))."""
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, p - 1))])
    beta = np.linspace(-1, 1.5, p)
    y = (rng.random(n) < sigmoid(X @ beta)).astype(float)
    return X, y, beta


def irls_errors(seed: Seed = 1) -> list[float]:
    """max |beta_t - beta_hat| after each IRLS step before the last on simulated logistic data (n = 400, p = 4)."""
    X, y, _ = simulated_logistic(seed=seed)
    fit = fit_glm_irls(X, y, "bernoulli", tol=1e-15)
    # The last iterate is the estimate itself; the errors are those of the steps before it.
    return [float(np.max(np.abs(step.beta - fit.beta))) for step in fit.iterations[:-1]]


def irls_convergence_summary() -> dict[str, float]:
    """The first five errors of irls_errors, the last one and the number of iterations it takes."""
    errors = irls_errors()
    first, second, third, fourth, fifth = errors[:5]
    return {"first": first, "second": second, "third": third, "fourth": fourth, "fifth": fifth,
            "last": errors[-1], "iterations": len(errors)}


def separation_gradient_descent(steps: PositiveInt = 30_000, learning_rate: Positive = 1.0
                                ) -> tuple[np.ndarray, np.ndarray]:
    """Gradient descent on the mean logistic loss of x = (-2, -1, 1, 2), y = (0, 0, 1, 1), no intercept.

    The data are separated by beta > 0, so the loss has no minimiser and beta_t grows like log t.
    Returns (t, beta_t) for t = 1 .. steps.
    """
    x, y = np.array([-2.0, -1.0, 1.0, 2.0]), np.array([0.0, 0.0, 1.0, 1.0])
    beta, trace = 0.0, np.empty(steps)
    for t in range(steps):
        beta -= learning_rate * float(np.mean((sigmoid(beta * x) - y) * x))
        trace[t] = beta
    return np.arange(1, steps + 1), trace


@cached
def cloglog_comparison() -> dict[str, float]:
    """Fisher scoring against Newton on the Spector data with the (non-canonical) cloglog link."""
    data = spector_data()
    fisher = fit_glm_irls(data.X, data.y, "bernoulli", "cloglog")
    newton = fit_glm_newton(data.X, data.y, "bernoulli", "cloglog")
    return {
        "fisher_iterations": fisher.n_iterations,
        "newton_iterations": len(newton),
        "difference": float(np.max(np.abs(fisher.beta - newton[-1]))),
    }


@cached
def statsmodels_agreement() -> float:
    """Largest relative difference from statsmodels' GLM over the coefficients and standard errors
    of the two real-data fits on the page."""
    import statsmodels.api as sm

    worst = 0.0
    for data, fit, family in ((spector_data(), spector_fit(), sm.families.Binomial()),
                              (cpunish_data(), cpunish_fit(), sm.families.Poisson())):
        reference = sm.GLM(data.y, data.X, family=family).fit(tol=1e-14)
        for ours, theirs in ((fit.beta, reference.params), (fit.standard_errors, reference.bse)):
            worst = max(worst, float(np.max(np.abs(ours / np.asarray(theirs) - 1))))
    return worst


# --- figures ----------------------------------------------------------------------------------


@figure(
    "link-functions",
    alt=("Three inverse link functions plotted against the linear predictor eta from -4 to 4: the logistic "
         "curve rising symmetrically from 0 to 1, the complementary log-log curve rising from 0 to 1 but "
         "asymmetrically, approaching 1 faster than 0, and the exponential curve, the inverse of the log link, "
         "growing without bound."),
    caption=("Inverse links $\\mu = g^{-1}(\\eta)$. Logit and complementary log-log both map the real line onto "
             "$(0, 1)$, the logit symmetrically, cloglog not; the inverse of the log link maps it onto "
             "$(0, \\infty)$."),
)
def draw_link_functions() -> Figure:
    eta = np.linspace(-4, 4, 201)
    fig = new_figure(figsize=(6.4, 3.4))
    prob_ax, count_ax = fig.subplots(1, 2)
    prob_ax.plot(eta, LINKS["logit"].g_inv(eta), label="logit$^{-1}$ (logistic)")
    prob_ax.plot(eta, LINKS["cloglog"].g_inv(eta), label="cloglog$^{-1}$", linestyle="--")
    prob_ax.set(xlabel="linear predictor $\\eta$", ylabel="mean $\\mu$", title="Bernoulli mean", ylim=(0, 1))
    prob_ax.legend(loc="upper left")
    count_ax.plot(eta, LINKS["log"].g_inv(eta), color=style.GREEN, label="log$^{-1}$ = exp")
    count_ax.set(xlabel="linear predictor $\\eta$", title="Poisson mean", yscale="log")
    count_ax.legend(loc="upper left")
    return fig


@figure(
    "irls-convergence",
    alt=("A log-scale plot of the largest coefficient error after each IRLS iteration for a logistic "
         "regression with 400 observations. The error is {first:.2f} after the first iteration and {second:.2f} "
         "after the second, then plunges: {third:.1e}, {fourth:.1e}, {fifth:.1e}, the number of correct digits "
         "roughly doubling each step, until it reaches machine precision, {last:.1e}, at iteration {iterations}."),
    alt_values=irls_convergence_summary,
    caption=("IRLS on a logistic regression ($n = 400$, $p = 4$, canonical link). Near the estimate each step "
             "roughly squares the error: quadratic convergence, as for Newton's method, which IRLS is here."),
)
def draw_irls_convergence() -> Figure:
    errors = irls_errors()
    fig = new_figure(figsize=(5.2, 3.4))
    ax = fig.subplots()
    ax.semilogy(np.arange(1, len(errors) + 1), errors, marker="o")
    ax.axhline(np.finfo(float).eps, color=style.FOREGROUND, linestyle=":", linewidth=1)
    ax.annotate("machine epsilon", (1, np.finfo(float).eps * 3), fontsize=9)
    ax.set(xlabel="IRLS iteration $t$", ylabel="$\\max_j |\\beta_{t,j} - \\hat\\beta_j|$")
    return fig


@figure(
    "logistic-nll-surface",
    alt=("Contour plot of the negative log-likelihood of a logistic regression with an intercept and one "
         "slope, over a grid of both coefficients. The contours are nested convex ovals around a single "
         "minimum, marked with a dot at the maximum likelihood estimate; there is no other valley."),
    caption=("The negative log-likelihood of a two-parameter logistic regression on simulated data: convex, "
             "one minimum (the dot), as for every canonical-link GLM."),
)
def draw_logistic_nll_surface() -> Figure:
    X, y, _ = simulated_logistic(n=200, p=2, seed=3)
    fit = fit_glm_irls(X, y, "bernoulli")
    b0, b1 = np.meshgrid(np.linspace(fit.beta[0] - 2.5, fit.beta[0] + 2.5, 121),
                         np.linspace(fit.beta[1] - 2.5, fit.beta[1] + 2.5, 121))
    # sum_i [log(1 + e^eta_i) - y_i eta_i] at every grid point at once: eta has shape (121, 121, n).
    eta = b0[..., None] * X[:, 0] + b1[..., None] * X[:, 1]
    nll = np.sum(np.logaddexp(0, eta) - y * eta, axis=-1)
    fig = new_figure(figsize=(4.8, 4.0))
    ax = fig.subplots()
    contours = ax.contour(b0, b1, nll, levels=14, cmap="viridis")
    ax.clabel(contours, fontsize=9, fmt="%.0f")
    ax.plot(*fit.beta, marker="o", color=style.VERMILLION, linestyle="none", label="MLE $\\hat\\beta$")
    ax.set(xlabel="intercept $\\beta_0$", ylabel="slope $\\beta_1$")
    ax.legend(loc="upper right")
    ax.grid(False)
    return fig


@figure(
    "separation-drift",
    alt=("The coefficient of a logistic model trained by gradient descent on four perfectly separated points, "
         "plotted against the step number on a logarithmic axis from 1 to 30,000. After the first few steps "
         "the curve is a straight line, climbing by about 2.3 for every tenfold increase in steps, and "
         "lies on the dashed prediction log t minus log 2: the coefficient never settles."),
    caption=("Complete separation: gradient descent on $x = (-2, -1, 1, 2)$, $y = (0, 0, 1, 1)$. The loss has "
             "no minimiser; the coefficient grows like $\\log t - \\log 2$ (dashed) without end."),
)
def draw_separation_drift() -> Figure:
    t, beta = separation_gradient_descent()
    fig = new_figure(figsize=(5.2, 3.4))
    ax = fig.subplots()
    ax.semilogx(t, beta, label="gradient descent $\\beta_t$")
    ax.semilogx(t[9:], np.log(t[9:]) - np.log(2), linestyle="--", color=style.FOREGROUND, linewidth=1,
                label="$\\log t - \\log 2$")
    ax.set(xlabel="step $t$", ylabel="coefficient $\\beta_t$")
    ax.legend(loc="upper left")
    return fig


enforce_annotations(globals())
