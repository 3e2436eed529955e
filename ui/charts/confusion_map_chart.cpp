// Confusion heat map; see confusion_map_chart.h.
#include "charts/confusion_map_chart.h"

#include "charts/chart_style.h"

#include "charts/many_classes.h"

#include <QApplication>
#include <QHelpEvent>
#include <QTimer>
#include <QToolTip>

#include <tuple>

#include <cmath>

namespace imblab::ui {

ConfusionMapChart::ConfusionMapChart(QWidget* parent) : QCustomPlot(parent) {
    styleChart(this, {false, false});
    setInteractions({});
    map_ = new QCPColorMap(xAxis, yAxis);
    map_->setInterpolate(false);
    scale_ = new QCPColorScale(this);
    plotLayout()->addElement(0, 1, scale_);
    scale_->setLabel(QStringLiteral("share of true class"));
    scale_->setBarWidth(8);
    map_->setColorScale(scale_);
    QCPColorGradient g(QCPColorGradient::gpThermal);
    map_->setGradient(g);
    map_->setDataRange(QCPRange(0, 1));
    xAxis->setLabel(QStringLiteral("predicted"));
    yAxis->setLabel(QStringLiteral("true"));
    yAxis->setRangeReversed(true);
    xAxis->setTickLabelRotation(35);
    plotLayout()->insertRow(0);
    // Short: the title shares its width with the colour scale's column, and a narrow chart clipped
    // the longer one. The click hint is the chart's tooltip.
    plotLayout()->addElement(0, 0, new QCPTextElement(this, QStringLiteral("Test confusion"), QFont(font().family(), 9, QFont::Bold)));
    setToolTip(QStringLiteral("Rows: true class, columns: predicted. Click a cell to see its test examples."));
    connect(this, &QCustomPlot::afterLayout, this, [this] {
        fitCellNumbers();
        fitClassNames();
    });
    // A click on a block zooms in once the double-click interval has passed without a second
    // click (a double-click shows the whole matrix again, and must not zoom first).
    auto* zoomLater = new QTimer(this);
    zoomLater->setSingleShot(true);
    connect(zoomLater, &QTimer::timeout, this, [this] { zoomInAt(pendingZoom_); });
    // A click, not the end of a drag: the press and the release within a few pixels.
    connect(this, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        pendingZoom_ = e->pos();
        const auto cell = cellAt(e->pos());
        if (cell.first >= 0) Q_EMIT cellClicked(cell.first, cell.second);
    });
    connect(this, &QCustomPlot::mouseRelease, this, [this, zoomLater](QMouseEvent* e) {
        if (byCount_ && cellAt(pendingZoom_).first < 0 && (e->pos() - pendingZoom_).manhattanLength() <= 4)
            zoomLater->start(QApplication::doubleClickInterval());
    });
    connect(this, &QCustomPlot::mouseDoubleClick, this, [this, zoomLater](QMouseEvent*) {
        zoomLater->stop();
        if (byCount_) showWholeMatrix();
    });
}

void ConfusionMapChart::showWholeMatrix() {
    if (!byCount_) return;
    rowLo_ = columnLo_ = 0;
    rowHi_ = columnHi_ = classes_;
    drawBlocks();
}

bool ConfusionMapChart::zoomInAt(const QPoint& pos) {
    if (!byCount_ || (rowBlock_ == 1 && columnBlock_ == 1) || !axisRect()->rect().contains(pos)) return false;
    const int rp = int(std::floor((xAxis->pixelToCoord(pos.x()) + 0.5 - columnLo_) / columnBlock_));
    const int rt = int(std::floor((yAxis->pixelToCoord(pos.y()) + 0.5 - rowLo_) / rowBlock_));
    if (rp < 0 || rt < 0 || columnLo_ + rp * columnBlock_ >= columnHi_ || rowLo_ + rt * rowBlock_ >= rowHi_) return false;
    // The block's ranks, widened to at least 16 around it (a sliver of one row reads as nothing).
    auto window = [this](int lo, int size, int end) {
        int hi = std::min(end, lo + size);
        const int want = std::min(classes_, 16);
        while (hi - lo < want) {
            if (lo > 0) --lo;
            if (hi - lo < want && hi < classes_) ++hi;
        }
        return std::pair{lo, hi};
    };
    std::tie(columnLo_, columnHi_) = window(columnLo_ + rp * columnBlock_, columnBlock_, columnHi_);
    std::tie(rowLo_, rowHi_) = window(rowLo_ + rt * rowBlock_, rowBlock_, rowHi_);
    drawBlocks();
    return true;
}

