// Ridgeline drawing of MarginStats; see margin_histogram_chart.h.
#include "charts/margin_histogram_chart.h"

#include "charts/chart_style.h"

namespace imblab::ui {

namespace {
const QString kAxisLabel = QStringLiteral("margin z_y − max_{j≠y} z_j");
} // namespace

MarginHistogramChart::MarginHistogramChart(QWidget* parent) : QCustomPlot(parent) {
    styleChart(this, {false, true});
    xAxis->setLabel(kAxisLabel);
    connect(this, &QCustomPlot::afterLayout, this, [this] {
        fitXAxisLabel(this, kAxisLabel);
        fitValueTicks(xAxis);
    });
    yAxis->setRangeReversed(true);
    yAxis->grid()->setVisible(false);
    plotLayout()->insertRow(0);
    // No-break spaces inside the key: a narrow chart wraps the title before it, not within it.
    plotLayout()->addElement(0, 0, new QCPTextElement(this, QStringLiteral("Train margins (●\u00A0min\u00A0γ_j,\u00A0┆\u00A0Δ_j)"),
                                                      QFont(font().family(), 9, QFont::Bold)));
}

void MarginHistogramChart::clearRun() {
    clearGraphs();
    clearItems();
    drawn_.clear();
    deltaMarks_ = 0;
    lastEpochShown_ = lastRunShown_ = -1;
    replot(QCustomPlot::rpQueuedReplot);
}

void MarginHistogramChart::showClasses(const std::vector<std::string>& names) {
    clearRun();
    const int k = int(names.size());
    if (k == 0) return;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int c = 0; c < k; ++c) ticker->addTick(c, QString::fromStdString(names[size_t(c)]));
    yAxis->setTicker(ticker);
    yAxis->setRange(-0.6, k - 0.4);
    replot(QCustomPlot::rpQueuedReplot);
}

void MarginHistogramChart::showRun(const RunRecord& run) {
    const MetricsReport* r = run.lastEpoch();
    if (!r || r->margins.empty()) {
        if (lastRunShown_ != run.id) clearRun();
        return;
    }
    if (lastRunShown_ == run.id && lastEpochShown_ == r->epoch) return;  // nothing new
    clearGraphs();
    clearItems();
    drawn_.clear();
    deltaMarks_ = 0;
    lastRunShown_ = run.id;
    lastEpochShown_ = r->epoch;
    const int k = int(r->margins.size());
    const int bins = int(r->margins[0].histogram.size());
    const double width = (r->marginHi - r->marginLo) / bins;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int c = 0; c < k; ++c) {
        const auto& m = r->margins[size_t(c)];
        double peak = 1;
        for (int64_t v : m.histogram) peak = std::max(peak, double(v));
        QVector<double> x, y, base;
        QVector<double> counts;
        for (int b = 0; b < bins; ++b) {
            x.push_back(r->marginLo + (b + 0.5) * width);
            y.push_back(c + 0.45 - 0.9 * double(m.histogram[size_t(b)]) / peak);
            base.push_back(c + 0.45);
            counts.push_back(double(m.histogram[size_t(b)]));
        }
        drawn_[c] = counts;
        auto* baseline = addGraph();
        baseline->setPen(QPen(QColor(200, 200, 200)));
        baseline->setData(x, base, true);
        auto* g = addGraph();
        g->setName(QString::fromStdString(run.info.classNames[size_t(c)]) + QStringLiteral(" (count per bin)"));
        g->setLineStyle(QCPGraph::lsStepCenter);
        QColor fill = classColor(c);
        fill.setAlpha(110);
        g->setBrush(fill);
        g->setPen(QPen(classColor(c), 1.4));
        g->setChannelFillGraph(baseline);
        g->setData(x, y, true);
        ticker->addTick(c, QStringLiteral("%1 (n=%2)")
                               .arg(QString::fromStdString(run.info.classNames[size_t(c)]))
                               .arg(run.info.classCounts[size_t(c)]));
        if (std::isfinite(m.min)) {
            auto* dot = new QCPItemTracer(this);
            dot->position->setCoords(m.min, c + 0.45);
            dot->setStyle(QCPItemTracer::tsCircle);
            dot->setSize(7);
            dot->setPen(QPen(Qt::black));
            dot->setBrush(classColor(c));
        }
        if (size_t(c) < r->deltas.size()) {
            auto* tick = new QCPItemLine(this);
            tick->start->setCoords(r->deltas[size_t(c)], c + 0.5);
            tick->end->setCoords(r->deltas[size_t(c)], c - 0.45);
            tick->setPen(QPen(Qt::black, 1.6, Qt::DashLine));
            ++deltaMarks_;
        }
    }
    auto* zero = new QCPItemStraightLine(this);
    zero->point1->setCoords(0, 0);
    zero->point2->setCoords(0, 1);
    zero->setPen(QPen(Qt::gray, 1, Qt::DotLine));
    yAxis->setTicker(ticker);
    yAxis->setRange(-0.6, k - 0.4);
    xAxis->setRange(r->marginLo, r->marginHi);
    replot(QCustomPlot::rpQueuedReplot);
}

} // namespace imblab::ui
