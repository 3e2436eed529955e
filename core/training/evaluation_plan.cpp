// Evaluation plan; see evaluation_plan.h.
#include "training/evaluation_plan.h"

#include <algorithm>

namespace imblab {

int evaluationsPerEpoch(int epochs, int64_t stepsPerEpoch) {
    const int wanted = epochs <= 2 ? 4 : epochs <= 4 ? 2 : 1;
    return int(std::max<int64_t>(1, std::min<int64_t>(wanted, stepsPerEpoch)));
}

std::vector<int64_t> midEpochEvaluationSteps(int perEpoch, int64_t stepsPerEpoch) {
    std::vector<int64_t> steps;
    // After step i·S/n (rounded), i = 1 … n−1: with S ≥ n the points are distinct and before the end.
    for (int i = 1; i < perEpoch; ++i) steps.push_back((int64_t(i) * stepsPerEpoch + perEpoch / 2) / perEpoch - 1);
    return steps;
}

int64_t midEpochTestStride(int64_t testSize) {
    return std::max<int64_t>(1, (testSize + kMidEpochTestRows - 1) / kMidEpochTestRows);
}

} // namespace imblab