double ConfusionMapChart::blockRate(int rowBlock, int columnBlock) const { return map_->data()->cell(columnBlock, rowBlock); }

void ConfusionMapChart::drawBlocks() {
    const int rows = std::max(1, rowHi_ - rowLo_), columns = std::max(1, columnHi_ - columnLo_);
    rowBlock_ = (rows + kMaxBlocks - 1) / kMaxBlocks;
    columnBlock_ = (columns + kMaxBlocks - 1) / kMaxBlocks;
    const int R = (rows + rowBlock_ - 1) / rowBlock_, C = (columns + columnBlock_ - 1) / columnBlock_;
    std::vector<double> sum(size_t(R) * size_t(C), 0.0), rowTotal(size_t(R), 0.0);
    for (int rank = rowLo_; rank < rowHi_; ++rank) rowTotal[size_t((rank - rowLo_) / rowBlock_)] += double(rowTotals_[size_t(order_[size_t(rank)])]);
    for (const ConfusionCell& c : counts_.cells) {
        const int rt = rank_[size_t(c.truth)], rp = rank_[size_t(c.predicted)];
        if (rt < rowLo_ || rt >= rowHi_ || rp < columnLo_ || rp >= columnHi_) continue;
        sum[size_t((rt - rowLo_) / rowBlock_) * size_t(C) + size_t((rp - columnLo_) / columnBlock_)] += double(c.count);
    }
    map_->data()->setSize(C, R);
    // Cell centres on the ranks' axis; a one-cell axis gets a unit range (QCustomPlot needs one).
    const double x0 = columnLo_ + (columnBlock_ - 1) / 2.0, y0 = rowLo_ + (rowBlock_ - 1) / 2.0;
    map_->data()->setRange(QCPRange(x0, C > 1 ? x0 + double(C - 1) * columnBlock_ : x0 + 1),
                           QCPRange(y0, R > 1 ? y0 + double(R - 1) * rowBlock_ : y0 + 1));
    for (int i = 0; i < R; ++i)
        for (int j = 0; j < C; ++j)
            map_->data()->setCell(j, i, rowTotal[size_t(i)] > 0 ? sum[size_t(i) * size_t(C) + size_t(j)] / rowTotal[size_t(i)] : 0.0);
    xAxis->setRange(columnLo_ - 0.5, columnLo_ + double(C) * columnBlock_ - 0.5);
    yAxis->setRange(rowLo_ - 0.5, rowLo_ + double(R) * rowBlock_ - 0.5);
    const bool whole = rowLo_ == 0 && columnLo_ == 0 && rowHi_ == classes_ && columnHi_ == classes_;
    // Ranks in training-count order, most first; the block size when blocks are shown.
    const QString blocks = rowBlock_ > 1 || columnBlock_ > 1 ? tr(", %1 per cell").arg(std::max(rowBlock_, columnBlock_)) : QString();
    xAxis->setLabel(tr("predicted (rank%1)").arg(blocks));
    yAxis->setLabel(whole ? tr("true (rank by count)") : tr("true (double-click: all)"));
    replot(QCustomPlot::rpQueuedReplot);
}

