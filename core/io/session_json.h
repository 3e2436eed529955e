// Session files (.imblab): the config/session JSON of version 1 (the same schema as
// `imblab-cli train --config`), plus, optionally, the finished runs with their metrics so that
// reopening restores the screen. Writing what was read gives the same bytes.
#pragma once

#include "api/experiment_config.h"
#include "api/metrics_report.h"
#include "api/run_info.h"

#include <string>
#include <vector>

namespace imblab {

struct SessionRun {
    int id = 0;
    ExperimentConfig config;
    RunInfo info;
    RunSummary summary;
    std::vector<MetricsReport> epochReports;  // the last one keeps its test predictions
    std::vector<MetricsReport> stepReports;
    // A stopped run's checkpoint, saved beside the session so it can be resumed after a restart:
    // a path relative to the session file's folder ("" when there is none).
    std::string checkpoint;
};

struct Session {
    ExperimentConfig config;       // the settings on screen
    std::vector<SessionRun> runs;  // empty for a settings-only session
    int shownRun = -1;             // the run whose charts were on screen (-1: none)
};

// Without runs the text equals configToJson(session.config).
std::string sessionToJson(const Session& session);
// DataError naming `source` (and the run) for broken JSON or run records; ConfigError for a bad
// setting; a newer version is refused with a message saying so.
Session parseSession(const std::string& text, const std::string& source);
Session loadSessionFile(const std::string& path);

} // namespace imblab
