// Whether a finished run learned something. A run whose test predictions pile onto one or two
// classes far beyond their share of the test set, or whose training loss stopped moving, is
// reported as collapsed with a likely cause, instead of as a success with a number.
#pragma once

#include "api/experiment_config.h"
#include "api/metrics_report.h"

#include <string>
#include <vector>

namespace imblab {

struct CollapseCheck {
    bool collapsed = false;
    std::string what;   // "predicts Trouser for 98 % of the test examples (10 % of them are Trouser)"
    std::string cause;  // "the learning rate 10 is far above the usual …"
    std::string message() const;  // "collapsed: <what>; likely cause: <cause>"
};

// `last`: the final epoch-end report (its test confusion matrix); `epochLosses`: the mean
// training loss of each epoch in order. Thresholds: the top one class (up to 3 classes), two (up
// to 8) or three (more) take ≥ 95 % of the predictions and ≥ 30 points more than their share of
// the test set (the fewest such classes are named);
// or, over at least 4 epochs, the last half's losses lie within 1 % of their mean and that mean
// is still ≥ 90 % of the first epoch's.
CollapseCheck checkCollapse(const MetricsReport& last, const std::vector<double>& epochLosses, const TrainConfig& train,
                            const std::vector<std::string>& classNames);

} // namespace imblab
