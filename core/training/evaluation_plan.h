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

// At most this many training examples are evaluated at an epoch's end when images stream, or
// when all of them would give more than kFullTrainEvaluationLogits logits (else all are):
// decoding iNaturalist's 437 513 again for every evaluation would cost another epoch, and the
// logits of 200 000 examples of 8 142 classes take 6.5 GB (held twice: 13 GB measured). Train
// errors and margins then come from the sample.
constexpr int64_t kStreamTrainEvaluationRows = 10000;
constexpr int64_t kFullTrainEvaluationLogits = 100'000'000;  // 0.4 GB of floats

// The rows of at most `cap` examples (more only where every class's one exceeds it), the same
// number q from every class (all of a class with fewer), q the largest that fits, spread evenly
// over each class's rows; in row order.
std::vector<int64_t> stratifiedEvaluationRows(const std::vector<int64_t>& labels, int classes, int64_t cap);

} // namespace imblab
