// Builds the configured loss for the training set's class counts.
#pragma once

#include "api/experiment_config.h"
#include "losses/loss.h"

#include <cstdint>
#include <memory>

namespace imblab {

// ConfigError naming the field on an unknown type or a parameter out of range.
std::unique_ptr<Loss> makeLoss(const LossConfig& cfg, const std::vector<int64_t>& classCounts);

// The factor applied to z to get the logits used for prediction and calibration: s for the
// LDAM cross-entropy losses (ldam, margin), 1 otherwise.
double predictionScale(const LossConfig& cfg);

} // namespace imblab
