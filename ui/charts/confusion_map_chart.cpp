// Confusion heat map; see confusion_map_chart.h.
#include "charts/confusion_map_chart.h"

#include "charts/chart_style.h"

#include <QHelpEvent>
#include <QToolTip>

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
    connect(this, &QCustomPlot::mousePress, this, [this](QMouseEvent* e) {
        const auto cell = cellAt(e->pos());
        if (cell.first >= 0) Q_EMIT cellClicked(cell.first, cell.second);
    });
}

void ConfusionMapChart::clearRun() {
    shownRun_ = shownEpoch_ = -1;
    counts_ = {};
    rowTotals_.clear();
    map_->data()->clear();
    for (auto* l : labels_) removeItem(l);
    labels_.clear();
    classes_ = 0;
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
    shownRun_ = run.id;
    shownEpoch_ = r ? r->epoch : -1;
    if (!r || r->confusion.empty()) {
        clearRun();
        return;
    }
    const int k = r->confusion.classes;
    counts_ = r->confusion;
    rowTotals_ = counts_.rowTotals();
    names_.clear();
    for (const auto& name : run.info.classNames) names_.push_back(QString::fromStdString(name));
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
        if (const QString text = cellText(cell.first, cell.second); !text.isEmpty()) {
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
    if (p < 0 || t < 0 || p >= classes_ || t >= classes_) return {-1, -1};
    return {t, p};
}

QPoint ConfusionMapChart::cellCenter(int t, int p) const {
    return QPoint(int(xAxis->coordToPixel(p)), int(yAxis->coordToPixel(t)));
}

double ConfusionMapChart::shownRate(int t, int p) const { return map_->data()->cell(p, t); }

} // namespace imblab::ui
