// Evaluates a configured loss on plain numbers: for tests against hand-computed values and for
// documentation, without torch types.
#pragma once

#include "api/experiment_config.h"

#include <cstdint>
#include <vector>

namespace imblab {

// logits: N rows of k unscaled logits; weights: k class weights or empty (unweighted).
double evaluateLoss(const LossConfig& cfg, const std::vector<int64_t>& classCounts,
                    const std::vector<std::vector<double>>& logits, const std::vector<int64_t>& labels,
                    const std::vector<double>& weights = {});

// The Δ_j the configured loss enforces (empty for losses without margins).
std::vector<double> lossMargins(const LossConfig& cfg, const std::vector<int64_t>& classCounts);

} // namespace imblab