QString ConfusionMapChart::blockText(const QPoint& pos) const {
    if (!byCount_ || !axisRect()->rect().contains(pos)) return {};
    const int rp = int(std::floor((xAxis->pixelToCoord(pos.x()) + 0.5 - columnLo_) / columnBlock_));
    const int rt = int(std::floor((yAxis->pixelToCoord(pos.y()) + 0.5 - rowLo_) / rowBlock_));
    const int t0 = rowLo_ + rt * rowBlock_, p0 = columnLo_ + rp * columnBlock_;
    if (rp < 0 || rt < 0 || t0 >= rowHi_ || p0 >= columnHi_) return {};
    const int t1 = std::min(rowHi_, t0 + rowBlock_) - 1, p1 = std::min(columnHi_, p0 + columnBlock_) - 1;
    auto span = [this](int a, int b) {
        const QString first = names_[size_t(order_[size_t(a)])];
        return a == b ? tr("%1 (rank %2)").arg(first).arg(a)
                      : tr("ranks %1–%2 (%3 … %4)").arg(a).arg(b).arg(first, names_[size_t(order_[size_t(b)])]);
    };
    int64_t n = 0, total = 0;
    for (int rank = t0; rank <= t1; ++rank) total += rowTotals_[size_t(order_[size_t(rank)])];
    for (const ConfusionCell& c : counts_.cells) {
        const int a = rank_[size_t(c.truth)], b = rank_[size_t(c.predicted)];
        if (a >= t0 && a <= t1 && b >= p0 && b <= p1) n += c.count;
    }
    return tr("true %1\npredicted %2\n%3 of %4 test examples (%5 %)\nClick to zoom in.")
        .arg(span(t0, t1), span(p0, p1))
        .arg(n)
        .arg(total)
        .arg(total ? 100.0 * double(n) / double(total) : 0.0, 0, 'f', 1);
}

void ConfusionMapChart::clearRun() {
    shownRun_ = shownEpoch_ = -1;
    counts_ = {};
    rowTotals_.clear();
    map_->data()->clear();
    for (auto* l : labels_) removeItem(l);
    labels_.clear();
    classes_ = 0;
    if (byCount_) {
        byCount_ = false;
        rowBlock_ = columnBlock_ = 1;
        xAxis->setLabel(QStringLiteral("predicted"));
        yAxis->setLabel(QStringLiteral("true"));
    }
    replot(QCustomPlot::rpQueuedReplot);
}

void ConfusionMapChart::showClasses(const std::vector<std::string>& names) {
    clearRun();
    const int k = int(names.size());
    if (k == 0 || k > 20) return;
    tickNames_.clear();
    for (const auto& name : names) tickNames_ << QString::fromStdString(name);
    setClassTicks(1, 1);
    xAxis->setRange(-0.5, k - 0.5);
    yAxis->setRange(-0.5, k - 0.5);
    replot(QCustomPlot::rpQueuedReplot);
}

