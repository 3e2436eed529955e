// Error curves; see error_curves_chart.h.
#include "charts/error_curves_chart.h"

#include "charts/chart_style.h"

#include <cmath>

namespace imblab::ui {

namespace {
QVector<QPointF> points(const QCPGraph* g) {
    QVector<QPointF> out;
    if (!g) return out;
    for (auto it = g->data()->constBegin(); it != g->data()->constEnd(); ++it) out.push_back({it->key, it->value});
    return out;
}
} // namespace

ErrorCurvesChart::ErrorCurvesChart(QWidget* parent) : QCustomPlot(parent) {
    styleChart(this);
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
    legend->setWrap(3);
    legend->setFont(QFont(font().family(), 7));
    legend->setBorderPen(Qt::NoPen);
    legend->setRowSpacing(0);
    legend->setColumnSpacing(6);
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, new QCPTextElement(this, QStringLiteral("Per-class error (solid: test, dotted: train; bold: balanced)"),
                                                      QFont(font().family(), 9, QFont::Bold)));
}

void ErrorCurvesChart::clearRun() {
    clearGraphs();
    clearItems();
    testGraphs_.clear();
    trainGraphs_.clear();
    overlayGraphs_.clear();
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
    }
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
        for (int c = 0; c < k; ++c)
            if (size_t(c) < r.trainErrorPerClass.size() && std::isfinite(r.trainErrorPerClass[size_t(c)]))
                trainGraphs_[size_t(c)]->addData(r.epochProgress, r.trainErrorPerClass[size_t(c)]);
    }
    drawnEpochs_ = run.epochReports.size();
    drawnSteps_ = run.stepReports.size();
    xAxis->setRange(0, std::max(1, run.config.train.epochs));
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

void ErrorCurvesChart::setOverlays(const std::vector<const RunRecord*>& runs) {
    for (QCPGraph* g : overlayGraphs_) removeGraph(g);
    overlayGraphs_.clear();
    static const QCPScatterStyle::ScatterShape shapes[] = {QCPScatterStyle::ssTriangle, QCPScatterStyle::ssSquare,
                                                           QCPScatterStyle::ssDiamond, QCPScatterStyle::ssTriangleInverted,
                                                           QCPScatterStyle::ssCrossSquare, QCPScatterStyle::ssStar};
    int i = 0;
    for (const RunRecord* run : runs) {
        auto* g = addGraph();
        g->setName(tr("run %1 (balanced error)").arg(run->title()));
        g->setPen(QPen(runColor(i), 2.4, Qt::DashLine));
        g->setScatterStyle(QCPScatterStyle(shapes[i % 6], runColor(i), Qt::white, 7));
        ++i;
        QVector<double> x, y;
        for (const auto& r : run->epochReports) {
            x.push_back(r.epoch + 1);
            y.push_back(r.balancedError);
        }
        g->setData(x, y, true);
        overlayGraphs_.push_back(g);
    }
    replot(QCustomPlot::rpQueuedReplot);
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
