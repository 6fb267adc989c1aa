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
summary = random_features_summary(lam=0.05, steps=3000)
print(f"gradient descent from start 1, largest distance to Newton's optimum: {summary['gd_distance_1']:.1e}")
print(f"gradient descent from start 2, largest distance to Newton's optimum: {summary['gd_distance_2']:.1e}")
excess = summary["worst_midpoint_excess"]
print(f"worst midpoint excess over 50 random pairs (<= 0 for a convex objective): {excess:.3f}")
print(f"training accuracy: {summary['accuracy']:.2f}")

# %% [markdown]
# ## The last layer of a trained network
#
# Train the whole network, then refit only the output layer as a logistic regression on the hidden
# features: the refit can only improve the objective, and its gradient is zero.

# %%
summary = last_layer_summary(steps=3000)
print(f"objective at the trained network's output layer: {summary['network_objective']:.5f}")
print(f"objective after refitting that layer as a GLM:   {summary['refit_objective']:.5f}")
print(f"largest gradient entry at the refit:              {summary['refit_gradient']:.1e}")
print(f"training accuracy of the network: {summary['accuracy']:.2f}")

# %% [markdown]
# ## The lazy regime
#
# Train networks of growing width from the same kind of start and compare them with their
# linearisation $f(\theta_0) + J(\theta_0)(\theta - \theta_0)$ trained the same way (the network
# is in the NTK parameterisation, scaled by $m^{-1/2}$). As the width $m$ grows, the gap between the
# two trained models shrinks, and the relative change of the parameters falls roughly like
# $m^{-1/2}$.

# %%
table = lazy_table()
print(f"{'width m':>8}{'largest gap':>13}{'relative change':>17}{'training MSE':>14}")
for m in (50, 400, 3200):
    print(f"{m:>8}{table[f'gap_{m}']:>13.4f}{table[f'relative_change_{m}']:>17.4f}{table[f'training_mse_{m}']:>14.4f}")

# %%
draw_lazy_linearisation()
