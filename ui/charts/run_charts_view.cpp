// The run charts view; see run_charts_view.h.
#include "charts/run_charts_view.h"

#include "charts/chart_style.h"
#include "charts/class_error_bars_chart.h"
#include "charts/confusion_map_chart.h"
#include "charts/error_curves_chart.h"
#include "charts/margin_histogram_chart.h"

#include <QDir>
#include <QSplitter>
#include <QVBoxLayout>

namespace imblab::ui {

RunChartsView::RunChartsView(std::function<void(const QString&, bool)> report, QWidget* parent) : QWidget(parent) {
    errorCurves_ = new ErrorCurvesChart;
    margins_ = new MarginHistogramChart;
    errorBars_ = new ClassErrorBarsChart;
    confusion_ = new ConfusionMapChart;
    auto* top = new QSplitter(Qt::Horizontal);
    top->addWidget(errorCurves_);
    top->addWidget(margins_);
    top->setStretchFactor(0, 3);
    top->setStretchFactor(1, 2);
    auto* bottom = new QSplitter(Qt::Horizontal);
    bottom->addWidget(errorBars_);
    bottom->addWidget(confusion_);
    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(top);
    vertical->addWidget(bottom);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(vertical);
    for (const auto& [chart, name] : charts()) {
        chart->setMinimumSize(220, 180);
        addChartContextMenu(chart, name, report);
    }
}

std::vector<std::pair<QCustomPlot*, QString>> RunChartsView::charts() const {
    return {{errorCurves_, QStringLiteral("error_curves")},
            {margins_, QStringLiteral("margins")},
            {errorBars_, QStringLiteral("class_errors")},
            {confusion_, QStringLiteral("confusion")}};
}

void RunChartsView::showRun(const RunRecord& run) {
    errorCurves_->showRun(run);
    margins_->showRun(run);
    errorBars_->showRun(run);
    confusion_->showRun(run);
}

void RunChartsView::clearRun() {
    errorCurves_->clearRun();
    margins_->clearRun();
    errorBars_->clearRun();
    confusion_->clearRun();
}

void RunChartsView::resetViews() {
    for (const auto& chart : charts()) resetView(chart.first);
}

QString RunChartsView::exportAll(const QString& folder, const ChartExportOptions& options) {
    for (const auto& [chart, name] : charts())
        for (const QString& format : {QStringLiteral("png"), QStringLiteral("pdf"), QStringLiteral("svg")})
            if (const QString err = exportChart(chart, QDir(folder).filePath(name + "." + format), options); !err.isEmpty())
                return err;
    return {};
}

} // namespace imblab::ui
