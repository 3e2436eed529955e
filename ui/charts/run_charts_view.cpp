// The run charts view; see run_charts_view.h.
#include "charts/run_charts_view.h"

#include "charts/chart_style.h"
#include "charts/class_error_bars_chart.h"
#include "charts/confusion_map_chart.h"
#include "charts/error_curves_chart.h"
#include "charts/many_classes.h"
#include "charts/margin_histogram_chart.h"
#include "charts/qcustomplot_include.h"
#include "io/results_table.h"
#include "runs/run_record.h"
#include "runs/seed_groups.h"

#include <QCompleter>
#include <QDir>
#include <QEvent>
#include <QFontMetrics>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QSplitter>
#include <QStringListModel>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

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
    // The confusion with, past 20 classes, its most-confused pairs beside it.
    auto* confusionBox = new QWidget;
    auto* confusionLayout = new QHBoxLayout(confusionBox);
    confusionLayout->setContentsMargins(0, 0, 0, 0);
    confusionLayout->setSpacing(2);
    confusionLayout->addWidget(confusion_, 1);
    mostConfused_ = new QListWidget;
    mostConfused_->setObjectName(QStringLiteral("mostConfused"));
    mostConfused_->setMinimumWidth(160);
    mostConfused_->setMaximumWidth(230);
    mostConfused_->setWordWrap(true);
    mostConfused_->setToolTip(tr("The most-confused pairs of the last evaluation (true → predicted: test examples). "
                                 "Click one to see its test examples."));
    mostConfused_->setVisible(false);
    connect(mostConfused_, &QListWidget::itemClicked, this, [this](QListWidgetItem* item) {
        confusion_->openCell(item->data(Qt::UserRole).toInt(), item->data(Qt::UserRole + 1).toInt());
    });
    confusionLayout->addWidget(mostConfused_);
    bottom->addWidget(confusionBox);
    auto* vertical = new QSplitter(Qt::Vertical);
    vertical->addWidget(top);
    vertical->addWidget(bottom);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    // The class picker, shown past 20 classes.
    pickBar_ = new QWidget;
    auto* pickLayout = new QHBoxLayout(pickBar_);
    pickLayout->setContentsMargins(4, 2, 4, 2);
    search_ = new QLineEdit;
    search_->setObjectName(QStringLiteral("classSearch"));
    search_->setPlaceholderText(tr("Follow a class: name or index…"));
    search_->setClearButtonEnabled(true);
    search_->setMinimumWidth(230);
    search_->setMaximumWidth(300);
    search_->setToolTip(tr("Type a class's name (or part of it) or its index and press Enter: the class is drawn on "
                           "every chart. Up to %1 classes.").arg(kPickedClassesMax));
    auto* completer = new QCompleter(new QStringListModel(this), search_);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    completer->setMaxVisibleItems(12);
    search_->setCompleter(completer);
    connect(search_, &QLineEdit::returnPressed, this, [this] {
        if (pickClass(search_->text()).isEmpty()) search_->clear();
    });
    connect(completer, qOverload<const QString&>(&QCompleter::activated), this, [this](const QString& text) {
        if (pickClass(text).isEmpty()) QTimer::singleShot(0, search_, &QLineEdit::clear);
    });
    searchProblem_ = new QLabel;
    searchProblem_->setStyleSheet(QStringLiteral("color: #a01010;"));
    pickedLabel_ = new QLabel;
    pickedLabel_->setObjectName(QStringLiteral("pickedClasses"));
    pickedLabel_->setTextFormat(Qt::RichText);
    connect(pickedLabel_, &QLabel::linkActivated, this, [this](const QString& link) {  // "drop:3", "clear"
        std::vector<int> keep;
        if (link.startsWith(QStringLiteral("drop:")))
            for (int c : picked_)
                if (c != link.mid(5).toInt()) keep.push_back(c);
        setPickedClasses(keep);
    });
    pickLayout->addWidget(search_);
    pickLayout->addWidget(searchProblem_);
    pickLayout->addWidget(pickedLabel_, 1);
    pickBar_->setVisible(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(pickBar_);
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

void RunChartsView::setClassNames(const std::vector<std::string>& names) {
    if (names == classNames_) return;
    classNames_ = names;
    picked_.clear();  // another dataset: its classes are not these
    QStringList entries;
    if (!drawsEveryClass(int(names.size())))
        for (const auto& n : names) entries << QString::fromStdString(n);
    static_cast<QStringListModel*>(search_->completer()->model())->setStringList(entries);
    pickBar_->setVisible(!drawsEveryClass(int(names.size())));
    mostConfused_->setVisible(false);
    mostConfused_->clear();
    mostConfusedEpoch_ = mostConfusedRun_ = -1;
    errorCurves_->setPickedClasses({});
    margins_->setPickedClasses({});
    errorBars_->setPickedClasses({});
    showPicked();
    if (!drawsEveryClass(int(names.size())) && !pendingFollow_.isEmpty()) {
        const QStringList queries = std::exchange(pendingFollow_, {});
        for (const QString& q : queries) pickClass(q);
    }
}

void RunChartsView::followWhenShown(const QStringList& queries) {
    pendingFollow_ = queries;
    if (!drawsEveryClass(int(classNames_.size()))) {
        pendingFollow_.clear();
        for (const QString& q : queries) pickClass(q);
    }
}

QString RunChartsView::pickClass(const QString& query) {
    const int c = findClass(classNames_, query);
    QString problem;
    if (c < 0) problem = tr("no single class is named '%1'").arg(query.trimmed());
    else if (std::find(picked_.begin(), picked_.end(), c) == picked_.end() && int(picked_.size()) >= kPickedClassesMax)
        problem = tr("%1 classes at most: drop one first").arg(kPickedClassesMax);
    searchProblem_->setText(problem);
    if (!problem.isEmpty()) return problem;
    std::vector<int> picked = picked_;
    if (std::find(picked.begin(), picked.end(), c) == picked.end()) picked.push_back(c);
    setPickedClasses(picked);
    return {};
}

void RunChartsView::setPickedClasses(const std::vector<int>& classes) {
    std::vector<int> picked;
    for (int c : classes)
        if (c >= 0 && size_t(c) < classNames_.size() && std::find(picked.begin(), picked.end(), c) == picked.end() &&
            int(picked.size()) < kPickedClassesMax)
            picked.push_back(c);
    picked_ = picked;
    errorCurves_->setPickedClasses(picked_);
    margins_->setPickedClasses(picked_);
    errorBars_->setPickedClasses(picked_);
    showPicked();
    Q_EMIT pickedClassesChanged();
}

void RunChartsView::showPicked() {
    QStringList chips;
    for (int c : picked_)
        chips << QStringLiteral("<b>%1</b> <a href=\"drop:%2\">×</a>")
                     .arg(QString::fromStdString(classNames_[size_t(c)]).toHtmlEscaped())
                     .arg(c);
    if (!picked_.empty()) chips << QStringLiteral("<a href=\"clear\">%1</a>").arg(tr("clear"));
    pickedLabel_->setText(chips.isEmpty() ? tr("<i>no class followed: the charts show the shot groups and the worst classes</i>")
                                          : tr("Following: ") + chips.join(QStringLiteral(" &nbsp; ")));
}

void RunChartsView::showMostConfused(const RunRecord& run) {
    const MetricsReport* last = run.lastEpoch();
    const bool many = !drawsEveryClass(int(run.info.classNames.size()));
    mostConfused_->setVisible(many && last && !last->confusion.empty());
    if (!many || !last || (run.id == mostConfusedRun_ && last->epoch == mostConfusedEpoch_)) return;
    mostConfusedRun_ = run.id;
    mostConfusedEpoch_ = last->epoch;
    mostConfused_->clear();
    const auto totals = last->confusion.rowTotals();
    for (const ConfusionCell& cell : last->confusion.mostConfused(50)) {
        const auto name = [&](int c) { return QString::fromStdString(run.info.classNames[size_t(c)]); };
        // Two lines: long class names (iNaturalist's species) do not fit one beside the map.
        auto* item = new QListWidgetItem(tr("%1\n → %2: %3 of %4").arg(name(cell.truth), name(cell.predicted))
                                             .arg(cell.count)
                                             .arg(totals[size_t(cell.truth)]));
        item->setData(Qt::UserRole, cell.truth);
        item->setData(Qt::UserRole + 1, cell.predicted);
        item->setToolTip(tr("true %1 (n=%2), predicted %3 (n=%4): click to see the test examples")
                             .arg(name(cell.truth))
                             .arg(run.info.classCounts[size_t(cell.truth)])
                             .arg(name(cell.predicted))
                             .arg(run.info.classCounts[size_t(cell.predicted)]));
        mostConfused_->addItem(item);
    }
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
    setClassNames(run.info.classNames);
    errorCurves_->showRun(run);
    margins_->showRun(run);
    errorBars_->showRun(run);
    confusion_->showRun(run);
    showMostConfused(run);
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
    setClassNames(names);
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
