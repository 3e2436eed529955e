// Chart export to PNG (size and scale), PDF (vector) and SVG (vector), white or transparent.
#pragma once

#include <QString>

#include <functional>

class QCustomPlot;

namespace imblab::ui {

struct ChartExportOptions {
    int width = 1600, height = 1000;  // logical pixels of the exported chart
    double scale = 1.0;               // PNG only: device pixels per logical pixel
    bool transparent = false;
};

// The format comes from the suffix (.png, .pdf, .svg). Writes to a temporary file and renames
// it, so a failure leaves no half file. Returns an empty string on success, else the reason.
QString exportChart(QCustomPlot* plot, const QString& path, const ChartExportOptions& options = {});

// Adds "Export as PNG/PDF/SVG…" and "Reset view" to the chart's context menu. `report` receives
// the outcome (a success line or an error) for the status bar or a banner. The suggested file
// name is `stableName`, prefixed by the chart's kChartFileStemProperty when it shows a run.
inline constexpr const char* kChartFileStemProperty = "imblabFileStem";
void addChartContextMenu(QCustomPlot* plot, const QString& stableName,
                         const std::function<void(const QString& message, bool error)>& report);

} // namespace imblab::ui
