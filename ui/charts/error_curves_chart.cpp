// Error curves; see error_curves_chart.h.
#include "charts/error_curves_chart.h"

#include "charts/chart_style.h"
#include "io/results_table.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace imblab::ui {

namespace {
QVector<QPointF> points(const QCPGraph* g) {
    QVector<QPointF> out;
    if (!g) return out;
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) out.push_back({it->key, it->value});
    return out;
}
} // namespace

void ErrorCurvesChart::soloClass(int c) {
    solo_ = c >= 0 && c < int(testGraphs_.size()) && c != solo_ ? c : -1;
    for (size_t j = 0; j < testGraphs_.size(); ++j) {
        QPen test = testPens_[j], train = trainPens_[j];
        if (solo_ >= 0 && int(j) != solo_) {  // faint behind the one in front
            QColor faint = test.color();
            faint.setAlpha(40);
            test.setColor(faint);
            train.setColor(faint);
        }
        testGraphs_[j]->setPen(test);
        trainGraphs_[j]->setPen(train);
    }
    replot(QCustomPlot::rpQueuedReplot);
}

ErrorCurvesChart::ErrorCurvesChart(QWidget* parent) : QCustomPlot(parent) {
    ChartOptions options;
    options.legendToggles = false;  // a class entry brings its class to the front instead (below)
    styleChart(this, options);
    xAxis->setLabel(QStringLiteral("epoch"));
    yAxis->setLabel(QStringLiteral("error"));
    yAxis->setRange(0, 1);
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
    legend->setWrap(3);
    legend->setFont(QFont(font().family(), 7));
    legend->setBorderPen(Qt::NoPen);
    legend->setRowSpacing(0);
    legend->setColumnSpacing(6);
    plotLayout()->insertRow(0);
    title_ = new QCPTextElement(this, titleFor(1, 0, 0), QFont(font().family(), 9, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
}

QString ErrorCurvesChart::titleFor(int evaluationsPerEpoch, int64_t testRows, int64_t testSize) {
    if (evaluationsPerEpoch <= 1) return tr("Per-class error (solid: test, dotted: train; bold: balanced)");
    // A short run is tested within its epochs too: say how often, and on what.
    const QString on = testRows > 0 && testRows < testSize ? tr(" on %1 of %2 test images").arg(testRows).arg(testSize) : QString();
    return tr("Per-class error (solid: test, %1× per epoch%2; dotted: train; bold: balanced)").arg(evaluationsPerEpoch).arg(on);
}

void ErrorCurvesChart::clearRun() {
    clearGraphs();
    clearItems();
    testGraphs_.clear();
    trainGraphs_.clear();
    testPens_.clear();
    trainPens_.clear();
    solo_ = -1;
    overlayGraphs_.clear();
    overlayBands_.clear();
    markerLines_.clear();
    markerTexts_.clear();
    balanced_ = nullptr;
    shownRunId_ = -1;
    drawnEpochs_ = drawnSteps_ = 0;
    drawnThinnings_ = 0;
    replot(QCustomPlot::rpQueuedReplot);
}

void ErrorCurvesChart::ensureGraphs(const RunRecord& run) {
    const int k = int(run.info.classNames.size());
    if (shownRunId_ == run.id && int(testGraphs_.size()) == k) return;
    clearRun();
    shownRunId_ = run.id;
    const std::vector<bool>& minority = run.info.minority;  // the engine's rule, resolved once per run
    for (int c = 0; c < k; ++c) {
        const QString name = QString::fromStdString(run.info.classNames[size_t(c)]);
        auto* test = addGraph();
        test->setName(QStringLiteral("%1 (n=%2)").arg(name).arg(run.info.classCounts[size_t(c)]));
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
    title_->setText(titleFor(run.info.evaluationsPerEpoch, run.info.midEpochTestRows, run.info.testSize));
    balanced_ = addGraph();
    balanced_->setName(QStringLiteral("balanced error"));
    balanced_->setPen(QPen(Qt::black, 3.2));
    setMarkers(run);
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
    if (run.config.train.schedule == "official") {
        if (i.decay1At < epochs) markers.push_back({i.decay1At, QStringLiteral("lr ×0.01"), Qt::darkGray});
        if (i.decay2At < epochs && i.decay2At != i.decay1At) markers.push_back({i.decay2At, QStringLiteral("lr ×0.0001"), Qt::darkGray});
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
    int row = 0;
    for (const auto& m : markers) {
        auto* line = new QCPItemStraightLine(this);
        line->point1->setCoords(m.at, 0);
        line->point2->setCoords(m.at, 1);
        line->setPen(QPen(m.color, 1.5, Qt::DashLine));
        markerLines_.push_back(line);
        auto* text = new QCPItemText(this);
        text->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
        text->position->setCoords(m.at, 0.04 + 0.06 * row++);
        text->setPositionAlignment(Qt::AlignLeft | Qt::AlignTop);
        text->setText(" " + m.text);
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
        drawnEpochs_ = drawnSteps_ = 0;
        drawnThinnings_ = run.stepThinnings;
    }
    for (size_t i = drawnEpochs_; i < run.epochReports.size(); ++i) {
        const MetricsReport& r = run.epochReports[i];
        for (int c = 0; c < k; ++c)
            if (size_t(c) < r.testErrorPerClass.size() && std::isfinite(r.testErrorPerClass[size_t(c)]))
                testGraphs_[size_t(c)]->addData(r.epoch + 1, r.testErrorPerClass[size_t(c)]);
        balanced_->addData(r.epoch + 1, r.balancedError);
    }
    for (size_t i = drawnSteps_; i < run.stepReports.size(); ++i) {
        const MetricsReport& r = run.stepReports[i];
        if (r.midEpochTest) {  // a short run's test point within an epoch
            for (int c = 0; c < k; ++c)
                if (size_t(c) < r.testErrorPerClass.size() && std::isfinite(r.testErrorPerClass[size_t(c)]))
                    testGraphs_[size_t(c)]->addData(r.epochProgress, r.testErrorPerClass[size_t(c)]);
            balanced_->addData(r.epochProgress, r.balancedError);
        }
        for (int c = 0; c < k; ++c)
            if (size_t(c) < r.trainErrorPerClass.size() && std::isfinite(r.trainErrorPerClass[size_t(c)]))
                trainGraphs_[size_t(c)]->addData(r.epochProgress, r.trainErrorPerClass[size_t(c)]);
    }
    drawnEpochs_ = run.epochReports.size();
    drawnSteps_ = run.stepReports.size();
    xAxis->setRange(0, std::max(1, run.plannedEpochs()));
    yAxis->setRange(0, 1.0);
    replot(QCustomPlot::rpQueuedReplot);
}

QColor ErrorCurvesChart::runColor(int index) {
    // Dark, muted colours none of the class palette uses: an overlay never reads as a class.
    static const QColor palette[] = {QColor(0, 0, 0), QColor(120, 120, 120), QColor(128, 64, 0), QColor(75, 0, 110),
                                     QColor(0, 90, 80), QColor(150, 0, 40)};
    return palette[index % 6];
}

QStringList ErrorCurvesChart::overlayNames() const {
    QStringList out;
    for (auto* g : overlayGraphs_) out << g->name();
    return out;
}

std::vector<QColor> ErrorCurvesChart::overlayColors() const {
    std::vector<QColor> out;
    for (auto* g : overlayGraphs_) out.push_back(g->pen().color());
    return out;
}

namespace {

// Runs that pool as seeds in the Table (io/results_table.h): everything but the seed equal.
std::string seedGroupKey(const ExperimentConfig& cfg) {
    const RunResultRow row = resultRowFor(cfg);
    std::string key = row.method + "|" + row.label + "|" + settingName(row);
    for (const auto& [name, value] : row.settings) key += "|" + name + "=" + value;
    return key;
}

} // namespace

void ErrorCurvesChart::setOverlays(const std::vector<const RunRecord*>& runs) {
    for (QCPGraph* g : overlayGraphs_) removeGraph(g);
    for (auto [lower, upper] : overlayBands_)
        if (lower) removeGraph(lower), removeGraph(upper);
    overlayGraphs_.clear();
    overlayBands_.clear();
    static const QCPScatterStyle::ScatterShape shapes[] = {QCPScatterStyle::ssTriangle, QCPScatterStyle::ssSquare,
                                                           QCPScatterStyle::ssDiamond, QCPScatterStyle::ssTriangleInverted,
                                                           QCPScatterStyle::ssCrossSquare, QCPScatterStyle::ssStar};
    // Seed groups in order of first appearance.
    std::vector<std::vector<const RunRecord*>> groups;
    std::map<std::string, size_t> groupOf;
    for (const RunRecord* run : runs) {
        const auto [it, fresh] = groupOf.emplace(seedGroupKey(run->config), groups.size());
        if (fresh) groups.emplace_back();
        groups[it->second].push_back(run);
    }
    int i = 0;
    for (const auto& group : groups) {
        const QColor colour = runColor(i);
        // Per evaluated epoch: the balanced errors of the group's runs that reached it.
        std::map<int, std::vector<double>> byEpoch;
        for (const RunRecord* run : group)
            for (const auto& r : run->epochReports) byEpoch[r.epoch + 1].push_back(r.balancedError);
        QVector<double> x, mean, lo, hi;
        for (const auto& [epoch, values] : byEpoch) {
            x.push_back(epoch);
            double sum = 0;
            for (double v : values) sum += v;
            mean.push_back(sum / double(values.size()));
            lo.push_back(*std::min_element(values.begin(), values.end()));
            hi.push_back(*std::max_element(values.begin(), values.end()));
        }
        std::pair<QCPGraph*, QCPGraph*> band{nullptr, nullptr};
        if (group.size() > 1) {
            band = {addGraph(), addGraph()};
            for (QCPGraph* edge : {band.first, band.second}) {
                edge->setPen(Qt::NoPen);
                edge->removeFromLegend();
            }
            band.first->setData(x, lo, true);
            band.second->setData(x, hi, true);
            QColor fill = colour;
            fill.setAlpha(50);
            band.second->setBrush(fill);
            band.second->setChannelFillGraph(band.first);
        }
        auto* g = addGraph();
        if (group.size() == 1) {
            g->setName(tr("run %1 (balanced error)").arg(group.front()->title()));
        } else {
            QStringList ids;
            for (const RunRecord* run : group) ids << QStringLiteral("#%1").arg(run->id);
            g->setName(tr("runs %1 %2: mean of %3 seeds, band min–max (balanced error)")
                           .arg(ids.join(QStringLiteral(", ")), QString::fromStdString(resultRowFor(group.front()->config).label))
                           .arg(group.size()));
        }
        g->setPen(QPen(colour, 2.4, group.size() == 1 ? Qt::DashLine : Qt::SolidLine));
        g->setScatterStyle(QCPScatterStyle(shapes[i % 6], colour, Qt::white, 7));
        g->setData(x, mean, true);
        overlayGraphs_.push_back(g);
        overlayBands_.push_back(band);
        ++i;
    }
    replot(QCustomPlot::rpQueuedReplot);
}

QVector<QPointF> ErrorCurvesChart::overlayCurve(int i) const {
    return i >= 0 && i < int(overlayGraphs_.size()) ? points(overlayGraphs_[size_t(i)]) : QVector<QPointF>{};
}

std::pair<QVector<QPointF>, QVector<QPointF>> ErrorCurvesChart::overlayBand(int i) const {
    if (i < 0 || i >= int(overlayBands_.size()) || !overlayBands_[size_t(i)].first) return {};
    return {points(overlayBands_[size_t(i)].first), points(overlayBands_[size_t(i)].second)};
}

QVector<QPointF> ErrorCurvesChart::testCurve(int c) const {
    return c >= 0 && c < int(testGraphs_.size()) ? points(testGraphs_[size_t(c)]) : QVector<QPointF>{};
}
QVector<QPointF> ErrorCurvesChart::trainCurve(int c) const {
    return c >= 0 && c < int(trainGraphs_.size()) ? points(trainGraphs_[size_t(c)]) : QVector<QPointF>{};
}
QVector<QPointF> ErrorCurvesChart::balancedCurve() const { return points(balanced_); }

QStringList ErrorCurvesChart::markerLabels() const {
    QStringList out;
    for (auto* t : markerTexts_) out << t->text().trimmed();
    return out;
}

} // namespace imblab::ui
