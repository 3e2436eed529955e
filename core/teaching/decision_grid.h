// Evaluates a 2-D model over a grid and on its training points, for the teaching views.
#pragma once

#include "api/decision_grid.h"

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace imblab {

struct Classifier;

// The grid `spec` (its nx, ny and bounds) filled with `model`'s argmax classes, and the margins
// of `trainX` (float features [N, 2] on `device`; may be undefined) under `trainLabels`.
DecisionGrid predictDecisionGrid(Classifier& model, const torch::Device& device, const DecisionGrid& spec,
                                 const torch::Tensor& trainX, const std::vector<int64_t>& trainLabels);

} // namespace imblab
