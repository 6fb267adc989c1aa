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
# # Notebook: universal approximation
#
# One hidden layer can approximate any continuous function on a compact set, but the theorem says
# nothing about how many units, how to find them, or how well the result generalises. This notebook
# builds the constructions of the chapter and measures them. Every function comes from the
# `snippets` package that builds the site.

# %%
# %matplotlib inline
from snippets.universal import (
    approximation_errors,
    draw_approximation_error_rates,
    error_ratios,
    noise_interpolation,
    sawtooth_pieces,
    shallow_max_pieces,
)

# %% [markdown]
# ## Two constructions, two rates
#
# The ReLU interpolant of $f(x) = \sin(2\pi x) + x^2$ with $M$ units has sup error at most
# $\|f''\|_\infty / (8M^2)$; a staircase of steep sigmoids errs like $1/M$. Doubling the width
# should divide the errors by about 4 and 2:

# %%
errors = approximation_errors(widths=(8, 16, 32, 64))
print(f"{'M':>4}{'ReLU error':>12}{'bound':>10}{'staircase error':>17}")
for i, M in enumerate(errors["widths"]):
    print(f"{M:>4}{errors['relu'][i]:>12.2e}{errors['relu_bound'][i]:>10.2e}{errors['staircase'][i]:>17.2e}")
print("error(M) / error(2M), ReLU:", [round(r, 2) for r in error_ratios("relu")],
      " staircase:", [round(r, 2) for r in error_ratios("staircase")])

# %%
draw_approximation_error_rates()

# %% [markdown]
# ## Universality is not learning
#
# A ReLU network with one unit fewer than data points fits 30 points of standard normal noise
# exactly. On fresh noise its mean squared error is well above 1, the error of predicting zero:

# %%
noise = noise_interpolation(n=30)
print(f"{noise['units']} ReLU units; largest training error {noise['train_error']:.1e}; "
      f"mean squared error on fresh noise {noise['test_mse']:.2f}")

# %% [markdown]
# ## Depth multiplies pieces
#
# The tent map composed $L$ times is a ReLU network of depth $L$ with 2 units per layer and $2^L$
# affine pieces; a one-hidden-layer network with $M$ units has at most $M + 1$:

# %%
print("depth L -> pieces:", {L: sawtooth_pieces(L) for L in range(1, 9)})
print("width M -> most pieces seen:", shallow_max_pieces())
