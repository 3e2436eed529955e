// τ-normalisation (Kang et al., "Decoupling representation and classifier", ICLR 2020): after
// training, each class's classifier row is divided by its norm to the power τ,
// w̃_j = w_j / ‖w_j‖^τ, and the bias is left out. Under imbalance the frequent classes grow the
// longest rows; τ = 1 gives every class a unit vector, τ = 0 keeps the rows as they are (still
// without the bias). No training: the test set's features are taken once and every τ is a matrix
// product.
#pragma once

#include "training/augment.h"

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace imblab {

struct Classifier;

// The rows of `weight` ([k, d]) scaled by ‖w_j‖^−τ.
torch::Tensor tauNormalizedRows(const torch::Tensor& weight, double tau);

// τ = 0, 0.1, …, 2 (21 points), Kang et al.'s sweep.
std::vector<double> tauGrid();

// Balanced error (mean over the classes present of 1 − recall) of argmax_j f·w̃_j for each τ.
std::vector<double> tauNormBalancedErrors(const torch::Tensor& features, const torch::Tensor& weight,
                                          const std::vector<int64_t>& labels, const std::vector<double>& taus);

// The penultimate features of every row of `rows` in eval mode, in batches (uint8 images are
// normalised with `norm`, feature rows taken as they are); float32 on the CPU. The model is left
// in training mode.
torch::Tensor featuresOf(Classifier& model, const torch::Tensor& rows, int64_t batch, const Normalization* norm);

} // namespace imblab
