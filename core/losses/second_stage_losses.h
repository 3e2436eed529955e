// The losses that only the decoupled second stages use (training/second_stage.h).
//
// Label-aware smoothing (MiSLAS, Zhong et al., CVPR 2021): label smoothing whose ε depends on the
// class's size, large for the head (over-confident) and small for the tail,
//   ε_j = ε_tail + (ε_head − ε_tail) · sin((n_j − n_K)·π / (2(n_1 − n_K)))     (the "concave" shape,
//   the official default; n_1 the largest class, n_K the smallest)
//   ℓ(z, y) = (1 − ε_y)·(−log p_y) + ε_y · mean_j(−log p_j).
//
// Class-balanced softmax BCE (weight balancing's second stage, Alshammari et al., CVPR 2022, after
// Cui et al.'s "softmax" CB loss): binary cross-entropy between the softmax and the one-hot label,
// every entry of row i weighted by w_{y_i} (class-balanced, β = 0.9999, Σ w = k), averaged over
// the B × k entries.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace imblab {

// ε_j per class; every class ε_head when all classes have the same size.
std::vector<double> labelAwareEpsilons(const std::vector<int64_t>& counts, double epsHead, double epsTail);

// Mean over the batch of the label-aware smoothed cross-entropy; `eps` is [k] float.
torch::Tensor labelAwareSmoothingLoss(const torch::Tensor& logits, const torch::Tensor& y, const torch::Tensor& eps);

// Mean over B × k of w_{y_i}·BCE(softmax(z_i)_j, [j = y_i]); `weights` is [k] float.
torch::Tensor classBalancedSoftmaxBce(const torch::Tensor& logits, const torch::Tensor& y, const torch::Tensor& weights);

} // namespace imblab
