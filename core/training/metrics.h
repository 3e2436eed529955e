// Evaluation measures on plain numbers: per-class error, confusion, margins, calibration.
#pragma once

#include "api/metrics_report.h"

#include <cstdint>
#include <vector>

namespace imblab {

// Row-major N×k logits.
struct LogitTable {
    int64_t rows = 0;
    int classes = 0;
    std::vector<float> values;
    const float* row(int64_t i) const { return values.data() + i * classes; }
};

std::vector<int64_t> argmaxPredictions(const LogitTable& logits, const std::vector<double>& offset = {});

// 1 − recall per class (NaN for a class without examples), from each example's true and predicted
// class; O(N + k).
std::vector<double> perClassError(const std::vector<int64_t>& labels, const std::vector<int64_t>& predictions, int classes);
std::vector<double> perClassError(const ConfusionCounts& confusion);
// Per class, the share of its examples whose label is not among the `k` largest logits (ties
// count against: a logit equal to the label's, before it, is above it); NaN for a class without
// examples. O(N·classes).
std::vector<double> perClassTopKError(const LogitTable& logits, const std::vector<int64_t>& labels, int k);
// Mean of the per-class values where mask is true; NaN when none.
double maskedMean(const std::vector<double>& values, const std::vector<bool>& mask);

// γ(x, y) = z_y − max_{j≠y} z_j.
std::vector<double> exampleMargins(const LogitTable& logits, const std::vector<int64_t>& labels);
// Quartiles (linear interpolation, as numpy's default) and a histogram over [lo, hi] with
// `bins` equal bins (values outside go to the end bins).
MarginStats marginStats(std::vector<double> margins, double lo, double hi, int bins);
// A symmetric range ±R covering every margin, R from 1, 2, 5 × 10^n.
double niceMarginRange(const std::vector<double>& margins);

// ECE with `bins` equal-width bins of max-softmax confidence over logits × scale:
// Σ_b (|B_b|/N)·|acc(B_b) − conf(B_b)|.
double expectedCalibrationError(const LogitTable& logits, const std::vector<int64_t>& labels, double scale,
                                int bins = 15);

// Accuracy over the classes of each shot group (api/shot_groups.h).
struct ShotAccuracy {
    double many, medium, few;
};
ShotAccuracy shotAccuracy(const std::vector<double>& perClassErr, const std::vector<int64_t>& trainCounts);

} // namespace imblab
