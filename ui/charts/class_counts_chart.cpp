// The count preview; redrawn on every slider move (a few bars: cheap).
#include "charts/class_counts_chart.h"

#include "charts/chart_style.h"
#include "charts/many_classes.h"

#include <QToolTip>

namespace imblab::ui {

ClassCountsChart::ClassCountsChart(QWidget* parent) : QCustomPlot(parent) {
    styleChart(this, {false, false});
    setInteractions({});
    frequent_ = new QCPBars(xAxis, yAxis);
    frequent_->setName(QStringLiteral("frequent"));
    frequent_->setBrush(QColor(0x00, 0x72, 0xB2));
    frequent_->setPen(Qt::NoPen);
    minority_ = new QCPBars(xAxis, yAxis);
    minority_->setName(QStringLiteral("minority"));
    minority_->setBrush(QBrush(QColor(0xD5, 0x5E, 0x00), Qt::SolidPattern));
    minority_->setPen(QPen(QColor(0x80, 0x30, 0x00), 1.5));
    yAxis->setLabel(QStringLiteral("training examples"));
    xAxis->setTickLabelRotation(35);
    legend->setVisible(false);  // the panel's caption explains the colours
    setMinimumHeight(180);
    connect(this, &QCustomPlot::afterLayout, this, [this] { fitClassNamesUnderBars(this, lastName_, fittedSize_); });
    connect(this, &QCustomPlot::mouseMove, this, [this](QMouseEvent* e) {
        const int c = int(std::lround(xAxis->pixelToCoord(e->pos().x())));
        if (c >= 0 && c < int(counts_.size()) && yAxis->pixelToCoord(e->pos().y()) >= yAxis->range().lower)
            QToolTip::showText(e->globalPosition().toPoint(), hoverText(c), this);
        else
            QToolTip::hideText();
    });
}

void ClassCountsChart::setCounts(const std::vector<std::string>& names, const std::vector<int64_t>& counts,
                                 const std::vector<bool>& minority) {
    names_ = names;
    counts_ = counts;
    isMinority_ = minority;
    QVector<double> fk, fv, mk, mv;
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    // Past 20 classes the bars stand in count order, most first: the long tail's shape, whatever
    // order the source gives its classes (iNaturalist's ids are not by count).
    order_.resize(counts.size());
    for (size_t c = 0; c < counts.size(); ++c) order_[c] = int(c);
    if (!drawsEveryClass(int(counts.size()))) order_ = classesByCount(counts);
    for (size_t i = 0; i < counts.size(); ++i) {
        const auto c = size_t(order_[i]);
        (minority[c] ? mk : fk).push_back(double(i));
        (minority[c] ? mv : fv).push_back(double(counts[c]));
        if (counts.size() <= 20) ticker->addTick(double(i), QString::fromStdString(names[c]));
    }
    xAxis->setLabel(drawsEveryClass(int(counts.size())) ? QString() : tr("classes, most to fewest"));
    if (counts.size() <= 20) xAxis->setTicker(ticker);
    lastName_.clear();
    fittedSize_ = QSize();
    if (counts.size() <= 20 && !counts.empty()) {
        lastName_ = QString::fromStdString(names[counts.size() - 1]);
        makeRoomForLastTickLabel(this, lastName_);
    } else {
        xAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    }
    frequent_->setData(fk, fv, true);
    minority_->setData(mk, mv, true);
    xAxis->setRange(-0.7, double(counts.size()) - 0.3);
    double top = 1;
    for (int64_t n : counts) top = std::max(top, double(n));
    if (log_) yAxis->setRange(0.8, top * 1.6);
    else yAxis->setRange(0, top * 1.08);
    replot(QCustomPlot::rpQueuedReplot);
}

void ClassCountsChart::setLogScale(bool on) {
    log_ = on;
    yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (on) yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    else yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    frequent_->setBaseValue(on ? 0.8 : 0);
    minority_->setBaseValue(on ? 0.8 : 0);
    setCounts(names_, counts_, isMinority_);
}

QVector<double> ClassCountsChart::displayedCounts() const {
    QVector<double> out(qsizetype(counts_.size()), 0);
    for (QCPBars* bars : {frequent_, minority_})
        for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
            out[qsizetype(order_[size_t(std::lround(it->key))])] = it->value;
    return out;
}

QVector<bool> ClassCountsChart::displayedMinority() const {
    QVector<bool> out(qsizetype(counts_.size()), false);
    for (auto it = minority_->data()->constBegin(); it != minority_->data()->constEnd(); ++it)
        out[qsizetype(order_[size_t(std::lround(it->key))])] = true;
    return out;
}

QString ClassCountsChart::hoverText(int position) const {
    if (position < 0 || position >= int(order_.size())) return {};
    const int c = order_[size_t(position)];
    return QStringLiteral("%1 (class %2): %3 training examples%4")
        .arg(QString::fromStdString(names_[size_t(c)]))
        .arg(c)
        .arg(counts_[size_t(c)])
        .arg(isMinority_[size_t(c)] ? QStringLiteral(" — minority") : QString());
}

} // namespace imblab::ui
