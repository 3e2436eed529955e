// How the status bar writes a run's progress: "Run #3 · epoch 4/20 · step 350/1800 · 8123 img/s ·
// ETA 12 s". A second stage trains on feature rows and reports no img/s: left out rather than 0.
#pragma once

#include "api/metrics_report.h"

#include <QString>

namespace imblab::ui {

// `unit`: what the throughput counts ("img/s", "texts/s": models/model_names.h).
QString progressText(int runId, int plannedEpochs, const MetricsReport& r, const QString& unit = QStringLiteral("img/s"));

} // namespace imblab::ui
