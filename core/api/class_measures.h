// The measures the long-tail literature reports beside the balanced error, from a run's per-class
// test errors L_j and its test confusion (docs/science.md defines each, with its source), and the
// test priors of the paper's Section C.5: the error under a known test distribution π is
// Σ_j π_j·L_j, SADE's (NeurIPS 2022) protocol reports it from forward long-tailed priors through
// uniform to backward ones. Plain numbers: the app's charts use them as the engine does.
#pragma once

#include "api/metrics_report.h"

#include <string>
#include <vector>

namespace imblab {

struct ClassMeasures {
    double worstClassError = 0;     // max_j L_j
    double geometricMeanRecall = 0; // (Π_j (1 − L_j))^(1/k)
    double harmonicMeanRecall = 0;  // k / Σ_j 1/(1 − L_j); 0 when a class has no recall
    double macroF1 = 0;             // mean_j 2·P_j·R_j / (P_j + R_j); 0 for a class with P_j + R_j = 0
};
// Over the classes with test examples (L_j not NaN); NaN fields when there is none.
ClassMeasures classMeasures(const std::vector<double>& perClassError, const ConfusionCounts& confusion);

// P_j: the share of the predictions of class j that are right; NaN for a class never predicted.
std::vector<double> perClassPrecision(const ConfusionCounts& confusion);

// π_j ∝ ρ^(−j/(k−1)) (forward: the training order's long tail) or ρ^(−(k−1−j)/(k−1)) (backward),
// normalised to sum 1; ρ = 1 is uniform.
std::vector<double> forwardPrior(int classes, double rho);
std::vector<double> backwardPrior(int classes, double rho);
// Σ_j π_j·L_j / Σ_j π_j over the classes with a finite L_j (NaN when none).
double priorWeightedError(const std::vector<double>& perClassError, const std::vector<double>& prior);

// A test prior by name: "uniform", "train" (∝ the training counts), "forward:ρ", "backward:ρ", or
// a file of k non-negative weights (whitespace- or comma-separated, not all 0). ConfigError naming
// `field` for ρ < 1, a wrong count, a negative or all-zero weight; DataError naming the file.
std::vector<double> parseTestPrior(const std::string& spec, const std::vector<int64_t>& trainCounts, const std::string& field);

// SADE's table: forward ρ = 50, 25, 10, 5, 2, uniform, backward 2, 5, 10, 25, 50.
struct PriorError {
    std::string prior;  // "forward 50", "uniform", "backward 2", …
    double rho = 1;     // > 1 forward, 1 uniform; backward as 1/ρ (the chart's axis runs 50 … 1/50)
    double error = 0;
};
std::vector<PriorError> errorAcrossTestPriors(const std::vector<double>& perClassError);

} // namespace imblab
