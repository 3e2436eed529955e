// An epoch-end evaluation: from the test and training logits to every number of a report
// (per-class errors, confusion, frequent/minority and shot splits, ECE, post-hoc adjustment,
// margin histograms).
#pragma once

#include "api/metrics_report.h"
#include "api/run_info.h"
#include "training/metrics.h"

#include <cstdint>
#include <vector>

namespace imblab {

struct EvaluationSet {
    const LogitTable& logits;
    const std::vector<int64_t>& labels;
};

// The test errors alone: confusion, per-class, balanced, frequent and minority error (a
// mid-epoch evaluation, training/evaluation_plan.h). Returns each test example's argmax class.
std::vector<int64_t> fillTestErrors(MetricsReport& r, const EvaluationSet& test, const RunInfo& info);

// Fills the evaluation fields of `r`. `logPrior`: log π_j for the post-hoc logit adjustment
// (applied to the prediction logits, s·z for the LDAM losses).
void fillEvaluation(MetricsReport& r, const EvaluationSet& test, const EvaluationSet& train, const RunInfo& info,
                    const std::vector<double>& logPrior);

} // namespace imblab
