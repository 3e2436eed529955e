// JSON forms of reports and summaries (metrics.jsonl lines, summary.json). NaN is written as null.
#pragma once

#include "api/metrics_report.h"
#include "api/run_info.h"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace imblab {

std::string reportToJsonLine(const MetricsReport& r);  // one line, no trailing newline
std::string summaryToJson(const RunSummary& s, const RunInfo& info);
MetricsReport reportFromJsonLine(const std::string& line, const std::string& source);

// The headline numbers of a summary.json (summaryToJson's reader).
struct SummaryNumbers {
    bool evaluated = false;  // false: the run ended before its final evaluation (see message)
    double balancedError = 0, minorityError = 0, frequentError = 0;
    double wallSeconds = 0;
    double manyShot = 0, mediumShot = 0, fewShot = 0;  // test accuracy by shot group; NaN when empty
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
