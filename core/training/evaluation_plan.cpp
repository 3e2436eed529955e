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

std::vector<int64_t> stratifiedEvaluationRows(const std::vector<int64_t>& labels, int classes, int64_t cap) {
    std::vector<std::vector<int64_t>> byClass(size_t(std::max(0, classes)));
    for (size_t i = 0; i < labels.size(); ++i) byClass[size_t(labels[i])].push_back(int64_t(i));
    auto total = [&](int64_t q) {
        int64_t t = 0;
        for (const auto& rows : byClass) t += std::min<int64_t>(int64_t(rows.size()), q);
        return t;
    };
    int64_t lo = 1, hi = int64_t(labels.size());  // the largest quota within the cap (at least 1)
    while (lo < hi) {
        const int64_t mid = (lo + hi + 1) / 2;
        if (total(mid) <= cap) lo = mid;
        else hi = mid - 1;
    }
    std::vector<int64_t> out;
    for (const auto& rows : byClass) {
        const int64_t n = int64_t(rows.size()), take = std::min(n, lo);
        for (int64_t j = 0; j < take; ++j) out.push_back(rows[size_t(j * n / take)]);  // spread over the class
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace imblab
