// Error curves; see error_curves_chart.h.
#include "charts/error_curves_chart.h"

#include "charts/chart_style.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace imblab::ui {

namespace {
constexpr int kGroupThreshold = 8;  // from this many classes, group means by default
const QColor kGroupColors[2] = {QColor(0, 95, 115), QColor(170, 30, 30)};  // neither a class nor a run colour
} // namespace

void ErrorCurvesChart::soloClass(int c) {
    solo_ = c >= 0 && c < int(testGraphs_.size()) && c != solo_ ? c : -1;
    applyPens();
}

void ErrorCurvesChart::highlightClass(int c) {
    hover_ = c >= 0 && c < int(testGraphs_.size()) ? c : -1;
    applyPens();
}

void ErrorCurvesChart::applyPens() {
    const bool focus = solo_ >= 0 || hover_ >= 0;
    for (size_t j = 0; j < testGraphs_.size(); ++j) {
        QPen test = testPens_[j], train = trainPens_[j];
        const bool inFront = int(j) == solo_ || int(j) == hover_;
        if (!inFront && (focus || groupMeans_)) {  // faint behind the one in front, or the group means
            QColor faint = test.color();
            faint.setAlpha(focus ? 40 : 70);
            test.setColor(faint);
            train.setColor(faint);
        }
        if (int(j) == hover_) test.setWidthF(test.widthF() + 1.6);
        testGraphs_[j]->setPen(test);
        trainGraphs_[j]->setPen(train);
        QCPScatterStyle marker = testGraphs_[j]->scatterStyle();
        if (!marker.isNone()) {
            marker.setPen(QPen(test.color()));
            testGraphs_[j]->setScatterStyle(marker);
        }
    }
    for (int g = 0; g < 2; ++g) {
        if (!groupGraphs_[g]) continue;
        groupGraphs_[g]->setVisible(groupMeans_);
        groupBands_[g].first->setVisible(groupMeans_);
        groupBands_[g].second->setVisible(groupMeans_);
    }
    replot(QCustomPlot::rpQueuedReplot);
}

void ErrorCurvesChart::setGroupMeans(bool on) {
    groupMeansChosen_ = true;
    groupMeans_ = on;
    groupMeansAction_->setChecked(on);
    applyPens();
    fitToWidth(true);  // the group means join or leave the legend
}

int ErrorCurvesChart::classAt(const QPointF& pos) const {
    QCPLayerable* under = layerableAt(pos, false);
    const QCPAbstractPlottable* curve = qobject_cast<QCPAbstractPlottable*>(under);
    if (auto* entry = qobject_cast<QCPPlottableLegendItem*>(under)) curve = entry->plottable();
    if (!curve) return -1;
    for (size_t j = 0; j < testGraphs_.size(); ++j)
        if (curve == testGraphs_[j] || curve == trainGraphs_[j]) return int(j);
    return -1;
}

void ErrorCurvesChart::mouseMoveEvent(QMouseEvent* event) {
    QCustomPlot::mouseMoveEvent(event);
    if (event->buttons() != Qt::NoButton) return;  // dragging pans; no highlight then
    if (const int c = classAt(event->position()); c != hover_) highlightClass(c);
}

void ErrorCurvesChart::leaveEvent(QEvent* event) {
    QCustomPlot::leaveEvent(event);
    if (hover_ >= 0) highlightClass(-1);
}

void ErrorCurvesChart::addGroupPoint(double x, const std::vector<double>& perClass) {
    for (int g = 0; g < 2; ++g) {
        if (!groupGraphs_[g]) continue;
        double sum = 0, lo = 1, hi = 0;
        int n = 0;
        for (size_t c = 0; c < perClass.size() && c < minority_.size(); ++c)
            if (minority_[c] == (g == 1) && std::isfinite(perClass[c])) {
                sum += perClass[c];
                lo = std::min(lo, perClass[c]);
                hi = std::max(hi, perClass[c]);
                ++n;
            }
        if (n == 0) continue;
        groupGraphs_[g]->addData(x, sum / n);
        groupBands_[g].first->addData(x, lo);
        groupBands_[g].second->addData(x, hi);
    }
}

