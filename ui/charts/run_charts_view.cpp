// The run charts view; see run_charts_view.h.
#include "charts/run_charts_view.h"

#include "charts/chart_style.h"
#include "charts/class_error_bars_chart.h"
#include "charts/confusion_map_chart.h"
#include "charts/error_curves_chart.h"
#include "charts/margin_histogram_chart.h"
#include "charts/qcustomplot_include.h"
#include "io/results_table.h"
#include "runs/run_record.h"
#include "runs/seed_groups.h"

#include <QDir>
#include <QEvent>
#include <QFontMetrics>
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
        // A row above everything the chart draws: which run this is (layout elements survive
        // the charts' own clearing of items and graphs).
        chart->plotLayout()->insertRow(0);
        auto* label = new QCPTextElement(chart, QString(), QFont(chart->font().family(), 8));
        label->setTextColor(QColor(90, 90, 90));
        label->setTextFlags(Qt::AlignRight | Qt::AlignVCenter);
        chart->plotLayout()->addElement(0, 0, label);
        labels_.push_back(label);
        // The chart's own title (the error curves wrap theirs, which change with the run).
        auto* title = qobject_cast<QCPTextElement*>(chart->plotLayout()->element(1, 0));
        if (title && chart != errorCurves_) titles_.emplace_back(title, title->text());
        fullLabels_.emplace_back();
        chart->setProperty("baseToolTip", chart->toolTip());
        chart->installEventFilter(this);
    }
    setLabels({});
}

void RunChartsView::setOverlays(const std::vector<const RunRecord*>& runs) {
    errorCurves_->setOverlays(runs);
    // The bars: the shown run's seed group among the selected runs, as the group's mean.
    std::vector<const RunRecord*> group;
    for (const RunRecord* r : runs)
        if (r->id == shownRunId_) group = finishedSeedSiblings(*r, runs);
    errorBars_->setSeedGroup(group);
    if (runName_.isEmpty() || labels_.empty()) return;
    QStringList ids;
    for (const RunRecord* r : runs) ids << QStringLiteral("#%1").arg(r->id);
    setLabelText(0, runs.empty() ? runName_ : tr("%1 · overlaid: balanced error of runs %2").arg(runName_, ids.join(", ")));
    if (errorBars_->seedGroupSize() < 2) {
        setLabelText(2, runName_);
        return;
    }
    QStringList groupIds;
    for (const RunRecord* r : group) groupIds << QStringLiteral("#%1").arg(r->id);
    setLabelText(2, tr("Runs %1 (%2): mean of %3 seeds at the last epoch, whiskers min–max")
                        .arg(groupIds.join(", "), QString::fromStdString(resultRowFor(group.front()->config).label))
                        .arg(group.size()));
}

void RunChartsView::setLabels(const QString& runName) {
    runName_ = runName;
    static const char* const what[] = {
        QT_TR_NOOP("each class's test and train error, epoch by epoch"),
        QT_TR_NOOP("each class's training margins"),
        QT_TR_NOOP("each class's test error at the last evaluation"),
        QT_TR_NOOP("which class each test image is predicted as"),
    };
    const auto list = charts();
    for (size_t i = 0; i < labels_.size() && i < list.size(); ++i) {
        setLabelText(i, runName.isEmpty() ? tr("No run yet: press Train (Ctrl+R) to see %1").arg(tr(what[i])) : runName);
    }
}

void RunChartsView::setLabelText(size_t index, const QString& text) {
    fullLabels_[index] = text;
    QCustomPlot* chart = charts()[index].first;
    const QString base = chart->property("baseToolTip").toString();
    chart->setToolTip(base.isEmpty() ? text : text + QStringLiteral("\n") + base);
    elideLabel(index);
}

void RunChartsView::elideLabel(size_t index) {
    QCustomPlot* chart = charts()[index].first;
    const QFontMetrics metrics(labels_[index]->font());
    labels_[index]->setText(metrics.elidedText(fullLabels_[index], Qt::ElideRight, std::max(40, chart->width() - 12)));
    chart->replot(QCustomPlot::rpQueuedReplot);
}

bool RunChartsView::eventFilter(QObject* watched, QEvent* event) {
    if (event->type() == QEvent::Resize) {
        const auto list = charts();
        for (size_t i = 0; i < list.size() && i < labels_.size(); ++i)
            if (list[i].first == watched) elideLabel(i);
        for (auto& [title, full] : titles_)  // a title wraps rather than being clipped
            if (title->parentPlot() == watched)
                title->setText(wrapToWidth(full, title->font(), static_cast<QWidget*>(watched)->width() - 12));
    }
    return QWidget::eventFilter(watched, event);
}

QString RunChartsView::runLabel(int chartIndex) const {
    return chartIndex >= 0 && chartIndex < int(fullLabels_.size()) ? fullLabels_[size_t(chartIndex)] : QString();
}

std::vector<std::pair<QCustomPlot*, QString>> RunChartsView::charts() const {
    return {{errorCurves_, QStringLiteral("error_curves")},
            {margins_, QStringLiteral("margins")},
            {errorBars_, QStringLiteral("class_errors")},
            {confusion_, QStringLiteral("confusion")}};
}

void RunChartsView::showRun(const RunRecord& run) {
    shownRunId_ = run.id;
    if (const QString name = tr("Run %1").arg(run.title()); name != runName_) {  // keeps an overlay note
        setLabels(name);
        for (const auto& chart : charts()) chart.first->setProperty(kChartFileStemProperty, run.fileStem());
    }
    errorCurves_->showRun(run);
    margins_->showRun(run);
    errorBars_->showRun(run);
    confusion_->showRun(run);
}

void RunChartsView::clearRun() {
    shownRunId_ = -1;
    setLabels({});
    for (const auto& chart : charts()) chart.first->setProperty(kChartFileStemProperty, QVariant());
    errorCurves_->clearRun();
    margins_->clearRun();
    errorBars_->clearRun();
    confusion_->clearRun();
}

void RunChartsView::showClasses(const std::vector<std::string>& names) {
    if (!runName_.isEmpty()) return;  // a run is shown: its own classes are on the axes
    margins_->showClasses(names);
    errorBars_->showClasses(names);
    confusion_->showClasses(names);
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
