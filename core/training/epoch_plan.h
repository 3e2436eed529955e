// A device-pipeline epoch's plan, drawn on the host in one go with the very RNG calls the host
// pipeline makes step by step, in its order (each example's crop and flip as augmentBatch()
// draws them, then the step's mixup or CutMix): both pipelines see identical batches.
#pragma once

#include "training/step_pipeline.h"
#include "util/rng.h"

#include <cstdint>
#include <vector>

namespace imblab {

struct EpochPlan {
    int64_t rows = 4;              // row, dy, dx, flip; 5 with a mix (+ the partner within the batch)
    std::vector<int64_t> columns;  // [rows, N] row-major, N = the order's length
    std::vector<float> shares;     // [steps, 2]: λ and 1 − λ of each step's mix
    std::vector<int64_t> boxes;    // [steps, 5]: the partner's label counts (λ < ½), box top, left, height, width
};

// `o`'s batch, steps, crop padding, augmentation and extras decide the draws; `mixing`/`cutting`
// say whether a step mixes (and with CutMix boxes in images of `height`×`width`).
EpochPlan drawEpochPlan(const std::vector<int64_t>& order, Rng& rng, const StepOptions& o, bool mixing, bool cutting,
                        int64_t height, int64_t width);

} // namespace imblab
