# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Notebook: generalized linear models
#
# Fit a GLM by iteratively reweighted least squares (IRLS) with the site's own fitter, check it
# against statsmodels, and watch what separation does to maximum likelihood. Every function comes
# from the `snippets` package that builds the site; change the arguments and rerun.

# %%
# %matplotlib inline
import numpy as np

from snippets.glm import (
    coefficient_table,
    draw_irls_convergence,
    fit_glm_irls,
    irls_errors,
    spector_data,
    statsmodels_agreement,
)

# %% [markdown]
# ## Logistic regression on the Spector and Mazzeo data
#
# The response is whether a student's grade improved; the design holds an intercept, the grade
# point average, a test score and whether the student was taught with the new method. IRLS starts
# from $\beta = 0$ and regresses the working response $z = \eta + (y - \mu)\,d\eta/d\mu$ on $X$ with
# weights $w = (d\mu/d\eta)^2 / V(\mu)$.

# %%
data = spector_data()
fit = fit_glm_irls(data.X, data.y, family="bernoulli")
print(coefficient_table(fit, data.columns))

# %% [markdown]
# The same fit with another link: the complementary log-log link $g(\mu) = \log(-\log(1-\mu))$.

# %%
fit_cloglog = fit_glm_irls(data.X, data.y, family="bernoulli", link="cloglog")
print(coefficient_table(fit_cloglog, data.columns))

# %% [markdown]
# ## Agreement with statsmodels
#
# The largest relative difference between our coefficients and standard errors and those of
# statsmodels' `GLM`, over the two real-data fits of the chapter (logistic regression on these
# grades, Poisson regression on the `cpunish` counts):

# %%
print(f"largest relative difference: {statsmodels_agreement():.1e}")

# %% [markdown]
# ## Quadratic convergence
#
# Near the maximum, each IRLS step roughly squares the error. The error of the coefficients after
# each iteration, on simulated data with known coefficients:

# %%
for k, error in enumerate(irls_errors(seed=1), start=1):
    print(f"iteration {k}: largest coefficient error {error:.2e}")

# %%
draw_irls_convergence()

# %% [markdown]
# ## Separation: no maximum to find
#
# When a hyperplane separates the two classes, the log-likelihood keeps rising as the
# coefficients grow, and the fitter stops with a `SeparationError` instead of returning
# meaningless numbers.

# %%
from snippets.glm import SeparationError

X = np.column_stack([np.ones(4), [-2.0, -1.0, 1.0, 2.0]])
y = np.array([0.0, 0.0, 1.0, 1.0])
try:
    fit_glm_irls(X, y, family="bernoulli")
except SeparationError as error:
    print("SeparationError:", error)