QStringList ErrorCurvesChart::groupNames() const {
    QStringList out;
    for (auto* g : groupGraphs_)
        if (g) out << g->name();
    return out;
}

QVector<QPointF> ErrorCurvesChart::groupCurve(int g) const { return g >= 0 && g < 2 ? graphPoints(groupGraphs_[g]) : QVector<QPointF>{}; }

std::pair<QVector<QPointF>, QVector<QPointF>> ErrorCurvesChart::groupBand(int g) const {
    if (g < 0 || g >= 2 || !groupBands_[g].first) return {};
    return {graphPoints(groupBands_[g].first), graphPoints(groupBands_[g].second)};
}

ErrorCurvesChart::ErrorCurvesChart(QWidget* parent) : QCustomPlot(parent) {
    ChartOptions options;
    options.legendToggles = false;  // a class entry brings its class to the front instead (below)
    styleChart(this, options);
    xAxis->setLabel(QStringLiteral("epoch"));
    yAxis->setLabel(QStringLiteral("error"));
    showErrorRange(yAxis);
    xAxis->setRange(0, 1);
    legend->setVisible(true);
    // The legend sits under the plot, in columns, so it never hides a curve.
    axisRect()->insetLayout()->take(legend);
    plotLayout()->addElement(1, 0, legend);
    plotLayout()->setRowStretchFactor(1, 0.001);
    legend->setFillOrder(QCPLegend::foColumnsFirst);
    // Click a class in the legend to bring it to the front (the others faint), again for all;
    // the balanced and overlaid curves' entries hide and show theirs, as on the other charts.
    connect(this, &QCustomPlot::legendClick, this, [this](QCPLegend*, QCPAbstractLegendItem* item, QMouseEvent*) {
        auto* entry = qobject_cast<QCPPlottableLegendItem*>(item);
        if (!entry) return;
        for (size_t j = 0; j < testGraphs_.size(); ++j)
            if (entry->plottable() == testGraphs_[j]) return soloClass(int(j));
        toggleLegendEntry(this, item);
    });
    groupMeansAction_ = new QAction(tr("Class groups as means (frequent / minority)"), this);
    groupMeansAction_->setCheckable(true);
    groupMeansAction_->setToolTip(tr("The mean test error of the frequent and of the minority classes, their "
                                     "classes' range as a band, the classes faint behind"));
    connect(groupMeansAction_, &QAction::toggled, this, [this](bool on) {
        if (on != groupMeans_) setGroupMeans(on);
    });
    addAction(groupMeansAction_);  // first in the context menu, above the exports
    setMouseTracking(true);  // hovering a curve or its legend entry highlights its class
    legend->setWrap(3);
    legend->setFont(QFont(font().family(), 7));
    legend->setBorderPen(Qt::NoPen);
    legend->setRowSpacing(0);
    legend->setColumnSpacing(6);
    plotLayout()->insertRow(0);
    // Marker labels one text line apart, whatever the plot's height (known once laid out).
    connect(this, &QCustomPlot::afterLayout, this, [this] {
        const double line = QFontMetrics(font()).height() + 2;
        const double plotHeight = std::max(40, axisRect()->height());
        for (size_t i = 0; i < markerTexts_.size(); ++i)
            markerTexts_[i]->position->setCoords(markerTexts_[i]->position->key(), (4 + line * double(i)) / plotHeight);
    });
    fullTitle_ = titleFor(1, 0, 0);
    title_ = new QCPTextElement(this, fullTitle_, QFont(font().family(), 9, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
}

void ErrorCurvesChart::resizeEvent(QResizeEvent* event) {
    fitToWidth(false);
    QCustomPlot::resizeEvent(event);
}

void ErrorCurvesChart::fitToWidth(bool rebuildLegend) {
    title_->setText(wrapToWidth(fullTitle_, title_->font(), width() - 12));
    // The legend under the plot takes as many columns as its widest entry allows (1–4). When
    // its rows would take more than a third of the chart, the classes drop their counts, then
    // leave the legend (the group means and the balanced error stay; hovering a curve still
    // names it): the plot is what the chart is for.
    const QFontMetrics metrics(legend->font());
    int rowHeight = metrics.height() + legend->rowSpacing() + 2;
    if (manyClasses_) rowHeight = std::max(rowHeight, legend->iconSize().height() + legend->rowSpacing());  // an entry's real height
    const int maxRows = std::max(3, height() / 3 / rowHeight);
    std::vector<QCPAbstractPlottable*> tail;  // after the classes, in this order
    for (int g = 0; g < 2; ++g)
        if (groupGraphs_[g] && groupMeans_) tail.push_back(groupGraphs_[g]);
    for (auto* p : shotGroupLegendEntries()) tail.push_back(p);
    if (balanced_) tail.push_back(balanced_);
    for (QCPGraph* g : overlayGraphs_) tail.push_back(g);
    auto columnsFor = [&](int widest) {
        const int entry = widest + legend->iconSize().width() + legend->iconTextPadding() + legend->columnSpacing() + 8;
        return std::clamp((width() - 16) / std::max(1, entry), 1, 4);
    };
    int tailWidest = 0;
    for (auto* p : tail) tailWidest = std::max(tailWidest, metrics.horizontalAdvance(p->name()));
    if (manyClasses_ && (int(tail.size()) + columnsFor(tailWidest) - 1) / columnsFor(tailWidest) > maxRows) {
        // Too many for a third of the chart: the worst and picked classes leave the legend
        // (hovering a curve names it), the groups and the balanced error stay.
        tail.erase(std::remove_if(tail.begin(), tail.end(),
                                  [this](QCPAbstractPlottable* p) {
                                      return std::find(focusGraphs_.begin(), focusGraphs_.end(), p) != focusGraphs_.end();
                                  }),
                   tail.end());
        tailWidest = 0;
        for (auto* p : tail) tailWidest = std::max(tailWidest, metrics.horizontalAdvance(p->name()));
    }
    LegendClasses mode = LegendClasses::Hidden;
    int columns = columnsFor(tailWidest);
    for (LegendClasses candidate : {LegendClasses::Full, LegendClasses::Short}) {
        int widest = tailWidest;
        for (size_t j = 0; j < testGraphs_.size(); ++j)
            widest = std::max(widest, metrics.horizontalAdvance(candidate == LegendClasses::Full ? classNames_[j].first
                                                                                                 : classNames_[j].second));
        const int c = columnsFor(widest);
        const int entries = int(testGraphs_.size() + tail.size());
        if ((entries + c - 1) / c <= maxRows || testGraphs_.empty()) {
            mode = candidate;
            columns = c;
            break;
        }
    }
    if (rebuildLegend || mode != legendClasses_ || manyClasses_) {  // past 20 classes its entries depend on the room
        legendClasses_ = mode;
        legend->clearItems();
        for (size_t j = 0; j < testGraphs_.size(); ++j) {
            testGraphs_[j]->setName(mode == LegendClasses::Short ? classNames_[j].second : classNames_[j].first);
            if (mode != LegendClasses::Hidden) testGraphs_[j]->addToLegend();
        }
        for (auto* p : tail) p->addToLegend();
    }
    if (columns != legend->wrap()) legend->setWrap(columns);
    legend->setFillOrder(QCPLegend::foColumnsFirst, true);  // re-flows the entries
}

QString ErrorCurvesChart::titleFor(int evaluationsPerEpoch, int64_t testRows, int64_t testSize) {
    if (evaluationsPerEpoch <= 1) return tr("Per-class error (solid: test, dotted: train; bold: balanced)");
    // A short run is tested within its epochs too: say how often, and on what.
    const QString on = testRows > 0 && testRows < testSize ? tr(" on %1 of %2 test examples").arg(testRows).arg(testSize) : QString();
    return tr("Per-class error (solid: test, %1× per epoch%2; dotted: train; bold: balanced)").arg(evaluationsPerEpoch).arg(on);
}

void ErrorCurvesChart::clearRun() {
    clearGraphs();
    clearItems();
    testGraphs_.clear();
    trainGraphs_.clear();
    testPens_.clear();
    trainPens_.clear();
    solo_ = hover_ = -1;
    classNames_.clear();
    groupGraphs_[0] = groupGraphs_[1] = nullptr;
    groupBands_[0] = groupBands_[1] = {nullptr, nullptr};
    overlayGraphs_.clear();
    overlayBands_.clear();
    markerLines_.clear();
    markerTexts_.clear();
    balanced_ = nullptr;
    manyClasses_ = false;
    shotGroups_ = {};
    focus_.clear();
    focusGraphs_.clear();
    focusEpoch_ = -1;
    shownRunId_ = -1;
    drawnEpochs_ = drawnSteps_ = 0;
    drawnThinnings_ = 0;
    replot(QCustomPlot::rpQueuedReplot);
}

void ErrorCurvesChart::ensureGraphs(const RunRecord& run) {
    const int k = int(run.info.classNames.size());
    if (shownRunId_ == run.id && balanced_ && (manyClasses_ || int(testGraphs_.size()) == k)) return;
    clearRun();
    shownRunId_ = run.id;
    if (!drawsEveryClass(k)) {
        manyClasses_ = true;
        addShotGroupGraphs(run);
        groupMeansAction_->setEnabled(false);  // the shot groups are the form itself
        fullTitle_ = tr("Error by shot group (solid: test mean, band: middle half of its classes; dotted: train), "
                        "the worst and the picked classes; bold: balanced");
        addBalancedCurve(run);
        return;
    }
    const std::vector<bool>& minority = run.info.minority;  // the engine's rule, resolved once per run
    for (int c = 0; c < k; ++c) {
        const QString name = QString::fromStdString(run.info.classNames[size_t(c)]);
        auto* test = addGraph();
        classNames_.emplace_back(QStringLiteral("%1 (n=%2)").arg(name).arg(run.info.classCounts[size_t(c)]), name);
        test->setName(classNames_.back().first);
        const bool isMinority = size_t(c) < minority.size() && minority[size_t(c)];
        QPen pen(classColor(c), isMinority ? 2.4 : 1.3);
        test->setPen(pen);
        if (isMinority) test->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, classColor(c), Qt::white, 6));
        testGraphs_.push_back(test);
        auto* train = addGraph();
        train->setName(QString());  // kept out of the legend and hover names
        QPen dotted(classColor(c), 1.0, Qt::DotLine);
        train->setPen(dotted);
        train->removeFromLegend();
        trainGraphs_.push_back(train);
        testPens_.push_back(test->pen());
        trainPens_.push_back(train->pen());
    }
    minority_ = minority;
    const bool hasGroups = std::count(minority.begin(), minority.end(), true) > 0 &&
                           std::count(minority.begin(), minority.end(), false) > 0;
    for (int g = 0; hasGroups && g < 2; ++g) {
        groupBands_[g] = {addGraph(), addGraph()};
        for (QCPGraph* edge : {groupBands_[g].first, groupBands_[g].second}) {
            edge->setPen(Qt::NoPen);
            edge->removeFromLegend();
        }
        QColor fill = kGroupColors[g];
        fill.setAlpha(40);
        groupBands_[g].second->setBrush(fill);
        groupBands_[g].second->setChannelFillGraph(groupBands_[g].first);
        groupGraphs_[g] = addGraph();
        groupGraphs_[g]->setName(g == 0 ? tr("frequent: mean, range") : tr("minority: mean, range"));
        groupGraphs_[g]->setPen(QPen(kGroupColors[g], 3.0));
        if (g == 1) groupGraphs_[g]->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, kGroupColors[g], Qt::white, 7));
    }
    if (!groupMeansChosen_) {
        groupMeans_ = k >= kGroupThreshold;
        const QSignalBlocker quiet(groupMeansAction_);
        groupMeansAction_->setChecked(groupMeans_);
    }
    groupMeansAction_->setEnabled(hasGroups);
    fullTitle_ = titleFor(run.info.evaluationsPerEpoch, run.info.midEpochTestRows, run.info.testSize);
    addBalancedCurve(run);
}