void ConfusionMapChart::showRun(const RunRecord& run) {
    const MetricsReport* r = run.lastEpoch();
    if (r && run.id == shownRun_ && r->epoch == shownEpoch_) return;
    const int previousRun = shownRun_;
    shownRun_ = run.id;
    shownEpoch_ = r ? r->epoch : -1;
    if (!r || r->confusion.empty()) {
        clearRun();
        return;
    }
    const int k = r->confusion.classes;
    const bool sameRun = run.id == previousRun && k == classes_;
    counts_ = r->confusion;
    rowTotals_ = counts_.rowTotals();
    names_.clear();
    for (const auto& name : run.info.classNames) names_.push_back(QString::fromStdString(name));
    if (!drawsEveryClass(k) && int(run.info.classCounts.size()) == k && int(names_.size()) == k) {
        if (!sameRun || !byCount_) {  // a new run: the whole matrix; the same one keeps its zoom
            for (auto* l : labels_) removeItem(l);
            labels_.clear();
            tickNames_.clear();
            for (QCPAxis* axis : {xAxis, yAxis}) {
                axis->setTicker(QSharedPointer<QCPAxisTicker>::create());
                axis->ticker()->setTickCount(axis == xAxis ? 2 : 4);  // ranks up to 8 142 side by side in a narrow chart
            }
            xAxis->setTickLabelRotation(0);
            byCount_ = true;
            classes_ = k;
            order_ = classesByCount(run.info.classCounts);
            rank_.assign(size_t(k), 0);
            for (int i = 0; i < k; ++i) rank_[size_t(order_[size_t(i)])] = i;
            rowLo_ = columnLo_ = 0;
            rowHi_ = columnHi_ = k;
        }
        drawBlocks();
        return;
    }
    if (byCount_) {  // back to every class in its own cell
        byCount_ = false;
        classes_ = 0;
        rowBlock_ = columnBlock_ = 1;
        xAxis->setLabel(QStringLiteral("predicted"));
        yAxis->setLabel(QStringLiteral("true"));
    }
    if (k != classes_) {
        for (auto* l : labels_) removeItem(l);
        labels_.clear();
        classes_ = k;
        map_->data()->setSize(k, k);
        map_->data()->setRange(QCPRange(0, k - 1), QCPRange(0, k - 1));
        if (k <= 20) {
            tickNames_.clear();
            for (int c = 0; c < k; ++c) tickNames_ << QString::fromStdString(run.info.classNames[size_t(c)]);
            setClassTicks(1, 1);
            for (int t = 0; t < k; ++t)
                for (int p = 0; p < k; ++p) {
                    auto* label = new QCPItemText(this);
                    label->position->setCoords(p, t);
                    label->setFont(QFont(font().family(), 7));
                    labels_.push_back(label);
                }
        }
    }
    // Zero everywhere, then the non-zero cells (api/metrics_report.h keeps only those).
    map_->data()->fill(0);
    for (auto* label : labels_) {
        label->setText(QStringLiteral("0"));
        label->setColor(Qt::white);
    }
    for (const ConfusionCell& c : r->confusion.cells) {
        if (c.truth >= k || c.predicted >= k) continue;
        const int64_t total = rowTotals_[size_t(c.truth)];
        const double rate = total ? double(c.count) / double(total) : 0.0;
        map_->data()->setCell(c.predicted, c.truth, rate);
        if (!labels_.empty()) {
            auto* label = labels_[size_t(c.truth * k + c.predicted)];
            label->setText(QString::number(c.count));
            label->setColor(rate > 0.6 ? Qt::black : Qt::white);
        }
    }
    xAxis->setRange(-0.5, k - 0.5);
    yAxis->setRange(-0.5, k - 0.5);
    replot(QCustomPlot::rpQueuedReplot);
}

bool ConfusionMapChart::event(QEvent* e) {
    if (e->type() == QEvent::ToolTip) {  // over a cell: its classes and count, else the chart's tooltip
        auto* help = static_cast<QHelpEvent*>(e);
        const auto cell = cellAt(help->pos());
        const QString text = cell.first >= 0 ? cellText(cell.first, cell.second) : blockText(help->pos());
        if (!text.isEmpty()) {
            QToolTip::showText(help->globalPos(), text, this);
            return true;
        }
    }
    return QCustomPlot::event(e);
}

void ConfusionMapChart::fitCellNumbers() {
    if (labels_.empty() || classes_ == 0) return;
    int64_t largest = 0;
    for (const ConfusionCell& c : counts_.cells) largest = std::max(largest, c.count);
    const QFontMetrics metrics(labels_.front()->font());
    const double cellWidth = double(axisRect()->width()) / classes_, cellHeight = double(axisRect()->height()) / classes_;
    const bool fits = metrics.horizontalAdvance(QString::number(largest)) + 2 <= cellWidth && metrics.height() <= cellHeight;
    for (auto* label : labels_) label->setVisible(fits);
}

