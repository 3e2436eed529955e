// Ridgeline drawing of MarginStats; see margin_histogram_chart.h.
#include "charts/margin_histogram_chart.h"

#include "charts/chart_style.h"

#include <algorithm>
#include <cmath>

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
    drawnGroups_.clear();
    rowLabels_.clear();
    deltaMarks_ = boxes_ = 0;
    lastEpochShown_ = lastRunShown_ = -1;
    replot(QCustomPlot::rpQueuedReplot);
}

void MarginHistogramChart::showClasses(const std::vector<std::string>& names) {
    clearRun();
    const int k = int(names.size());
    if (k == 0 || !drawsEveryClass(k)) return;  // past 20 the rows are the groups, known with the run
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int c = 0; c < k; ++c) ticker->addTick(c, QString::fromStdString(names[size_t(c)]));
    yAxis->setTicker(ticker);
    yAxis->setRange(-0.6, k - 0.4);
    replot(QCustomPlot::rpQueuedReplot);
}

void MarginHistogramChart::setPickedClasses(const std::vector<int>& classes) {
    picked_.clear();
    for (int c : classes)
        if (c >= 0 && std::find(picked_.begin(), picked_.end(), c) == picked_.end() && int(picked_.size()) < kPickedClassesMax)
            picked_.push_back(c);
    lastEpochShown_ = -1;  // drawn again at the next showRun
}

void MarginHistogramChart::drawDelta(int row, double delta) {
    if (!std::isfinite(delta)) return;
    auto* tick = new QCPItemLine(this);
    tick->start->setCoords(delta, row + 0.5);
    tick->end->setCoords(delta, row - 0.45);
    tick->setPen(QPen(Qt::black, 1.6, Qt::DashLine));
    ++deltaMarks_;
}

void MarginHistogramChart::drawRow(int row, const MarginStats& m, const MetricsReport& r, const QColor& color, double delta) {
    const int bins = int(m.histogram.size());
    const double width = (r.marginHi - r.marginLo) / std::max(1, bins);
    double peak = 1;
    for (int64_t v : m.histogram) peak = std::max(peak, double(v));
    QVector<double> x, y, base;
    for (int b = 0; b < bins; ++b) {
        x.push_back(r.marginLo + (b + 0.5) * width);
        y.push_back(row + 0.45 - 0.9 * double(m.histogram[size_t(b)]) / peak);
        base.push_back(row + 0.45);
    }
    auto* baseline = addGraph();
    baseline->setPen(QPen(QColor(200, 200, 200)));
    baseline->setData(x, base, true);
    auto* g = addGraph();
    g->setLineStyle(QCPGraph::lsStepCenter);
    QColor fill = color;
    fill.setAlpha(110);
    g->setBrush(fill);
    g->setPen(QPen(color, 1.4));
    g->setChannelFillGraph(baseline);
    g->setData(x, y, true);
    if (std::isfinite(m.min)) {
        auto* dot = new QCPItemTracer(this);
        dot->position->setCoords(m.min, row + 0.45);
        dot->setStyle(QCPItemTracer::tsCircle);
        dot->setSize(7);
        dot->setPen(QPen(Qt::black));
        dot->setBrush(color);
    }
    drawDelta(row, delta);
}

// A class without its histogram (runs past 100 classes): the box of its quartiles, the median,
// whiskers to its minimum (the class margin γ_j, a dot as in the histograms) and maximum.
void MarginHistogramChart::drawBox(int row, const MarginStats& m, const QColor& color, double delta) {
    drawDelta(row, delta);
    if (!std::isfinite(m.min)) return;
    const double mid = row + 0.15;
    auto* whisker = new QCPItemLine(this);
    whisker->start->setCoords(m.min, mid);
    whisker->end->setCoords(m.max, mid);
    whisker->setPen(QPen(color, 1.2));
    auto* box = new QCPItemRect(this);
    box->topLeft->setCoords(m.q1, mid - 0.25);
    box->bottomRight->setCoords(m.q3, mid + 0.25);
    QColor fill = color;
    fill.setAlpha(110);
    box->setBrush(fill);
    box->setPen(QPen(color, 1.4));
    auto* median = new QCPItemLine(this);
    median->start->setCoords(m.median, mid - 0.25);
    median->end->setCoords(m.median, mid + 0.25);
    median->setPen(QPen(Qt::black, 1.6));
    auto* dot = new QCPItemTracer(this);
    dot->position->setCoords(m.min, mid);
    dot->setStyle(QCPItemTracer::tsCircle);
    dot->setSize(7);
    dot->setPen(QPen(Qt::black));
    dot->setBrush(color);
    ++boxes_;
}

