// How often a run looks at its test set. One evaluation per epoch end leaves a 1–2 epoch run
// with one or two test points (none before the first epoch ends) and straight lines, so a short
// run is also evaluated within its epochs, on the test set (every stride-th example when the
// set is large), test errors only: the margins and the clean training pass stay at epoch ends.
#pragma once

#include <cstdint>
#include <vector>

namespace imblab {

// Evaluations per epoch, the epoch end included: 4 for runs of 1–2 epochs, 2 for 3–4 epochs,
// else 1; never more than the epoch has steps.
int evaluationsPerEpoch(int epochs, int64_t stepsPerEpoch);

// The 0-based steps within an epoch after which a mid-epoch evaluation runs: evenly spaced, the
// last step (the epoch end's own evaluation) excluded. Empty for one evaluation per epoch.
std::vector<int64_t> midEpochEvaluationSteps(int perEpoch, int64_t stepsPerEpoch);

// Mid-epoch evaluations read every stride-th test example: at most kMidEpochTestRows of them,
// so a large own test set does not stall a short run (the epoch end reads them all).
constexpr int64_t kMidEpochTestRows = 10000;
int64_t midEpochTestStride(int64_t testSize);

} // namespace imblab
