"""Tests of snippets/stacking.py: what composition does to linearity in the parameters."""

from __future__ import annotations

import numpy as np
import pytest

from snippets.network import init_network, predict
from snippets.stacking import (
    collapse_linear_network,
    fisher_spectrum,
    glmm_jacobian_change,
    homogeneity_ratios,
    is_irreducible,
    jacobian_change,
    layerwise_superposition_defects,
    linear_autoencoder,
    mixed_partial,
    output_weight_derivative,
    saddle_at_origin,
    single_index_summary,
    symmetry_summary,
    teacher,
    two_layer,
    zero_output_weight_freedom,
)


@pytest.mark.claim("two-layer-not-linear-in-parameters")
@pytest.mark.parametrize("seed", range(5))
def test_affine_in_the_output_layer_not_linear_in_everything(seed: int) -> None:
    defects = layerwise_superposition_defects(seed)
    assert defects["output_layer"] < 1e-12
    assert defects["all"] > 0.1


@pytest.mark.claim("two-layer-not-linear-in-parameters")
@pytest.mark.parametrize("hidden", ["tanh", "identity"])
def test_the_jacobian_moves_with_the_parameters_but_a_glmms_does_not(hidden: str) -> None:
    assert jacobian_change(hidden) > 0.1
    assert glmm_jacobian_change() < 1e-6


@pytest.mark.claim("two-layer-not-linear-in-parameters")
@pytest.mark.parametrize("seed", range(3))
def test_the_mixed_partial_is_the_formula_and_not_zero(seed: int) -> None:
    partial = mixed_partial(seed)
    assert abs(partial["formula"]) > 1e-3
    assert partial["finite_difference"] == pytest.approx(partial["formula"], rel=1e-4)


@pytest.mark.claim("relu-degree-in-weights")
@pytest.mark.parametrize("alpha", [0.5, 2.0, 3.0])
def test_relu_homogeneity(alpha: float) -> None:
    ratios = homogeneity_ratios(alpha)
    assert ratios["parameter_scaling"] == pytest.approx(alpha ** ratios["depth"], rel=1e-10)
    assert ratios["parameter_scaling_spread"] < 1e-9
    assert ratios["input_scaling"] == pytest.approx(alpha, rel=1e-10)


@pytest.mark.claim("deep-linear-nonconvex")
def test_the_scalar_deep_linear_loss_has_a_strict_saddle_and_a_bad_midpoint() -> None:
    result = saddle_at_origin()
    np.testing.assert_allclose(result["gradient"], 0, atol=1e-12)
    np.testing.assert_allclose(result["eigenvalues"], [-2, 2], atol=1e-6)
    assert result["loss_at_minima"] == (0.0, 0.0)
    assert result["loss_at_midpoint"] == 1.0


@pytest.mark.claim("deep-linear-nonconvex")
def test_a_deep_linear_network_collapses_to_an_affine_map() -> None:
    net = init_network([3, 4, 2, 1], "identity", "identity", seed=1, scale=1.0)
    A, c = collapse_linear_network(net)
    X = np.random.default_rng(0).standard_normal((100, 3))
    assert np.max(np.abs(predict(net, X) - (X @ A.T + c))) < 1e-10


@pytest.mark.claim("bottleneck-is-pca")
def test_the_linear_autoencoder_learns_the_principal_projector() -> None:
    assert linear_autoencoder()["projector_error"] < 1e-4


@pytest.mark.claim("weight-space-symmetries")
def test_permutations_and_sign_flips_give_384_equivalent_minima_with_bad_midpoints() -> None:
    summary = symmetry_summary()
    assert summary["irreducible"]
    assert summary["copies"] == summary["distinct"] == 384
    assert summary["max_output_deviation"] < 1e-12
    assert summary["midpoint_loss_permuted"] > 0.1
    assert summary["midpoint_loss_flipped"] > 0.1


@pytest.mark.claim("weight-space-symmetries")
def test_a_unit_with_zero_output_weight_leaves_a_continuum_of_equivalent_weights() -> None:
    assert zero_output_weight_freedom() == 0.0


def test_irreducibility_detects_zero_weights_and_duplicate_units() -> None:
    (W, v), (b, c) = teacher().weights, teacher().biases
    assert is_irreducible(teacher())
    assert not is_irreducible(two_layer(W, b, np.r_[0.0, v[0, 1:]], c[0]))
    assert not is_irreducible(two_layer(np.vstack([W[:1], -W[:1], W[2:]]), np.r_[b[0], -b[0], b[2:]], v[0], c[0]))
    assert not is_irreducible(two_layer(np.vstack([[[0.0]], W[1:]]), np.r_[0.0, b[1:]], v[0], c[0]))


@pytest.mark.claim("relu-fisher-singular")
def test_relu_rescaling_directions_are_null_directions_of_the_jacobian() -> None:
    spectrum = fisher_spectrum()
    assert spectrum["relu_null_directions"] >= spectrum["hidden_units"]
    assert spectrum["tangent_image"] < 1e-10
    assert spectrum["tanh_smallest"] > 1e-5
    assert spectrum["glm_smallest_eigenvalue"] > 0


@pytest.mark.claim("single-index")
def test_a_glm_has_one_index_and_a_two_unit_network_two() -> None:
    summary = single_index_summary()
    assert summary["glm_ratio"] < 1e-10
    assert summary["glm_invariance"] < 1e-12
    assert summary["net_ratio"] > 0.05


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: two_layer(np.ones((2, 3)), np.ones(2), np.ones((2, 1)), 0.0), ValueError,
         "v: expected a 1-dimensional"),
        (lambda: collapse_linear_network(init_network([2, 3, 1], "tanh")), ValueError, "identity activations"),
    ],
)
def test_bad_input_is_named(call, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()


def test_the_output_weight_derivative_is_the_hidden_activation() -> None:
    # d f / d v_j = phi(w_j^T x + b_j): the output layer's covariates are the hidden units.
    rng = np.random.default_rng(3)
    W, b, x = rng.standard_normal((4, 3)), rng.standard_normal(4), rng.standard_normal(3)
    assert output_weight_derivative(W, b, x) == pytest.approx(np.tanh(W @ x + b), abs=1e-12)
    assert output_weight_derivative(W, b, x, "relu") == pytest.approx(np.maximum(W @ x + b, 0), abs=1e-12)


def test_the_stacking_functions_refuse_networks_they_do_not_describe() -> None:
    from snippets.stacking import gradient_rank_ratio, midpoint, ridge_sum_net, symmetry_copies

    with pytest.raises(ValueError, match=r"^net: expected a one-hidden-layer tanh network with one output"):
        symmetry_copies(init_network([2, 3, 1], "relu"))
    with pytest.raises(ValueError, match=r"^b: expected a network of the same architecture as a"):
        midpoint(init_network([2, 3, 1]), init_network([2, 4, 1]))
    with pytest.raises(ValueError, match=r"^gradients: all zero"):
        gradient_rank_ratio(np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"^X: expected shape \(n, 2\), got shape \(4, 3\)"):
        ridge_sum_net(np.zeros((4, 3)))
