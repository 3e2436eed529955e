// Long-form metrics CSV (one row per run × report × split × class) that pandas reads without
// options: run, epoch, step, split, class, class_name, n_train, error, and on the training
// split the margin statistics.
#pragma once

#include "api/metrics_report.h"

#include <cstdint>
#include <string>
#include <vector>

namespace imblab {

std::string metricsCsvHeader();
// Rows of one run's epoch-end reports (progress reports carry no test numbers and are skipped).
std::string metricsCsvRows(const std::string& run, const std::vector<MetricsReport>& reports,
                           const std::vector<std::string>& classNames, const std::vector<int64_t>& classCounts);

// Reads a run folder's metrics.jsonl and config.json and returns the whole CSV.
std::string runFolderMetricsCsv(const std::string& runDir);

} // namespace imblab
