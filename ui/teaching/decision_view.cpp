// Decision view; see decision_view.h.
#include "teaching/decision_view.h"

#include "charts/chart_style.h"
#include "data/imbalance_profile.h"

#include <cmath>
#include <limits>

namespace imblab::ui {

DecisionView::DecisionView(QWidget* parent) : QCustomPlot(parent) {
    styleChart(this, {false, false});
    regions_ = new QCPColorMap(xAxis, yAxis);
    regions_->setInterpolate(false);
    boundary_ = addGraph();
    boundary_->setLineStyle(QCPGraph::lsNone);
    boundary_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, QColor(40, 40, 40), 2.5));
    plotLayout()->insertRow(0);
    title_ = new QCPTextElement(this, QString(), QFont(font().family(), 10, QFont::Bold));
    plotLayout()->addElement(0, 0, title_);
    xAxis->setRange(-4, 4);
    yAxis->setRange(-4, 4);
    setMinimumSize(260, 260);
}

void DecisionView::setTitle(const QString& title) {
    title_->setText(title);
    replot(QCustomPlot::rpQueuedReplot);
}

void DecisionView::setPoints(const std::vector<float>& xy, const std::vector<int64_t>& labels,
                             const std::vector<int64_t>& counts, const std::vector<std::string>& names) {
    xy_ = xy;
    labels_ = labels;
    names_ = names;
    for (auto* g : pointGraphs_) removeGraph(g);
    pointGraphs_.clear();
    const auto minority = minorityClasses(counts);
    for (size_t c = 0; c < counts.size(); ++c) {
        QVector<double> x, y;
        for (size_t i = 0; i < labels.size(); ++i)
            if (labels[i] == int64_t(c)) {
                x.push_back(xy[2 * i]);
                y.push_back(xy[2 * i + 1]);
            }
        auto* g = addGraph();
        g->setLineStyle(QCPGraph::lsNone);
        g->setName(QStringLiteral("%1 (n=%2)").arg(QString::fromStdString(names[c])).arg(counts[c]));
        const double size = minority[c] ? 9 : 4;
        g->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, minority[c] ? 1.2 : 0.4),
                                           classColor(int(c)), size));
        g->setData(x, y);
        pointGraphs_.push_back(g);
    }
    double lo = std::numeric_limits<double>::max(), hi = -lo;
    for (float v : xy) lo = std::min(lo, double(v)), hi = std::max(hi, double(v));
    if (!xy.empty()) {
        xAxis->setRange(lo - 0.5, hi + 0.5);
        yAxis->setRange(lo - 0.5, hi + 0.5);
    }
    replot(QCustomPlot::rpQueuedReplot);
}

void DecisionView::setGrid(const DecisionGrid& g) {
    const int k = int(names_.size());
    if (g.classes.empty() || k < 2) return;
    regions_->data()->setSize(g.nx, g.ny);
    regions_->data()->setRange(QCPRange(g.x0, g.x1), QCPRange(g.y0, g.y1));
    QCPColorGradient gradient;
    gradient.clearColorStops();
    for (int c = 0; c < k; ++c) gradient.setColorStopAt(double(c) / (k - 1), classColor(c).lighter(165));
    gradient.setLevelCount(std::max(2, k));
    regions_->setGradient(gradient);
    regions_->setDataRange(QCPRange(0, k - 1));
    cells_.assign(size_t(k), 0);
    QVector<double> bx, by;
    auto at = [&](int i, int j) { return g.classes[size_t(j) * size_t(g.nx) + size_t(i)]; };
    for (int j = 0; j < g.ny; ++j)
        for (int i = 0; i < g.nx; ++i) {
            const int c = at(i, j);
            regions_->data()->setCell(i, j, c);
            if (c >= 0 && c < k) ++cells_[size_t(c)];
            // A boundary cell differs from its right or upper neighbour.
            if ((i + 1 < g.nx && at(i + 1, j) != c) || (j + 1 < g.ny && at(i, j + 1) != c)) {
                bx.push_back(g.x0 + (g.x1 - g.x0) * (i + 0.5) / std::max(1, g.nx - 1));
                by.push_back(g.y0 + (g.y1 - g.y0) * (j + 0.5) / std::max(1, g.ny - 1));
            }
        }
    boundaryCount_ = int(bx.size());
    boundary_->setData(bx, by);

    for (auto* r : rings_) removeItem(r);
    for (auto* t : ringLabels_) removeItem(t);
    rings_.clear();
    ringLabels_.clear();
    classMargins_.assign(size_t(k), std::nan(""));
    if (g.pointMargins.size() == labels_.size()) {
        std::vector<size_t> argmin(size_t(k), SIZE_MAX);
        for (size_t i = 0; i < labels_.size(); ++i) {
            const size_t c = size_t(labels_[i]);
            if (argmin[c] == SIZE_MAX || g.pointMargins[i] < g.pointMargins[argmin[c]]) argmin[c] = i;
        }
        for (int c = 0; c < k; ++c) {
            if (argmin[size_t(c)] == SIZE_MAX) continue;
            const size_t i = argmin[size_t(c)];
            classMargins_[size_t(c)] = g.pointMargins[i];
            auto* ring = new QCPItemTracer(this);
            ring->position->setCoords(xy_[2 * i], xy_[2 * i + 1]);
            ring->setStyle(QCPItemTracer::tsCircle);
            ring->setSize(18);
            ring->setPen(QPen(classColor(c).darker(140), 2.5));
            ring->setBrush(Qt::NoBrush);
            rings_.push_back(ring);
            auto* label = new QCPItemText(this);
            label->position->setCoords(xy_[2 * i], xy_[2 * i + 1]);
            label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
            label->setPadding(QMargins(10, 0, 0, 8));
            label->setText(QStringLiteral("γ_%1 = %2").arg(QString::fromStdString(names_[size_t(c)])).arg(g.pointMargins[i], 0, 'f', 2));
            label->setColor(classColor(c).darker(160));
            label->setFont(QFont(font().family(), 9, QFont::Bold));
            ringLabels_.push_back(label);
        }
    }
    replot(QCustomPlot::rpQueuedReplot);
}

std::vector<int> DecisionView::regionCells() const { return cells_; }

} // namespace imblab::ui
