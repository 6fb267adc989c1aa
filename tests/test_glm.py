"""Tests of snippets/glm.py: families, the score, IRLS against Newton, convexity, separation,
statsmodels as an oracle on real data, invariants, and errors."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from snippets.glm import (
    FAMILIES,
    LINKS,
    ConvergenceError,
    SeparationError,
    cloglog_comparison,
    coefficient_table,
    cpunish_data,
    deviance,
    fisher_information,
    fit_glm_irls,
    fit_glm_newton,
    irls_errors,
    irls_step,
    negative_log_likelihood,
    observed_information,
    resolve_family_and_link,
    score,
    separation_gradient_descent,
    simulated_logistic,
    spector_data,
    starting_beta,
    statsmodels_agreement,
)


def simulated(family: str, n: int, p: int, seed: int, link: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(n), rng.standard_normal((n, p - 1))])
    eta = X @ rng.uniform(-0.8, 0.8, p)
    fam, lnk = resolve_family_and_link(family, link)
    mu = lnk.g_inv(eta)
    y = {"gaussian": lambda: mu + rng.standard_normal(n),
         "bernoulli": lambda: (rng.random(n) < mu).astype(float),
         "poisson": lambda: rng.poisson(mu).astype(float)}[family]()
    return X, y


# --- the three parts --------------------------------------------------------------------------


@pytest.mark.claim("exponential-family-moments")
@pytest.mark.parametrize(
    ("family", "variance_of_mean", "link"),
    [("gaussian", lambda mu: np.ones_like(mu), "identity"),
     ("bernoulli", lambda mu: mu * (1 - mu), "logit"),
     ("poisson", lambda mu: mu, "log")],
)
def test_mean_and_variance_are_the_derivatives_of_the_cumulant(family: str, variance_of_mean, link: str) -> None:
    fam = FAMILIES[family]
    xi, h = np.linspace(-2, 2, 41), 1e-4
    first = (fam.kappa(xi + h) - fam.kappa(xi - h)) / (2 * h)
    second = (fam.kappa(xi + h) - 2 * fam.kappa(xi) + fam.kappa(xi - h)) / h**2
    np.testing.assert_allclose(first, fam.mean(xi), atol=1e-6)
    np.testing.assert_allclose(second, variance_of_mean(fam.mean(xi)), atol=1e-5)
    np.testing.assert_allclose(fam.variance(fam.mean(xi)), variance_of_mean(fam.mean(xi)))
    assert fam.canonical_link == link
    # Canonical: the link inverts kappa', so xi = eta.
    np.testing.assert_allclose(LINKS[link].g(fam.mean(xi)), xi, atol=1e-12)


@pytest.mark.claim("exponential-family-moments")
def test_monte_carlo_moments_match_at_theta_0_7() -> None:
    rng, theta, draws = np.random.default_rng(11), 0.7, 200_000
    poisson = rng.poisson(np.exp(theta), draws)
    assert poisson.mean() == pytest.approx(np.exp(theta), rel=0.01)
    assert poisson.var() == pytest.approx(np.exp(theta), rel=0.02)
    mu = 1 / (1 + np.exp(-theta))
    bernoulli = rng.random(draws) < mu
    assert bernoulli.mean() == pytest.approx(mu, rel=0.01)
    assert bernoulli.var() == pytest.approx(mu * (1 - mu), rel=0.01)


@pytest.mark.claim("canonical-score")
@pytest.mark.parametrize("family", ["gaussian", "bernoulli", "poisson"])
def test_the_gradient_is_X_transpose_times_mu_minus_y(family: str) -> None:
    X, y = simulated(family, n=60, p=3, seed=4)
    rng, h = np.random.default_rng(8), 1e-6
    for beta in rng.normal(0, 0.5, size=(5, 3)):
        fd = np.array([(negative_log_likelihood(X, y, beta + h * e, family)
                        - negative_log_likelihood(X, y, beta - h * e, family)) / (2 * h) for e in np.eye(3)])
        mu = FAMILIES[family].mean(X @ beta)
        np.testing.assert_allclose(fd, X.T @ (mu - y), rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(-score(X, y, beta, *resolve_family_and_link(family, None)), X.T @ (mu - y),
                                   rtol=1e-12)


# --- IRLS, Fisher scoring and Newton ------------------------------------------------------------


@pytest.mark.claim("irls-is-newton")
def test_observed_and_expected_information_coincide_for_canonical_links() -> None:
    for family in ("bernoulli", "poisson", "gaussian"):
        X, y = simulated(family, n=200, p=4, seed=2)
        fam, lnk = resolve_family_and_link(family, None)
        for beta in np.random.default_rng(3).normal(0, 0.5, size=(5, 4)):
            np.testing.assert_allclose(observed_information(X, y, beta, fam, lnk), fisher_information(X, beta, fam,
                                                                                                      lnk),
                                       rtol=1e-6, atol=1e-6)


@pytest.mark.claim("irls-is-newton")
def test_counts_start_from_the_data_and_need_a_few_steps_at_any_size() -> None:
    X = np.column_stack([np.ones(20), np.linspace(-1.0, 1.0, 20)])
    poisson, log = FAMILIES["poisson"], LINKS["log"]
    for count in (50.0, 800.0, 1e12):
        fit = fit_glm_irls(X, np.full(20, count), "poisson")
        assert fit.beta == pytest.approx([np.log(count), 0.0], abs=1e-8)
        assert len(fit.iterations) <= 5, count
    assert np.allclose(starting_beta(X, np.full(20, 7.0), poisson, log), [np.log(7.5), 0.0])
    assert not starting_beta(X, np.zeros(20), FAMILIES["bernoulli"], LINKS["logit"]).any()
    # From beta = 0 the first step overshoots to eta near y - 1 and comes back about one unit a step.
    beta, steps = np.zeros(2), 0
    while steps < 100:
        beta, previous, steps = irls_step(X, np.full(20, 50.0), beta, poisson, log), beta, steps + 1
        if np.max(np.abs(beta - previous)) <= 1e-10 * (1 + np.max(np.abs(beta))):
            break
    assert 40 < steps < 100 and beta[0] == pytest.approx(np.log(50.0))
    with np.errstate(all="ignore"):
        assert irls_step(X, np.full(20, 800.0), np.zeros(2), poisson, log)[0] > 709  # exp overflows next


def test_irls_and_newton_take_the_same_steps_and_converge_quadratically() -> None:
    X, y, _ = simulated_logistic()
    irls = fit_glm_irls(X, y, "bernoulli")
    newton = fit_glm_newton(X, y, "bernoulli")
    assert irls.n_iterations <= 10
    for step, newton_beta in zip(irls.iterations, newton, strict=False):
        np.testing.assert_allclose(step.beta, newton_beta, atol=1e-7)  # Newton's information is a finite difference
    assert irls.iterations[-1].score_norm < 1e-8
    errors = irls_errors()
    assert errors[3] < 1e-3 and errors[4] < 1e-7
    # Quadratic: once close, the next error is at most a modest constant times the square of this one.
    for now, after in pairwise(errors):
        if now < 0.2 and after > 1e-14:
            assert after < 5 * now**2


@pytest.mark.claim("noncanonical-fisher-scoring")
def test_cloglog_information_matrices_differ_but_the_estimates_agree() -> None:
    X, y = simulated("bernoulli", n=500, p=3, seed=6, link="cloglog")
    fam, lnk = resolve_family_and_link("bernoulli", "cloglog")
    fisher = fit_glm_irls(X, y, "bernoulli", "cloglog")
    newton = fit_glm_newton(X, y, "bernoulli", "cloglog")
    assert np.max(np.abs(fisher.beta - newton[-1])) < 1e-8
    expected = fisher_information(X, fisher.beta, fam, lnk)
    observed = observed_information(X, y, fisher.beta, fam, lnk)
    assert np.linalg.norm(expected - observed) / np.linalg.norm(expected) > 0.01
    assert np.max(np.abs(fisher.iterations[1].beta - newton[1])) > 1e-3  # different paths


@pytest.mark.claim("noncanonical-fisher-scoring")
def test_the_numbers_on_the_page_for_the_grade_data() -> None:
    comparison = cloglog_comparison()
    assert comparison["difference"] < 1e-8
    assert comparison["fisher_iterations"] != comparison["newton_iterations"]


# --- convexity and separation -----------------------------------------------------------------


@pytest.mark.claim("glm-convex")
@pytest.mark.parametrize(("family", "draws"), [("bernoulli", 200), ("poisson", 50), ("gaussian", 20)])
def test_the_hessian_is_positive_definite_everywhere(family: str, draws: int) -> None:
    X, y = simulated(family, n=100, p=3, seed=9)
    fam, lnk = resolve_family_and_link(family, None)
    for beta in np.random.default_rng(10).normal(0, 3 if family == "bernoulli" else 1, size=(draws, 3)):
        # For a canonical link the Hessian of the NLL is exactly X^T W X.
        assert np.linalg.eigvalsh(fisher_information(X, beta, fam, lnk)).min() > 0


@pytest.mark.claim("glm-convex")
@pytest.mark.parametrize("family", ["bernoulli", "poisson"])
def test_midpoints_never_lie_above_the_chord(family: str) -> None:
    X, y = simulated(family, n=100, p=3, seed=12)
    rng = np.random.default_rng(13)
    for _ in range(100):
        b1, b2 = rng.normal(0, 2, size=(2, 3))
        mid = negative_log_likelihood(X, y, (b1 + b2) / 2, family)
        chord = (negative_log_likelihood(X, y, b1, family) + negative_log_likelihood(X, y, b2, family)) / 2
        assert mid <= chord + 1e-9


@pytest.mark.claim("separation-no-mle")
def test_separated_data_are_reported_not_fitted() -> None:
    X = np.column_stack([np.ones(4), [-2.0, -1.0, 1.0, 2.0]])
    with pytest.raises(SeparationError, match="separates the 0s from the 1s"):
        fit_glm_irls(X, np.array([0.0, 0.0, 1.0, 1.0]), "bernoulli")
    # Along the separating direction the loss keeps falling towards 0 and never reaches it.
    losses = [negative_log_likelihood(X, np.array([0.0, 0.0, 1.0, 1.0]), np.array([0.0, t])) for t in (1, 10, 100)]
    assert losses[0] > losses[1] > losses[2] > 0


@pytest.mark.claim("separation-no-mle")
def test_gradient_descent_drifts_like_log_t() -> None:
    t, w = separation_gradient_descent()
    at = {s: w[s - 1] for s in (300, 3000, 30_000)}
    for s, value in at.items():
        assert abs(value - (np.log(s) - np.log(2))) < 0.1
    assert at[3000] - at[300] > 1 and at[30_000] - at[3000] > 1
    x, y = np.array([-2.0, -1.0, 1.0, 2.0]), np.array([0.0, 0.0, 1.0, 1.0])
    assert np.mean(np.logaddexp(0, w[-1] * x) - y * w[-1] * x) < 1e-3


def test_quasi_complete_separation_stops_with_an_error_not_an_endless_loop() -> None:
    X = np.column_stack([np.ones(4), [-1.0, 0.0, 0.0, 1.0]])
    with pytest.raises(ConvergenceError, match="max_iter"):
        fit_glm_irls(X, np.array([0.0, 0.0, 1.0, 1.0]), "bernoulli", max_iter=30)


# --- statsmodels as the oracle on real data -----------------------------------------------------


def statsmodels_api():
    """statsmodels.api, imported by the tests that use it: the import takes 0.7 s, which every
    pytest worker would otherwise spend collecting this module (`make test-fast` included)."""
    import statsmodels.api

    return statsmodels.api


@pytest.mark.claim("fitter-matches-statsmodels")
@pytest.mark.parametrize(
    ("data", "family", "link", "reference"),
    [
        (spector_data, "bernoulli", None, lambda sm: sm.families.Binomial()),
        (spector_data, "bernoulli", "cloglog", lambda sm: sm.families.Binomial(link=sm.families.links.CLogLog())),
        (cpunish_data, "poisson", None, lambda sm: sm.families.Poisson()),
    ],
)
def test_coefficients_and_standard_errors_match_statsmodels(data, family: str, link: str | None, reference) -> None:
    d, sm = data(), statsmodels_api()
    ours = fit_glm_irls(d.X, d.y, family, link)
    theirs = sm.GLM(d.y, d.X, family=reference(sm)).fit(tol=1e-14)
    np.testing.assert_allclose(ours.beta, theirs.params, rtol=1e-6)
    np.testing.assert_allclose(ours.standard_errors, theirs.bse, rtol=1e-6)
    assert ours.deviance == pytest.approx(theirs.deviance, rel=1e-9)


@pytest.mark.claim("fitter-matches-statsmodels")
def test_a_gaussian_fit_matches_statsmodels_including_the_dispersion() -> None:
    d = spector_data()
    X, y = d.X[:, :2], d.X[:, 2]  # TUCE on GPA
    ours, theirs = fit_glm_irls(X, y, "gaussian"), statsmodels_api().GLM(y, X).fit()
    np.testing.assert_allclose(ours.beta, theirs.params, rtol=1e-6)
    np.testing.assert_allclose(ours.standard_errors, theirs.bse, rtol=1e-6)
    assert ours.dispersion == pytest.approx(theirs.scale, rel=1e-9)


@pytest.mark.claim("fitter-matches-statsmodels")
def test_the_agreement_printed_on_the_page() -> None:
    assert statsmodels_agreement() < 1e-6


# --- invariants, by property-based testing ------------------------------------------------------

designs = st.tuples(st.integers(30, 80), st.integers(2, 4), st.integers(0, 10_000),
                    st.sampled_from(["gaussian", "bernoulli", "poisson"]))


def fit_or_skip(X: np.ndarray, y: np.ndarray, family: str):
    try:
        return fit_glm_irls(X, y, family)
    except (SeparationError, ConvergenceError):
        assume(False)


@settings(max_examples=40, deadline=None)
@given(designs)
def test_the_score_vanishes_at_the_estimate(design: tuple[int, int, int, str]) -> None:
    n, p, seed, family = design
    X, y = simulated(family, n, p, seed)
    fit = fit_or_skip(X, y, family)
    scale = 1 + np.abs(X).T @ np.abs(y)
    assert np.all(np.abs(score(X, y, fit.beta, *resolve_family_and_link(family, None))) <= 1e-7 * scale)


@settings(max_examples=40, deadline=None)
@given(designs, st.randoms(use_true_random=False))
def test_permuting_the_rows_changes_nothing(design: tuple[int, int, int, str], random) -> None:
    n, p, seed, family = design
    X, y = simulated(family, n, p, seed)
    fit = fit_or_skip(X, y, family)
    order = list(range(n))
    random.shuffle(order)
    permuted = fit_glm_irls(X[order], y[order], family)
    np.testing.assert_allclose(permuted.beta, fit.beta, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(permuted.standard_errors, fit.standard_errors, rtol=1e-8)


@settings(max_examples=40, deadline=None)
@given(designs, st.floats(0.01, 100), st.integers(1, 3))
def test_rescaling_a_column_rescales_its_coefficient_inversely(design: tuple[int, int, int, str], c: float,
                                                               column: int) -> None:
    n, p, seed, family = design
    assume(column < p)
    X, y = simulated(family, n, p, seed)
    fit = fit_or_skip(X, y, family)
    X_scaled = X.copy()
    X_scaled[:, column] *= c
    rescaled = fit_glm_irls(X_scaled, y, family)
    expected = fit.beta.copy()
    expected[column] /= c
    np.testing.assert_allclose(rescaled.beta, expected, rtol=1e-6, atol=1e-9)
    assert rescaled.standard_errors[column] == pytest.approx(fit.standard_errors[column] / c, rel=1e-6)


# --- errors -----------------------------------------------------------------------------------

X4 = np.column_stack([np.ones(4), [0.0, 1.0, 2.0, 3.0]])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"X": X4, "y": np.ones(3)}, ValueError, r"X, y: expected y of shape \(n,\) with n = 4 as in X"),
        ({"X": X4[:, 1], "y": np.ones(4)}, ValueError, "X: expected a 2-dimensional"),
        ({"X": X4, "y": np.array([0, 1, np.nan, 1])}, ValueError, "y: expected finite values, got NaN"),
        ({"X": np.where(X4 == 3, np.inf, X4), "y": np.array([0, 1, 0, 1])}, ValueError, "X: expected finite values"),
        ({"X": X4, "y": np.array([0, 1, 2, 1])}, ValueError, r"y: the bernoulli family needs every y in \{0, 1\}"),
        ({"X": X4, "y": np.array([0, 1, -1, 1]), "family": "poisson"}, ValueError, "non-negative integer"),
        ({"X": X4, "y": np.array([0, 1, 1.5, 1]), "family": "poisson"}, ValueError, "non-negative integer"),
        ({"X": np.column_stack([X4, 2 * X4[:, 1]]), "y": np.array([0, 1, 0, 1])}, ValueError, "X: rank-deficient"),
        ({"X": X4, "y": np.array([0, 1, 0, 1]), "family": "gamma"}, ValueError, "family: expected one of"),
        ({"X": X4, "y": np.array([0, 1, 0, 1]), "link": "probit"}, ValueError, "link: the bernoulli family takes"),
        ({"X": X4, "y": np.array([0, 1, 0, 1]), "family": "poisson", "link": "logit"}, ValueError, "link: the poisson"),
        ({"X": X4, "y": np.array([0, 1, 0, 1]), "max_iter": 0}, ValueError, "max_iter"),
        ({"X": X4, "y": np.array([0, 1, 0, 1]), "max_iter": 2.5}, TypeError, "max_iter"),
        ({"X": "X", "y": np.array([0, 1, 0, 1])}, TypeError, "X: expected"),
        ({"X": X4[:1], "y": np.array([1.0])}, ValueError, "1 rows cannot determine 2 coefficients"),
    ],
)
def test_bad_input_gets_an_error_that_names_the_argument(kwargs: dict, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        fit_glm_irls(**kwargs)


@pytest.mark.parametrize(("family", "reference"), [("poisson", "Poisson"), ("bernoulli", "Binomial"),
                                                   ("gaussian", "Gaussian")])
def test_deviance_matches_statsmodels_away_from_the_estimate(family: str, reference: str) -> None:
    # At a fitted intercept model sum(y - mu) = 0, and a Poisson deviance missing its -(y - mu) term
    # would still agree there; at arbitrary means it must not.
    rng = np.random.default_rng(3)
    y = {"poisson": rng.poisson(3.0, 40).astype(float), "bernoulli": (rng.random(40) < 0.4).astype(float),
         "gaussian": rng.standard_normal(40)}[family]
    mu = {"poisson": rng.uniform(0.5, 6.0, 40), "bernoulli": rng.uniform(0.05, 0.95, 40),
          "gaussian": rng.standard_normal(40)}[family]
    assert abs(np.sum(y - mu)) > 1.0
    theirs = getattr(statsmodels_api().families, reference)()
    assert deviance(y, mu, FAMILIES[family]) == pytest.approx(theirs.deviance(y, mu), rel=1e-10)


def test_the_coefficient_table_lists_each_coefficient_with_its_z_value() -> None:
    X, y, _ = simulated_logistic(n=200, p=2)
    fit = fit_glm_irls(X, y)
    lines = coefficient_table(fit, ("const", "x1")).split("\n")
    assert lines[0] == f"{'':<12}{'coef':>10}{'std err':>10}{'z':>8}"
    for line, name, b, se in zip(lines[1:3], ("const", "x1"), fit.beta, fit.standard_errors, strict=True):
        assert line == f"{name:<12}{b:>10.4f}{se:>10.4f}{b / se:>8.2f}"
    assert lines[3] == f"deviance {fit.deviance:.4f} after {fit.n_iterations} IRLS iterations"
    assert len(lines) == 4
    with pytest.raises(ValueError, match="columns"):
        coefficient_table(fit, ("const",))  # one name short


def test_newton_says_why_it_stopped_without_an_estimate() -> None:
    X = np.column_stack([np.ones(4), [0.0, 1.0, 2.0, 3.0]])
    y = np.array([0.0, 1.0, 0.0, 1.0])
    with pytest.raises(ConvergenceError, match=r"^max_iter: Newton did not converge in 1 iterations"):
        fit_glm_newton(X, y, max_iter=1)
    # Zeros then a count of 1e6 along x: the mean of the zeros goes to 0 on the way (the estimate
    # exists only on the boundary), and the observed information becomes singular.
    with np.errstate(all="ignore"), pytest.raises(SeparationError, match="observed information became singular"):
        fit_glm_newton(np.column_stack([np.ones(3), [0.0, 1.0, 2.0]]), np.array([0.0, 0.0, 1e6]), "poisson")
    # A count of 1e15 between two zeros: the estimate exists (every mean 1e15 / 3), but the steps from
    # the data's start overshoot and leave the floating-point range, Newton's and IRLS's alike.
    X3, y3 = np.column_stack([np.ones(3), [0.0, 1.0, 2.0]]), np.array([0.0, 1e15, 0.0])
    with np.errstate(all="ignore"), pytest.raises(ConvergenceError, match="Newton diverged"):
        fit_glm_newton(X3, y3, "poisson")
    with np.errstate(all="ignore"), pytest.raises(ConvergenceError, match=r"^y: IRLS diverged at iteration \d"):
        fit_glm_irls(X3, y3, "poisson")


def test_the_log_likelihood_under_a_non_canonical_link_uses_theta_of_mu() -> None:
    X = np.column_stack([np.ones(3), [-1.0, 0.0, 1.0]])
    y, beta = np.array([0.0, 1.0, 1.0]), np.array([0.2, 0.7])
    mu = 1 - np.exp(-np.exp(X @ beta))  # the complementary log-log link's inverse
    expected = -np.sum(y * np.log(mu) + (1 - y) * np.log(1 - mu))
    assert negative_log_likelihood(X, y, beta, "bernoulli", "cloglog") == pytest.approx(expected, rel=1e-12)


def test_with_the_cloglog_link_the_score_is_not_the_design_times_the_residuals() -> None:
    # glm#irls: for a non-canonical link U = X^T diag{(dmu/deta) / V(mu)} (y - mu); the canonical
    # form X^T (y - mu) does not vanish at the estimate, so it is the wrong estimating equation.
    X, y, _ = simulated_logistic(n=400, p=3, seed=2)
    fit = fit_glm_irls(X, y, "bernoulli", "cloglog")
    fam, lnk = resolve_family_and_link("bernoulli", "cloglog")
    mu = lnk.g_inv(X @ fit.beta)
    general = X.T @ ((lnk.dmu_deta(X @ fit.beta) / fam.variance(mu)) * (y - mu))
    np.testing.assert_allclose(general, score(X, y, fit.beta, fam, lnk), rtol=1e-12, atol=1e-12)
    assert np.max(np.abs(general)) < 1e-8
    assert np.max(np.abs(X.T @ (y - mu))) > 1e-2
