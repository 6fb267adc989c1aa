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
# # Notebook: when a network is a GLM again
#
# Fix everything but the last layer and a network is a GLM in its learned features; fix random
# features and it is a GLM in those; make it very wide and training stays close to its
# linearisation. This notebook reruns the three cases. Every function comes from the `snippets`
# package that builds the site.

# %%
# %matplotlib inline
from snippets.glm_again import (
    draw_lazy_linearisation,
    last_layer_summary,
    lazy_table,
    random_features_summary,
)

# %% [markdown]
# ## Random features
#
# With the hidden weights drawn once and frozen, the penalised logistic objective in the output
# weights is strictly convex: gradient descent from two different starts ends at the same point, and
# the objective at a midpoint never exceeds the average of the ends.

# %%
print(random_features_summary(lam=0.05, steps=3000))

# %% [markdown]
# ## The last layer of a trained network
#
# Train the whole network, then refit only the output layer as a logistic regression on the hidden
# features: the refit can only improve the objective, and its gradient is zero.

# %%
print(last_layer_summary(steps=3000))

# %% [markdown]
# ## The lazy regime
#
# Train networks of growing width from the same kind of start and compare them with their
# linearisation $f(\theta_0) + J(\theta_0)(\theta - \theta_0)$ trained the same way (the network
# is in the NTK parameterisation, scaled by $m^{-1/2}$). As the width $m$ grows, the gap between the
# two trained models shrinks, and the relative change of the parameters falls roughly like
# $m^{-1/2}$.

# %%
for key, value in lazy_table().items():
    print(f"{key:>22}: {value:.4f}")

# %%
draw_lazy_linearisation()
