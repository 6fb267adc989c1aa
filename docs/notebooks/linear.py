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
# # Notebook: what "linear" means
#
# Linearity is a property of a map with respect to an argument. This notebook measures it: the
# superposition defect of linear, affine and composed maps, and the XOR data that no model linear
# in its inputs can fit. Every function comes from the `snippets` package that builds the site.

# %%
# %matplotlib inline
import numpy as np

from snippets.linear import (
    affine_map,
    compose_affine,
    draw_xor_three_models,
    superposition_defect,
    xor_logistic_raw,
    xor_product_feature_coefficients,
)

# %% [markdown]
# ## Superposition
#
# A map $f$ is linear when its superposition defect $f(s x + t x') - s f(x) - t f(x')$ is zero for all
# $a$, $b$, $x$, $z$. For an affine map $f(x) = A x + c$ the defect is $(1 - a - b)\,c$: zero only
# when $c = 0$ (or $s + t = 1$). Change `c`, `s` or `t` below and watch the defect follow.

# %%
rng = np.random.default_rng(0)
A = rng.normal(size=(3, 2))
x, x_prime = rng.normal(size=2), rng.normal(size=2)

s, t = 2.0, -0.5
for c in (np.zeros(3), np.array([1.0, -2.0, 0.5])):
    defect = superposition_defect(affine_map(A, c), x, x_prime, s, t)
    print(f"c = {c}: defect {np.round(defect, 12) + 0.0}, (1 - s - t) c = {(1 - s - t) * c + 0.0}")

# %% [markdown]
# ## Composing affine maps
#
# Two affine layers without a non-linearity between them are one affine layer:
# $A_2(A_1 x + c_1) + c_2 = (A_2 A_1) x + (A_2 c_1 + c_2)$.

# %%
A1, c1 = rng.normal(size=(4, 2)), rng.normal(size=4)
A2, c2 = rng.normal(size=(1, 4)), rng.normal(size=1)
A, c = compose_affine(A1, c1, A2, c2)
stacked = affine_map(A2, c2)(affine_map(A1, c1)(x))
print("two layers:", stacked, " one layer:", affine_map(A, c)(x))

# %% [markdown]
# ## XOR
#
# Logistic regression on the raw inputs of XOR can do no better than $\hat p = 1/2$ everywhere;
# adding the product feature $x_1 x_2$ makes it fit exactly, and so does a network with two ReLU
# units. The model stays linear in its parameters in the first two cases.

# %%
print("fitted probabilities, raw inputs:", xor_logistic_raw())
print("least-squares coefficients with the product feature:", np.round(xor_product_feature_coefficients(), 6))

# %%
draw_xor_three_models()
