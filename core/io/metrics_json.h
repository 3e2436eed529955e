// JSON forms of reports and summaries (metrics.jsonl lines, summary.json). NaN is written as null.
#pragma once

#include "api/metrics_report.h"
#include "api/run_info.h"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace imblab {

// One line, no trailing newline. An epoch-end line carries the balanced errors, top-5, the ten
// most-confused pairs and the margins; the whole confusion (its non-zero cells) when
// `withConfusion` (sessions) — a run folder keeps it in confusion.jsonl instead, a line per
// evaluation (confusionToJsonLine). Past kCompactClasses classes (api/metrics_report.h) the
// per-class numbers keep six significant digits, a class's margins are [min, q1, median, q3, max]
// and a progress line has no per-class field: a 90-epoch run at 8 142 classes stays under 100 MB.
std::string reportToJsonLine(const MetricsReport& r, bool withConfusion = true);
// {"step", "epoch", "confusion": {"classes", "cells": [[true, predicted, count], ...]}}
std::string confusionToJsonLine(const MetricsReport& r);
// Puts a confusion.jsonl line's cells into the report of the same step; false when none has it.
bool attachConfusionLine(const std::string& line, std::vector<MetricsReport>& reports, const std::string& source);
std::string summaryToJson(const RunSummary& s, const RunInfo& info);
MetricsReport reportFromJsonLine(const std::string& line, const std::string& source);

// The headline numbers of a summary.json (summaryToJson's reader).
struct SummaryNumbers {
    bool evaluated = false;  // false: the run ended before its final evaluation (see message)
    double balancedError = 0, minorityError = 0, frequentError = 0;
    double wallSeconds = 0;
    double manyShot = 0, mediumShot = 0, fewShot = 0;  // test accuracy by shot group; NaN when empty
    double top5Error = 0;  // NaN with five classes or fewer
    double worstClassError = 0, geometricMeanRecall = 0, macroF1 = 0;  // NaN in summaries from before them
    std::string status, message;
    std::string warning;  // "collapsed: …" for a run that learned to predict only a few classes
    std::vector<std::string> classNames;
    std::vector<double> classErrors;  // per class, on the test set
};
// DataError naming the file when it is missing or not a summary.
SummaryNumbers readSummaryJson(const std::string& path);
// How a run ended (status, message, epochs, wall time, img/s, device, pipeline), the head of
// summary.json and of a session's run summaries.
void putRunOutcome(nlohmann::ordered_json& j, const RunSummary& s);

} // namespace imblab
