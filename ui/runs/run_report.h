// Run ▸ Report (PDF): one run's settings, numbers and per-class table on a first page, then each
// of its charts on a page of its own; written atomically like every export.
#pragma once

#include <QFont>
#include <QString>

#include <utility>
#include <vector>

class QCustomPlot;

namespace imblab::ui {

struct RunRecord;

// The charts must already show `run`. The reason it could not be written, or an empty string.
QString writeRunReport(const RunRecord& run, const std::vector<std::pair<QCustomPlot*, QString>>& charts,
                       const QString& path, const QFont& font);

} // namespace imblab::ui
