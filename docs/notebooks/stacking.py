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
# # Notebook: stacking
#
# Stacking GLM-like layers makes the model non-linear in its parameters. This notebook measures what
# that costs: superposition fails, the Jacobian moves, minima come in symmetric families with loss
# barriers between them, and deep linear networks have saddles. Every function comes from the
# `snippets` package that builds the site.

# %%
# %matplotlib inline
from snippets.stacking import (
    draw_symmetric_minima_segment,
    fisher_spectrum,
    jacobian_change,
    layerwise_superposition_defects,
    saddle_at_origin,
    symmetry_summary,
)

# %% [markdown]
# ## Superposition in the parameters
#
# For a two-layer network $f(x;\theta) = v^\top \sigma(W x + b) + c$, the defect
# $f(\theta_1 + \theta_2) - f(\theta_1) - f(\theta_2) + f(0)$ is zero when only the output layer
# $(v, c)$ moves, and not otherwise:

# %%
defects = layerwise_superposition_defects(seed=0)
print(f"all parameters move:       largest defect {defects['all']:.3f}")
print(f"only the output layer:     largest defect {defects['output_layer']:.1e}")

# %% [markdown]
# ## The Jacobian moves
#
# A GLM's Jacobian of $\eta$ with respect to $\beta$ is the design matrix, the same at every $\beta$.
# A network's Jacobian with respect to its parameters changes with them; relative change between two
# random parameter points:

# %%
for hidden in ("tanh", "relu", "identity"):
    print(f"{hidden:>8}: {jacobian_change(hidden):.3f}")

# %% [markdown]
# ## Symmetric minima
#
# Permuting hidden units, and flipping the signs of a tanh unit's weights, gives the same function.
# With 4 hidden units that is $4! \cdot 2^4 = 384$ parameter points with the same loss, and the
# straight line between two of them leaves the minimum:

# %%
summary = symmetry_summary()
print(f"parameter points with the same function: {summary['copies']} ({summary['distinct']} distinct)")
print(f"largest difference between their outputs: {summary['max_output_deviation']:.1e}")
print(f"loss at the midpoint of a permuted pair:   {summary['midpoint_loss_permuted']:.3f}")
print(f"loss at the midpoint of a sign-flipped pair: {summary['midpoint_loss_flipped']:.3f}")

# %%
draw_symmetric_minima_segment()

# %% [markdown]
# ## A saddle in a deep linear network
#
# The scalar network $f(x) = v w x$ fitted to $y = x$ has loss $(1 - vw)^2$: minima along the
# hyperbola $vw = 1$ and a saddle at the origin, where the gradient vanishes and the Hessian has
# eigenvalues $\pm 2$:

# %%
saddle = saddle_at_origin()
print("gradient at the origin:", saddle["gradient"])
print("Hessian eigenvalues at the origin:", saddle["eigenvalues"].round(6))
print("loss at two minima:", saddle["loss_at_minima"], " loss at the origin between them:", saddle["loss_at_midpoint"])

# %% [markdown]
# ## Directions the data cannot see
#
# Rescaling a ReLU unit's incoming weights by $\alpha > 0$ and its outgoing weight by $1/\alpha$
# changes nothing, so each of the $M$ hidden units gives a direction the Jacobian cannot see: the
# Fisher information has at least $M$ zero eigenvalues. A tanh network of the same shape has no
# exact null direction, and the logistic GLM's information is positive definite:

# %%
spectrum = fisher_spectrum()
print(f"ReLU network, {spectrum['hidden_units']} hidden units, {spectrum['parameters']} parameters: "
      f"{spectrum['relu_null_directions']} null directions of the Jacobian")
print(f"tanh network of the same shape: smallest relative singular value {spectrum['tanh_smallest']:.1e}")
print(f"logistic GLM: smallest eigenvalue of the information {spectrum['glm_smallest_eigenvalue']:.1f}")
