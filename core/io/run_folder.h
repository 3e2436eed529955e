// A run folder that imblab-cli train writes — also a CLI or cluster job's, on a shared file
// system, while it trains: config.json with its "resolved" section, metrics.jsonl (rewritten whole
// at every epoch end, so a reader sees whole epochs), summary.json once the run ended. The app
// reads these to show, and follow, a run it did not train itself.
#pragma once

#include "api/experiment_config.h"
#include "api/metrics_report.h"
#include "api/run_info.h"

#include <optional>
#include <string>
#include <vector>

namespace imblab {

constexpr const char* kConfusionFile = "confusion.jsonl";  // a line per evaluation (io/metrics_json.h)

struct RunFolderHead {
    ExperimentConfig config;
    RunInfo info;
};

// DataError naming DIR/config.json when it is missing, not a config, or has no "resolved" section
// (a folder that imblab-cli did not write).
RunFolderHead readRunFolderHead(const std::string& dir);

// The reports so far (none when metrics.jsonl does not exist yet), each evaluation with its
// confusion from confusion.jsonl; an unfinished last line is left for the next read. DataError
// naming the file and line for a line that is not a report.
std::vector<MetricsReport> readRunFolderMetrics(const std::string& dir);

// How the run ended, once summary.json exists (status, message, warning, epochs, wall time,
// img/s, device, pipeline, world size); nothing while it is still running.
std::optional<RunSummary> readRunFolderOutcome(const std::string& dir);

} // namespace imblab