void MarginHistogramChart::showShotGroups(const RunRecord& run, const MetricsReport& r) {
    const auto groups = classesByShotGroup(run.info.classCounts);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    int row = 0;
    auto medianDelta = [&](const std::vector<int>& classes) {
        std::vector<double> d;
        for (int c : classes)
            if (size_t(c) < r.deltas.size()) d.push_back(r.deltas[size_t(c)]);
        if (d.empty()) return std::nan("");
        std::nth_element(d.begin(), d.begin() + std::ptrdiff_t(d.size() / 2), d.end());
        return d[d.size() / 2];
    };
    for (int g = 0; g < kShotGroups && size_t(g) < r.groupMargins.size(); ++g) {
        const auto& classes = groups[size_t(g)];
        if (classes.empty()) continue;
        drawRow(row, r.groupMargins[size_t(g)], r, shotGroupColor(ShotGroup(g)), medianDelta(classes));
        QVector<double> counts;
        for (int64_t v : r.groupMargins[size_t(g)].histogram) counts.push_back(double(v));
        drawnGroups_[g] = counts;
        // Two short lines: the rows' labels share a narrow chart with the histograms.
        const QString label = QStringLiteral("%1\n%2 %3")
                                  .arg(QString::fromUtf8(shotGroupLabel(ShotGroup(g))))
                                  .arg(classes.size())
                                  .arg(classes.size() == 1 ? tr("class") : tr("classes"));
        ticker->addTick(row, label);
        rowLabels_ << label;
        ++row;
    }
    for (int c : picked_) {
        if (size_t(c) >= r.margins.size()) continue;
        const MarginStats& m = r.margins[size_t(c)];
        const double delta = size_t(c) < r.deltas.size() ? r.deltas[size_t(c)] : std::nan("");
        if (m.histogram.empty()) drawBox(row, m, classColor(c), delta);
        else drawRow(row, m, r, classColor(c), delta);
        const QString label = QStringLiteral("%1\n(n=%2)")
                                  .arg(QString::fromStdString(run.info.classNames[size_t(c)]))
                                  .arg(run.info.classCounts[size_t(c)]);
        ticker->addTick(row, label);
        rowLabels_ << label;
        ++row;
    }
    if (picked_.empty()) {  // say how to see a class of one's own
        auto* hint = new QCPItemText(this);
        hint->position->setType(QCPItemPosition::ptAxisRectRatio);
        hint->position->setCoords(0.5, 0.98);
        hint->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        hint->setText(tr("follow a class: search above"));
        hint->setColor(QColor(90, 90, 90));
        hint->setFont(QFont(font().family(), 7));
    }
    yAxis->setTicker(ticker);
    yAxis->setRange(-0.6, std::max(1, row) - 0.4);
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
    drawnGroups_.clear();
    rowLabels_.clear();
    deltaMarks_ = boxes_ = 0;
    lastRunShown_ = run.id;
    lastEpochShown_ = r->epoch;
    const int k = int(r->margins.size());
    if (!drawsEveryClass(k)) {
        showShotGroups(run, *r);
    } else {
        auto ticker = QSharedPointer<QCPAxisTickerText>::create();
        for (int c = 0; c < k; ++c) {
            const auto& m = r->margins[size_t(c)];
            drawRow(c, m, *r, classColor(c), size_t(c) < r->deltas.size() ? r->deltas[size_t(c)] : std::nan(""));
            QVector<double> counts;
            for (int64_t v : m.histogram) counts.push_back(double(v));
            drawn_[c] = counts;
            const QString label = QStringLiteral("%1 (n=%2)")
                                      .arg(QString::fromStdString(run.info.classNames[size_t(c)]))
                                      .arg(run.info.classCounts[size_t(c)]);
            ticker->addTick(c, label);
            rowLabels_ << label;
        }
        yAxis->setTicker(ticker);
        yAxis->setRange(-0.6, k - 0.4);
    }
    auto* zero = new QCPItemStraightLine(this);
    zero->point1->setCoords(0, 0);
    zero->point2->setCoords(0, 1);
    zero->setPen(QPen(Qt::gray, 1, Qt::DotLine));
    xAxis->setRange(r->marginLo, r->marginHi);
    replot(QCustomPlot::rpQueuedReplot);
}

} // namespace imblab::ui