// The bold balanced-error curve on top, the run's schedule marks, and the legend fitted.
void ErrorCurvesChart::addBalancedCurve(const RunRecord& run) {
    balanced_ = addGraph();
    balanced_->setName(QStringLiteral("balanced error"));
    balanced_->setPen(QPen(Qt::black, 3.2));
    setMarkers(run);
    applyPens();
    fitToWidth(true);
}

void ErrorCurvesChart::setMarkers(const RunRecord& run) {
    struct Marker {
        double at;  // epochs from the start (fractional when a short run places it by step)
        QString text;
        QColor color;
    };
    std::vector<Marker> markers;
    const double epochs = run.config.train.epochs;
    const RunInfo& i = run.info;
    if (run.config.train.schedule == "official" || run.config.train.schedule == "step") {
        auto label = [](double factor) { return QStringLiteral("lr ×") + QString::number(factor, 'g', 4); };
        if (i.decay1At < epochs) markers.push_back({i.decay1At, label(i.decay1Factor), Qt::darkGray});
        if (i.decay2At < epochs && i.decay2At != i.decay1At) markers.push_back({i.decay2At, label(i.decay2Factor), Qt::darkGray});
    }
    if (run.config.rebalance.deferred && run.config.rebalance.type != "none" && i.rebalanceAt < epochs)
        markers.push_back({i.rebalanceAt,
                           run.config.rebalance.type.find("rs") != std::string::npos ? QStringLiteral("DRS") : QStringLiteral("DRW"),
                           QColor(0xCC, 0x00, 0x33)});
    // Where a decoupled second stage takes over (its curves continue the run's).
    static const std::map<std::string, QString> stageNames = {{"crt", QStringLiteral("cRT")}, {"lws", QStringLiteral("LWS")},
                                                              {"tau-norm", QStringLiteral("τ-norm")}, {"mislas", QStringLiteral("MiSLAS")},
                                                              {"wb", QStringLiteral("WB")}};
    if (const auto stage = stageNames.find(run.config.train.stage2); stage != stageNames.end())
        markers.push_back({epochs, tr("stage 2: %1").arg(stage->second), QColor(0x00, 0x72, 0xB2)});
    for (const auto& m : markers) {
        auto* line = new QCPItemStraightLine(this);
        line->point1->setCoords(m.at, 0);
        line->point2->setCoords(m.at, 1);
        line->setPen(QPen(m.color, 1.5, Qt::DashLine));
        markerLines_.push_back(line);
        auto* text = new QCPItemText(this);
        text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(m.at, 0);  // its row's height once laid out (afterLayout)
        text->setBrush(QColor(255, 255, 255, 210));  // readable over the curves
        // Near the right edge the label goes left of its line, where it is not clipped.
        const bool nearEnd = m.at > 0.7 * std::max(1, run.plannedEpochs());
        text->setPositionAlignment((nearEnd ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
        text->setText(nearEnd ? m.text + " " : " " + m.text);
        text->setColor(m.color);
        markerTexts_.push_back(text);
    }
}

void ErrorCurvesChart::showRun(const RunRecord& run) {
    if (!run.hasInfo) return;
    ensureGraphs(run);
    const int k = int(testGraphs_.size());
    if (run.epochReports.size() < drawnEpochs_ || run.stepReports.size() < drawnSteps_ ||
        run.stepThinnings != drawnThinnings_) {
        for (int c = 0; c < k; ++c) {
            testGraphs_[size_t(c)]->data()->clear();
            trainGraphs_[size_t(c)]->data()->clear();
        }
        balanced_->data()->clear();
        for (int g = 0; g < 2; ++g)
            if (groupGraphs_[g])
                for (QCPGraph* graph : {groupGraphs_[g], groupBands_[g].first, groupBands_[g].second}) graph->data()->clear();
        for (auto& group : shotGroups_)
            for (QCPGraph* graph : {group.mean, group.train, group.low, group.high})
                if (graph) graph->data()->clear();
        focusEpoch_ = -1;
        drawnEpochs_ = drawnSteps_ = 0;
        drawnThinnings_ = run.stepThinnings;
    }
    for (size_t i = drawnEpochs_; i < run.epochReports.size(); ++i) {
        const MetricsReport& r = run.epochReports[i];
        for (int c = 0; c < k; ++c)
            if (size_t(c) < r.testErrorPerClass.size() && std::isfinite(r.testErrorPerClass[size_t(c)]))
                testGraphs_[size_t(c)]->addData(r.epoch + 1, r.testErrorPerClass[size_t(c)]);
        balanced_->addData(r.epoch + 1, r.balancedError);
        addGroupPoint(r.epoch + 1, r.testErrorPerClass);
        addShotGroupPoint(r.epoch + 1, r.testErrorPerClass);
    }
    for (size_t i = drawnSteps_; i < run.stepReports.size(); ++i) {
        const MetricsReport& r = run.stepReports[i];
        if (r.midEpochTest) {  // a short run's test point within an epoch
            for (int c = 0; c < k; ++c)
                if (size_t(c) < r.testErrorPerClass.size() && std::isfinite(r.testErrorPerClass[size_t(c)]))
                    testGraphs_[size_t(c)]->addData(r.epochProgress, r.testErrorPerClass[size_t(c)]);
            balanced_->addData(r.epochProgress, r.balancedError);
            addGroupPoint(r.epochProgress, r.testErrorPerClass);
            addShotGroupPoint(r.epochProgress, r.testErrorPerClass);
        }
        for (int c = 0; c < k; ++c)
            if (size_t(c) < r.trainErrorPerClass.size() && std::isfinite(r.trainErrorPerClass[size_t(c)]))
                trainGraphs_[size_t(c)]->addData(r.epochProgress, r.trainErrorPerClass[size_t(c)]);
        addShotGroupTrainPoint(r.epochProgress, r);
    }
    drawnEpochs_ = run.epochReports.size();
    drawnSteps_ = run.stepReports.size();
    if (manyClasses_) redrawFocus(run);
    xAxis->setRange(0, std::max(1, run.plannedEpochs()));
    showErrorRange(yAxis);
    replot(QCustomPlot::rpQueuedReplot);
}

QVector<QPointF> ErrorCurvesChart::testCurve(int c) const {
    return c >= 0 && c < int(testGraphs_.size()) ? graphPoints(testGraphs_[size_t(c)]) : QVector<QPointF>{};
}
QVector<QPointF> ErrorCurvesChart::trainCurve(int c) const {
    return c >= 0 && c < int(trainGraphs_.size()) ? graphPoints(trainGraphs_[size_t(c)]) : QVector<QPointF>{};
}
QVector<QPointF> ErrorCurvesChart::balancedCurve() const { return graphPoints(balanced_); }

QStringList ErrorCurvesChart::markerLabels() const {
    QStringList out;
    for (auto* t : markerTexts_) out << t->text().trimmed();
    return out;
}

} // namespace imblab::ui
