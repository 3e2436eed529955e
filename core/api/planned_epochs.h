// How many epochs a run's reports span: its own, then its decoupled second stage's, numbered on
// (τ-norm reports once, without training). Progress lines, charts and the Runs list count to it.
#pragma once

#include "api/experiment_config.h"

namespace imblab {

inline int plannedEpochs(const TrainConfig& t) {
    return t.epochs + (t.stage2 == "none" ? 0 : t.stage2 == "tau-norm" ? 1 : t.stage2Epochs);
}

} // namespace imblab
