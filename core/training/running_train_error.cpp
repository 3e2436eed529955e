// The fading per-class counts; see running_train_error.h.
#include "training/running_train_error.h"

#include <algorithm>
#include <cmath>

namespace imblab {

RunningTrainError::RunningTrainError(int classes, int64_t stepsPerEpoch)
    : halfLife_(std::max(1.0, double(stepsPerEpoch) / 8.0)), seen_(size_t(classes), 0.0), wrong_(size_t(classes), 0.0) {}

void RunningTrainError::add(int64_t steps, const std::vector<int64_t>& seen, const std::vector<int64_t>& wrong) {
    const double fade = std::pow(0.5, double(steps) / halfLife_);
    for (size_t c = 0; c < seen_.size() && c < seen.size() && c < wrong.size(); ++c) {
        seen_[c] = seen_[c] * fade + double(seen[c]);
        wrong_[c] = wrong_[c] * fade + double(wrong[c]);
    }
}

std::vector<double> RunningTrainError::errors() const {
    std::vector<double> e(seen_.size(), std::nan(""));
    for (size_t c = 0; c < seen_.size(); ++c)
        if (seen_[c] > 0) e[c] = wrong_[c] / seen_[c];
    return e;
}

void RunningTrainError::restore(const std::vector<double>& seen, const std::vector<double>& wrong) {
    if (seen.size() != seen_.size() || wrong.size() != wrong_.size()) return;
    seen_ = seen;
    wrong_ = wrong;
}

} // namespace imblab
