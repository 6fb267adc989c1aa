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
# # Notebook: a neuron is a GLM
#
# A single sigmoid neuron trained on the cross-entropy loss is logistic regression, and gradient
# descent finds the same coefficients as IRLS. This notebook checks that on real data, for other
# families, and for a softmax layer. Every function comes from the `snippets` package that builds
# the site.

# %%
# %matplotlib inline
import numpy as np

from snippets.neuron import (
    draw_neuron_losses,
    grade_data_losses,
    neuron_against_glm,
    sigmoid_neuron_on_grades,
    softmax_against_multinomial,
)

# %% [markdown]
# ## One sigmoid neuron on the grade data
#
# Gradient descent on the mean cross-entropy (inputs standardised, fixed step $1/L$ with $L$ the
# largest curvature the loss can have), against the IRLS fit of the logistic regression:

# %%
result = sigmoid_neuron_on_grades(steps=5000)
print("gradient descent:", np.round(result["gd"], 6))
print("IRLS:            ", np.round(result["irls"], 6))
print(f"largest difference: {result['max_difference']:.1e}")
losses = grade_data_losses()
print(f"mean cross-entropy: IRLS {losses['irls']:.10f}, gradient descent {losses['gd']:.10f}")

# %% [markdown]
# Fewer steps leave gradient descent short of the maximum-likelihood estimate; try `steps=500`.

# %% [markdown]
# ## Other families
#
# With the matching loss (the negative log-likelihood of the family) and the inverse canonical link
# as output activation, a neuron fits the same model as the GLM. Largest coefficient difference on
# simulated data:

# %%
for family in ("gaussian", "bernoulli", "poisson"):
    print(f"{family:>9}: {neuron_against_glm(family):.1e}")

# %% [markdown]
# ## A softmax layer is multinomial logistic regression
#
# A softmax layer trained by gradient descent and the multinomial logit fitted by Newton's method
# give the same probabilities. Adding the same shift to every class's weights changes nothing,
# which is why the multinomial model fixes a reference class:

# %%
softmax_check = softmax_against_multinomial()
print(f"largest difference in fitted probabilities: {softmax_check['probability_difference']:.1e}")
print(f"change after adding the same shift to every class: {softmax_check['shift_difference']:.1e}")

# %% [markdown]
# ## Why the matched loss matters
#
# With squared error instead of cross-entropy, the same sigmoid neuron has a non-convex loss with
# flat regions:

# %%
draw_neuron_losses()
