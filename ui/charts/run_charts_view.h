// The four charts of one run as one view: Figure 3 (per-class error vs epoch) on top with the
// margin histograms, Figure 2 (per-class errors now) and the confusion matrix below. Shows,
// clears and exports them together.
#pragma once

#include "charts/chart_export.h"

#include <QWidget>

#include <functional>
#include <utility>
#include <vector>

class QCustomPlot;

namespace imblab::ui {

struct RunRecord;
class ErrorCurvesChart;
class MarginHistogramChart;
class ClassErrorBarsChart;
class ConfusionMapChart;

class RunChartsView : public QWidget {
    Q_OBJECT
public:
    // `report` receives the outcome of a chart's context-menu export (message, is it an error).
    explicit RunChartsView(std::function<void(const QString&, bool)> report, QWidget* parent = nullptr);

    // Figure 3 appends what is new; the last-epoch charts redraw only for a new evaluation.
    void showRun(const RunRecord& run);
    void clearRun();
    void resetViews();
    // Every chart as PNG, PDF and SVG into `folder` with stable names (error_curves.png, ...).
    // The first error, or an empty string.
    QString exportAll(const QString& folder, const ChartExportOptions& options = {});
    // The charts with their stable file names, in report order.
    std::vector<std::pair<QCustomPlot*, QString>> charts() const;

    ErrorCurvesChart* errorCurves() const { return errorCurves_; }
    MarginHistogramChart* margins() const { return margins_; }
    ClassErrorBarsChart* errorBars() const { return errorBars_; }
    ConfusionMapChart* confusion() const { return confusion_; }

private:
    ErrorCurvesChart* errorCurves_;
    MarginHistogramChart* margins_;
    ClassErrorBarsChart* errorBars_;
    ConfusionMapChart* confusion_;
};

} // namespace imblab::ui