void ConfusionMapChart::setClassTicks(int everyX, int everyY) {
    everyX_ = everyX;
    everyY_ = everyY;
    fittedSize_ = QSize();  // new names: fit them again at the next layout
    for (auto [axis, every] : {std::pair{xAxis, everyX}, std::pair{yAxis, everyY}}) {
        auto ticker = QSharedPointer<QCPAxisTickerText>::create();
        for (int c = 0; c < tickNames_.size(); c += every) ticker->addTick(c, tickNames_[c]);
        axis->setTicker(ticker);
    }
}

void ConfusionMapChart::fitClassNames() {
    const int k = int(tickNames_.size());
    if (k == 0 || fittedSize_ == size()) return;  // once per size: a refit must not chase its own layout
    const double lineHeight = QFontMetrics(xAxis->tickLabelFont()).height();
    const double cellWidth = double(axisRect()->width()) / k, cellHeight = double(axisRect()->height()) / k;
    // Slanted or upright names (chart_style.h); where even upright ones are too tight, only every
    // n-th class is named (the cells' tooltips name them all).
    const double slant = classNameSlant(xAxis, cellWidth);
    const int everyX = std::max(1, int(std::ceil(lineHeight / std::max(1.0, cellWidth * std::sin(qDegreesToRadians(slant))))));
    const int everyY = std::max(1, int(std::ceil(lineHeight / std::max(1.0, cellHeight))));
    const QSize size = this->size();
    if (slant != xAxis->tickLabelRotation() || everyX != everyX_ || everyY != everyY_) {
        xAxis->setTickLabelRotation(slant);
        setClassTicks(everyX, everyY);
        replot(QCustomPlot::rpQueuedReplot);
    }
    fittedSize_ = size;
}

QString ConfusionMapChart::cellText(int t, int p) const {
    if (t < 0 || p < 0 || t >= counts_.classes || p >= counts_.classes || size_t(t) >= names_.size() || size_t(p) >= names_.size())
        return {};
    const int64_t total = rowTotals_[size_t(t)];
    const int64_t n = counts_.at(t, p);
    return tr("true %1, predicted %2: %3 of %4 test examples (%5 %)\nClick to see them.")
        .arg(names_[size_t(t)], names_[size_t(p)])
        .arg(n)
        .arg(total)
        .arg(total ? 100.0 * double(n) / double(total) : 0.0, 0, 'f', 1);
}

QPair<int, int> ConfusionMapChart::cellAt(const QPoint& pos) const {
    if (classes_ == 0 || !axisRect()->rect().contains(pos)) return {-1, -1};
    const int p = int(std::lround(xAxis->pixelToCoord(pos.x())));
    const int t = int(std::lround(yAxis->pixelToCoord(pos.y())));
    if (byCount_) {  // ranks; a cell only where single classes are shown
        if (rowBlock_ > 1 || columnBlock_ > 1 || p < columnLo_ || p >= columnHi_ || t < rowLo_ || t >= rowHi_) return {-1, -1};
        return {order_[size_t(t)], order_[size_t(p)]};
    }
    if (p < 0 || t < 0 || p >= classes_ || t >= classes_) return {-1, -1};
    return {t, p};
}

QPoint ConfusionMapChart::cellCenter(int t, int p) const {
    if (byCount_) return QPoint(int(xAxis->coordToPixel(rankOf(p))), int(yAxis->coordToPixel(rankOf(t))));
    return QPoint(int(xAxis->coordToPixel(p)), int(yAxis->coordToPixel(t)));
}

double ConfusionMapChart::shownRate(int t, int p) const {
    if (byCount_) {
        const int rt = rankOf(t), rp = rankOf(p);
        if (rt < rowLo_ || rt >= rowHi_ || rp < columnLo_ || rp >= columnHi_) return std::nan("");
        return blockRate((rt - rowLo_) / rowBlock_, (rp - columnLo_) / columnBlock_);
    }
    return map_->data()->cell(p, t);
}

} // namespace imblab::ui
